//! The `rasd` command: run the daemon, check a configuration, manage local users, dial a server.

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rasd::config::Config;

mod allocator;

/// rasd — remote-access concentrator for the built-in VPN clients (PPTP, L2TP).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the daemon in the foreground (logs to stderr; RUST_LOG filters, default info).
    Run {
        /// Configuration file; the built-in defaults when omitted.
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// Checks a configuration file and reports the first error with file, line and key.
    CheckConfig {
        /// Configuration file.
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Manages the local users file.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Connects to a server as a client (tests, load generation).
    Dial {
        #[command(subcommand)]
        protocol: DialProtocol,
    },
    /// A load generator: many L2TP sessions (tunnels × sessions) or PPTP calls with full PPP,
    /// paced, held, optionally with checked probe traffic, torn down; reports the figures.
    Bench(rasd::bench::BenchArgs),
    /// L2TP/IPsec: what strongSwan's charon holds of rasd's.
    Ipsec {
        #[command(subcommand)]
        action: IpsecAction,
    },
}

#[derive(Subcommand)]
enum IpsecAction {
    /// Lists rasd's connections in charon and every SA carrying L2TP (peer, identity,
    /// proposals, traffic, rekey time).
    Status {
        /// Configuration naming charon's VICI socket.
        #[arg(long, short, default_value = "/etc/rasd/rasd.toml")]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Adds a user or changes a user's password (asks for it when --password is not given).
    Add {
        /// User name.
        name: String,
        /// The password (prompted for on the terminal when omitted).
        #[arg(long)]
        password: Option<String>,
        /// Configuration naming the users file and the enabled methods.
        #[arg(long, short, default_value = "/etc/rasd/rasd.toml")]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum DialProtocol {
    /// Dials a PPTP server.
    Pptp(DialArgs),
    /// Dials an L2TP server (LNS).
    L2tp {
        #[command(flatten)]
        args: DialArgs,
        /// Tunnel secret (tunnel authentication and hidden AVPs).
        #[arg(long)]
        secret: Option<String>,
        /// Sessions to open in the one tunnel (1 to 16), each with its own TUN device:
        /// --tun for the first, then <tun>-2, <tun>-3 …
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=16))]
        sessions: u8,
        /// Act as a LAC that already did LCP and PAP with the user: send proxy LCP and
        /// authentication AVPs (RFC 2661 §4.4.5) and start PPP from them.
        #[arg(long)]
        proxy_auth: bool,
        /// Calling Number to send in each ICRQ (the LNS may pass it to RADIUS as
        /// Calling-Station-Id).
        #[arg(long)]
        calling_number: Option<String>,
    },
}

/// What every dial client takes.
#[derive(clap::Args)]
struct DialArgs {
    /// Server address, with or without a port (default 1723 for PPTP, 1701 for L2TP).
    server: String,
    /// User name.
    #[arg(long)]
    user: String,
    /// Password.
    #[arg(long)]
    password: String,
    /// MPPE strength: 128, 40, any or none.
    #[arg(long, default_value = "128")]
    mppe: String,
    /// Asks for stateful MPPE.
    #[arg(long)]
    stateful: bool,
    /// Name of the client's TUN device.
    #[arg(long, default_value = "rasdc0")]
    tun: String,
    /// Routes this prefix through the tunnel (repeatable).
    #[arg(long)]
    route: Vec<String>,
    /// MTU of the tunnel (576 to 1500).
    #[arg(long, default_value_t = 1400, value_parser = clap::value_parser!(u16).range(576..=1500))]
    mtu: u16,
    /// Authentication methods the client accepts, in order (mschapv2, mschapv1, chap-md5, pap).
    #[arg(long, value_delimiter = ',', default_value = "mschapv2")]
    auth: Vec<pppd::auth::Method>,
    /// Asks the server for this IPv4 address (default: the server chooses).
    #[arg(long)]
    address: Option<std::net::Ipv4Addr>,
}

impl DialArgs {
    fn options(
        self,
        default_port: u16,
        secret: Option<String>,
    ) -> anyhow::Result<rasd::dial::DialOptions> {
        Ok(rasd::dial::DialOptions {
            server: parse_server(&self.server, default_port)?,
            user: self.user,
            password: self.password,
            mppe: self.mppe,
            stateful: self.stateful,
            tun: self.tun,
            routes: self.route,
            mtu: self.mtu,
            secret,
            auth: self.auth,
            proxy_pap: false,
            calling_number: None,
            address: self.address,
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rasd: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Bench(args) => {
            let report = runtime()?.block_on(rasd::bench::run(args.options()?))?;
            if args.json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{}", report.to_text());
            }
            if args.check && !report.all_good() {
                anyhow::bail!("not every session came up, stayed up, passed its traffic and was torn down cleanly");
            }
            Ok(())
        }
        Command::Ipsec {
            action: IpsecAction::Status { config },
        } => {
            let cfg = Config::load(&config)?;
            let report =
                runtime()?.block_on(rasd::ipsec::status::status(&cfg.ipsec.vici_socket))?;
            print!("{report}");
            Ok(())
        }
        Command::Run { config } => {
            let cfg = match config {
                Some(path) => Config::load(&path)?,
                None => Config::default(),
            };
            runtime()?.block_on(rasd::daemon::run(cfg))
        }
        Command::CheckConfig { config } => {
            let cfg = Config::load(&config)?;
            println!(
                "{}: ok ({} pool addresses)",
                config.display(),
                cfg.ip.pool_size()
            );
            Ok(())
        }
        Command::User {
            action:
                UserAction::Add {
                    name,
                    password,
                    config,
                },
        } => {
            let password = match password {
                Some(p) => p,
                None => rasd::cli_user::prompt_password()?,
            };
            rasd::cli_user::add_user(&config, &name, &password)
        }
        Command::Dial {
            protocol: DialProtocol::Pptp(args),
        } => runtime()?.block_on(rasd::dial::dial_pptp(args.options(1723, None)?)),
        Command::Dial {
            protocol:
                DialProtocol::L2tp {
                    args,
                    secret,
                    sessions,
                    proxy_auth,
                    calling_number,
                },
        } => {
            let opts = rasd::dial::DialOptions {
                proxy_pap: proxy_auth,
                calling_number,
                ..args.options(1701, secret)?
            };
            runtime()?.block_on(rasd::dial::dial_l2tp(opts, usize::from(sessions)))
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_park(allocator::flush_cache_after_trim)
        .build()?)
}

fn parse_server(s: &str, default_port: u16) -> anyhow::Result<SocketAddr> {
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let ip: IpAddr = s
        .parse()
        .map_err(|_| anyhow::anyhow!("not an address: {s}"))?;
    Ok(SocketAddr::new(ip, default_port))
}
