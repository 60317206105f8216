use super::*;

fn sample() -> Message {
    Message::new()
        .with_str("name", "rasd")
        .with_str("raw", vec![0xff, 0xfe])
        .with_list("items", ["a", "b"])
        .with_section("sub", Message::new().with_str("k", "v"))
}

#[test]
fn accessors_find_by_kind() {
    let m = sample();
    assert_eq!(m.get_str("name"), Some("rasd"));
    assert_eq!(m.get_bytes("raw"), Some(&[0xff, 0xfe][..]));
    assert_eq!(m.get_str("raw"), None, "not UTF-8");
    assert_eq!(m.list("items"), Some(&[b"a".to_vec(), b"b".to_vec()][..]));
    assert_eq!(m.section("sub").and_then(|s| s.get_str("k")), Some("v"));
    assert_eq!(m.get_str("missing"), None);
}

#[test]
fn accessors_of_the_wrong_kind_are_none() {
    let m = sample();
    assert_eq!(m.get_str("items"), None);
    assert_eq!(m.get_str("sub"), None);
    assert!(m.list("name").is_none());
    assert!(m.section("items").is_none());
}

#[test]
fn iteration_keeps_insertion_order() {
    let m = sample();
    let keys: Vec<_> = m.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["name", "raw", "items", "sub"]);
    let sections: Vec<_> = m.sections().map(|(k, _)| k).collect();
    assert_eq!(sections, ["sub"]);
    assert_eq!(m.len(), 4);
    assert!(!m.is_empty());
    assert!(Message::new().is_empty());
}

#[test]
fn push_and_first_duplicate_wins() {
    let mut m = Message::new();
    m.push("k", Value::Str(b"1".to_vec()));
    m.push("k", Value::Str(b"2".to_vec()));
    assert_eq!(m.get_str("k"), Some("1"));
    assert_eq!(m.len(), 2);
}
