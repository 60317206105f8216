use super::*;

#[tokio::test]
async fn a_gone_sa_is_seen_by_readers_and_wakes_the_waiter() {
    let w = std::sync::Arc::new(SaWatch::default());
    assert!(!w.is_gone());
    let waiter = tokio::spawn({
        let w = w.clone();
        async move { w.gone().await }
    });
    w.set_gone();
    assert!(w.is_gone());
    tokio::time::timeout(std::time::Duration::from_secs(1), waiter)
        .await
        .expect("the waiter woke")
        .unwrap();
    // Set before anyone waits: resolves at once.
    tokio::time::timeout(std::time::Duration::from_secs(1), w.gone())
        .await
        .expect("already gone");
}
