//! Public keys as actors publish them (`publicKeyPem`), told apart by the algorithm their
//! `SubjectPublicKeyInfo` names, so one verifier takes RSA (what every server sends today),
//! Ed25519 and ECDSA P-256 (what RFC 9421 peers may send) without guessing from the header.

use super::SignatureError;
use aws_lc_rs::signature::{self, VerificationAlgorithm};
use spki::ObjectIdentifier;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// What a key is, with its DER bytes (aws-lc-rs reads each from its `SubjectPublicKeyInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    Rsa(Vec<u8>),
    Ed25519(Vec<u8>),
    EcP256(Vec<u8>),
}

/// The signature algorithms we verify. HMAC is left out on purpose: it needs a shared
/// secret, which federation never has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    RsaPkcs1Sha256,
    RsaPssSha512,
    Ed25519,
    EcdsaP256Sha256,
}

impl Algorithm {
    /// An RFC 9421 `alg` parameter, when it names one we verify.
    pub fn from_rfc9421(name: &str) -> Option<Self> {
        Some(match name {
            "rsa-v1_5-sha256" => Self::RsaPkcs1Sha256,
            "rsa-pss-sha512" => Self::RsaPssSha512,
            "ed25519" => Self::Ed25519,
            "ecdsa-p256-sha256" => Self::EcdsaP256Sha256,
            _ => return None,
        })
    }
}

impl PublicKey {
    /// Reads a PEM public key: `PUBLIC KEY` (SubjectPublicKeyInfo) of any supported kind, or
    /// `RSA PUBLIC KEY` (PKCS#1), which a few older servers publish.
    pub fn from_pem(text: &str) -> Result<Self, SignatureError> {
        let pem = pem::parse(text.trim()).map_err(|_| SignatureError::BadKey)?;
        let der = pem.contents().to_vec();
        if pem.tag() == "RSA PUBLIC KEY" {
            return Ok(Self::Rsa(der));
        }
        let info = spki::SubjectPublicKeyInfoRef::try_from(der.as_slice())
            .map_err(|_| SignatureError::BadKey)?;
        let oid = info.algorithm.oid;
        if oid == RSA {
            Ok(Self::Rsa(der))
        } else if oid == ED25519 {
            Ok(Self::Ed25519(der))
        } else if oid == EC && info.algorithm.parameters_oid().ok() == Some(P256) {
            Ok(Self::EcP256(der))
        } else {
            Err(SignatureError::BadKey)
        }
    }

    /// The algorithm a signature by this key is made with when the sender does not say
    /// (draft-cavage `hs2019`, RFC 9421 without `alg`): the key decides, never the request.
    pub fn default_algorithm(&self) -> Algorithm {
        match self {
            Self::Rsa(_) => Algorithm::RsaPkcs1Sha256,
            Self::Ed25519(_) => Algorithm::Ed25519,
            Self::EcP256(_) => Algorithm::EcdsaP256Sha256,
        }
    }

    /// Checks `sig` over `message`. An algorithm that does not fit the key is refused rather
    /// than tried (an RSA key cannot be made to verify as Ed25519, and the reverse).
    pub fn verify(
        &self,
        algorithm: Algorithm,
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        let (der, alg): (&[u8], &'static dyn VerificationAlgorithm) = match (self, algorithm) {
            (Self::Rsa(der), Algorithm::RsaPkcs1Sha256) => {
                (der, &signature::RSA_PKCS1_2048_8192_SHA256)
            }
            (Self::Rsa(der), Algorithm::RsaPssSha512) => {
                (der, &signature::RSA_PSS_2048_8192_SHA512)
            }
            (Self::Ed25519(der), Algorithm::Ed25519) => (der, &signature::ED25519),
            (Self::EcP256(der), Algorithm::EcdsaP256Sha256) => {
                (der, &signature::ECDSA_P256_SHA256_FIXED)
            }
            _ => return Err(SignatureError::Malformed("algorithm does not fit the key")),
        };
        signature::UnparsedPublicKey::new(alg, der)
            .verify(message, sig)
            .map_err(|_| SignatureError::Invalid)
    }
}
