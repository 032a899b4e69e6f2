//! Issue 17's round-trip property on large public OpenAPI documents (`tests/import/public/`,
//! each over 20,000 lines, OpenAPI 3.0 and 3.1) and on the OpenAPI Initiative's examples
//! (`tests/import/openapi/`): import → `charter check` → `charter build --target openapi` →
//! `charter drift` against the original document, and every difference drift reports maps to
//! an import warning (docs/import.md, "The round-trip property"), so nothing is lost silently.
//!
//! A difference maps to a warning when the warning's JSON pointer is one of the difference's
//! origins in the original document (`charter_interop::compare::origins`: the operation,
//! parameter, body or response, and every schema node the normalised pointer was computed from,
//! through `$ref`s, `allOf` parts and `anyOf`/`oneOf` members), or lies below one of the deepest
//! of them, or by the two documented mappings of `maps` (`required` sets, moved paths).
//!
//! `CHARTER_ROUND_TRIP_REPORT=1` prints each document's figures (the table of docs/import.md).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use charter_interop::compare::{Difference, Kind, origins};
use serde_json::Value;

mod support;
use support::{charter, stderr, stdout};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One warning of `charter import --format json`: its code and JSON pointer.
struct Warning {
    code: String,
    pointer: String,
}

/// What a round trip found.
#[derive(Default)]
struct Figures {
    lines: usize,
    operations: usize,
    schemas: usize,
    warnings: BTreeMap<String, usize>,
    differences: BTreeMap<String, usize>,
    mapped: usize,
    unmapped: Vec<String>,
}

/// The document's text: `NAME.gz` is decompressed (the public documents are stored so).
fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        text
    } else {
        String::from_utf8(bytes).unwrap()
    }
}

/// Imports `path`, checks, builds and drifts the workspace against the original, and pairs each
/// difference with the warnings.
fn round_trip(path: &Path) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let text = read(path);
    let original = dir.path().join(name);
    std::fs::write(&original, &text).unwrap();
    let o = charter(
        &["import", "openapi", name, "--out", "ws", "--format", "json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let warnings: Vec<Warning> = report["import"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| Warning {
            code: w["code"].as_str().unwrap().to_string(),
            pointer: w["pointer"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    let o = charter(&["check", "ws"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{name}: check: {}", stderr(&o));
    let o = charter(&["build", "ws", "--target", "openapi"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{name}: build: {}", stderr(&o));
    let o = charter(
        &["drift", "ws", "--openapi", name, "--format", "json"],
        dir.path(),
    );
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{name}: drift: {}",
        stderr(&o)
    );
    let drift: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let differences: Vec<Difference> = drift["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Difference {
            kind: kind(d["code"].as_str().unwrap()),
            operation: d["operation"].as_str().map(str::to_string),
            pointer: d["pointer"]
                .as_str()
                .unwrap()
                .trim_start_matches('#')
                .to_string(),
            message: d["message"].as_str().unwrap().to_string(),
        })
        .collect();
    let doc = charter_interop::openapi::doc::load(&text, name)
        .unwrap()
        .root;
    let built = std::fs::read_dir(dir.path().join("ws/out/openapi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let rebuilt: Value = serde_json::from_str(&std::fs::read_to_string(built).unwrap()).unwrap();
    let mut figures = Figures {
        lines: text.lines().count(),
        operations: operations(&doc),
        schemas: doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map_or(0, serde_json::Map::len),
        ..Figures::default()
    };
    for w in &warnings {
        *figures.warnings.entry(w.code.clone()).or_default() += 1;
    }
    let warned: BTreeSet<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    for d in &differences {
        *figures
            .differences
            .entry(d.kind.code().as_str().to_string())
            .or_default() += 1;
        if maps(&doc, &rebuilt, d, &warned) {
            figures.mapped += 1;
        } else {
            figures.unmapped.push(format!(
                "{} {}: {}",
                d.kind.code().as_str(),
                d.pointer,
                d.message
            ));
        }
    }
    figures
}

fn kind(code: &str) -> Kind {
    [
        Kind::MissingOperation,
        Kind::ExtraOperation,
        Kind::Parameter,
        Kind::RequestBody,
        Kind::Response,
        Kind::Schema,
    ]
    .into_iter()
    .find(|k| k.code().as_str() == code)
    .unwrap()
}

fn operations(doc: &Value) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    doc["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
            .sum()
    })
}

/// Is the difference explained by a warning (docs/import.md, "The round-trip property")?
/// - the warning is at one of the difference's origins in the original document, or at its
///   `oneOf`, `anyOf`, `allOf`, `not` or `type` (the node's shape was approximated) or at or
///   below its `enum` (renamed values: the default written with them differs too), or below
///   one of the deepest origins (a warning about a property's `format` explains a difference
///   in it);
/// - a `required` difference: every property required only in the original has a warning at
///   (or below) that property (a required nullable made optional, W8007; a renamed property,
///   W8002, whose new name is then required only in the contract);
/// - an operation only the contract has: a warned path key with `?` or `#` (W8001) of the same
///   method, whose part before the `?`/`#` starts the operation's path (the importer moved it).
fn maps(doc: &Value, rebuilt: &Value, d: &Difference, warned: &BTreeSet<&str>) -> bool {
    let from = origins(doc, d);
    let covered = |o: &str| {
        warned.contains(o)
            || warned
                .range::<str, _>((std::ops::Bound::Excluded(o), std::ops::Bound::Unbounded))
                .next()
                .is_some_and(|w| w.starts_with(&format!("{o}/")))
    };
    let deepest = |o: &&String| !from.iter().any(|p| p.starts_with(&format!("{o}/")));
    // A warning about a node's own shape (a union imported as its first alternative, several
    // types, an `allOf` that is not of objects, a `not`) covers everything in that node.
    let shape = |o: &String| {
        ["oneOf", "anyOf", "allOf", "not", "type"]
            .iter()
            .any(|k| warned.contains(format!("{o}/{k}").as_str()))
            || covered(&format!("{o}/enum"))
    };
    if from.iter().any(|o| warned.contains(o.as_str()) || shape(o))
        || from.iter().filter(deepest).any(|o| covered(o))
    {
        return true;
    }
    if d.pointer.ends_with("/required") {
        let names = |doc: &Value| -> BTreeSet<String> {
            origins(doc, d)
                .iter()
                .filter(|o| o.ends_with("/required"))
                .filter_map(|o| doc.pointer(o).and_then(Value::as_array))
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let (ours, theirs) = (names(rebuilt), names(doc));
        let nodes: Vec<&str> = from
            .iter()
            .filter_map(|o| o.strip_suffix("/required"))
            .collect();
        // The original's names must each be warned; the contract's own names then stand for
        // the renamed ones (W8002), so they are explained when some original name is.
        let lost: Vec<&String> = theirs.difference(&ours).collect();
        let explained = lost.iter().all(|name| {
            let name = charter::text::pointer::escape(name);
            nodes
                .iter()
                .any(|n| covered(&format!("{n}/properties/{name}")))
        });
        return explained && (ours.is_subset(&theirs) || !lost.is_empty());
    }
    if d.kind == Kind::MissingOperation {
        let mut parts = d.pointer.rsplitn(2, '/');
        let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
            return false;
        };
        let path = charter::text::pointer::unescape(path.trim_start_matches("/paths/"));
        return doc["paths"].as_object().is_some_and(|paths| {
            paths.keys().any(|key| {
                let Some(cut) = key.find(['?', '#']) else {
                    return false;
                };
                let item = format!("/paths/{}", charter::text::pointer::escape(key));
                path.starts_with(&key[..cut])
                    && doc["paths"][key].get(method).is_some()
                    && (warned.contains(item.as_str()) || covered(&format!("{item}/{method}")))
            })
        });
    }
    false
}

/// The differences known to map to no warning yet (`tests/import/public/unwarned.txt`: one
/// `FILE CODE POINTER` line each, `#` comments): silent losses the round trip found that are
/// not fixed yet, each listed so that none can be added unnoticed and a fixed one must be
/// removed from the list.
fn known_unwarned(file: &str) -> BTreeSet<String> {
    let list = std::fs::read_to_string(repo().join("tests/import/public/unwarned.txt")).unwrap();
    list.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(' '))
        .filter(|(f, _)| *f == file)
        .map(|(_, rest)| rest.to_string())
        .collect()
}

fn check(path: &Path) -> Figures {
    let figures = round_trip(path);
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    if std::env::var_os("CHARTER_ROUND_TRIP_REPORT").is_some() {
        eprintln!(
            "| `{file}` | {} | {} | {} | {:?} | {:?} | {} |",
            figures.lines,
            figures.operations,
            figures.schemas,
            figures.warnings,
            figures.differences,
            figures.mapped,
        );
        for u in &figures.unmapped {
            eprintln!("UNWARNED {file} {u}");
        }
    }
    let known = known_unwarned(&file);
    let found: BTreeSet<String> = figures
        .unmapped
        .iter()
        .map(|u| u.split(": ").next().unwrap().to_string())
        .collect();
    let new: Vec<&String> = found.difference(&known).collect();
    let fixed: Vec<&String> = known.difference(&found).collect();
    assert!(
        new.is_empty(),
        "{file}: {} of {} differences map to no warning (and are not in unwarned.txt):\n{}",
        new.len(),
        figures.mapped + figures.unmapped.len(),
        figures
            .unmapped
            .iter()
            .filter(|u| new.iter().any(|n| u.starts_with(n.as_str())))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        fixed.is_empty(),
        "{file}: these differences are warned or gone now; remove them from unwarned.txt:\n{fixed:?}"
    );
    figures
}

#[test]
fn twilio_api_v2010() {
    let f = check(&repo().join("tests/import/public/twilio_api_v2010.yaml.gz"));
    assert!(f.lines > 20_000 && f.operations > 100, "{}", f.lines);
}

#[test]
fn box_openapi() {
    let f = check(&repo().join("tests/import/public/box-openapi.json.gz"));
    assert!(f.lines > 20_000 && f.operations > 100, "{}", f.lines);
}

#[test]
fn discord_openapi() {
    let f = check(&repo().join("tests/import/public/discord-openapi.json.gz"));
    assert!(f.lines > 20_000 && f.operations > 100, "{}", f.lines);
}

#[test]
fn openai_openapi() {
    let f = check(&repo().join("tests/import/public/openai-openapi.yaml.gz"));
    assert!(f.lines > 20_000 && f.operations > 100, "{}", f.lines);
}

#[test]
fn oai_examples() {
    for file in [
        "petstore.yaml",
        "petstore-expanded.yaml",
        "api-with-examples.yaml",
        "webhook-example.yaml",
    ] {
        check(&repo().join("tests/import/openapi").join(file));
    }
}
