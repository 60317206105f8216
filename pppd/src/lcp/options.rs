//! LCP configuration options (RFC 1661 §6, RFC 1570, RFC 1990): MRU, Authentication-Protocol,
//! Magic-Number with loop-back detection, PFC and ACFC; ACCM is accepted and ignored, and
//! everything else (Callback, MRRU, Endpoint-Discriminator, Short-Sequence, Quality-Protocol,
//! unknown types) is Configure-Rejected so Windows clients carry on.

use rand::rngs::StdRng;

use crate::seed_rng::SeedRng;
use rand::Rng;

use crate::auth::Method;
use crate::config::{Config, Role};
use crate::fsm::{push_option, Negotiator, Options, RawOption, Reply};

/// Why LCP options negotiated elsewhere (L2TP proxy LCP) were not taken over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdoptError {
    /// LCP already left the Initial state.
    AlreadyStarted,
    /// A proxied Configure-Request is not a well-formed option list.
    Malformed,
    /// We would not have acknowledged the peer's proxied Configure-Request.
    PeerOptions,
    /// Our proxied Configure-Request has an option of this type, which we never ask for.
    UnaskedOption(u8),
    /// Our proxied Configure-Request has an MRU, magic number or method we would not use.
    OurValues,
}

impl std::fmt::Display for AdoptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdoptError::AlreadyStarted => f.write_str("LCP already started"),
            AdoptError::Malformed => f.write_str("a proxied Configure-Request is malformed"),
            AdoptError::PeerOptions => {
                f.write_str("we would not acknowledge the peer's proxied options")
            }
            AdoptError::UnaskedOption(kind) => write!(
                f,
                "our proxied request has option {kind}, which we never ask for"
            ),
            AdoptError::OurValues => f.write_str(
                "our proxied request has an MRU, magic number or method we would not use",
            ),
        }
    }
}

/// LCP option types.
pub mod opt {
    /// Maximum-Receive-Unit.
    pub const MRU: u8 = 1;
    /// Async-Control-Character-Map.
    pub const ACCM: u8 = 2;
    /// Authentication-Protocol.
    pub const AUTH: u8 = 3;
    /// Quality-Protocol.
    pub const QUALITY: u8 = 4;
    /// Magic-Number.
    pub const MAGIC: u8 = 5;
    /// Protocol-Field-Compression.
    pub const PFC: u8 = 7;
    /// Address-and-Control-Field-Compression.
    pub const ACFC: u8 = 8;
    /// Callback (RFC 1570).
    pub const CALLBACK: u8 = 13;
    /// Multilink MRRU (RFC 1990).
    pub const MRRU: u8 = 17;
    /// Multilink Short-Sequence-Number-Header-Format.
    pub const SHORT_SEQ: u8 = 18;
    /// Endpoint-Discriminator.
    pub const ENDPOINT: u8 = 19;
}

/// Smallest MRU we let the peer announce.
pub const MIN_MRU: u16 = 128;
/// MRU assumed when none is negotiated.
pub const DEFAULT_MRU: u16 = 1500;
/// Magic-Number collisions tolerated before the link is declared looped back.
const MAX_LOOPS: u32 = 3;

/// What the peer's last acknowledged Configure-Request said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerLcp {
    /// The peer's MRU (what we may send).
    pub mru: u16,
    /// The peer's magic number (0 when absent).
    pub magic: u32,
    /// The peer may send compressed protocol fields.
    pub pfc: bool,
    /// The peer may omit address and control fields.
    pub acfc: bool,
    /// Client role: the method the server asked us to authenticate with.
    pub auth: Option<Method>,
}

impl Default for PeerLcp {
    fn default() -> Self {
        Self {
            mru: DEFAULT_MRU,
            magic: 0,
            pfc: false,
            acfc: false,
            auth: None,
        }
    }
}

/// The LCP [`Negotiator`].
#[derive(Debug)]
pub struct LcpOptions {
    role: Role,
    cfg_mru: u16,
    methods: Vec<Method>,
    rng: SeedRng,
    mru: u16,
    want_mru: bool,
    auth: Option<Method>,
    tried: Vec<Method>,
    magic: u32,
    want_magic: bool,
    acked_auth: Option<Method>,
    peer: PeerLcp,
    loops: u32,
    failure: Option<String>,
}

impl LcpOptions {
    /// Options for `cfg`; `rng` draws magic numbers.
    pub fn new(cfg: &Config, mut rng: StdRng) -> Self {
        let mut o = Self {
            role: cfg.role,
            cfg_mru: cfg.mru.max(MIN_MRU),
            methods: cfg.auth_methods.clone(),
            rng: SeedRng::from_rng(&mut rng),
            mru: 0,
            want_mru: false,
            auth: None,
            tried: Vec::new(),
            magic: 0,
            want_magic: false,
            acked_auth: None,
            peer: PeerLcp::default(),
            loops: 0,
            failure: None,
        };
        o.reset();
        o
    }

    /// The negotiated authentication method: server, what the peer acknowledged; client,
    /// what the server asked for. None: no authentication.
    pub fn auth_method(&self) -> Option<Method> {
        match self.role {
            Role::Server => self.acked_auth,
            Role::Client => self.peer.auth,
        }
    }

    /// Our magic number (0 when the peer rejected the option).
    pub fn magic(&self) -> u32 {
        if self.want_magic {
            self.magic
        } else {
            0
        }
    }

    /// What the peer asked for.
    pub fn peer(&self) -> &PeerLcp {
        &self.peer
    }

    /// A fatal negotiation failure to act on (terminate the link), at most once.
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    /// Takes over options negotiated elsewhere (L2TP proxy LCP): `ours` is the Configure-Request
    /// the peer acknowledged on our behalf, `theirs` the peer's request that was acknowledged.
    /// Err (nothing taken over) when we would not have agreed to either.
    pub fn adopt(&mut self, ours: &[u8], theirs: &[u8]) -> Result<(), AdoptError> {
        let ours = Options::new_checked(ours).ok_or(AdoptError::Malformed)?;
        let theirs = Options::new_checked(theirs).ok_or(AdoptError::Malformed)?;
        let mut reply = Reply::new(false);
        let before = (self.peer, self.loops);
        self.check_request(theirs, &mut reply);
        if !reply.is_ack() || self.failure.is_some() {
            (self.peer, self.loops) = before;
            self.failure = None;
            return Err(AdoptError::PeerOptions);
        }
        let (mut mru, mut magic, mut auth) = (None, None, None);
        for o in ours {
            match o.kind {
                // A LAC typically let the client send 1500-octet frames; we can take those.
                opt::MRU => {
                    let most = self.cfg_mru.max(DEFAULT_MRU);
                    mru = Some(o.u16().filter(|v| (MIN_MRU..=most).contains(v)));
                }
                opt::MAGIC => magic = Some(o.u32().filter(|&m| m != 0)),
                opt::AUTH => auth = Some(Method::from_lcp_option_data(o.data)),
                opt::ACCM | opt::PFC | opt::ACFC => {}
                kind => return Err(AdoptError::UnaskedOption(kind)),
            }
        }
        if mru == Some(None) || magic == Some(None) || auth == Some(None) {
            return Err(AdoptError::OurValues);
        }
        if let Some(Some(v)) = mru {
            self.mru = v;
        }
        self.want_mru = mru.is_some();
        self.want_magic = magic.is_some();
        if let Some(Some(m)) = magic {
            self.magic = m;
        }
        self.auth = auth.flatten();
        self.acked_auth = self.auth;
        Ok(())
    }

    fn random_magic(&mut self) -> u32 {
        loop {
            let m: u32 = self.rng.draw(|r| r.gen());
            if m != 0 && m != self.magic {
                return m;
            }
        }
    }

    fn check_auth(&mut self, o: &RawOption<'_>, reply: &mut Reply) {
        if self.role == Role::Server {
            // We do not authenticate ourselves to clients.
            reply.reject(o);
            return;
        }
        match Method::from_lcp_option_data(o.data) {
            Some(m) if self.methods.contains(&m) => self.peer.auth = Some(m),
            _ => match self.methods.first() {
                Some(m) => reply.nak(o, m.lcp_option_data()),
                None => reply.reject(o),
            },
        }
    }

    fn check_magic(&mut self, o: &RawOption<'_>, reply: &mut Reply) {
        match o.u32() {
            None => reply.reject(o),
            Some(0) => {
                let m = self.random_magic();
                reply.nak(o, &m.to_be_bytes());
            }
            Some(v) if self.want_magic && v == self.magic => {
                self.loops += 1;
                tracing::warn!(
                    loops = self.loops,
                    "LCP magic number collision: link may be looped back"
                );
                if self.loops >= MAX_LOOPS {
                    self.failure = Some("link is looped back".to_string());
                }
                let suggestion = self.random_magic();
                self.magic = self.random_magic();
                reply.nak(o, &suggestion.to_be_bytes());
            }
            Some(v) => self.peer.magic = v,
        }
    }

    fn naked_auth(&mut self, data: &[u8]) {
        let Some(current) = self.auth else {
            return;
        };
        match Method::from_lcp_option_data(data) {
            Some(m) if self.methods.contains(&m) => self.auth = Some(m),
            suggested => {
                self.tried.push(current);
                match self.methods.iter().find(|m| !self.tried.contains(m)) {
                    Some(next) => self.auth = Some(*next),
                    None => {
                        let want: Vec<_> = self.methods.iter().map(|m| m.name()).collect();
                        self.failure = Some(format!(
                            "peer refuses authentication with {} (suggests {})",
                            want.join(", "),
                            suggested.map_or("an unsupported method", |m| m.name())
                        ));
                    }
                }
            }
        }
    }
}

impl Negotiator for LcpOptions {
    fn reset(&mut self) {
        self.mru = self.cfg_mru;
        self.want_mru = self.cfg_mru != DEFAULT_MRU;
        self.auth = match self.role {
            Role::Server => self.methods.first().copied(),
            Role::Client => None,
        };
        self.tried.clear();
        self.magic = self.random_magic();
        self.want_magic = true;
        self.acked_auth = None;
    }

    fn build_request(&mut self, out: &mut Vec<u8>) {
        if self.want_mru {
            push_option(out, opt::MRU, &self.mru.to_be_bytes());
        }
        if let Some(m) = self.auth {
            push_option(out, opt::AUTH, m.lcp_option_data());
        }
        if self.want_magic {
            push_option(out, opt::MAGIC, &self.magic.to_be_bytes());
        }
    }

    fn check_request(&mut self, options: Options<'_>, reply: &mut Reply) {
        self.peer = PeerLcp::default();
        for o in options {
            match o.kind {
                opt::MRU => match o.u16() {
                    Some(v) if v >= MIN_MRU => self.peer.mru = v,
                    Some(_) => reply.nak(&o, &MIN_MRU.to_be_bytes()),
                    None => reply.reject(&o),
                },
                opt::ACCM if o.data.len() == 4 => {}
                opt::AUTH => self.check_auth(&o, reply),
                opt::MAGIC => self.check_magic(&o, reply),
                opt::PFC if o.data.is_empty() => self.peer.pfc = true,
                opt::ACFC if o.data.is_empty() => self.peer.acfc = true,
                _ => reply.reject(&o),
            }
        }
    }

    fn acked(&mut self, _options: Options<'_>) {
        self.acked_auth = self.auth;
    }

    fn naked(&mut self, options: Options<'_>) {
        for o in options {
            match o.kind {
                opt::MRU => {
                    if let Some(v) = o.u16().filter(|v| (MIN_MRU..=self.cfg_mru).contains(v)) {
                        self.mru = v;
                        self.want_mru = true;
                    }
                }
                opt::AUTH => self.naked_auth(o.data),
                opt::MAGIC if self.want_magic => self.magic = self.random_magic(),
                _ => {}
            }
        }
    }

    fn rejected(&mut self, options: Options<'_>) {
        for o in options {
            match o.kind {
                opt::MRU => self.want_mru = false,
                opt::AUTH if self.auth.is_some() => {
                    self.failure = Some("peer refused to authenticate".to_string());
                }
                opt::MAGIC => self.want_magic = false,
                _ => {}
            }
        }
    }
}
