//! `charter build --attest` (or `[build] attest = true`): what the build reads for the
//! attestations (the sources as read, `charter.toml`, `SOURCE_DATE_EPOCH`) and the folder
//! `OUT/attestations/` it writes, one file per target (`docs/attest.md`).
//!
//! The folder is a folder of the output folder like a target's: listed in the mark, replaced
//! whole and atomically (`output::replace_target`), after every target of the build is written.
//! A target rebuilt without `--attest` loses its attestation (it would no longer be true); the
//! attestations of targets this build did not touch are kept.

use std::path::Path;

use charter::diagnostics::{Diagnostic, codes};
use charter_codegen::attest::{self, Build, Source};
use charter_codegen::{Options, OutputFile};
use serde_json::json;

use super::super::load::Loaded;
use super::super::output::Mark;

/// The latest `SOURCE_DATE_EPOCH` Charter writes (9999-12-31T23:59:59Z).
const LAST_SECOND: i64 = 253_402_300_799;

/// `SOURCE_DATE_EPOCH` (unset or empty: `None`); E9030 when it is not whole seconds since the
/// epoch up to the year 9999.
pub fn source_date(value: Option<&str>) -> Result<Option<i64>, Box<Diagnostic>> {
    let Some(text) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    text.parse::<i64>()
        .ok()
        .filter(|s| (0..=LAST_SECOND).contains(s))
        .map(Some)
        .ok_or_else(|| {
            Box::new(
                Diagnostic::command_error(
                    codes::E9030,
                    format!("SOURCE_DATE_EPOCH `{text}` is not whole seconds since the Unix epoch"),
                )
                .with_help(
                    "set it to a time such as the last commit's, `git log -1 --format=%ct`, or unset it",
                ),
            )
        })
}

/// What every attestation of one build shares, and the attestations made so far.
pub struct Attester {
    /// Each source's path and SHA-256.
    sources: Vec<(String, String)>,
    settings: serde_json::Value,
    source_date: Option<i64>,
    targets: Vec<String>,
    /// The attestation files made so far, relative to the attestations folder.
    pub files: Vec<OutputFile>,
}

impl Attester {
    /// The sources (workspace files, then `charter.toml`) and the settings of this build.
    pub fn new(
        loaded: &Loaded,
        options: &Options,
        targets: &[String],
        evidence_root: bool,
        source_date: Option<i64>,
    ) -> Attester {
        let mut sources: Vec<(String, String)> = Vec::new();
        for file in loaded.ws.files(&loaded.db) {
            let path = file.path(&loaded.db);
            if !path.starts_with(charter::stdlib::STD_PREFIX) {
                sources.push((
                    path.clone(),
                    attest::sha256(file.text(&loaded.db).as_bytes()),
                ));
            }
        }
        let manifest = loaded.root.join(charter::config::MANIFEST);
        if let Ok(bytes) = charter_lsp::disk::read_bytes(
            &loaded.root,
            &manifest,
            charter_lsp::disk::MAX_FILE_BYTES,
        ) {
            sources.push((
                charter::config::MANIFEST.to_string(),
                attest::sha256(&bytes),
            ));
        }
        let sdk = &options.sdk;
        let settings = json!({
            "workspace": { "name": loaded.config.name, "version": loaded.config.version },
            "bundleSigned": options.signing.is_some(),
            "bundleKeyId": options.signing.as_ref().and_then(|k| k.key_id.clone()),
            "evidenceChecked": evidence_root,
            "sdk": {
                "name": sdk.name,
                "version": sdk.version,
                "goModule": sdk.go_module,
                "compatRenames": sdk.renames.len(),
            },
        });
        Attester {
            sources,
            settings,
            source_date,
            targets: targets.to_vec(),
            files: Vec::new(),
        }
    }

    /// Makes the attestation of `target`, whose files are `files` (signed when `options`
    /// carries a signing key).
    pub fn add(
        &mut self,
        target: &str,
        files: &[OutputFile],
        options: &Options,
    ) -> Result<(), charter_codegen::Error> {
        let sources: Vec<Source<'_>> = self
            .sources
            .iter()
            .map(|(path, sha256)| Source { path, sha256 })
            .collect();
        let build = Build {
            target,
            targets: &self.targets,
            files,
            sources: &sources,
            settings: self.settings.clone(),
            compiler_version: env!("CARGO_PKG_VERSION"),
            source_date: self.source_date,
        };
        let file = attest::attestation(&build, options.signing.as_ref())?;
        self.files.push(file);
        Ok(())
    }
}

/// The attestations folder after a build of `rebuilt` targets: the attestations the mark lists
/// for the other targets, as they are on disk, and `new`. `None` when there is nothing to write
/// (no attestation made and none listed).
pub fn folder(
    out: &Path,
    mark: &Mark,
    rebuilt: &[String],
    new: Vec<OutputFile>,
) -> Option<Vec<OutputFile>> {
    let listed = mark.targets.get(attest::FOLDER);
    if new.is_empty() && listed.is_none() {
        return None;
    }
    let dir = out.join(attest::FOLDER);
    let mut files: Vec<OutputFile> = listed
        .into_iter()
        .flatten()
        .filter(|name| attest::target_of(name).is_some_and(|t| !rebuilt.iter().any(|r| r == t)))
        .filter_map(|name| {
            let path = dir.join(name);
            let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            regular
                .then(|| std::fs::read(&path).ok())
                .flatten()
                .map(|bytes| OutputFile {
                    path: name.clone(),
                    bytes,
                })
        })
        .collect();
    files.extend(new);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Some(files)
}
