use super::*;

#[test]
fn grows_then_halves() {
    let mut c = Congestion::new(8);
    assert_eq!(c.window(), 1);
    c.on_ack(1, 8);
    assert_eq!(c.window(), 2);
    c.on_ack(2, 8);
    assert_eq!(c.window(), 4);
    c.on_ack(4, 8);
    assert_eq!(c.window(), 8);
    c.on_ack(100, 8);
    assert_eq!(c.window(), 8);
    c.on_retransmit();
    assert_eq!(c.window(), 1);
    c.on_ack(3, 8);
    assert_eq!(c.window(), 4);
    // Congestion avoidance: one more per window's worth of acknowledgements.
    c.on_ack(3, 8);
    assert_eq!(c.window(), 4);
    c.on_ack(1, 8);
    assert_eq!(c.window(), 5);
    c.set_peer_window(2);
    assert_eq!(c.window(), 2);
}
