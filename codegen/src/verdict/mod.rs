//! Signed verdicts (docs/sdk.md, "Signed verdicts"): the `Charter-Verdict-Signature` header, a
//! compact JWS (ES256) over the `Charter-Verdict` value bound to the request it answers. The
//! reference implementation the SDK runtimes are checked against: it writes the test vectors
//! in `tests/sdk/vectors/verdicts.json` (see `vectors.rs`), which every SDK must answer alike.

pub mod sfv;
#[cfg(test)]
mod vectors;

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde_json::{Value as Json, json};
use sha2::Digest as _;

pub use charter::api::http::VERDICT_SIGNATURE_HEADER as SIGNATURE_HEADER;

/// The JWS `typ` of a verdict signature.
pub const SIGNATURE_TYPE: &str = "charter-verdict+jws";

/// The JWS `alg` of a verdict signature.
pub const ALGORITHM: &str = "ES256";

/// The request a verdict answers, as the client sent it.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    /// Upper case, as sent.
    pub method: &'a str,
    /// The request target's path and query as sent, no fragment.
    pub path: &'a str,
    /// The 32 lowercase hex digits of the `traceparent` trace id.
    pub trace_id: &'a str,
    /// The body's bytes; `None` or empty when there is no body.
    pub body: Option<&'a [u8]>,
}

/// Why a client refuses a verdict; the names are the SDKs' `VerdictError` kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Malformed,
    Unsigned,
    UnknownKey,
    BadSignature,
    WrongRequest,
}

impl Refusal {
    pub fn name(self) -> &'static str {
        match self {
            Refusal::Missing => "missing",
            Refusal::Malformed => "malformed",
            Refusal::Unsigned => "unsigned",
            Refusal::UnknownKey => "unknown-key",
            Refusal::BadSignature => "bad-signature",
            Refusal::WrongRequest => "wrong-request",
        }
    }
}

/// A verification key and its JWS key id.
#[derive(Debug, Clone)]
pub struct Key {
    pub kid: String,
    pub key: VerifyingKey,
}

/// The signed payload: RFC 8785 (JCS) JSON of `body_sha256` (base64url SHA-256 of the body,
/// only when there is one), `method`, `path`, `trace_id` and `verdict`, members sorted.
pub fn payload(verdict: &str, binding: Binding) -> String {
    let mut members = BTreeMap::new();
    if let Some(body) = binding.body.filter(|b| !b.is_empty()) {
        members.insert(
            "body_sha256",
            URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(body)),
        );
    }
    members.insert("method", binding.method.to_string());
    members.insert("path", binding.path.to_string());
    members.insert("trace_id", binding.trace_id.to_string());
    members.insert("verdict", verdict.to_string());
    // serde_json writes a map of strings as JCS does: sorted keys, no spaces, the same escapes.
    serde_json::to_string(&members).unwrap_or_default()
}

/// The protected header of a signature by `kid`.
fn protected_header(kid: &str) -> String {
    json!({ "alg": ALGORITHM, "kid": kid, "typ": SIGNATURE_TYPE }).to_string()
}

/// The `Charter-Verdict-Signature` value for `verdict` answering `binding`, signed by `key`
/// (deterministic: RFC 6979 nonces).
pub fn sign(verdict: &str, binding: Binding, kid: &str, key: &SigningKey) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(protected_header(kid)),
        URL_SAFE_NO_PAD.encode(payload(verdict, binding))
    );
    let signature: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

fn decode_json(part: &str) -> Result<Json, Refusal> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| Refusal::BadSignature)?;
    serde_json::from_slice(&bytes).map_err(|_| Refusal::BadSignature)
}

/// Checks `signature` (the `Charter-Verdict-Signature` value, if any) against `verdict`
/// answering `binding`, with the verification `keys`.
pub fn verify(
    verdict: &str,
    signature: Option<&str>,
    binding: Binding,
    keys: &[Key],
) -> Result<(), Refusal> {
    let signature = signature.map(str::trim).filter(|s| !s.is_empty());
    let Some(signature) = signature else {
        return Err(Refusal::Unsigned);
    };
    let parts: Vec<&str> = signature.split('.').collect();
    let [header_part, payload_part, signature_part] = parts.as_slice() else {
        return Err(Refusal::BadSignature);
    };
    let header = decode_json(header_part)?;
    let Json::Object(header) = header else {
        return Err(Refusal::BadSignature);
    };
    if header.get("alg") != Some(&json!(ALGORITHM))
        || header.get("typ") != Some(&json!(SIGNATURE_TYPE))
        || header.contains_key("crit")
    {
        return Err(Refusal::BadSignature);
    }
    let Some(Json::String(kid)) = header.get("kid") else {
        return Err(Refusal::BadSignature);
    };
    let key = keys
        .iter()
        .find(|k| k.kid == *kid)
        .ok_or(Refusal::UnknownKey)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(signature_part)
        .map_err(|_| Refusal::BadSignature)?;
    let sig = Signature::from_slice(&bytes).map_err(|_| Refusal::BadSignature)?;
    let input = format!("{header_part}.{payload_part}");
    key.key
        .verify(input.as_bytes(), &sig)
        .map_err(|_| Refusal::BadSignature)?;
    let Json::Object(signed) = decode_json(payload_part)? else {
        return Err(Refusal::BadSignature);
    };
    const MEMBERS: [&str; 5] = ["body_sha256", "method", "path", "trace_id", "verdict"];
    if signed
        .iter()
        .any(|(k, v)| !MEMBERS.contains(&k.as_str()) || !v.is_string())
    {
        return Err(Refusal::BadSignature);
    }
    if signed.get("verdict") != Some(&json!(verdict)) {
        return Err(Refusal::BadSignature);
    }
    let expected: Json =
        serde_json::from_str(&payload(verdict, binding)).map_err(|_| Refusal::BadSignature)?;
    for name in ["method", "path", "trace_id", "body_sha256"] {
        if signed.get(name) != expected.get(name) {
            return Err(Refusal::WrongRequest);
        }
    }
    Ok(())
}

/// What a client concludes from a guarded response: the verdict header (if any) parsed, then
/// its signature verified.
pub fn check(
    verdict: Option<&str>,
    signature: Option<&str>,
    binding: Binding,
    keys: &[Key],
) -> Result<sfv::Verdict, Refusal> {
    let header = verdict.ok_or(Refusal::Missing)?;
    let parsed = sfv::parse_verdict(header).map_err(|_| Refusal::Malformed)?;
    verify(header, signature, binding, keys)?;
    Ok(parsed)
}

/// The public JWK (RFC 7517) of an EC P-256 key, with its `kid`.
pub fn public_jwk(kid: &str, key: &VerifyingKey) -> Json {
    let point = key.to_sec1_point(false);
    let bytes = point.as_bytes();
    json!({
        "kty": "EC",
        "crv": "P-256",
        "kid": kid,
        "x": URL_SAFE_NO_PAD.encode(bytes.get(1..33).unwrap_or_default()),
        "y": URL_SAFE_NO_PAD.encode(bytes.get(33..65).unwrap_or_default()),
    })
}

/// The private JWK of an EC P-256 key: the public members and `d`.
pub fn private_jwk(kid: &str, key: &SigningKey) -> Json {
    let mut jwk = public_jwk(kid, key.verifying_key());
    if let Json::Object(members) = &mut jwk {
        members.insert("d".into(), json!(URL_SAFE_NO_PAD.encode(key.to_bytes())));
    }
    jwk
}

/// The verification key of a public JWK (`kty` `EC`, `crv` `P-256`).
pub fn key_from_jwk(jwk: &Json) -> Option<VerifyingKey> {
    if jwk.get("kty")? != "EC" || jwk.get("crv")? != "P-256" {
        return None;
    }
    let coordinate = |name: &str| URL_SAFE_NO_PAD.decode(jwk.get(name)?.as_str()?).ok();
    let mut point = vec![4u8];
    point.extend(coordinate("x")?);
    point.extend(coordinate("y")?);
    VerifyingKey::from_sec1_bytes(&point).ok()
}
