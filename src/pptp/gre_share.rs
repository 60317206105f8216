//! Sharing PPTP's GRE among several raw sockets: every raw GRE socket gets a copy of every GRE
//! packet, so each socket of a group of `n` keeps, by a classic BPF filter, only the calls whose
//! call ID is its index modulo `n`. Each packet is then read once, by one reader, and a call's
//! packets always by the same one (in order). A client's socket keeps its own call's alone.

use libc::sock_filter;

/// A BPF instruction.
const fn op(code: u32, jt: u8, jf: u8, k: u32) -> sock_filter {
    sock_filter {
        code: code as u16,
        jt,
        jf,
        k,
    }
}

/// Offset of the call ID in an enhanced GRE header (flags, protocol, payload length, call ID).
const CALL_ID_OFFSET: u32 = 6;

/// The filter that keeps, of the IPv4 packets a raw GRE socket receives, those whose GRE call
/// ID is `index` modulo `count`. Packets too short to hold a call ID go to index 0, whose
/// reader reports them as malformed.
pub fn share_filter(index: u16, count: u16) -> [sock_filter; 10] {
    let modulo = op(
        libc::BPF_ALU | libc::BPF_MOD | libc::BPF_K,
        0,
        0,
        u32::from(count.max(1)),
    );
    call_id_filter(modulo, index, index == 0)
}

/// The filter that keeps only the packets of call `call_id`: a client's socket, which must not
/// read every other call on the host (several `rasd dial` processes, or a server beside it).
/// Packets too short to hold a call ID are dropped.
pub fn call_filter(call_id: u16) -> [sock_filter; 10] {
    // A half-word masked with 0xffff: the call ID as it is.
    let same = op(libc::BPF_ALU | libc::BPF_AND | libc::BPF_K, 0, 0, 0xffff);
    call_id_filter(same, call_id, false)
}

/// Keeps the packets whose call ID, after `transform` (an ALU instruction on it), is `value`;
/// those too short to hold one only if `keep_short`.
fn call_id_filter(transform: sock_filter, value: u16, keep_short: bool) -> [sock_filter; 10] {
    use libc::{
        BPF_ALU, BPF_B, BPF_H, BPF_IND, BPF_JEQ, BPF_JGE, BPF_JMP, BPF_K, BPF_LD, BPF_LDX, BPF_LEN,
        BPF_MSH, BPF_RET, BPF_SUB, BPF_W, BPF_X,
    };
    let keep = u32::MAX; // the whole packet
    let short = if keep_short { keep } else { 0 };
    [
        // X = the IPv4 header's length.
        op(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),
        // Too short for a call ID (length - 8 < X): to the last instruction.
        op(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
        op(BPF_ALU | BPF_SUB | BPF_K, 0, 0, CALL_ID_OFFSET + 2),
        op(BPF_JMP | BPF_JGE | BPF_X, 0, 5, 0),
        // A = the call ID, transformed.
        op(BPF_LD | BPF_H | BPF_IND, 0, 0, CALL_ID_OFFSET),
        transform,
        op(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, u32::from(value)),
        op(BPF_RET | BPF_K, 0, 0, keep),
        op(BPF_RET | BPF_K, 0, 0, 0),
        op(BPF_RET | BPF_K, 0, 0, short),
    ]
}

#[cfg(test)]
mod tests;
