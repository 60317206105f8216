use super::{pptp_calls_within, raise, BASE_FILES};

#[test]
fn the_soft_limit_is_raised_to_the_hard_one_and_stays_there() {
    let first = raise().expect("getrlimit/setrlimit");
    assert!(first.now >= first.before);
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    assert_eq!(lim.rlim_cur, lim.rlim_max, "soft limit at the hard one");
    assert_eq!(first.now, lim.rlim_cur);
    let again = raise().unwrap();
    assert_eq!(again.before, again.now, "nothing left to raise");
}

#[test]
fn calls_within_a_limit_leave_room_for_the_daemons_own_files() {
    assert_eq!(pptp_calls_within(1024), 1024 - BASE_FILES);
    assert_eq!(pptp_calls_within(100), 0);
    assert_eq!(pptp_calls_within(1_048_576), 1_048_576 - BASE_FILES);
}
