//! `rasd ipsec status`: what charon holds of rasd's — the connections loaded and every SA that
//! carries L2TP, with its peer, identity, proposals, traffic and rekey time — and the kernel
//! guard rasd installed, with its counter.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};
use ipsec_glue::commands::{self, LIST_CONN, LIST_SA};
use ipsec_glue::l2tp_conn::{CERT_CONN, PSK_CONN};
use ipsec_glue::sa::{parse_sas, ChildSa};
use ipsec_glue::vici::{Message, Packet};

use super::vici_stream::ViciStream;

/// Bound on the whole exchange with charon.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The report for the charon whose VICI socket is `socket`.
pub async fn status(socket: &Path) -> Result<String> {
    tokio::time::timeout(TIMEOUT, gather(socket))
        .await
        .map_err(|_| anyhow!("charon at {} did not answer in time", socket.display()))?
}

async fn gather(socket: &Path) -> Result<String> {
    let mut vici = ViciStream::connect(socket).await?;
    let conns = streamed(&mut vici, LIST_CONN, &commands::list_conns()).await?;
    let sas = streamed(&mut vici, LIST_SA, &commands::list_sas(true)).await?;
    let loaded: Vec<&str> = conns
        .iter()
        .flat_map(|m| m.sections().map(|(name, _)| name))
        .filter(|n| *n == PSK_CONN || *n == CERT_CONN)
        .collect();
    let ours: Vec<ChildSa> = sas
        .iter()
        .flat_map(parse_sas)
        .filter(|c| c.ike_name == PSK_CONN || c.ike_name == CERT_CONN)
        .collect();
    Ok(report(socket, &loaded, &ours))
}

/// Registers for `event`, sends `request` and collects the events it streams before its
/// response.
async fn streamed(vici: &mut ViciStream, event: &str, request: &Packet) -> Result<Vec<Message>> {
    vici.send(&commands::register(event)).await?;
    commands::confirmed(&vici.recv().await?)?;
    vici.send(request).await?;
    let mut out = Vec::new();
    loop {
        match vici.recv().await? {
            Packet::Event { name, msg } if name == event => out.push(msg),
            Packet::Event { .. } => {}
            Packet::CmdResponse(_) => break,
            other => bail!("unexpected answer from charon: {other:?}"),
        }
    }
    vici.send(&commands::unregister(event)).await?;
    commands::confirmed(&vici.recv().await?)?;
    Ok(out)
}

fn report(socket: &Path, loaded: &[&str], sas: &[ChildSa]) -> String {
    let mut out = String::new();
    let conns = if loaded.is_empty() {
        "none (is rasd running with [ipsec] enabled?)".to_owned()
    } else {
        loaded.join(", ")
    };
    let _ = writeln!(
        out,
        "charon at {}: rasd's connections loaded: {conns}",
        socket.display()
    );
    let _ = writeln!(
        out,
        "cleartext L2TP in: refused by rasd itself (each datagram's SA mark)"
    );
    let guard = super::leak_guard::show().map_or("not installed".to_owned(), |rule| {
        format!("{} `{rule}`", super::leak_guard::TABLE)
    });
    let _ = writeln!(out, "cleartext L2TP out: kernel guard {guard}");
    let _ = writeln!(out, "L2TP SAs: {}", sas.len());
    for c in sas {
        let rekey = c.rekey_in.map_or("-".to_owned(), |s| format!("{s} s"));
        let _ = writeln!(
            out,
            "  {}:{} id={} ike={} esp={} nat-t={} mark={:#x} in={} B/{} pkts out={} B/{} pkts rekey in {rekey}",
            c.remote_host,
            c.remote_port,
            c.remote_id,
            c.ike_proposal,
            c.esp_proposal,
            if c.nat { "yes" } else { "no" },
            c.mark_in,
            c.bytes_in,
            c.packets_in,
            c.bytes_out,
            c.packets_out,
        );
    }
    out
}
