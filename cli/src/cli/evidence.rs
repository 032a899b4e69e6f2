//! `charter build --evidence-root DIR`: reads the evidence folder and computes, for every
//! evidence path the controls declare, whether it exists and its SHA-256, for the `evidence`
//! target (`Options.settings["evidence_status"]`). A file's hash is that of its bytes; a
//! folder's is that of its manifest, the lines `relative path\tsha256\n` of its files (at any
//! depth, `/` separators) in path order. Paths that resolve outside the root (through `..` or a
//! symbolic link) are refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use charter::ir::Model;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The status of every declared evidence path.
pub struct EvidenceStatus {
    /// The JSON object the `evidence` target reads.
    pub json: String,
    /// The declared paths that do not exist, sorted.
    pub missing: Vec<String>,
}

struct Found {
    sha256: String,
    files: usize,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path)
        .map_err(|error| format!("cannot read evidence `{}`: {error}", path.display()))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// The path with symbolic links resolved, refused when it leaves the root.
fn inside(root: &Path, path: &Path, shown: &str) -> Result<PathBuf, String> {
    let real = path
        .canonicalize()
        .map_err(|error| format!("cannot read evidence `{shown}`: {error}"))?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(format!(
            "evidence `{shown}` resolves outside the evidence root `{}`",
            root.display()
        ))
    }
}

/// Every file under `dir` as `(relative path, absolute path)`.
fn walk(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read evidence folder `{}`: {error}", dir.display()))?;
    for entry in entries {
        let entry = entry
            .map_err(|error| format!("cannot read evidence folder `{}`: {error}", dir.display()))?;
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

fn find(root: &Path, evidence: &str) -> Result<Option<Found>, String> {
    if !charter::config::is_relative_inside(evidence) {
        return Err(format!("evidence `{evidence}` leaves the evidence root"));
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
pub fn status(root: &Path, model: &Model) -> Result<EvidenceStatus, String> {
    let real_root = root
        .canonicalize()
        .and_then(|r| std::fs::read_dir(&r).map(|_| r))
        .map_err(|error| format!("cannot read evidence root `{}`: {error}", root.display()))?;
    let mut map = BTreeMap::new();
    let mut missing = Vec::new();
    for evidence in model.controls.iter().flat_map(|c| c.evidence.iter()) {
        if map.contains_key(&evidence.path) {
            continue;
        }
        let value = match find(&real_root, &evidence.path)? {
            Some(found) => json!({ "exists": true, "sha256": found.sha256, "files": found.files }),
            None => {
                missing.push(evidence.path.clone());
                json!({ "exists": false, "sha256": null, "files": 0 })
            }
        };
        map.insert(evidence.path.clone(), value);
    }
    missing.sort();
    let json = serde_json::to_string(&map).map_err(|error| error.to_string())?;
    Ok(EvidenceStatus { json, missing })
}
