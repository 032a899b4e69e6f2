//! Checking an attestation against the files it names (`charter attest verify`): the
//! signature (with a verification key), then every subject's SHA-256, then the files of the
//! target's folder that no subject names.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::dsse;
use super::{PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, sha256};
use crate::OutputFile;
use crate::bundle::keys;

/// What is known of an attestation's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// A bare statement (`.intoto.json`).
    Unsigned,
    /// An envelope, read without a verification key.
    NotChecked,
    /// An envelope whose signature verifies with the key.
    Verified,
}

/// One attestation read back: the target it is about and its subjects (name → SHA-256).
#[derive(Debug, Clone)]
pub struct Attestation {
    pub target: String,
    pub signature: Signature,
    pub subjects: Vec<(String, String)>,
}

/// Why an attestation, or a file it names, does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The verification key cannot be used.
    Key(String),
    /// The attestation is not a statement (or envelope) of the expected shape.
    Malformed(String),
    /// A verification key was given but the attestation is not signed.
    Unsigned,
    /// No signature of the envelope verifies with the key.
    BadSignature,
    /// A subject's file does not have the recorded digest.
    Changed {
        path: String,
        expected: String,
        actual: String,
    },
    /// A subject's file does not exist.
    Missing { path: String },
    /// A file of the target's folder that no subject names.
    Extra { path: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Key(message) => write!(f, "unusable verification key: {message}"),
            Problem::Malformed(message) => write!(f, "malformed attestation: {message}"),
            Problem::Unsigned => {
                write!(
                    f,
                    "the attestation is not signed (a verification key was given)"
                )
            }
            Problem::BadSignature => write!(
                f,
                "the attestation's signature does not verify with this key (it was altered, or \
                 signed with another key)"
            ),
            Problem::Changed {
                path,
                expected,
                actual,
            } => write!(
                f,
                "`{path}` changed: attested sha256 {expected}, the file has {actual}"
            ),
            Problem::Missing { path } => write!(f, "`{path}` is attested but missing"),
            Problem::Extra { path } => write!(f, "`{path}` is not attested"),
        }
    }
}

fn malformed(message: impl Into<String>) -> Problem {
    Problem::Malformed(message.into())
}

/// Reads the attestation file `file_name` (`<target>.intoto.json` or `.intoto.jsonl`) and,
/// with `key_pem`, checks its signature. `Err` when it cannot be trusted at all.
pub fn read(file_name: &str, bytes: &[u8], key_pem: Option<&str>) -> Result<Attestation, Problem> {
    let key = key_pem
        .map(keys::verifying_key)
        .transpose()
        .map_err(Problem::Key)?;
    let target = super::target_of(file_name)
        .ok_or_else(|| malformed(format!("`{file_name}` is not an attestation file name")))?;
    let (statement, signature) = if file_name.ends_with(super::ENVELOPE_EXT) {
        let text = std::str::from_utf8(bytes).map_err(|_| malformed("not UTF-8"))?;
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let [line] = lines.as_slice() else {
            return Err(malformed(format!(
                "expected one DSSE envelope, found {} lines",
                lines.len()
            )));
        };
        let value: Value = serde_json::from_str(line)
            .map_err(|e| malformed(format!("the envelope is not JSON: {e}")))?;
        let opened = dsse::open(&value).map_err(malformed)?;
        if opened.payload_type != PAYLOAD_TYPE {
            return Err(malformed(format!(
                "payload type `{}`, expected `{PAYLOAD_TYPE}`",
                opened.payload_type
            )));
        }
        let signature = match &key {
            None => Signature::NotChecked,
            Some(key) if dsse::verifies(&opened, key) => Signature::Verified,
            Some(_) => return Err(Problem::BadSignature),
        };
        (opened.payload, signature)
    } else {
        if key.is_some() {
            return Err(Problem::Unsigned);
        }
        (bytes.to_vec(), Signature::Unsigned)
    };
    let value: Value = serde_json::from_slice(&statement)
        .map_err(|e| malformed(format!("the statement is not JSON: {e}")))?;
    let field = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
    if field("_type") != STATEMENT_TYPE {
        return Err(malformed(format!("`_type` is not `{STATEMENT_TYPE}`")));
    }
    if field("predicateType") != PREDICATE_TYPE {
        return Err(malformed(format!(
            "`predicateType` is not `{PREDICATE_TYPE}`"
        )));
    }
    let attested = value
        .pointer("/predicate/buildDefinition/externalParameters/target")
        .and_then(Value::as_str);
    if attested != Some(target) {
        return Err(malformed(format!(
            "the statement is about target {}, its file name says `{target}`",
            attested.map_or_else(|| "none".to_string(), |t| format!("`{t}`"))
        )));
    }
    let mut subjects = Vec::new();
    for subject in value
        .get("subject")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("no `subject` list"))?
    {
        let name = subject.get("name").and_then(Value::as_str);
        let digest = subject.pointer("/digest/sha256").and_then(Value::as_str);
        let (Some(name), Some(digest)) = (name, digest) else {
            return Err(malformed("a subject has no `name` or no `digest.sha256`"));
        };
        subjects.push((name.to_string(), digest.to_ascii_lowercase()));
    }
    Ok(Attestation {
        target: target.to_string(),
        signature,
        subjects,
    })
}

/// Every problem of the files of `attestation`'s target: `files` are those of the target's
/// folder, by path relative to the output folder. Changed and missing subjects in subject
/// order, then the files no subject names, in path order.
pub fn check(attestation: &Attestation, files: &[OutputFile]) -> Vec<Problem> {
    let by_name: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let mut problems = Vec::new();
    for (name, expected) in &attestation.subjects {
        match by_name.get(name.as_str()) {
            None => problems.push(Problem::Missing { path: name.clone() }),
            Some(bytes) => {
                let actual = sha256(bytes);
                if actual != *expected {
                    problems.push(Problem::Changed {
                        path: name.clone(),
                        expected: expected.clone(),
                        actual,
                    });
                }
            }
        }
    }
    let named: std::collections::BTreeSet<&str> = attestation
        .subjects
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    for name in by_name.keys() {
        if !named.contains(name) {
            problems.push(Problem::Extra {
                path: (*name).to_string(),
            });
        }
    }
    problems
}
