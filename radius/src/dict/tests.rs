use super::*;

#[test]
fn builtin_dictionary_parses_and_finds_by_name_and_key() {
    let dict = Dictionary::builtin();
    let def = dict.by_name("MS-CHAP2-Response").unwrap();
    assert_eq!(def.key, AttrType::vendor(311, 25));
    assert_eq!(dict.attribute(def.key).unwrap().name, "MS-CHAP2-Response");
    let tp = dict.by_name("Tunnel-Password").unwrap();
    assert!(tp.tagged);
    assert_eq!(tp.encrypt, Encrypt::Salt);
    assert_eq!(
        dict.by_name("Framed-IPv6-Prefix").unwrap().kind,
        Kind::Ipv6Prefix
    );
    assert!(dict.by_name("No-Such-Attribute").is_none());
}

#[test]
fn errors_name_the_line() {
    let bad = "ATTRIBUTE\tA\t1\tstring\nATTRIBUTE\tB\t2\tbogus\n";
    let err = Dictionary::parse(bad).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.to_string().contains("unknown type bogus"), "{err}");
    assert_eq!(Dictionary::parse("BEGIN-VENDOR X\n").unwrap_err().line, 1);
    assert_eq!(Dictionary::parse("VALUE Nope X 1\n").unwrap_err().line, 1);
    assert_eq!(
        Dictionary::parse("ATTRIBUTE A 1 string encrypt=9\n")
            .unwrap_err()
            .line,
        1
    );
    assert_eq!(Dictionary::parse("FROB\n").unwrap_err().line, 1);
}

#[test]
fn vendor_blocks_scope_attributes() {
    let text =
        "VENDOR Acme 9\nBEGIN-VENDOR Acme\nATTRIBUTE Acme-X 1 integer # c\nEND-VENDOR Acme\n\
                ATTRIBUTE Plain 1 string\nVALUE Acme-X On 1\n";
    let dict = Dictionary::parse(text).unwrap();
    assert_eq!(dict.by_name("Acme-X").unwrap().key, AttrType::vendor(9, 1));
    assert_eq!(dict.by_name("Plain").unwrap().key, AttrType::standard(1));
    assert_eq!(dict.value_name(AttrType::vendor(9, 1), 1), Some("On"));
}
