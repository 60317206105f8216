//! The attribute types the code names; the dictionary is the source of their names and kinds
//! (a test checks every constant against it).

use super::AttrType;

/// Microsoft's SMI Private Enterprise Code (RFC 2548).
pub const VENDOR_MICROSOFT: u32 = 311;

const fn ms(code: u8) -> AttrType {
    AttrType::vendor(VENDOR_MICROSOFT, code)
}

const fn std(code: u8) -> AttrType {
    AttrType::standard(code)
}

/// User-Name (1).
pub const USER_NAME: AttrType = std(1);
/// User-Password (2), hidden on the wire.
pub const USER_PASSWORD: AttrType = std(2);
/// CHAP-Password (3).
pub const CHAP_PASSWORD: AttrType = std(3);
/// NAS-IP-Address (4).
pub const NAS_IP_ADDRESS: AttrType = std(4);
/// NAS-Port (5).
pub const NAS_PORT: AttrType = std(5);
/// Service-Type (6).
pub const SERVICE_TYPE: AttrType = std(6);
/// Framed-Protocol (7).
pub const FRAMED_PROTOCOL: AttrType = std(7);
/// Framed-IP-Address (8).
pub const FRAMED_IP_ADDRESS: AttrType = std(8);
/// Framed-MTU (12).
pub const FRAMED_MTU: AttrType = std(12);
/// Reply-Message (18).
pub const REPLY_MESSAGE: AttrType = std(18);
/// Framed-Route (22).
pub const FRAMED_ROUTE: AttrType = std(22);
/// State (24).
pub const STATE: AttrType = std(24);
/// Class (25).
pub const CLASS: AttrType = std(25);
/// Session-Timeout (27).
pub const SESSION_TIMEOUT: AttrType = std(27);
/// Idle-Timeout (28).
pub const IDLE_TIMEOUT: AttrType = std(28);
/// Called-Station-Id (30).
pub const CALLED_STATION_ID: AttrType = std(30);
/// Calling-Station-Id (31).
pub const CALLING_STATION_ID: AttrType = std(31);
/// NAS-Identifier (32).
pub const NAS_IDENTIFIER: AttrType = std(32);
/// Proxy-State (33).
pub const PROXY_STATE: AttrType = std(33);
/// Acct-Status-Type (40).
pub const ACCT_STATUS_TYPE: AttrType = std(40);
/// Acct-Delay-Time (41).
pub const ACCT_DELAY_TIME: AttrType = std(41);
/// Acct-Input-Octets (42).
pub const ACCT_INPUT_OCTETS: AttrType = std(42);
/// Acct-Output-Octets (43).
pub const ACCT_OUTPUT_OCTETS: AttrType = std(43);
/// Acct-Session-Id (44).
pub const ACCT_SESSION_ID: AttrType = std(44);
/// Acct-Authentic (45).
pub const ACCT_AUTHENTIC: AttrType = std(45);
/// Acct-Session-Time (46).
pub const ACCT_SESSION_TIME: AttrType = std(46);
/// Acct-Input-Packets (47).
pub const ACCT_INPUT_PACKETS: AttrType = std(47);
/// Acct-Output-Packets (48).
pub const ACCT_OUTPUT_PACKETS: AttrType = std(48);
/// Acct-Terminate-Cause (49).
pub const ACCT_TERMINATE_CAUSE: AttrType = std(49);
/// Acct-Input-Gigawords (52).
pub const ACCT_INPUT_GIGAWORDS: AttrType = std(52);
/// Acct-Output-Gigawords (53).
pub const ACCT_OUTPUT_GIGAWORDS: AttrType = std(53);
/// Event-Timestamp (55).
pub const EVENT_TIMESTAMP: AttrType = std(55);
/// CHAP-Challenge (60).
pub const CHAP_CHALLENGE: AttrType = std(60);
/// NAS-Port-Type (61).
pub const NAS_PORT_TYPE: AttrType = std(61);
/// Tunnel-Type (64), tagged.
pub const TUNNEL_TYPE: AttrType = std(64);
/// Tunnel-Medium-Type (65), tagged.
pub const TUNNEL_MEDIUM_TYPE: AttrType = std(65);
/// Tunnel-Client-Endpoint (66), tagged.
pub const TUNNEL_CLIENT_ENDPOINT: AttrType = std(66);
/// Tunnel-Server-Endpoint (67), tagged.
pub const TUNNEL_SERVER_ENDPOINT: AttrType = std(67);
/// Message-Authenticator (80).
pub const MESSAGE_AUTHENTICATOR: AttrType = std(80);
/// Acct-Interim-Interval (85).
pub const ACCT_INTERIM_INTERVAL: AttrType = std(85);
/// NAS-Port-Id (87).
pub const NAS_PORT_ID: AttrType = std(87);
/// Framed-Pool (88).
pub const FRAMED_POOL: AttrType = std(88);
/// NAS-IPv6-Address (95).
pub const NAS_IPV6_ADDRESS: AttrType = std(95);
/// Framed-IPv6-Prefix (97).
pub const FRAMED_IPV6_PREFIX: AttrType = std(97);
/// Error-Cause (101).
pub const ERROR_CAUSE: AttrType = std(101);
/// MS-CHAP-Response (311/1).
pub const MS_CHAP_RESPONSE: AttrType = ms(1);
/// MS-CHAP-Error (311/2).
pub const MS_CHAP_ERROR: AttrType = ms(2);
/// MS-MPPE-Encryption-Policy (311/7).
pub const MS_MPPE_ENCRYPTION_POLICY: AttrType = ms(7);
/// MS-MPPE-Encryption-Types (311/8).
pub const MS_MPPE_ENCRYPTION_TYPES: AttrType = ms(8);
/// MS-CHAP-Challenge (311/11).
pub const MS_CHAP_CHALLENGE: AttrType = ms(11);
/// MS-CHAP-MPPE-Keys (311/12): MS-CHAPv1's LM and NT keys, hidden like User-Password.
pub const MS_CHAP_MPPE_KEYS: AttrType = ms(12);
/// MS-MPPE-Send-Key (311/16), salt-encrypted.
pub const MS_MPPE_SEND_KEY: AttrType = ms(16);
/// MS-MPPE-Recv-Key (311/17), salt-encrypted.
pub const MS_MPPE_RECV_KEY: AttrType = ms(17);
/// MS-CHAP2-Response (311/25).
pub const MS_CHAP2_RESPONSE: AttrType = ms(25);
/// MS-CHAP2-Success (311/26).
pub const MS_CHAP2_SUCCESS: AttrType = ms(26);
/// MS-Primary-DNS-Server (311/28).
pub const MS_PRIMARY_DNS_SERVER: AttrType = ms(28);
/// MS-Secondary-DNS-Server (311/29).
pub const MS_SECONDARY_DNS_SERVER: AttrType = ms(29);
/// MS-Primary-NBNS-Server (311/30).
pub const MS_PRIMARY_NBNS_SERVER: AttrType = ms(30);
/// MS-Secondary-NBNS-Server (311/31).
pub const MS_SECONDARY_NBNS_SERVER: AttrType = ms(31);
