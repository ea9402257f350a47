//! RFC 9421 over captured vectors: the RFC's own Appendix B.2 examples (RSA-PSS, Ed25519,
//! ECDSA, `@query-param`), Mastodon's RFC 9421 GET, and a round trip through our signer.

use super::{at, lowercase_headers, read_json};
use crate::signatures::{
    IncomingRequest, SignatureError,
    keys::{Algorithm, PublicKey},
    rfc9421::{self, MessageSignature},
};
use serde_json::Value;
use std::{
    collections::BTreeMap,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

const HOUR: Duration = Duration::from_secs(3600);

fn rfc_key(name: &str) -> PublicKey {
    let path = format!(
        "{}/http-signatures/rfc9421/keys/{name}.pem",
        crate::tests_support::fixtures_dir()
    );
    PublicKey::from_pem(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strip_label(header: &str) -> (&str, &str) {
    header.split_once('=').unwrap()
}

/// The Appendix B.2 request, split the way [`IncomingRequest`] wants it.
struct RfcRequest {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl RfcRequest {
    fn from(vectors: &Value) -> Self {
        let request = &vectors["request"];
        let url = url::Url::parse(request["target_uri"].as_str().unwrap()).unwrap();
        Self {
            method: request["method"].as_str().unwrap().to_owned(),
            path: url[url::Position::BeforePath..url::Position::AfterQuery].to_owned(),
            headers: lowercase_headers(&request["headers"]),
            body: request["body"].as_str().unwrap().as_bytes().to_vec(),
        }
    }

    fn incoming(&self) -> IncomingRequest<'_> {
        IncomingRequest {
            method: &self.method,
            scheme: "https",
            path_and_query: &self.path,
            headers: &self.headers,
            body: Some(&self.body),
        }
    }
}

#[test]
fn appendix_b2_request_vectors_rebuild_their_base_and_verify() {
    let vectors = read_json("http-signatures/rfc9421/rfc9421_appendix_b2.json");
    let request = RfcRequest::from(&vectors);
    let mut checked = 0;
    for vector in vectors["vectors"].as_array().unwrap() {
        let section = vector["rfc9421_section"].as_str().unwrap();
        let key = match vector["alg"].as_str().unwrap() {
            "rsa-pss-sha512" => rfc_key("test-key-rsa-pss"),
            "ed25519" => rfc_key("test-key-ed25519"),
            // B.2.4 signs a response, B.2.5 a shared secret: neither happens in federation.
            _ => continue,
        };
        let sig = MessageSignature::parse(
            vector["signature_input"].as_str().unwrap(),
            vector["signature"].as_str().unwrap(),
        )
        .unwrap();
        let base = sig.base(&request.incoming()).unwrap();
        assert_eq!(
            base,
            vector["signature_base"].as_str().unwrap(),
            "{section}"
        );
        let algorithm = Algorithm::from_rfc9421(vector["alg"].as_str().unwrap()).unwrap();
        key.verify(algorithm, base.as_bytes(), &sig.signature)
            .unwrap_or_else(|e| panic!("{section}: {e}"));
        // Nothing else verifies: the signature belongs to this base.
        assert_eq!(
            key.verify(algorithm, format!("{base} ").as_bytes(), &sig.signature),
            Err(SignatureError::Invalid),
            "{section}"
        );
        checked += 1;
    }
    assert_eq!(checked, 4, "B.2.1-B.2.3 (RSA-PSS) and B.2.6 (Ed25519)");
}

#[test]
fn appendix_b2_ecdsa_signature_verifies_over_its_base() {
    let vectors = read_json("http-signatures/rfc9421/rfc9421_appendix_b2.json");
    let vector = &vectors["vectors"][3];
    assert_eq!(vector["alg"], "ecdsa-p256-sha256");
    let key = rfc_key("test-key-ecc-p256");
    let (_, value) = strip_label(vector["signature"].as_str().unwrap());
    let signature = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        value.trim_matches(':'),
    )
    .unwrap();
    let base = vector["signature_base"].as_str().unwrap();
    key.verify(Algorithm::EcdsaP256Sha256, base.as_bytes(), &signature)
        .unwrap();
    // An ECDSA signature cannot be passed off as another algorithm with the same key.
    assert!(
        key.verify(Algorithm::Ed25519, base.as_bytes(), &signature)
            .is_err()
    );
}

#[test]
fn appendix_b2_examples_do_not_bind_enough_for_an_inbox() {
    let vectors = read_json("http-signatures/rfc9421/rfc9421_appendix_b2.json");
    let request = RfcRequest::from(&vectors);
    let when = UNIX_EPOCH + Duration::from_secs(1618884473);
    let vector = &vectors["vectors"][5];
    assert_eq!(vector["alg"], "ed25519");
    let sig = MessageSignature::parse(
        vector["signature_input"].as_str().unwrap(),
        vector["signature"].as_str().unwrap(),
    )
    .unwrap();
    // B.2.6 signs the path but not the query, and not the body's digest.
    assert_eq!(
        rfc9421::verify(
            &request.incoming(),
            &sig,
            &rfc_key("test-key-ed25519"),
            when,
            HOUR
        ),
        Err(SignatureError::Uncovered("@query"))
    );
    // The request's own Content-Digest is right (SHA-512 of its body).
    rfc9421::check_content_digest(&request.headers["content-digest"], &request.body).unwrap();
    assert_eq!(
        rfc9421::check_content_digest(&request.headers["content-digest"], b"{}"),
        Err(SignatureError::DigestMismatch)
    );
}

#[test]
fn mastodons_rfc9421_get_is_accepted_at_its_time_only() {
    let vectors = read_json("http-signatures/mastodon_vectors.json");
    let case = &vectors["rfc9421_case"];
    let key = super::actor_key(&read_json(vectors["actor_document"].as_str().unwrap()));
    let headers = lowercase_headers(&case["headers"]);
    let request = IncomingRequest {
        method: "GET",
        scheme: "https",
        path_and_query: "/activitypub/success",
        headers: &headers,
        body: None,
    };
    let sig = MessageSignature::parse(&headers["signature-input"], &headers["signature"]).unwrap();
    assert_eq!(sig.key_id, "https://remote.domain/users/bob#main-key");
    assert_eq!(
        sig.base(&request).unwrap(),
        case["signature_base"].as_str().unwrap()
    );
    let now = at(vectors["fixed_time"].as_str().unwrap());
    rfc9421::verify(&request, &sig, &key, now, HOUR).unwrap();
    assert_eq!(
        rfc9421::verify(&request, &sig, &key, now + 2 * HOUR, HOUR),
        Err(SignatureError::Expired)
    );
    let elsewhere = IncomingRequest {
        path_and_query: "/activitypub/other",
        ..request
    };
    assert_eq!(
        rfc9421::verify(&elsewhere, &sig, &key, now, HOUR),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn our_rfc9421_signatures_verify_and_tampering_is_caught() {
    let (key, public) = super::fresh_key();
    let body = br#"{"type":"Follow"}"#;
    let url = url::Url::parse("https://b.test/users/bo/inbox").unwrap();
    let signed = rfc9421::sign(
        &key,
        "https://a.test/users/ana#main-key",
        "POST",
        &url,
        Some(body),
        &[("content-type", "application/activity+json")],
    )
    .unwrap();
    let mut headers: BTreeMap<String, String> =
        signed.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    headers.insert("host".into(), "b.test".into());
    headers.insert("content-type".into(), "application/activity+json".into());
    let sig = MessageSignature::parse(&headers["signature-input"], &headers["signature"]).unwrap();
    assert_eq!(sig.key_id, "https://a.test/users/ana#main-key");
    let ok = IncomingRequest {
        method: "POST",
        scheme: "https",
        path_and_query: "/users/bo/inbox",
        headers: &headers,
        body: Some(body),
    };
    let now = SystemTime::now();
    rfc9421::verify(&ok, &sig, &public, now, HOUR).unwrap();
    let cases: [(&str, IncomingRequest<'_>, SignatureError); 3] = [
        (
            "body",
            IncomingRequest {
                body: Some(b"{}"),
                ..ok
            },
            SignatureError::DigestMismatch,
        ),
        (
            "path",
            IncomingRequest {
                path_and_query: "/inbox",
                ..ok
            },
            SignatureError::Invalid,
        ),
        (
            "scheme",
            IncomingRequest {
                scheme: "http",
                ..ok
            },
            SignatureError::Invalid,
        ),
    ];
    for (what, request, expected) in cases {
        assert_eq!(
            rfc9421::verify(&request, &sig, &public, now, HOUR),
            Err(expected),
            "{what}"
        );
    }
    assert_eq!(
        rfc9421::verify(&ok, &sig, &public, now + 2 * HOUR, HOUR),
        Err(SignatureError::Expired)
    );
    // An Ed25519 claim over an RSA key is refused before any verification.
    let lying = MessageSignature::parse(
        &headers["signature-input"].replace(";keyid", ";alg=\"ed25519\";keyid"),
        &headers["signature"],
    )
    .unwrap();
    assert!(matches!(
        rfc9421::verify(&ok, &lying, &public, now, HOUR),
        Err(SignatureError::Malformed(_))
    ));
}
