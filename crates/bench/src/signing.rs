//! Outbound signing: Passage's whole signing step for one delivery (digest, signing string,
//! RSA, header) against the bare RSA-2048 signature of the library it uses, on one core.

use crate::report::{self, line, verdict};
use aws_lc_rs::{rand::SystemRandom, rsa::KeyPair, signature::RSA_PKCS1_SHA256};
use passage_federation::signatures;
use std::time::Duration;

/// Per-core rates, for the fan-out section to compare with.
pub struct SigningRates {
    pub raw_per_sec: f64,
    pub ours_per_sec: f64,
}

pub fn run(key: &KeyPair, body: &[u8]) -> anyhow::Result<SigningRates> {
    report::section("Outbound signing (one core, RSA-2048, aws-lc-rs)");
    let budget = Duration::from_secs(3);
    let rng = SystemRandom::new();
    // A Mastodon-sized signing string: request target, host, date, digest, content type.
    let message = [b'x'; 320];
    let mut sig = vec![0u8; key.public_modulus_len()];
    let raw = report::rate_of(budget, |_| {
        let _ = key.sign(&RSA_PKCS1_SHA256, &rng, &message, &mut sig);
    });
    let mut failures = 0;
    let ours = report::rate_of(budget, |_| {
        let signed = signatures::sign(
            key,
            "https://bench.example/actor#main-key",
            "POST",
            "peer.example",
            "/inbox",
            Some(body),
            &[("content-type", "application/activity+json")],
        );
        failures += usize::from(signed.is_err());
    });
    anyhow::ensure!(failures == 0, "{failures} signatures failed");
    line(
        "raw RSA-2048 sign (PKCS#1 v1.5, SHA-256)",
        format!("{raw:.0}/s ({:.3} ms)", 1000.0 / raw),
        "physical bound",
    );
    let share = ours / raw;
    line(
        "Passage delivery signature (draft-cavage)",
        format!("{ours:.0}/s ({:.3} ms)", 1000.0 / ours),
        format!(
            "{:.0}% of raw; target >= 80%: {}",
            share * 100.0,
            verdict(share >= 0.8)
        ),
    );
    Ok(SigningRates {
        raw_per_sec: raw,
        ours_per_sec: ours,
    })
}
