//! DSSE (Dead Simple Signing Envelope, v1.0.0): the envelope
//! `{"payload": Base64(body), "payloadType": T, "signatures": [{"keyid": K, "sig": Base64(sig)}]}`
//! whose signatures are over the pre-authentication encoding
//! `PAE(T, body) = "DSSEv1" SP LEN(T) SP T SP LEN(body) SP body` (LEN: the byte length as ASCII
//! decimal, no leading zeros). Standard Base64 with padding is written; both alphabets are read.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::Error;
use crate::bundle::keys;

/// The payload type of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// The pre-authentication encoding of `body` with `payload_type`.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// The envelope of `statement` signed with the PEM private key `pem`, as one line of JSON.
pub fn envelope(statement: &[u8], pem: &str, key_id: Option<&str>) -> Result<Vec<u8>, Error> {
    let key = keys::signing_key_for(pem, "the attestation")?;
    let signature = key
        .sign_dsse(&pae(PAYLOAD_TYPE, statement))
        .map_err(|message| Error {
            message: format!("cannot sign the attestation: {message}"),
            help: None,
        })?;
    let mut entry = json!({ "sig": STANDARD.encode(signature) });
    if let (Some(id), Value::Object(map)) = (key_id, &mut entry) {
        map.insert("keyid".into(), Value::from(id));
    }
    let value = json!({
        "payload": STANDARD.encode(statement),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [entry],
    });
    serde_json::to_vec(&value).map_err(|e| Error {
        message: format!("cannot write the attestation: {e}"),
        help: None,
    })
}

/// Base64 in either alphabet, padded or not.
pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .or_else(|_| URL_SAFE.decode(text))
        .or_else(|_| URL_SAFE_NO_PAD.decode(text))
        .ok()
}

/// An envelope read back: its payload type, payload, and signatures (key id, bytes).
pub(super) struct Opened {
    pub payload_type: String,
    pub payload: Vec<u8>,
    pub signatures: Vec<(Option<String>, Vec<u8>)>,
}

/// Reads an envelope; `Err` says what is wrong with its shape.
pub(super) fn open(value: &Value) -> Result<Opened, String> {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the envelope has no `{key}` string"))
    };
    let payload_type = text("payloadType")?.to_string();
    let payload = decode(text("payload")?).ok_or("the envelope's `payload` is not Base64")?;
    let mut signatures = Vec::new();
    for entry in value
        .get("signatures")
        .and_then(Value::as_array)
        .ok_or("the envelope has no `signatures` list")?
    {
        let sig = entry
            .get("sig")
            .and_then(Value::as_str)
            .and_then(decode)
            .ok_or("a signature has no Base64 `sig`")?;
        let keyid = entry
            .get("keyid")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        signatures.push((keyid, sig));
    }
    Ok(Opened {
        payload_type,
        payload,
        signatures,
    })
}

/// Whether one of `signatures` verifies over `PAE(payload_type, payload)` with `key`.
pub(super) fn verifies(opened: &Opened, key: &keys::VerifyingKey) -> bool {
    let input = pae(&opened.payload_type, &opened.payload);
    opened
        .signatures
        .iter()
        .any(|(_, sig)| key.verify_dsse(&input, sig))
}
