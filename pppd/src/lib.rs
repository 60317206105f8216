//! Sans-IO PPP engine (RFC 1661): the option-negotiation automaton, LCP, authentication
//! (PAP, CHAP-MD5, MS-CHAPv1/v2), CCP with MPPE, IPCP and IPV6CP, in both the authenticator
//! (server) and the peer (client) role. It knows nothing of the transport that carries it.

#![warn(missing_docs)]

pub mod auth;
pub mod ccp;
pub mod config;
pub mod frame;
pub mod fsm;
pub mod ipcp;
pub mod ipv6cp;
pub mod lcp;
pub mod mppe;
pub mod mschap;
mod packet_queue;
pub mod seed_rng;
pub mod session;
pub mod wire;
