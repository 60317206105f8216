//! A VICI connection to charon over its Unix socket: whole packets out, whole packets in.

use std::path::Path;

use anyhow::{bail, Context, Result};
use ipsec_glue::vici::{encode, Decoder, Packet};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

/// One connection to charon's VICI socket.
pub struct ViciStream {
    stream: UnixStream,
    decoder: Decoder,
    out: Vec<u8>,
    buf: Box<[u8; 16384]>,
}

impl ViciStream {
    /// Connects to the socket at `path`.
    pub async fn connect(path: &Path) -> Result<Self> {
        let stream = UnixStream::connect(path)
            .await
            .with_context(|| format!("connecting to charon's VICI socket {}", path.display()))?;
        Ok(ViciStream {
            stream,
            decoder: Decoder::new(),
            out: Vec::new(),
            buf: Box::new([0; 16384]),
        })
    }

    /// Sends one packet.
    pub async fn send(&mut self, packet: &Packet) -> Result<()> {
        self.out.clear();
        encode(packet, &mut self.out)?;
        self.stream.write_all(&self.out).await?;
        Ok(())
    }

    /// The next packet from charon. Cancel-safe: bytes read stay in the decoder.
    pub async fn recv(&mut self) -> Result<Packet> {
        loop {
            if let Some(packet) = self.decoder.next_packet()? {
                return Ok(packet);
            }
            let n = self.stream.read(&mut self.buf[..]).await?;
            if n == 0 {
                bail!("charon closed the VICI connection");
            }
            self.decoder.feed(&self.buf[..n]);
        }
    }
}
