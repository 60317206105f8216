//! The dial client's TUN device: our assigned address, point-to-point to the server's end.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use tun_rs::{AsyncDevice, DeviceBuilder};

use crate::dataplane::iproute::ip;
use crate::dataplane::TunWriter;
use crate::link::IpSink;

/// A TUN device carrying one session's traffic.
pub struct ClientTun {
    dev: AsyncDevice,
    name: String,
}

impl ClientTun {
    /// Creates the device, still without an address.
    pub fn create(name: &str, mtu: u16) -> Result<Arc<Self>> {
        let dev = DeviceBuilder::new()
            .name(name)
            .mtu(mtu)
            .build_async()
            .with_context(|| format!("creating TUN device {name}"))?;
        let name = dev.name().unwrap_or_else(|_| name.to_string());
        let _ = std::fs::write(format!("/proc/sys/net/ipv6/conf/{name}/disable_ipv6"), "1");
        Ok(Arc::new(ClientTun { dev, name }))
    }

    /// Gives the device our address, the server's end as its peer, and routes `extra` through it.
    pub fn configure(&self, local: Ipv4Addr, peer: Ipv4Addr, extra: &[String]) -> Result<()> {
        ip(&[
            "addr",
            "replace",
            &format!("{local}/32"),
            "peer",
            &format!("{peer}/32"),
            "dev",
            &self.name,
        ])?;
        ip(&["link", "set", &self.name, "up"])?;
        for prefix in extra {
            ip(&["route", "replace", prefix, "dev", &self.name])?;
        }
        Ok(())
    }

    /// Sends every packet the kernel routes into the device to the session.
    pub async fn pump_to(self: Arc<Self>, sink: Arc<dyn IpSink>) -> Result<()> {
        let mut buf = vec![0u8; 65536];
        loop {
            let n = self
                .dev
                .recv(&mut buf)
                .await
                .context("reading the TUN device")?;
            if n > 0 && buf[0] >> 4 == 4 {
                sink.send_ip(Instant::now(), &mut buf[..n]);
            }
        }
    }
}

impl TunWriter for ClientTun {
    fn write_packet(&self, _session: u64, packet: &[u8]) {
        let _ = self.dev.try_send(packet);
    }
}
