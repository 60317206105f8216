use super::*;

#[test]
fn texts() {
    assert_eq!(ocrp_result_text(OCRP_BUSY), "busy");
    assert_eq!(ocrp_result_text(99), "unknown result");
    assert_eq!(
        sccrp_result_text(SCCRP_BAD_VERSION),
        "protocol version not supported"
    );
    assert_eq!(cdn_result_text(CDN_REQUEST), "call clear request");
}
