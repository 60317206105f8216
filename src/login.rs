//! Where logins are checked: the configured backends in order (`[server] auth_backends`). The
//! local users file answers at once; RADIUS answers later, so a judgement may be a future that
//! the session's task awaits while its PPP timers keep running.

use std::future::Future;
use std::pin::Pin;

use pppd::auth::{verify_local, AuthRequest, AuthVerdict};
use radius::Purpose;

use crate::config::{AuthBackend, RadiusConfig};
use crate::grant::Decision;
use crate::radius::auth::{access_request, verdict, LoginOrigin};
use crate::radius::driver::RadiusHandle;
use crate::radius::reply::grant;
use crate::users::Users;

/// A decision still to come.
pub type PendingVerdict = Pin<Box<dyn Future<Output = Decision> + Send>>;

/// What the backends say about a login.
pub enum Judgement {
    /// Decided now.
    Now(Decision),
    /// Decided when the future resolves (a RADIUS round trip).
    Later(PendingVerdict),
}

/// The RADIUS client and the settings its requests are built from.
pub struct RadiusLogin {
    /// The running client.
    pub handle: RadiusHandle,
    /// `[radius]`.
    pub cfg: RadiusConfig,
}

/// The backends in their configured order.
pub struct Logins {
    backends: Vec<AuthBackend>,
    users: Users,
    radius: Option<RadiusLogin>,
}

impl Logins {
    /// Backends in `order`; `radius` must be given when the order names RADIUS.
    pub fn new(order: Vec<AuthBackend>, users: Users, radius: Option<RadiusLogin>) -> Self {
        Logins {
            backends: order,
            users,
            radius,
        }
    }

    /// Local users only (what the daemon did before RADIUS, and what tests use).
    pub fn local(users: Users) -> Self {
        Logins::new(vec![AuthBackend::Local], users, None)
    }

    /// Judges `req`: the first backend that knows the user decides (the local file knows the
    /// users it lists; RADIUS knows everyone).
    pub fn judge(&self, req: &AuthRequest, origin: LoginOrigin) -> Judgement {
        for backend in &self.backends {
            match backend {
                AuthBackend::Local => {
                    if let Some(cred) = self.users.lookup(req.user()) {
                        return Judgement::Now(verify_local(req, cred).into());
                    }
                }
                AuthBackend::Radius => {
                    if let Some(radius) = &self.radius {
                        return Judgement::Later(ask_radius(radius, req.clone(), origin));
                    }
                }
            }
        }
        Judgement::Now(
            AuthVerdict::Reject {
                message: "Authentication failed".into(),
            }
            .into(),
        )
    }
}

fn ask_radius(radius: &RadiusLogin, req: AuthRequest, origin: LoginOrigin) -> PendingVerdict {
    let request = access_request(&req, &origin, &radius.cfg);
    let handle = radius.handle.clone();
    Box::pin(async move {
        match handle.ask(Purpose::Auth, request).await {
            Ok((code, reply)) => {
                let verdict = verdict(&req, code, &reply, origin.session);
                let grant = match verdict {
                    AuthVerdict::Accept(_) => grant(&reply, origin.session),
                    AuthVerdict::Reject { .. } => Default::default(),
                };
                Decision { verdict, grant }
            }
            Err(e) => {
                tracing::warn!(session = origin.session, user = %req.user(), "RADIUS login not judged: {e}");
                AuthVerdict::Reject {
                    message: "Authentication server unavailable".into(),
                }
                .into()
            }
        }
    })
}
