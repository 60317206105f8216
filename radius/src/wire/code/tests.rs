use super::*;

#[test]
fn every_named_code_round_trips_through_its_number() {
    for n in 0..=255u8 {
        assert_eq!(Code::from(n).number(), n);
    }
    assert_eq!(Code::from(43), Code::CoaRequest);
    assert_eq!(Code::from(7), Code::Other(7));
    assert_eq!(Code::DisconnectNak.to_string(), "Disconnect-NAK");
    assert_eq!(Code::Other(99).to_string(), "Code-99");
}

#[test]
fn replies_match_their_requests() {
    assert!(Code::AccessRequest.is_answered_by(Code::AccessChallenge));
    assert!(Code::AccountingRequest.is_answered_by(Code::AccountingResponse));
    assert!(Code::CoaRequest.is_answered_by(Code::CoaNak));
    assert!(!Code::AccessRequest.is_answered_by(Code::AccountingResponse));
    assert!(!Code::AccountingRequest.is_answered_by(Code::AccessAccept));
}
