use std::net::Ipv4Addr;
use std::time::Duration;

use radius::attr::{self, Attribute, Attributes};

use super::*;

#[test]
fn an_empty_accept_grants_the_defaults() {
    let expected = Grant {
        by_radius: true,
        ..Grant::default()
    };
    assert_eq!(grant(&Attributes::new(), 1), expected);
}

#[test]
fn every_applied_attribute_lands_in_the_grant() {
    let reply = Attributes::new()
        .with(Attribute::ipv4(
            attr::FRAMED_IP_ADDRESS,
            Ipv4Addr::new(192, 0, 2, 15),
        ))
        .with(Attribute::string(attr::FRAMED_POOL, "gold"))
        .with(Attribute::integer(attr::SESSION_TIMEOUT, 3))
        .with(Attribute::integer(attr::IDLE_TIMEOUT, 0))
        .with(Attribute::ipv4(
            attr::MS_PRIMARY_DNS_SERVER,
            Ipv4Addr::new(9, 9, 9, 9),
        ))
        .with(Attribute::ipv4(
            attr::MS_SECONDARY_NBNS_SERVER,
            Ipv4Addr::new(10, 0, 0, 2),
        ))
        .with(Attribute::integer(attr::FRAMED_MTU, 1200))
        .with(Attribute::octets(attr::CLASS, b"one"))
        .with(Attribute::octets(attr::CLASS, b"two"));
    let g = grant(&reply, 1);
    assert_eq!(g.address, AddressGrant::Fixed(Ipv4Addr::new(192, 0, 2, 15)));
    assert_eq!(g.pool.as_deref(), Some("gold"));
    assert_eq!(g.session_timeout, Some(Duration::from_secs(3)));
    assert_eq!(g.idle_timeout, None, "0 means no limit");
    assert_eq!(g.dns, [Some(Ipv4Addr::new(9, 9, 9, 9)), None]);
    assert_eq!(g.wins, [None, Some(Ipv4Addr::new(10, 0, 0, 2))]);
    assert_eq!(g.mtu, Some(1200));
    assert_eq!(g.class, Some(vec![b"one".to_vec(), b"two".to_vec()]));
}

#[test]
fn the_two_special_addresses_mean_pool_and_client_choice() {
    let with = |a: Ipv4Addr| Attributes::new().with(Attribute::ipv4(attr::FRAMED_IP_ADDRESS, a));
    let nas = grant(&with(Ipv4Addr::new(255, 255, 255, 254)), 1);
    assert_eq!(nas.address, AddressGrant::Pool);
    let user = grant(&with(Ipv4Addr::BROADCAST), 1);
    assert_eq!(user.address, AddressGrant::UserChooses);
}

#[test]
fn framed_routes_through_the_client_are_kept_others_are_not() {
    let reply = Attributes::new()
        .with(Attribute::string(
            attr::FRAMED_ROUTE,
            "10.1.0.0/24 0.0.0.0 1",
        ))
        .with(Attribute::string(attr::FRAMED_ROUTE, "10.2.0.7"))
        .with(Attribute::string(
            attr::FRAMED_ROUTE,
            "10.3.0.0/16 192.0.2.9 1",
        ))
        .with(Attribute::string(
            attr::FRAMED_ROUTE,
            "10.4.0.1/24 0.0.0.0 1",
        ))
        .with(Attribute::string(attr::FRAMED_ROUTE, "2001:db8::/32 :: 1"));
    assert_eq!(
        grant(&reply, 1).routes,
        [
            (Ipv4Addr::new(10, 1, 0, 0), 24),
            (Ipv4Addr::new(10, 2, 0, 7), 32)
        ],
        "another gateway, host bits set and IPv6 are not applied"
    );
}

#[test]
fn acct_interim_interval_is_kept_but_never_below_a_minute() {
    let with = |s: u32| {
        let reply = Attributes::new().with(Attribute::integer(attr::ACCT_INTERIM_INTERVAL, s));
        grant(&reply, 1).interim_interval
    };
    assert_eq!(with(600), Some(Duration::from_secs(600)));
    assert_eq!(with(10), Some(MIN_INTERIM));
    assert_eq!(with(0), None);
}
