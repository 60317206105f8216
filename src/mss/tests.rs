use super::*;

#[test]
fn incremental_update_matches_recomputation() {
    // Checksum over a bare 24-byte "segment" (no pseudo-header) with MSS at 22 and at 21.
    fn full(seg: &[u8]) -> u16 {
        let mut acc: u32 = 0;
        for (i, chunk) in seg.chunks(2).enumerate() {
            if i != 8 {
                acc += u32::from(u16::from_be_bytes([chunk[0], chunk[1]]));
            }
        }
        while acc > 0xffff {
            acc = (acc & 0xffff) + (acc >> 16);
        }
        !(acc as u16)
    }
    for at in [22usize, 21] {
        let mut seg = [0x5au8; 24];
        seg[at..at + 2].copy_from_slice(&0xffffu16.to_be_bytes());
        let c = full(&seg);
        seg[16..18].copy_from_slice(&c.to_be_bytes());
        assert!(lower(&mut seg, at, 1360));
        assert_eq!(
            u16::from_be_bytes([seg[16], seg[17]]),
            full(&seg),
            "at {at}"
        );
        assert!(!lower(&mut seg, at, 1360));
    }
    assert_eq!(ones_add(0xffff, 0x0001), 0x0001);
}
