//! Signing and verifying OPA bundles, as OPA's `opa build --signing-key` / `opa sign` write them
//! and as OPA checks them when it loads a bundle with a verification key.
//!
//! `.signatures.json` is `{"signatures": ["<JWS compact serialization>"]}`. The JWS protected
//! header is `{"alg": "RS256" | "ES256", "kid": <key id, when given>}`; its payload
//! `{"files": [{"name", "hash", "algorithm": "SHA-256"}, …], "keyid"?, "scope"?}` lists every
//! file of the bundle but the signatures file itself, by its path relative to the bundle root
//! (`/` separators, no leading `/`), with the hex SHA-256 of its bytes, or, for `data.json` and
//! `.manifest`, of its canonical JSON (see [`super::canonical`]).

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::Digest as _;

use super::canonical::canonical_json;
use super::keys;
use super::{ARCHIVE, SIGNATURES_FILE};
use crate::{Error, OutputFile};

/// The hashing algorithm written into every `files[_].algorithm`.
pub const HASH_ALGORITHM: &str = "SHA-256";

/// What [`verify_with`] checks besides the files and the signature.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// When set, the signature's key id (the header's `kid`, else the payload's `keyid`) must be
    /// this.
    pub key_id: Option<String>,
    /// The scope the payload's `scope` must equal (OPA: `scope` of the verification config);
    /// none means the payload must have no scope.
    pub scope: Option<String>,
}

/// Why a bundle does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The bundle has no `.signatures.json`.
    NoSignatures,
    /// `.signatures.json` or its JWS is not of the expected shape.
    Malformed(String),
    /// The verification key cannot be used.
    Key(String),
    /// The JWS header names an algorithm other than the one of the verification key.
    WrongAlgorithm { expected: String, found: String },
    /// The JWS signature does not verify with the key.
    BadSignature,
    /// The signature's key id is not the expected one.
    WrongKeyId {
        expected: String,
        found: Option<String>,
    },
    /// The payload's scope is not the expected one.
    ScopeMismatch {
        expected: Option<String>,
        found: Option<String>,
    },
    /// A file's content does not match the hash the signature records for it.
    Modified {
        path: String,
        expected: String,
        actual: String,
    },
    /// A file the signature lists is not in the bundle.
    Missing { path: String },
    /// A file of the bundle is not listed in the signature.
    Extra { path: String },
    /// A file's recorded hashing algorithm is not one this verifier computes.
    UnsupportedHash { path: String, algorithm: String },
    /// A structured file (`data.json`, `.manifest`) is not JSON, so it cannot be hashed.
    Unreadable { path: String, message: String },
}

impl VerifyError {
    /// The bundle file this error is about, if it is about one.
    pub fn path(&self) -> Option<&str> {
        match self {
            VerifyError::Modified { path, .. }
            | VerifyError::Missing { path }
            | VerifyError::Extra { path }
            | VerifyError::UnsupportedHash { path, .. }
            | VerifyError::Unreadable { path, .. } => Some(path),
            _ => None,
        }
    }
}

fn show(value: Option<&String>) -> String {
    value.map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::NoSignatures => write!(f, "the bundle has no `{SIGNATURES_FILE}`"),
            VerifyError::Malformed(message) => {
                write!(f, "`{SIGNATURES_FILE}` is malformed: {message}")
            }
            VerifyError::Key(message) => write!(f, "unusable verification key: {message}"),
            VerifyError::WrongAlgorithm { expected, found } => write!(
                f,
                "wrong algorithm: the signature uses `{found}`, the verification key is for `{expected}`"
            ),
            VerifyError::BadSignature => write!(
                f,
                "bad signature: the JWS in `{SIGNATURES_FILE}` does not verify with this key \
                 (it was altered, or signed with another key)"
            ),
            VerifyError::WrongKeyId { expected, found } => write!(
                f,
                "wrong key id: expected `{expected}`, the signature has {}",
                show(found.as_ref())
            ),
            VerifyError::ScopeMismatch { expected, found } => write!(
                f,
                "scope mismatch: expected {}, the signature has {}",
                show(expected.as_ref()),
                show(found.as_ref())
            ),
            VerifyError::Modified {
                path,
                expected,
                actual,
            } => write!(
                f,
                "file `{path}` does not match the signature: digest mismatch \
                 (signed {expected}, file has {actual})"
            ),
            VerifyError::Missing { path } => write!(
                f,
                "file `{path}` is listed in the signature but missing from the bundle"
            ),
            VerifyError::Extra { path } => write!(
                f,
                "file `{path}` is in the bundle but not included in the signature"
            ),
            VerifyError::UnsupportedHash { path, algorithm } => write!(
                f,
                "file `{path}`: unsupported hashing algorithm `{algorithm}`"
            ),
            VerifyError::Unreadable { path, message } => {
                write!(f, "file `{path}` cannot be hashed: {message}")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Whether OPA treats `path` as the signatures file (it takes any path ending in
/// `signatures.json` as one, and neither hashes nor checks it).
pub fn is_signatures_file(path: &str) -> bool {
    path.ends_with("signatures.json")
}

/// The bundle-relative name OPA compares: the path without a leading `/`.
fn bundle_name(path: &str) -> &str {
    path.trim_start_matches('/')
}

/// The files a signature covers: all but the signatures file and the packed archive.
fn covered(files: &[OutputFile]) -> impl Iterator<Item = &OutputFile> {
    files
        .iter()
        .filter(|f| !is_signatures_file(&f.path) && bundle_name(&f.path) != ARCHIVE)
}

/// Whether OPA hashes `path` as a structured (JSON) document (`bundle.IsStructuredDoc`).
fn structured(path: &str) -> Structured {
    match path.rsplit('/').next().unwrap_or(path) {
        "data.json" | ".manifest" => Structured::Json,
        "data.yaml" => Structured::Yaml,
        _ => Structured::No,
    }
}

enum Structured {
    No,
    Json,
    Yaml,
}

/// The bytes OPA feeds the hash function for `path`.
fn hashed_bytes(path: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    match structured(path) {
        Structured::No => Ok(bytes.to_vec()),
        Structured::Json => canonical_json(bytes).map_err(|e| format!("not valid JSON: {e}")),
        Structured::Yaml => {
            Err("YAML data files are not supported; write the data as data.json".to_string())
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn digest(algorithm: &str, bytes: &[u8]) -> Option<String> {
    let digest = match algorithm {
        "SHA-224" => sha2::Sha224::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        "SHA-512-224" => sha2::Sha512_224::digest(bytes).to_vec(),
        "SHA-512-256" => sha2::Sha512_256::digest(bytes).to_vec(),
        _ => return None,
    };
    Some(hex(&digest))
}

fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// Signs the bundle `files` (paths relative to the bundle root) with the PEM private key `pem`
/// (RSA → RS256, EC P-256 → ES256) and returns `.signatures.json`. Every file is covered except
/// a signatures file and the packed `bundle.tar.gz`. The result is deterministic.
pub fn sign(
    files: &[OutputFile],
    pem: &str,
    key_id: Option<&str>,
    scope: Option<&str>,
) -> Result<OutputFile, Error> {
    let key = keys::signing_key_for(pem, "the bundle")?;
    let mut entries: BTreeMap<&str, String> = BTreeMap::new();
    for file in covered(files) {
        let name = bundle_name(&file.path);
        if name.is_empty()
            || name
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return Err(Error {
                message: format!("cannot sign the bundle: bad file path `{}`", file.path),
                help: None,
            });
        }
        let bytes = hashed_bytes(name, &file.bytes).map_err(|message| Error {
            message: format!("cannot sign `{name}`: {message}"),
            help: None,
        })?;
        let hash = digest(HASH_ALGORITHM, &bytes).unwrap_or_default();
        if entries.insert(name, hash).is_some() {
            return Err(Error {
                message: format!("cannot sign the bundle: `{name}` appears twice"),
                help: None,
            });
        }
    }

    // The payload as Go's json.Marshal writes OPA's map: keys sorted, FileInfo fields in order.
    let listed: Vec<String> = entries
        .iter()
        .map(|(name, hash)| {
            format!(
                "{{\"name\":{},\"hash\":\"{hash}\",\"algorithm\":\"{HASH_ALGORITHM}\"}}",
                json_string(name)
            )
        })
        .collect();
    let mut payload = format!("{{\"files\":[{}]", listed.join(","));
    if let Some(kid) = key_id {
        payload.push_str(&format!(",\"keyid\":{}", json_string(kid)));
    }
    if let Some(scope) = scope {
        payload.push_str(&format!(",\"scope\":{}", json_string(scope)));
    }
    payload.push('}');

    let mut header = format!("{{\"alg\":\"{}\"", key.algorithm().name());
    if let Some(kid) = key_id {
        header.push_str(&format!(",\"kid\":{}", json_string(kid)));
    }
    header.push('}');

    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = key.sign(input.as_bytes()).map_err(|message| Error {
        message: format!("cannot sign the bundle: {message}"),
        help: None,
    })?;
    let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature));
    // As OPA writes it: json.MarshalIndent(SignaturesConfig, "", " ").
    Ok(OutputFile::text(
        SIGNATURES_FILE,
        format!("{{\n \"signatures\": [\n  \"{token}\"\n ]\n}}"),
    ))
}

/// Checks the signed bundle `files` (including `.signatures.json`) against the PEM public key
/// `public_pem`, with no expected key id and no scope.
pub fn verify(files: &[OutputFile], public_pem: &str) -> Result<(), VerifyError> {
    verify_with(files, public_pem, &VerifyOptions::default())
}

/// [`verify`] with options; the first problem found.
pub fn verify_with(
    files: &[OutputFile],
    public_pem: &str,
    options: &VerifyOptions,
) -> Result<(), VerifyError> {
    match problems(files, public_pem, options).into_iter().next() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Every problem with the signed bundle `files`: the signature's first, then the files', in path
/// order (modified and extra files), then the missing ones. Empty when the bundle verifies.
pub fn problems(
    files: &[OutputFile],
    public_pem: &str,
    options: &VerifyOptions,
) -> Vec<VerifyError> {
    let mut listed = match check_signature(files, public_pem, options) {
        Ok(listed) => listed,
        Err(error) => return vec![error],
    };
    let mut out = Vec::new();
    let mut present: Vec<&OutputFile> = covered(files).collect();
    present.sort_by(|a, b| bundle_name(&a.path).cmp(bundle_name(&b.path)));
    for file in present {
        let name = bundle_name(&file.path);
        let Some(entry) = listed.remove(name) else {
            out.push(VerifyError::Extra {
                path: name.to_string(),
            });
            continue;
        };
        let bytes = match hashed_bytes(name, &file.bytes) {
            Ok(bytes) => bytes,
            Err(message) => {
                out.push(VerifyError::Unreadable {
                    path: name.to_string(),
                    message,
                });
                continue;
            }
        };
        let Some(actual) = digest(&entry.algorithm, &bytes) else {
            out.push(VerifyError::UnsupportedHash {
                path: name.to_string(),
                algorithm: entry.algorithm,
            });
            continue;
        };
        if !actual.eq_ignore_ascii_case(&entry.hash) {
            out.push(VerifyError::Modified {
                path: name.to_string(),
                expected: entry.hash,
                actual,
            });
        }
    }
    out.extend(listed.into_keys().map(|path| VerifyError::Missing { path }));
    out
}

struct Entry {
    hash: String,
    algorithm: String,
}

fn malformed(message: impl Into<String>) -> VerifyError {
    VerifyError::Malformed(message.into())
}

fn decode_json(part: &str, what: &str) -> Result<serde_json::Value, VerifyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| malformed(format!("the JWS {what} is not base64url: {e}")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| malformed(format!("the JWS {what} is not JSON: {e}")))
}

fn string_field(value: &serde_json::Value, key: &str) -> Result<Option<String>, VerifyError> {
    match value.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(format!("`{key}` is not a string"))),
    }
}

/// Verifies `.signatures.json` and returns the files its payload lists, by name.
fn check_signature(
    files: &[OutputFile],
    public_pem: &str,
    options: &VerifyOptions,
) -> Result<BTreeMap<String, Entry>, VerifyError> {
    let key = keys::verifying_key(public_pem).map_err(VerifyError::Key)?;
    let Some(file) = files
        .iter()
        .find(|f| bundle_name(&f.path) == SIGNATURES_FILE)
    else {
        return Err(VerifyError::NoSignatures);
    };
    let config: serde_json::Value =
        serde_json::from_slice(&file.bytes).map_err(|e| malformed(format!("not JSON: {e}")))?;
    if let Some(plugin) = string_field(&config, "plugin")?
        && !plugin.is_empty()
    {
        return Err(malformed(format!(
            "signed with the signature plugin `{plugin}`, which this verifier does not know"
        )));
    }
    let tokens: Vec<&str> = match config.get("signatures") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .ok_or_else(|| malformed("a signature is not a string"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(malformed("`signatures` is not an array")),
    };
    let token = match tokens.as_slice() {
        [token] => *token,
        [] => return Err(malformed("missing JWT (expected exactly one)")),
        _ => {
            return Err(malformed(
                "multiple JWTs not supported (expected exactly one)",
            ));
        }
    };
    let mut parts = token.split('.');
    let (Some(header_part), Some(payload_part), Some(signature_part), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("the JWS is not in compact serialization"));
    };
    let header = decode_json(header_part, "header")?;
    let alg = string_field(&header, "alg")?.unwrap_or_default();
    let expected = key.algorithm();
    if alg != expected.name() {
        return Err(VerifyError::WrongAlgorithm {
            expected: expected.name().to_string(),
            found: alg,
        });
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature_part)
        .map_err(|_| VerifyError::BadSignature)?;
    let input = token
        .get(..header_part.len() + 1 + payload_part.len())
        .unwrap_or_default();
    if !key.verify(input.as_bytes(), &signature) {
        return Err(VerifyError::BadSignature);
    }

    let payload = decode_json(payload_part, "payload")?;
    if let Some(expected) = &options.key_id {
        let found = match string_field(&header, "kid")? {
            Some(kid) if !kid.is_empty() => Some(kid),
            _ => string_field(&payload, "keyid")?.filter(|k| !k.is_empty()),
        };
        if found.as_ref() != Some(expected) {
            return Err(VerifyError::WrongKeyId {
                expected: expected.clone(),
                found,
            });
        }
    }
    let scope = string_field(&payload, "scope")?.filter(|s| !s.is_empty());
    let expected_scope = options.scope.clone().filter(|s| !s.is_empty());
    if scope != expected_scope {
        return Err(VerifyError::ScopeMismatch {
            expected: expected_scope,
            found: scope,
        });
    }
    let mut listed = BTreeMap::new();
    let entries = match payload.get("files") {
        None | Some(serde_json::Value::Null) => &[][..],
        Some(serde_json::Value::Array(items)) => items.as_slice(),
        Some(_) => return Err(malformed("`files` is not an array")),
    };
    for entry in entries {
        let name = string_field(entry, "name")?.unwrap_or_default();
        let hash = string_field(entry, "hash")?.unwrap_or_default();
        let algorithm = string_field(entry, "algorithm")?.unwrap_or_default();
        listed.insert(name, Entry { hash, algorithm });
    }
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Test fixtures only: throwaway keys made for these tests, never used anywhere else.
    const RSA_PKCS1: &str = include_str!("testdata/rsa-pkcs1.pem");
    const RSA_PKCS8: &str = include_str!("testdata/rsa-pkcs8.pem");
    const RSA_PUBLIC: &str = include_str!("testdata/rsa-public.pem");
    const EC_SEC1: &str = include_str!("testdata/ec-sec1.pem");
    const EC_PKCS8: &str = include_str!("testdata/ec-pkcs8.pem");
    const EC_PUBLIC: &str = include_str!("testdata/ec-public.pem");

    fn bundle() -> Vec<OutputFile> {
        vec![
            OutputFile::text(
                ".manifest",
                "{\n  \"roots\": [\"charter\"],\n  \"revision\": \"1\"\n}\n",
            ),
            OutputFile::text("data.json", "{\"charter\": {\"b\": 1.0, \"a\": \"<&>\"}}\n"),
            OutputFile::text("charter/access/policy.rego", "package charter.access\n"),
        ]
    }

    fn signed(pem: &str) -> Vec<OutputFile> {
        let mut files = bundle();
        files.push(sign(&files, pem, Some("ci"), None).unwrap());
        files
    }

    fn payload(files: &[OutputFile]) -> (serde_json::Value, serde_json::Value) {
        let sig = files.iter().find(|f| f.path == SIGNATURES_FILE).unwrap();
        let config: serde_json::Value = serde_json::from_slice(&sig.bytes).unwrap();
        let token = config["signatures"][0].as_str().unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        (
            decode_json(parts[0], "header").unwrap(),
            decode_json(parts[1], "payload").unwrap(),
        )
    }

    #[test]
    fn rs256_round_trip_with_either_key_format() {
        for pem in [RSA_PKCS1, RSA_PKCS8] {
            let files = signed(pem);
            assert_eq!(verify(&files, RSA_PUBLIC), Ok(()));
            // OPA accepts the private key as verification key too.
            assert_eq!(verify(&files, pem), Ok(()));
            let (header, payload) = payload(&files);
            assert_eq!(header, serde_json::json!({"alg": "RS256", "kid": "ci"}));
            assert_eq!(payload["keyid"], "ci");
            assert!(payload.get("scope").is_none());
        }
    }

    #[test]
    fn es256_round_trip_with_either_key_format() {
        for pem in [EC_SEC1, EC_PKCS8] {
            let files = signed(pem);
            assert_eq!(verify(&files, EC_PUBLIC), Ok(()));
            let (header, _) = payload(&files);
            assert_eq!(header["alg"], "ES256");
        }
    }

    #[test]
    fn signing_is_deterministic() {
        for pem in [RSA_PKCS1, EC_SEC1] {
            assert_eq!(signed(pem), signed(pem));
        }
    }

    #[test]
    fn the_payload_lists_every_file_with_opa_hashes() {
        let files = signed(RSA_PKCS1);
        let (_, payload) = payload(&files);
        let listed = payload["files"].as_array().unwrap();
        let names: Vec<&str> = listed.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [".manifest", "charter/access/policy.rego", "data.json"]
        );
        let hash_of = |name: &str| {
            listed.iter().find(|f| f["name"] == name).unwrap()["hash"]
                .as_str()
                .unwrap()
                .to_string()
        };
        for f in listed {
            assert_eq!(f["algorithm"], "SHA-256");
        }
        // Structured files: the hash of the canonical JSON (sorted keys, literal numbers, no
        // HTML escaping); other files: of their bytes.
        assert_eq!(
            hash_of("data.json"),
            hex(&sha2::Sha256::digest(br#"{"charter":{"a":"<&>","b":1.0}}"#))
        );
        assert_eq!(
            hash_of(".manifest"),
            hex(&sha2::Sha256::digest(
                br#"{"revision":"1","roots":["charter"]}"#
            ))
        );
        assert_eq!(
            hash_of("charter/access/policy.rego"),
            hex(&sha2::Sha256::digest(b"package charter.access\n"))
        );
    }

    #[test]
    fn reformatted_json_still_verifies() {
        let mut files = signed(EC_SEC1);
        files[1].bytes = b"{ \"charter\" : { \"a\" : \"<&>\" ,\n \"b\" : 1.0 } }".to_vec();
        assert_eq!(verify(&files, EC_PUBLIC), Ok(()));
    }

    #[test]
    fn a_tampered_file_is_named() {
        for (pem, public) in [(RSA_PKCS1, RSA_PUBLIC), (EC_SEC1, EC_PUBLIC)] {
            let mut files = signed(pem);
            files[2].bytes.extend_from_slice(b"allow := true\n");
            let error = verify(&files, public).unwrap_err();
            assert!(
                matches!(&error, VerifyError::Modified { path, .. } if path == "charter/access/policy.rego")
            );
            assert!(
                error
                    .to_string()
                    .contains("`charter/access/policy.rego` does not match")
            );
            // A changed number literal changes the canonical form too.
            let mut files = signed(pem);
            files[1].bytes = b"{\"charter\": {\"b\": 1, \"a\": \"<&>\"}}".to_vec();
            assert_eq!(
                verify(&files, public).unwrap_err().path(),
                Some("data.json")
            );
        }
    }

    #[test]
    fn a_removed_file_is_named() {
        let mut files = signed(RSA_PKCS1);
        files.remove(0);
        let error = verify(&files, RSA_PUBLIC).unwrap_err();
        assert_eq!(
            error,
            VerifyError::Missing {
                path: ".manifest".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "file `.manifest` is listed in the signature but missing from the bundle"
        );
    }

    #[test]
    fn an_added_file_is_named() {
        let mut files = signed(EC_PKCS8);
        files.push(OutputFile::text(
            "charter/extra/policy.rego",
            "package charter.extra\n",
        ));
        let error = verify(&files, EC_PUBLIC).unwrap_err();
        assert_eq!(
            error,
            VerifyError::Extra {
                path: "charter/extra/policy.rego".into()
            }
        );
        assert!(error.to_string().contains("not included in the signature"));
    }

    #[test]
    fn every_problem_is_reported() {
        let mut files = signed(RSA_PKCS1);
        files[2].bytes.push(b'\n');
        files.remove(0);
        files.push(OutputFile::text("x.rego", "package x\n"));
        let paths: Vec<String> = problems(&files, RSA_PUBLIC, &VerifyOptions::default())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths[0].contains("charter/access/policy.rego"));
        assert!(paths[1].contains("x.rego"));
        assert!(paths[2].contains(".manifest"));
    }

    #[test]
    fn the_archive_is_not_covered() {
        let mut files = signed(RSA_PKCS1);
        files.push(OutputFile {
            path: ARCHIVE.into(),
            bytes: vec![0x1f, 0x8b],
        });
        assert_eq!(verify(&files, RSA_PUBLIC), Ok(()));
    }

    #[test]
    fn a_bad_signature_or_wrong_key_fails() {
        let files = signed(RSA_PKCS1);
        let other = signed(RSA_PKCS8); // the same key in another format: verifies
        assert_eq!(verify(&other, RSA_PUBLIC), Ok(()));
        // A payload swapped in from another signature breaks the JWS signature.
        let mut tampered = files.clone();
        let sig = tampered
            .iter_mut()
            .find(|f| f.path == SIGNATURES_FILE)
            .unwrap();
        let text = String::from_utf8(sig.bytes.clone()).unwrap();
        let token = text.split('"').nth(3).unwrap().to_string();
        let parts: Vec<&str> = token.split('.').collect();
        let payload = URL_SAFE_NO_PAD.encode(
            String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap())
                .unwrap()
                .replace("\"keyid\":\"ci\"", "\"keyid\":\"cj\""),
        );
        sig.bytes = text.replace(parts[1], &payload).into_bytes();
        assert_eq!(
            verify(&tampered, RSA_PUBLIC),
            Err(VerifyError::BadSignature)
        );
        // Another EC key of the same algorithm.
        use p256::pkcs8::{EncodePublicKey, LineEnding};
        let other = p256::SecretKey::from_slice(&[7u8; 32])
            .unwrap()
            .public_key();
        let other = other.to_public_key_pem(LineEnding::LF).unwrap();
        assert_eq!(
            verify(&signed(EC_SEC1), &other),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn a_wrong_algorithm_fails() {
        let files = signed(RSA_PKCS1);
        let error = verify(&files, EC_PUBLIC).unwrap_err();
        assert_eq!(
            error,
            VerifyError::WrongAlgorithm {
                expected: "ES256".into(),
                found: "RS256".into()
            }
        );
        assert!(error.to_string().contains("wrong algorithm"));
    }

    #[test]
    fn key_id_and_scope_are_checked() {
        let mut files = bundle();
        files.push(sign(&files, EC_SEC1, Some("prod"), Some("write")).unwrap());
        let with = |key_id: Option<&str>, scope: Option<&str>| {
            verify_with(
                &files,
                EC_PUBLIC,
                &VerifyOptions {
                    key_id: key_id.map(Into::into),
                    scope: scope.map(Into::into),
                },
            )
        };
        assert_eq!(with(Some("prod"), Some("write")), Ok(()));
        assert!(matches!(
            with(Some("dev"), Some("write")),
            Err(VerifyError::WrongKeyId { .. })
        ));
        assert!(matches!(
            with(None, None),
            Err(VerifyError::ScopeMismatch { .. })
        ));
        assert!(matches!(
            with(None, Some("read")),
            Err(VerifyError::ScopeMismatch { .. })
        ));
    }

    #[test]
    fn missing_or_malformed_signatures_fail() {
        let files = bundle();
        assert_eq!(verify(&files, RSA_PUBLIC), Err(VerifyError::NoSignatures));
        let mut files = bundle();
        files.push(OutputFile::text(SIGNATURES_FILE, "{\"signatures\": []}"));
        assert!(matches!(
            verify(&files, RSA_PUBLIC),
            Err(VerifyError::Malformed(_))
        ));
    }

    #[test]
    fn bad_keys_are_errors() {
        let files = bundle();
        let error = sign(&files, "not a key", None, None).unwrap_err();
        assert!(
            error.message.contains("no PEM private key"),
            "{}",
            error.message
        );
        assert!(error.help.is_some());
        assert!(matches!(
            verify(&signed(EC_SEC1), "junk"),
            Err(VerifyError::Key(_))
        ));
    }

    #[test]
    fn structured_files_must_be_json() {
        let mut files = bundle();
        files[1].bytes = b"charter: {a: 1}".to_vec();
        let error = sign(&files, EC_SEC1, None, None).unwrap_err();
        assert!(error.message.contains("data.json"), "{}", error.message);
    }

    #[test]
    fn the_signatures_file_has_opa_layout() {
        let files = signed(EC_SEC1);
        let sig = files.last().unwrap();
        let text = std::str::from_utf8(&sig.bytes).unwrap();
        assert!(text.starts_with("{\n \"signatures\": [\n  \"ey"), "{text}");
        assert!(text.ends_with("\"\n ]\n}"), "{text}");
        // And a leading `/` in a path names the same file (OPA trims it).
        let mut files = bundle();
        files[0].path = "/.manifest".into();
        files.push(sign(&files, EC_SEC1, None, None).unwrap());
        let (_, payload) = payload(&files);
        assert_eq!(payload["files"][0]["name"], ".manifest");
    }
}
