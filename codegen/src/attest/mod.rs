//! Build attestations (`charter build --attest`, `docs/attest.md`): per target, an in-toto
//! Statement v1 whose predicate is SLSA Provenance v1, and, with a signing key, the statement
//! in a DSSE envelope. Pure: the CLI reads the sources and the key, and writes the files.
//!
//! - Subjects: every file the target emitted, named by its path relative to the output folder
//!   (`rego/policy/summit/access.rego`), with the SHA-256 of its bytes, in path order.
//! - `buildDefinition`: [`BUILD_TYPE`]; `externalParameters` `{target, targets, settings}`;
//!   `resolvedDependencies`: every source file and `charter.toml` (path relative to the
//!   workspace, SHA-256), the standard library (its version, and the SHA-256 of its manifest:
//!   the lines `path\tsha256\n` of its files in path order) and the compiler (its version).
//! - `runDetails`: the builder [`BUILDER_ID`] with the compiler's version; `metadata.startedOn`
//!   only from `SOURCE_DATE_EPOCH`, else no metadata: nothing else varies between two builds.
//!
//! The statement is written as `attestations/<target>.intoto.json`; signed, as
//! `attestations/<target>.intoto.jsonl` (one DSSE envelope on one line, the in-toto bundle
//! convention) whose payload is the same statement bytes.

mod dsse;
mod verify;

#[cfg(test)]
mod tests;

use serde_json::{Value, json};
use sha2::Digest as _;

use crate::bundle::sign::hex;
use crate::{Error, OutputFile, SigningKey};

pub use dsse::{PAYLOAD_TYPE, pae};
pub use verify::{Attestation, Problem, Signature, check, read};

/// The folder of the output folder that holds the attestations.
pub const FOLDER: &str = "attestations";
/// The in-toto Statement type.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The SLSA Provenance predicate type.
pub const PREDICATE_TYPE: &str = "https://slsa.dev/provenance/v1";
/// The build type: what `externalParameters` and `resolvedDependencies` mean (`docs/attest.md`).
pub const BUILD_TYPE: &str = "https://charter.invalid/attest/build-type/v1";
/// The builder: the `charter` compiler, run by whoever runs `charter build`.
pub const BUILDER_ID: &str = "https://charter.invalid/attest/builder/charter-cli/v1";
/// The extension of an unsigned statement.
pub const STATEMENT_EXT: &str = ".intoto.json";
/// The extension of a signed one (JSON Lines of DSSE envelopes).
pub const ENVELOPE_EXT: &str = ".intoto.jsonl";

/// One input of the build: a source file or the manifest, by its path relative to the
/// workspace root, with the SHA-256 of its bytes ([`sha256`]: computed once per build, not once
/// per target).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a str,
    pub sha256: &'a str,
}

/// What one target's statement records.
#[derive(Debug, Clone)]
pub struct Build<'a> {
    /// The target this statement is about (its files are under `<target>/`).
    pub target: &'a str,
    /// Every target of the build, in build order.
    pub targets: &'a [String],
    /// The target's files, relative to its folder.
    pub files: &'a [OutputFile],
    /// The workspace's sources and manifest (the standard library is added here).
    pub sources: &'a [Source<'a>],
    /// The settings that shape the outputs (the CLI decides; never a secret, never a path of
    /// the machine).
    pub settings: Value,
    /// The compiler's version (also the embedded standard library's).
    pub compiler_version: &'a str,
    /// `SOURCE_DATE_EPOCH`: seconds since the Unix epoch.
    pub source_date: Option<i64>,
}

/// The lowercase hex SHA-256 of `bytes`, as every digest of a statement is written.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

fn digest(bytes: &[u8]) -> Value {
    json!({ "sha256": sha256(bytes) })
}

/// The subject name of a target's file: its path relative to the output folder.
pub fn subject_name(target: &str, path: &str) -> String {
    format!("{target}/{path}")
}

/// The standard library's manifest digest: SHA-256 of the lines `path\tsha256\n` of its files
/// (computed once).
fn stdlib_digest() -> &'static str {
    static DIGEST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DIGEST.get_or_init(stdlib_manifest_digest)
}

fn stdlib_manifest_digest() -> String {
    let mut files: Vec<(&str, &str)> = charter::stdlib::FILES.to_vec();
    files.sort_unstable();
    let manifest: String = files
        .iter()
        .map(|(path, text)| format!("{path}\t{}\n", sha256(text.as_bytes())))
        .collect();
    sha256(manifest.as_bytes())
}

/// The statement of `build`, as written (pretty JSON, a final newline): the same build gives
/// the same bytes.
pub fn statement(build: &Build<'_>) -> Result<Vec<u8>, Error> {
    let mut files: Vec<&OutputFile> = build.files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let subject: Vec<Value> = files
        .iter()
        .map(|f| {
            json!({
                "name": subject_name(build.target, &f.path),
                "digest": digest(&f.bytes),
            })
        })
        .collect();
    let mut sources: Vec<&Source<'_>> = build.sources.iter().collect();
    sources.sort_by(|a, b| a.path.cmp(b.path));
    let mut dependencies: Vec<Value> = sources
        .iter()
        .map(|s| json!({ "name": s.path, "digest": { "sha256": s.sha256 } }))
        .collect();
    let version = build.compiler_version;
    dependencies.push(json!({
        "name": "charter-stdlib",
        "uri": format!("pkg:generic/charter-stdlib@{version}"),
        "digest": { "sha256": stdlib_digest() },
        "annotations": { "version": version },
    }));
    dependencies.push(json!({
        "name": "charter",
        "uri": format!("pkg:generic/charter@{version}"),
        "annotations": { "version": version },
    }));
    let mut run_details = json!({
        "builder": {
            "id": BUILDER_ID,
            "version": { "charter": version },
        },
    });
    if let Some(seconds) = build.source_date {
        let options = crate::Options {
            source_date: Some(seconds),
            ..crate::Options::default()
        };
        let started = crate::crosswalk::date::last_modified(&options)?;
        if let Value::Object(map) = &mut run_details {
            map.insert("metadata".into(), json!({ "startedOn": started }));
        }
    }
    let value = json!({
        "_type": STATEMENT_TYPE,
        "subject": subject,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "buildDefinition": {
                "buildType": BUILD_TYPE,
                "externalParameters": {
                    "target": build.target,
                    "targets": build.targets,
                    "settings": build.settings,
                },
                "resolvedDependencies": dependencies,
            },
            "runDetails": run_details,
        },
    });
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| Error {
        message: format!("cannot write the attestation: {e}"),
        help: None,
    })?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// The attestation file of `build`, relative to the attestations folder: the statement, or
/// with `signing` its DSSE envelope on one line.
pub fn attestation(build: &Build<'_>, signing: Option<&SigningKey>) -> Result<OutputFile, Error> {
    let statement = statement(build)?;
    match signing {
        None => Ok(OutputFile {
            path: format!("{}{STATEMENT_EXT}", build.target),
            bytes: statement,
        }),
        Some(key) => {
            let mut line = dsse::envelope(&statement, &key.pem, key.key_id.as_deref())?;
            line.push(b'\n');
            Ok(OutputFile {
                path: format!("{}{ENVELOPE_EXT}", build.target),
                bytes: line,
            })
        }
    }
}

/// The target an attestation file is about, from its name; `None` for other files.
pub fn target_of(file_name: &str) -> Option<&str> {
    file_name
        .strip_suffix(ENVELOPE_EXT)
        .or_else(|| file_name.strip_suffix(STATEMENT_EXT))
        .filter(|t| !t.is_empty())
}
