use super::*;

#[test]
fn records_go_out_oldest_first_one_at_a_time_and_leave_only_when_acknowledged() {
    let mut s = Spool::new(1000, Vec::new());
    let a = s.admit(Kind::Start, 1, 100).unwrap();
    let b = s.admit(Kind::Stop, 1, 100).unwrap();
    assert_eq!(s.next(), Some(a));
    assert_eq!(s.next(), None, "one at a time");
    s.failed();
    assert_eq!(s.next(), Some(a), "a failed record stays first");
    assert_eq!(s.acked(a.seq), Some(a));
    assert_eq!(s.next(), Some(b));
    assert_eq!(s.acked(b.seq), Some(b));
    assert!(s.is_empty());
    assert_eq!(s.usage(), (0, 1000));
}

#[test]
fn the_budget_refuses_and_warns_once_near_it() {
    let mut s = Spool::new(1000, Vec::new());
    s.admit(Kind::Start, 1, 700).unwrap();
    assert!(!s.take_warning());
    s.admit(Kind::Interim, 1, 200).unwrap();
    assert!(s.take_warning());
    assert!(!s.take_warning(), "once per crossing");
    assert_eq!(
        s.admit(Kind::Stop, 1, 200),
        Err(Full {
            used: 900,
            limit: 1000
        })
    );
}

#[test]
fn a_restart_continues_from_the_files_found() {
    let names = [
        "00000000000000000007-stop-00000000000000ab.json",
        "00000000000000000003-start-00000000000000ab.json",
    ];
    let found = names.iter().map(|n| Entry::parse(n, 10).unwrap()).collect();
    let mut s = Spool::new(1000, found);
    let first = s.next().unwrap();
    assert_eq!(
        (first.seq, first.kind, first.session),
        (3, Kind::Start, 0xab)
    );
    assert_eq!(first.file_name(), names[1]);
    assert_eq!(s.admit(Kind::On, 0, 10).unwrap().seq, 8);
    assert_eq!(Entry::parse("junk.json", 1), None);
}
