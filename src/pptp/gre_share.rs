//! Sharing PPTP's GRE among several raw sockets: every raw GRE socket gets a copy of every GRE
//! packet, so each socket of a group of `n` keeps, by a classic BPF filter, only the calls whose
//! call ID is its index modulo `n`. Each packet is then read once, by one reader, and a call's
//! packets always by the same one (in order).

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
    use libc::{
        BPF_ALU, BPF_B, BPF_H, BPF_IND, BPF_JEQ, BPF_JGE, BPF_JMP, BPF_K, BPF_LD, BPF_LDX, BPF_LEN,
        BPF_MOD, BPF_MSH, BPF_RET, BPF_SUB, BPF_W, BPF_X,
    };
    let keep = u32::MAX; // the whole packet
    let short = if index == 0 { keep } else { 0 };
    [
        // X = the IPv4 header's length.
        op(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),
        // Too short for a call ID (length - 8 < X): to the last instruction.
        op(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
        op(BPF_ALU | BPF_SUB | BPF_K, 0, 0, CALL_ID_OFFSET + 2),
        op(BPF_JMP | BPF_JGE | BPF_X, 0, 5, 0),
        // A = call ID modulo count.
        op(BPF_LD | BPF_H | BPF_IND, 0, 0, CALL_ID_OFFSET),
        op(BPF_ALU | BPF_MOD | BPF_K, 0, 0, u32::from(count.max(1))),
        op(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, u32::from(index)),
        op(BPF_RET | BPF_K, 0, 0, keep),
        op(BPF_RET | BPF_K, 0, 0, 0),
        op(BPF_RET | BPF_K, 0, 0, short),
    ]
}

#[cfg(test)]
mod tests;
