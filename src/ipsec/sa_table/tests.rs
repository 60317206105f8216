use super::*;

fn sa(peer: &str) -> IpsecSa {
    IpsecSa {
        peer: peer.parse().unwrap(),
        identity: "198.51.100.2".into(),
        ike: "AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024".into(),
        esp: "AES_CBC-256/HMAC_SHA1_96".into(),
        nat_t: false,
    }
}

#[test]
fn sas_are_found_by_mark_until_they_go_down() {
    let t = SaTable::default();
    t.insert(1, sa("198.51.100.2:500"));
    t.insert(2, sa("198.51.100.3:4500"));
    assert_eq!(t.lookup(2).unwrap().peer.port(), 4500);
    assert!(t.lookup(3).is_none());
    t.remove(2);
    assert!(t.lookup(2).is_none());
    assert_eq!(t.len(), 1);
}

#[test]
fn a_fresh_listing_replaces_everything() {
    let t = SaTable::default();
    t.insert(1, sa("198.51.100.2:500"));
    t.replace_all([(7, sa("198.51.100.9:500"))]);
    assert!(t.lookup(1).is_none());
    assert_eq!(t.lookup(7).unwrap().peer.ip().to_string(), "198.51.100.9");
}

#[tokio::test]
async fn a_refresh_asked_before_anyone_waits_is_not_lost() {
    let t = SaTable::default();
    t.request_refresh();
    tokio::time::timeout(std::time::Duration::from_secs(1), t.refresh_requested())
        .await
        .expect("the request was kept");
}

#[test]
fn sas_that_go_down_are_reported_once_and_are_no_longer_known() {
    let t = SaTable::default();
    t.insert(1, sa("198.51.100.2:500"));
    t.insert(2, sa("198.51.100.3:500"));
    assert!(t.lookup(1).is_some());
    t.remove(1);
    t.remove(1); // a second down for the same SA is not news
    assert!(t.lookup(1).is_none());
    assert_eq!(t.take_gone(), [1]);
    assert!(t.take_gone().is_empty());
    t.replace_all([(3, sa("198.51.100.4:500"))]);
    assert_eq!(
        t.take_gone(),
        [2],
        "an SA missing from a fresh listing went down"
    );
}
