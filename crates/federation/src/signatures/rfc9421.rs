//! RFC 9421 HTTP Message Signatures (`Signature-Input` + `Signature`, `Content-Digest`), the
//! successor of draft-cavage that Mastodon 4.5 and Fedify speak.
//!
//! Verification rebuilds the signature base from the covered components the sender lists,
//! then insists on what makes a signature mean something for ActivityPub: the method and the
//! full target (our host and path, and the query when there is one), the body through
//! `content-digest`, and a `created` time inside the window. Signing produces the same shape
//! and goes through the same base builder, so the two sides cannot drift apart.

use super::{
    IncomingRequest, SignatureError,
    keys::{Algorithm, PublicKey},
};
use aws_lc_rs::{rand::SystemRandom, rsa::KeyPair as RsaKeyPair, signature};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use sfv::{
    BareItem, Dictionary, FieldType, InnerList, Item, ListEntry, ListSerializer, Parser, integer,
    key_ref, string_ref,
};
use sha2::{Digest, Sha256, Sha512};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The label we sign under; receivers take whichever label they find.
const LABEL: &str = "sig1";

/// One signature of a request, as its `Signature-Input` member describes it.
#[derive(Debug, Clone)]
pub struct MessageSignature {
    components: InnerList,
    pub key_id: String,
    pub algorithm: Option<Algorithm>,
    pub created: Option<u64>,
    pub expires: Option<u64>,
    pub signature: Vec<u8>,
}

impl MessageSignature {
    /// Reads the first signature that both headers describe. A request may carry several
    /// (a proxy may add its own); the first is the sender's by convention.
    pub fn parse(signature_input: &str, signature: &str) -> Result<Self, SignatureError> {
        let inputs: Dictionary = Parser::new(signature_input)
            .parse()
            .map_err(|_| SignatureError::Malformed("Signature-Input is not a dictionary"))?;
        let values: Dictionary = Parser::new(signature)
            .parse()
            .map_err(|_| SignatureError::Malformed("Signature is not a dictionary"))?;
        let (label, components) = inputs
            .iter()
            .find_map(|(label, entry)| match entry {
                ListEntry::InnerList(list) if values.contains_key(label) => Some((label, list)),
                _ => None,
            })
            .ok_or(SignatureError::Malformed(
                "no signature matches Signature-Input",
            ))?;
        let signature = match &values[label] {
            ListEntry::Item(Item {
                bare_item: BareItem::ByteSequence(bytes),
                ..
            }) => bytes.clone(),
            _ => {
                return Err(SignatureError::Malformed(
                    "signature is not a byte sequence",
                ));
            }
        };
        let params = &components.params;
        let text = |name: &str| {
            params
                .get(name)
                .and_then(|v| v.as_string())
                .map(|s| s.as_str().to_owned())
        };
        let number = |name: &str| -> Result<Option<u64>, SignatureError> {
            params
                .get(name)
                .map(|v| {
                    v.as_integer()
                        .and_then(|n| u64::try_from(i64::from(n)).ok())
                        .ok_or(SignatureError::Malformed("bad timestamp"))
                })
                .transpose()
        };
        let algorithm = text("alg")
            .map(|name| {
                Algorithm::from_rfc9421(&name).ok_or(SignatureError::Malformed("unsupported alg"))
            })
            .transpose()?;
        Ok(Self {
            key_id: text("keyid").ok_or(SignatureError::Malformed("no keyid"))?,
            algorithm,
            created: number("created")?,
            expires: number("expires")?,
            signature,
            components: components.clone(),
        })
    }

    fn covers(&self, name: &str) -> bool {
        self.components.items.iter().any(|item| {
            item.bare_item
                .as_string()
                .is_some_and(|s| s.as_str() == name)
        })
    }

    /// The signature base of RFC 9421 section 2.5: one line per covered component, then the
    /// signature parameters as the sender serialised them.
    pub fn base(&self, request: &IncomingRequest<'_>) -> Result<String, SignatureError> {
        let mut base = String::new();
        for item in &self.components.items {
            let name = item
                .bare_item
                .as_string()
                .ok_or(SignatureError::Malformed("component is not a string"))?
                .as_str();
            if name == "@signature-params" {
                return Err(SignatureError::Malformed("@signature-params is covered"));
            }
            let value = component_value(request, name, item)?;
            base.push_str(&item.serialize());
            base.push_str(": ");
            base.push_str(&value);
            base.push('\n');
        }
        let params = ListSerializer::new();
        let mut params = params;
        params.members([&ListEntry::InnerList(self.components.clone())]);
        base.push_str("\"@signature-params\": ");
        base.push_str(&params.finish().unwrap_or_default());
        Ok(base)
    }
}

/// The value of one covered component of a request.
fn component_value(
    request: &IncomingRequest<'_>,
    name: &str,
    item: &Item,
) -> Result<String, SignatureError> {
    let authority = request
        .headers
        .get("host")
        .map(|h| h.to_lowercase())
        .ok_or(SignatureError::MissingHeader("host".into()))?;
    let (path, query) = match request.path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (request.path_and_query, None),
    };
    let path = if path.is_empty() { "/" } else { path };
    // Header components may take parameters (sf, bs, key, req, tr) that change how the value
    // is read; none is needed for ActivityPub, so a parameter means a value we cannot rebuild.
    if !name.starts_with('@') && !item.params.is_empty() {
        return Err(SignatureError::Malformed(
            "component parameters are not supported",
        ));
    }
    Ok(match name {
        "@method" => request.method.to_uppercase(),
        "@target-uri" => format!("{}://{authority}{}", request.scheme, request.path_and_query),
        "@authority" => authority,
        "@scheme" => request.scheme.to_lowercase(),
        "@request-target" => request.path_and_query.to_owned(),
        "@path" => path.to_owned(),
        "@query" => format!("?{}", query.unwrap_or_default()),
        "@query-param" => query_param(query.unwrap_or_default(), item)?,
        other if other.starts_with('@') => {
            return Err(SignatureError::Malformed("unknown derived component"));
        }
        header => request
            .headers
            .get(header)
            .cloned()
            .ok_or_else(|| SignatureError::MissingHeader(header.to_owned()))?,
    })
}

/// `@query-param;name="…"`: the one value of that parameter, decoded and re-encoded as the
/// RFC says (spaces as `%20`). A parameter given twice is ambiguous and refused.
fn query_param(query: &str, item: &Item) -> Result<String, SignatureError> {
    let wanted = item
        .params
        .get("name")
        .and_then(|v| v.as_string())
        .ok_or(SignatureError::Malformed("@query-param without name"))?
        .as_str();
    let encode = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    let mut found = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| encode(name) == wanted || name == wanted)
        .map(|(_, value)| encode(&value));
    match (found.next(), found.next()) {
        (Some(value), None) => Ok(value),
        (None, _) => Err(SignatureError::MissingHeader(format!(
            "query parameter {wanted}"
        ))),
        (Some(_), Some(_)) => Err(SignatureError::Malformed("query parameter given twice")),
    }
}

/// Verifies an RFC 9421 signature against `key` at time `now` (see the module comment for
/// what it must cover).
pub fn verify(
    request: &IncomingRequest<'_>,
    sig: &MessageSignature,
    key: &PublicKey,
    now: SystemTime,
    max_age: Duration,
) -> Result<(), SignatureError> {
    if !sig.covers("@method") {
        return Err(SignatureError::Uncovered("@method"));
    }
    let target = sig.covers("@target-uri")
        || ((sig.covers("@authority") || sig.covers("host"))
            && (sig.covers("@path") || sig.covers("@request-target")));
    if !target {
        return Err(SignatureError::Uncovered("@target-uri"));
    }
    let has_query = request.path_and_query.contains('?');
    if has_query
        && !(sig.covers("@target-uri") || sig.covers("@request-target") || sig.covers("@query"))
    {
        return Err(SignatureError::Uncovered("@query"));
    }
    if let Some(body) = request.body {
        if !sig.covers("content-digest") {
            return Err(SignatureError::Uncovered("content-digest"));
        }
        let sent = request
            .headers
            .get("content-digest")
            .ok_or(SignatureError::MissingHeader("content-digest".into()))?;
        check_content_digest(sent, body)?;
    }
    check_time(sig, now, max_age)?;
    let algorithm = sig.algorithm.unwrap_or_else(|| key.default_algorithm());
    key.verify(algorithm, sig.base(request)?.as_bytes(), &sig.signature)
}

fn check_time(
    sig: &MessageSignature,
    now: SystemTime,
    max_age: Duration,
) -> Result<(), SignatureError> {
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SignatureError::BadDate)?
        .as_secs();
    let created = sig.created.ok_or(SignatureError::Uncovered("created"))?;
    if sig.expires.is_some_and(|expires| expires < now)
        || created + max_age.as_secs() < now
        || created > now + super::FUTURE_SKEW.as_secs()
    {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

/// `Content-Digest` (RFC 9530): every SHA-256 or SHA-512 digest given must match the body,
/// and at least one must be given.
pub fn check_content_digest(header: &str, body: &[u8]) -> Result<(), SignatureError> {
    let digests: Dictionary = Parser::new(header)
        .parse()
        .map_err(|_| SignatureError::Malformed("Content-Digest is not a dictionary"))?;
    let mut checked = 0;
    for (name, entry) in &digests {
        let ListEntry::Item(Item {
            bare_item: BareItem::ByteSequence(sent),
            ..
        }) = entry
        else {
            continue;
        };
        let ours = match name.as_str() {
            "sha-256" => Sha256::digest(body).to_vec(),
            "sha-512" => Sha512::digest(body).to_vec(),
            _ => continue,
        };
        if *sent != ours {
            return Err(SignatureError::DigestMismatch);
        }
        checked += 1;
    }
    if checked == 0 {
        return Err(SignatureError::DigestMismatch);
    }
    Ok(())
}

/// `sha-256=:<base64>:`, the `Content-Digest` header value of a body.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", B64.encode(Sha256::digest(body)))
}

/// Headers for an outgoing request signed the RFC 9421 way: `Content-Digest` (with a body),
/// `Signature-Input` over `@method`, `@target-uri`, `content-digest` with a body and the
/// `covered` headers the request carries (`content-type`, `accept`; lowercase names), and
/// `Signature`. `target_uri` is the full URL requested.
pub fn sign(
    key: &RsaKeyPair,
    key_id: &str,
    method: &str,
    target_uri: &url::Url,
    body: Option<&[u8]>,
    covered_headers: &[(&str, &str)],
) -> Result<Vec<(&'static str, String)>, SignatureError> {
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SignatureError::Sign)?
        .as_secs();
    let mut out = Vec::new();
    let mut covered = vec!["@method", "@target-uri"];
    let mut headers = std::collections::BTreeMap::new();
    let host = &target_uri[url::Position::BeforeHost..url::Position::AfterPort];
    headers.insert("host".to_owned(), host.to_owned());
    if let Some(body) = body {
        let digest = content_digest(body);
        covered.push("content-digest");
        headers.insert("content-digest".to_owned(), digest.clone());
        out.push(("content-digest", digest));
    }
    for (name, value) in covered_headers {
        covered.push(*name);
        headers.insert((*name).to_owned(), (*value).to_owned());
    }
    let mut list = ListSerializer::new();
    {
        let mut inner = list.inner_list();
        for name in &covered {
            let _ = inner.bare_item(string_ref(name));
        }
        let key_id = sfv::StringRef::from_str(key_id).map_err(|_| SignatureError::Sign)?;
        // Dropping the parameter serializer closes the list; its buffer is the list's.
        let _ = inner
            .finish()
            .parameter(key_ref("created"), integer(created as i64))
            .parameter(key_ref("keyid"), key_id);
    }
    let input = format!("{LABEL}={}", list.finish().ok_or(SignatureError::Sign)?);
    // Parse our own header back so the base comes from the one builder verification uses.
    let placeholder = format!("{LABEL}=::");
    let parsed = MessageSignature::parse(&input, &placeholder)?;
    let path = &target_uri[url::Position::BeforePath..url::Position::AfterQuery];
    let request = IncomingRequest {
        method,
        scheme: target_uri.scheme(),
        path_and_query: path,
        headers: &headers,
        body,
    };
    let base = parsed.base(&request)?;
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(
        &signature::RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        base.as_bytes(),
        &mut sig,
    )
    .map_err(|_| SignatureError::Sign)?;
    out.push(("signature-input", input));
    out.push(("signature", format!("{LABEL}=:{}:", B64.encode(sig))));
    Ok(out)
}
