use super::*;

#[test]
fn line_helpers() {
    assert_eq!(header("  [pptp]  # x"), Some("pptp"));
    assert_eq!(header("[[a.b]]"), Some("a.b"));
    assert_eq!(header("listen = [\"x\"]"), None);
    assert_eq!(assigned_key("  \"mtu\" = 3").as_deref(), Some("mtu"));
    assert_eq!(assigned_key("a.b = 3").as_deref(), Some("a.b"));
    assert_eq!(assigned_key("  \"x\","), None);
    assert_eq!(
        unknown_field("unknown field `x`, expected `a` or `b`"),
        Some(("x", "expected `a` or `b`"))
    );
    assert_eq!(unknown_field("invalid type"), None);
}

#[test]
fn spans_map_to_lines_even_inside_characters() {
    let src = Source {
        file: Path::new("f"),
        text: "é\n[s]\nk = 1\n",
    };
    assert_eq!(src.line_of(1), 1);
    assert_eq!(src.line_of(3), 2);
    assert_eq!(src.line_of(1000), 4);
    assert_eq!(src.locate(10), ("s".to_owned(), "k".to_owned()));
}
