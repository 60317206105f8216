use super::*;

fn call(id: u16, state: CallState) -> Call {
    Call {
        call_id: Some(id),
        peer_call_id: Some(id + 100),
        peer_window: 64,
        state,
    }
}

#[test]
fn lookups_and_limit() {
    let mut calls = Calls::new(2);
    calls.push(call(1, CallState::Established));
    assert!(!calls.is_full());
    calls.push(Call {
        call_id: None,
        peer_call_id: Some(7),
        peer_window: 0,
        state: CallState::Requested {
            token: 5,
            incoming: false,
            connect_speed: 0,
        },
    });
    assert!(calls.is_full());
    assert_eq!(calls.by_id(1), Some(0));
    assert_eq!(calls.by_peer_id(101), Some(0));
    assert_eq!(calls.by_token(5), Some(1));
    assert_eq!(calls.by_token(6), None);
    calls.get_mut(0).unwrap().state = CallState::Clearing;
    assert!(!calls.is_full());
    // Room is made by forgetting the clearing call.
    calls.push(call(3, CallState::Queued));
    assert_eq!(calls.by_id(1), None);
    assert_eq!(calls.queued(), vec![3]);
    assert!(calls.remove(9).is_none());
    calls.clear();
    assert!(!calls.is_full());
}
