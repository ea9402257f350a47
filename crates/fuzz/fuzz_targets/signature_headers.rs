//! Signature headers from strangers: draft-cavage `Signature`, RFC 9421 `Signature-Input` with
//! `Signature`, and `Content-Digest`, parsed and, when they parse, verified against a fixed
//! request and key (so the signature-base builders run on hostile component lists too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_federation::signatures::{
    self, IncomingRequest, PublicKey, SignatureHeader,
    rfc9421::{self, MessageSignature},
};
use std::{
    collections::BTreeMap,
    sync::LazyLock,
    time::{Duration, UNIX_EPOCH},
};

/// The RFC 9421 Appendix B.1.4 Ed25519 test key.
const KEY: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n";
static PUBLIC: LazyLock<PublicKey> = LazyLock::new(|| PublicKey::from_pem(KEY).unwrap());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Three header values from one input, split on the first two newlines.
    let mut parts = text.splitn(3, '\n');
    let (first, second, third) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let headers = BTreeMap::from([
        ("host".to_owned(), "example.org".to_owned()),
        ("date".to_owned(), "Tue, 20 Apr 2021 02:07:55 GMT".to_owned()),
        ("digest".to_owned(), third.to_owned()),
        ("content-digest".to_owned(), third.to_owned()),
    ]);
    let request = IncomingRequest {
        method: "POST",
        scheme: "https",
        path_and_query: "/users/ana/inbox?page=1&x=%20y",
        headers: &headers,
        body: Some(b"{}"),
    };
    let now = UNIX_EPOCH + Duration::from_secs(1618884473);
    let max_age = Duration::from_secs(3600);
    if let Ok(header) = SignatureHeader::parse(first) {
        let _ = signatures::key_owner(&header.key_id);
        let _ = signatures::verify(&request, &header, &PUBLIC, now, max_age);
    }
    if let Ok(sig) = MessageSignature::parse(first, second) {
        let _ = sig.base(&request);
        let _ = rfc9421::verify(&request, &sig, &PUBLIC, now, max_age);
    }
    let _ = rfc9421::check_content_digest(third, b"{}");
    let _ = PublicKey::from_pem(&text);
});
