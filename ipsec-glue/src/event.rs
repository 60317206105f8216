//! Typed SA events: what a `child-updown`, `child-rekey`, `ike-updown` or `list-sa` event says.

use crate::commands::{CHILD_REKEY, CHILD_UPDOWN, IKE_UPDOWN, LIST_SA};
use crate::sa::{child_sa, parse_sas, ChildSa};
use crate::vici::Message;

/// An SA change (or listing) the daemon acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaEvent {
    /// CHILD_SAs were installed (`child-updown` with `up = yes`).
    ChildUp(Vec<ChildSa>),
    /// CHILD_SAs were deleted (`child-updown` without `up = yes`).
    ChildDown(Vec<ChildSa>),
    /// CHILD_SAs were rekeyed: `old[i]` was replaced by `new[i]` (pairs missing either side are
    /// dropped).
    ChildRekey {
        /// The SAs going away.
        old: Vec<ChildSa>,
        /// Their replacements.
        new: Vec<ChildSa>,
    },
    /// IKE_SAs were established (`ike-updown` with `up = yes`).
    IkeUp {
        /// Unique ids of the IKE_SAs.
        ike_ids: Vec<u32>,
    },
    /// IKE_SAs were deleted (`ike-updown` without `up = yes`).
    IkeDown {
        /// Unique ids of the IKE_SAs.
        ike_ids: Vec<u32>,
    },
    /// One `list-sa` event of a `list-sas` listing.
    Listed(Vec<ChildSa>),
}

/// The typed form of event `name`; `None` for events this crate does not interpret.
/// Malformed entries inside a known event are skipped, never an error.
pub fn parse_event(name: &str, msg: &Message) -> Option<SaEvent> {
    let up = msg.get_str("up") == Some("yes");
    let event = match name {
        CHILD_UPDOWN if up => SaEvent::ChildUp(parse_sas(msg)),
        CHILD_UPDOWN => SaEvent::ChildDown(parse_sas(msg)),
        CHILD_REKEY => rekey(msg),
        IKE_UPDOWN if up => SaEvent::IkeUp {
            ike_ids: ike_ids(msg),
        },
        IKE_UPDOWN => SaEvent::IkeDown {
            ike_ids: ike_ids(msg),
        },
        LIST_SA => SaEvent::Listed(parse_sas(msg)),
        _ => return None,
    };
    Some(event)
}

/// `child-sas { <name> { old { .. } new { .. } } }` inside each IKE_SA section.
fn rekey(msg: &Message) -> SaEvent {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for (ike_name, ike) in msg.sections() {
        let Some(children) = ike.section("child-sas") else {
            continue;
        };
        for (_, pair) in children.sections() {
            let side = |k| pair.section(k).and_then(|c| child_sa(ike_name, ike, c));
            if let (Some(o), Some(n)) = (side("old"), side("new")) {
                old.push(o);
                new.push(n);
            }
        }
    }
    SaEvent::ChildRekey { old, new }
}

fn ike_ids(msg: &Message) -> Vec<u32> {
    msg.sections()
        .filter_map(|(_, ike)| ike.get_str("uniqueid")?.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests;
