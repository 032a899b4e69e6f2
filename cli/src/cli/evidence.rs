//! `charter build --evidence-root DIR`: reads the evidence folder and computes, for every
//! evidence path the controls declare, whether it exists and its SHA-256, for the `evidence`
//! target (`Options.evidence`). A file's hash is that of its bytes; a
//! folder's is that of its manifest, the lines `relative path\tsha256\n` of its files (at any
//! depth, `/` separators) in path order. Paths that resolve outside the root (through `..` or a
//! symbolic link) are refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use charter::diagnostics::{Diagnostic, codes};
use charter::ir::Model;
use charter_codegen::evidence::{Attested, Status};
use sha2::{Digest, Sha256};

/// The status of every declared evidence path.
pub struct EvidenceStatus {
    /// What the `evidence` target reads: each declared path's status.
    pub by_path: BTreeMap<String, Status>,
    /// The declared paths that do not exist, sorted.
    pub missing: Vec<String>,
    /// The build attestations under the root (`charter build --attest`), in path order.
    pub attestations: Vec<Attested>,
}

struct Found {
    sha256: String,
    files: usize,
}

/// E9006 for an evidence file or folder that cannot be read (`what` is `evidence`, `evidence
/// folder` or `evidence root`).
fn unreadable(what: &str, shown: &str, error: &std::io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::path_error(
            codes::E9006,
            format!("cannot read {what} `{shown}`: {error}"),
            shown,
        )
        .with_help("check the path given to `--evidence-root` and the files' permissions"),
    )
}

/// E9007 for an evidence path that leads out of the evidence root.
fn outside(message: String, shown: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::path_error(codes::E9007, message, shown).with_help(
            "evidence paths stay inside the evidence root: no `..`, no link leading out of it",
        ),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_file(path: &Path) -> Result<String, Box<Diagnostic>> {
    let bytes = std::fs::read(path)
        .map_err(|error| unreadable("evidence", &path.display().to_string(), &error))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// The path with symbolic links resolved, refused when it leaves the root.
fn inside(root: &Path, path: &Path, shown: &str) -> Result<PathBuf, Box<Diagnostic>> {
    let real = path
        .canonicalize()
        .map_err(|error| unreadable("evidence", shown, &error))?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(outside(
            format!(
                "evidence `{shown}` resolves outside the evidence root `{}`",
                root.display()
            ),
            shown,
        ))
    }
}

/// Every file under `dir` as `(relative path, absolute path)`.
fn walk(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), Box<Diagnostic>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| unreadable("evidence folder", &dir.display().to_string(), &error))?;
    for entry in entries {
        let entry = entry
            .map_err(|error| unreadable("evidence folder", &dir.display().to_string(), &error))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let real = inside(root, &entry.path(), &relative)?;
        if real.is_dir() {
            walk(root, &real, &relative, out)?;
        } else {
            out.push((relative, real));
        }
    }
    Ok(())
}

fn find(root: &Path, evidence: &str) -> Result<Option<Found>, Box<Diagnostic>> {
    if !charter::config::is_relative_inside(evidence) {
        return Err(outside(
            format!("evidence `{evidence}` leaves the evidence root"),
            evidence,
        ));
    }
    let path = root.join(evidence);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let real = inside(root, &path, evidence)?;
    if !real.is_dir() {
        return Ok(Some(Found {
            sha256: sha256_file(&real)?,
            files: 1,
        }));
    }
    let mut files = Vec::new();
    walk(root, &real, "", &mut files)?;
    files.sort();
    let mut manifest = String::new();
    for (relative, file) in &files {
        manifest.push_str(relative);
        manifest.push('\t');
        manifest.push_str(&sha256_file(file)?);
        manifest.push('\n');
    }
    Ok(Some(Found {
        sha256: hex(&Sha256::digest(manifest.as_bytes())),
        files: files.len(),
    }))
}

/// Reads the evidence folder for every path the model's controls declare.
pub fn status(root: &Path, model: &Model) -> Result<EvidenceStatus, Box<Diagnostic>> {
    let real_root = root
        .canonicalize()
        .and_then(|r| std::fs::read_dir(&r).map(|_| r))
        .map_err(|error| unreadable("evidence root", &root.display().to_string(), &error))?;
    let mut map = BTreeMap::new();
    let mut missing = Vec::new();
    for evidence in model.controls.iter().flat_map(|c| c.evidence.iter()) {
        if map.contains_key(&evidence.path) {
            continue;
        }
        let value = match find(&real_root, &evidence.path)? {
            Some(found) => Status {
                exists: true,
                sha256: Some(found.sha256),
                files: u64::try_from(found.files).unwrap_or(u64::MAX),
            },
            None => {
                missing.push(evidence.path.clone());
                Status {
                    exists: false,
                    sha256: None,
                    files: 0,
                }
            }
        };
        map.insert(evidence.path.clone(), value);
    }
    missing.sort();
    Ok(EvidenceStatus {
        by_path: map,
        missing,
        attestations: attestations(&real_root),
    })
}

/// Every file under `root` named `*.intoto.json` or `*.intoto.jsonl` that reads as a Charter
/// build attestation, in path order (links are not followed; other files are not read).
fn attestations(root: &Path) -> Vec<Attested> {
    let mut found = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push((entry.path(), relative));
            } else if kind.is_file() && charter_codegen::attest::target_of(&name).is_some() {
                let Ok(bytes) = std::fs::read(entry.path()) else {
                    continue;
                };
                if let Ok(read) = charter_codegen::attest::read(&name, &bytes, None) {
                    found.push(Attested {
                        path: relative,
                        sha256: hex(&Sha256::digest(&bytes)),
                        target: read.target,
                        signed: read.signature != charter_codegen::attest::Signature::Unsigned,
                        subjects: u64::try_from(read.subjects.len()).unwrap_or(u64::MAX),
                    });
                }
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}
