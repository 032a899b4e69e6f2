//! The bundle's files besides the modules: `data.json`, `.manifest` (its revision a SHA-256
//! digest of the other files) and the packed `bundle.tar.gz`, byte for byte deterministic.

use std::collections::{BTreeMap, BTreeSet};

use charter::ir::{Model, QualName};
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use crate::{Error, OutputFile};

/// The data roots: the enum positions and the routing table.
pub const ENUMS_ROOT: &str = "charter/enums";
pub const ROUTES_ROOT: &str = "charter/routes";
/// The router's package root.
pub const ROUTER_ROOT: &str = "charter/router";

/// `data.json`: `{"charter": {"enums": {...}, "routes": {...}}}`, pretty, keys sorted.
pub fn data(
    model: &Model,
    enums: &[&QualName],
    routes: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
) -> OutputFile {
    let compared: BTreeSet<&QualName> = enums.iter().copied().collect();
    let mut positions: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for e in &model.enums {
        if e.ordered || compared.contains(&e.name) {
            positions.insert(
                e.name.to_string(),
                e.variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.name.to_string(), i))
                    .collect(),
            );
        }
    }
    let value = json!({ "charter": { "enums": positions, "routes": routes } });
    OutputFile::text("data.json", pretty(&value))
}

/// The bundle roots: one per Charter package with policies (a package inside another's root is
/// covered by it), the router's, and the data roots. Roots must not overlap; the checker refuses
/// policies in packages that would (E3006, `charter::ir::BUNDLE_RESERVED_PACKAGES`), so the
/// error here only guards models that were not checked.
pub fn roots(model: &Model) -> Result<Vec<String>, Error> {
    let mut packages: Vec<String> = model
        .policies
        .iter()
        .map(|p| format!("charter/{}", p.name.package.replace('.', "/")))
        .collect();
    packages.sort();
    packages.dedup();
    let mut roots: Vec<String> = Vec::new();
    for root in packages {
        if !roots.iter().any(|r| overlap(r, &root)) {
            roots.push(root);
        }
    }
    let schema = super::schema::ROOT;
    for reserved in [ROUTER_ROOT, schema, ENUMS_ROOT, ROUTES_ROOT] {
        if let Some(clash) = roots.iter().find(|r| overlap(r, reserved)) {
            return Err(Error {
                message: format!(
                    "the bundle root `{clash}` of a Charter package overlaps `{reserved}`, which \
                     the bundle keeps for itself"
                ),
                help: Some(
                    "rename the package: `router`, `schema`, `enums` and `routes` name the \
                     bundle's own documents under `charter`"
                        .into(),
                ),
            });
        }
    }
    roots.extend([ROUTER_ROOT, schema, ENUMS_ROOT, ROUTES_ROOT].map(str::to_string));
    Ok(roots)
}

/// Whether one root contains the other, segment by segment (as OPA checks).
fn overlap(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.iter().zip(&b).all(|(x, y)| x == y)
}

/// The SHA-256 of `files` in path order: each path, a NUL, its length (8 bytes, big-endian) and
/// its bytes, so that no two different file sets hash alike.
pub fn revision(files: &[OutputFile]) -> String {
    let mut sorted: Vec<&OutputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = Sha256::new();
    for file in sorted {
        hasher.update(file.path.as_bytes());
        hasher.update([0u8]);
        hasher.update((file.bytes.len() as u64).to_be_bytes());
        hasher.update(&file.bytes);
    }
    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            hex.push_str(&format!("{byte:02x}"));
            hex
        })
}

/// `.manifest`.
pub fn manifest(model: &Model, revision: &str, roots: &[String]) -> OutputFile {
    let value = json!({
        "revision": revision,
        "roots": roots,
        "rego_version": 1,
        "metadata": { "package": model.package, "version": model.version },
    });
    OutputFile::text(".manifest", pretty(&value))
}

fn pretty(value: &Json) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `bundle.tar.gz` of `files`, packed deterministically (see [`crate::bundle::pack`]).
pub fn archive(
    files: &[OutputFile],
    threads: Option<std::num::NonZeroUsize>,
) -> Result<OutputFile, Error> {
    crate::bundle::pack_on(files, threads)
}
