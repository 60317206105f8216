//! The shared TUN device: created once, given our tunnel address, with the pool routed to it,
//! and read through one queue per core.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use tun_rs::{AsyncDevice, DeviceBuilder};

use super::iproute::ip;
use super::routes::range_to_cidrs;
use super::SessionMap;
use crate::ip_packet::Ipv4Packet;

/// Packets the kernel may queue on the device for us to read (its default is 500): one device
/// carries every session, and a burst for thousands of them at once must not be dropped
/// while the reader is busy.
pub const TX_QUEUE_LEN: u32 = 4096;

/// Somewhere to deliver IP packets that arrive from clients.
pub trait TunWriter: Send + Sync {
    /// Writes one IP packet from session `session`; drops it when the device is full.
    fn write_packet(&self, session: u64, packet: &[u8]);
}

/// The one TUN device every session shares, with one queue per core (`IFF_MULTI_QUEUE`).
///
/// The kernel hands each packet for us to the queue its flow was last written from (and hashes
/// a flow it has not seen, or whose two directions hash differently, as ICMP's echo request and
/// reply do), so a session's packets are written through the queue its number picks: the
/// answers of its TCP and UDP flows come back on that queue, whose reader encrypts and sends
/// them. Sessions are spread over the readers.
pub struct SharedTun {
    queues: Vec<AsyncDevice>,
    name: String,
}

impl SharedTun {
    /// Creates the device `name` with our address `local` and the given address ranges routed
    /// to it, with a queue per core.
    pub fn create(
        name: &str,
        local: Ipv4Addr,
        mtu: u16,
        ranges: &[(Ipv4Addr, Ipv4Addr)],
    ) -> Result<Self> {
        Self::with_queues(name, local, mtu, ranges, crate::per_core::readers())
    }

    fn with_queues(
        name: &str,
        local: Ipv4Addr,
        mtu: u16,
        ranges: &[(Ipv4Addr, Ipv4Addr)],
        count: usize,
    ) -> Result<Self> {
        let dev = DeviceBuilder::new()
            .name(name)
            .ipv4(local, 32u8, None)
            .mtu(mtu)
            .multi_queue(true)
            .build_async()
            .with_context(|| format!("creating TUN device {name} (needs root or CAP_NET_ADMIN)"))?;
        let name = dev.name().unwrap_or_else(|_| name.to_string());
        let mut queues = Vec::with_capacity(count);
        queues.push(dev);
        for _ in 1..count {
            let queue = queues[0]
                .try_clone()
                .with_context(|| format!("adding a queue to TUN device {name}"))?;
            queues.push(queue);
        }
        // IPv6 is not routed to sessions yet: keep the kernel from sending router solicitations.
        let _ = std::fs::write(format!("/proc/sys/net/ipv6/conf/{name}/disable_ipv6"), "1");
        let queue = TX_QUEUE_LEN.to_string();
        ip(&["link", "set", "dev", &name, "txqueuelen", &queue])?;
        for &(first, last) in ranges {
            for (net, len) in range_to_cidrs(first, last) {
                ip(&["route", "replace", &format!("{net}/{len}"), "dev", &name])?;
            }
        }
        Ok(SharedTun { queues, name })
    }

    /// The device's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many queues the device has (one reader each).
    pub fn queue_count(&self) -> usize {
        self.queues.len()
    }

    /// Starts one task per queue that reads packets from the kernel and hands each to the
    /// session that owns its destination.
    pub fn spawn_readers(self: &Arc<Self>, sessions: &Arc<SessionMap>) {
        for queue in 0..self.queues.len() {
            let (tun, sessions) = (self.clone(), sessions.clone());
            tokio::spawn(async move {
                if let Err(e) = tun.route_to_sessions(queue, &sessions).await {
                    tracing::error!(device = %tun.name, queue, error = %e, "TUN reader stopped");
                }
            });
        }
    }

    async fn route_to_sessions(&self, queue: usize, sessions: &SessionMap) -> Result<()> {
        let dev = &self.queues[queue];
        let mut buf = vec![0u8; 65536];
        loop {
            let n = dev.recv(&mut buf).await.context("reading the TUN device")?;
            let packet = &mut buf[..n];
            let Some(ip) = Ipv4Packet::new_checked(&*packet) else {
                continue;
            };
            if let Some(sink) = sessions.get(ip.dst_addr()) {
                sink.send_ip(Instant::now(), packet);
            }
        }
    }
}

impl TunWriter for SharedTun {
    fn write_packet(&self, session: u64, packet: &[u8]) {
        let queue = &self.queues[(session % self.queues.len() as u64) as usize];
        if let Err(e) = queue.try_send(packet) {
            tracing::debug!(error = %e, "TUN write dropped a packet");
        }
    }
}

#[cfg(test)]
mod tests;
