//! Helpers for driving a control connection with raw messages in unit tests.

use std::time::Instant;

use super::codes::PROTOCOL_VERSION;
use super::config::{ControlConfig, ControlEvent, Role};
use super::connection::ControlConnection;
use super::header::MAX_MESSAGE_LEN;
use super::message::Message;
use super::msg_call::Ocrq;
use super::msg_conn::Sccrq;

pub(crate) fn config(role: Role) -> ControlConfig {
    ControlConfig {
        role,
        max_calls: 2,
        ..ControlConfig::default()
    }
}

pub(crate) fn feed(conn: &mut ControlConnection, now: Instant, msg: Message) {
    conn.handle_bytes(now, &msg.to_vec());
}

pub(crate) fn sent(conn: &mut ControlConnection) -> Vec<Message> {
    let mut buf = [0u8; MAX_MESSAGE_LEN];
    std::iter::from_fn(|| {
        let n = conn.poll_transmit(Instant::now(), &mut buf)?;
        Some(Message::from_bytes(&buf[..n]).expect("we emit valid messages"))
    })
    .collect()
}

pub(crate) fn events(conn: &mut ControlConnection) -> Vec<ControlEvent> {
    std::iter::from_fn(|| conn.poll_event()).collect()
}

pub(crate) fn sccrq(protocol_version: u16) -> Message {
    Message::Sccrq(Sccrq {
        protocol_version,
        hostname: "peer".into(),
        ..Sccrq::default()
    })
}

/// A server that has accepted SCCRQ; its output is drained.
pub(crate) fn established_server(now: Instant) -> ControlConnection {
    let mut conn = ControlConnection::new(config(Role::Server), now);
    feed(&mut conn, now, sccrq(PROTOCOL_VERSION));
    sent(&mut conn);
    assert!(conn.is_established());
    conn
}

pub(crate) fn ocrq(call_id: u16) -> Message {
    Message::Ocrq(Ocrq {
        call_id,
        max_bps: 1_000_000,
        recv_window: 32,
        ..Ocrq::default()
    })
}

pub(crate) fn closed_reason(events: &[ControlEvent]) -> Option<&str> {
    events.iter().find_map(|e| match e {
        ControlEvent::Closed { reason } => Some(reason.as_str()),
        _ => None,
    })
}
