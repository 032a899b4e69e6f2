//! Deterministic generator of large, realistic Charter workspaces, for benchmarks and for the
//! incremental-reuse tests.
//!
//! A generated workspace is the shared package `atlas.core` (identity model, errors) and any
//! number of domain packages (`atlas.billing`, `atlas.claims`, ..., `atlas.billing2`, ...), each
//! in its own folder with the files a team would write:
//!
//! - `model.charter`: enums, the domain's entity and the actions on it;
//! - `records.charter`: API records (some `with provenance`, some deprecated), referring to the
//!   previous package's records by qualified name;
//! - `contexts.charter`: the request context;
//! - `access.charter`: the access policy (10–50 rules) and its test suite;
//! - `ingest.charter` and `ingest_test.charter`: the provenance policy and, in its own file,
//!   its test suite;
//! - `service.charter`: the HTTP API, guarded by the policies, with a deprecated operation;
//! - `controls.charter`: controls mapped to SOC 2, ISO/IEC 27001, GDPR and HIPAA, and threats.
//!
//! Every generated workspace checks clean: no errors, no warnings (see the tests below).
//! Generation is a pure function of the package count and the seed.

/// The benchmarks and generators allocate as the `charter` binary does (mimalloc), so their
/// figures are the CLI's (docs/benchmarks.md, issue 21).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Appends one formatted line to a `String` (writing to a `String` cannot fail).
macro_rules! out {
    ($s:expr) => {
        $s.push('\n')
    };
    ($s:expr, $($arg:tt)*) => {{
        let _ = writeln!($s, $($arg)*);
    }};
}

mod atlas;
pub mod contracts;
pub mod evolve;
pub mod import;
pub mod peers;
pub mod policies;
mod rng;

pub use rng::Rng;

use std::path::Path;

use charter::config::Config;
use charter::db::{Database, Workspace};
use charter::diagnostics::Diagnostic;
use charter::workspace::{self, Input};

use atlas::{core_files, domain, package_files, package_name};

/// The workspace size in lines a divan benchmark runs on: `CHARTER_BENCH_LINES` when set
/// (underscores allowed), else 100,000 under `cargo bench` and 3,000 under
/// `cargo test --benches` (the smoke run).
pub fn bench_lines() -> usize {
    if let Some(n) = std::env::var("CHARTER_BENCH_LINES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
    {
        return n;
    }
    if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        3_000
    }
}

/// The manifest every generated workspace carries.
pub fn manifest() -> String {
    "[package]\n\
     name = \"atlas\"\n\
     version = \"3.4.0\"\n\
     description = \"Atlas health and finance platform: generated benchmark workspace.\"\n\
     \n\
     [build]\n\
     sources = [\"src\"]\n\
     out = \"out\"\n\
     \n\
     [check]\n\
     min_deprecation_window_days = 180\n"
        .to_string()
}

/// The parsed manifest: settings and (no) diagnostics.
pub fn config() -> (Config, Vec<Diagnostic>) {
    workspace::manifest(&manifest())
}

/// The files as workspace inputs (paths relative to the workspace root, as `charter check`
/// names them).
pub fn inputs(files: &[(String, String)]) -> Vec<Input> {
    files
        .iter()
        .map(|(path, text)| Input {
            path: path.clone(),
            text: text.clone(),
        })
        .collect()
}

/// Creates the workspace input in `db`, exactly as `charter check` does after reading the disk.
pub fn load(db: &Database, files: &[(String, String)]) -> Workspace {
    let (config, diagnostics) = config();
    workspace::create(db, config, inputs(files), diagnostics)
}

/// Total number of lines of the files.
pub fn line_count(files: &[(String, String)]) -> usize {
    files.iter().map(|(_, text)| text.lines().count()).sum()
}

/// Writes the workspace (manifest and sources) under `dir`.
pub fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("charter.toml"), manifest())?;
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, text)?;
    }
    Ok(())
}

/// A workspace of `core` plus `packages` domain packages.
pub fn generate(packages: usize, seed: u64) -> Vec<(String, String)> {
    let mut files = core_files();
    for i in 0..packages {
        files.extend(package_files(i, seed));
    }
    files
}

/// The smallest workspace (in whole packages) with at least `lines` lines.
pub fn generate_lines(lines: usize, seed: u64) -> Vec<(String, String)> {
    let mut files = core_files();
    let mut total = line_count(&files);
    let mut i = 0;
    while total < lines {
        let package = package_files(i, seed);
        total += line_count(&package);
        files.extend(package);
        i += 1;
    }
    files
}

/// The folder of domain package `i`, such as `src/billing` or `src/claims3`.
pub fn package_dir(i: usize) -> String {
    format!("src/{}", package_name(i))
}

/// The number of domain packages of a workspace made by [`generate`] or [`generate_lines`].
pub fn package_count(files: &[(String, String)]) -> usize {
    files
        .iter()
        .filter(|(path, _)| path.ends_with("/model.charter"))
        .count()
}

/// The name of the summary record of domain package `i`, such as `InvoiceSummary`.
pub fn summary_record(i: usize) -> String {
    format!("{}Summary", domain(i).resource)
}

/// A one-character edit inside the first policy body of `text`: one letter of the first rule's
/// `because` reason changes case. No signature changes, and the file still checks clean.
pub fn edit_policy_body(text: &str) -> Option<String> {
    let policy = text.find("\npolicy ")?;
    let because = policy + text.get(policy..)?.find("because \"")? + "because \"".len();
    let c = text.get(because..)?.chars().next()?;
    let flipped = if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else {
        return None;
    };
    let mut edited = String::with_capacity(text.len());
    edited.push_str(text.get(..because)?);
    edited.push(flipped);
    edited.push_str(text.get(because + c.len_utf8()..)?);
    Some(edited)
}

/// A signature-changing edit: adds an optional field to `record {name} {`. The workspace still
/// checks clean.
pub fn edit_add_field(text: &str, record: &str) -> Option<String> {
    let header = format!("record {record} {{");
    let at = text.find(&header)? + header.len();
    let mut edited = String::with_capacity(text.len() + 80);
    edited.push_str(text.get(..at)?);
    edited.push_str("\n  /// A note added by the signature-edit benchmark.\n  bench_note: string?");
    edited.push_str(text.get(at..)?);
    Some(edited)
}

#[cfg(test)]
mod tests {

    use super::*;

    fn check(files: &[(String, String)]) -> Vec<Diagnostic> {
        let db = Database::default();
        let ws = load(&db, files);
        charter::semantics::diagnostics(&db, ws).clone()
    }

    fn show(diags: &[Diagnostic]) -> String {
        diags
            .iter()
            .take(20)
            .map(|d| format!("{}: {:?} {}\n", d.code.as_str(), d.primary, d.message))
            .collect()
    }

    #[test]
    fn small_workspace_checks_clean() {
        let files = generate(24, 1);
        let diags = check(&files);
        assert!(
            diags.is_empty(),
            "{} diagnostics:\n{}",
            diags.len(),
            show(&diags)
        );
    }

    #[test]
    fn other_seeds_check_clean() {
        for seed in [2, 3, 99] {
            let files = generate(6, seed);
            let diags = check(&files);
            assert!(
                diags.is_empty(),
                "seed {seed}: {} diagnostics:\n{}",
                diags.len(),
                show(&diags)
            );
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(5, 7), generate(5, 7));
        assert_ne!(generate(5, 7), generate(5, 8));
        // A prefix of packages does not depend on how many follow.
        let small = generate(3, 7);
        let big = generate(5, 7);
        assert!(small.iter().all(|f| big.contains(f)));
    }

    #[test]
    fn policies_have_10_to_50_rules() {
        for (path, text) in generate(20, 1) {
            if let Some(start) = text.find("\npolicy ") {
                let body = &text[start..text[start..].find("\n}").unwrap() + start];
                let rules = body
                    .lines()
                    .filter(|l| l.starts_with("  allow ") || l.starts_with("  deny "))
                    .count();
                assert!((10..=50).contains(&rules), "{path}: {rules} rules");
            }
        }
    }

    #[test]
    fn line_target_is_met() {
        let files = generate_lines(5_000, 1);
        let lines = line_count(&files);
        assert!((5_000..6_500).contains(&lines), "{lines}");
    }

    #[test]
    fn edits_keep_the_workspace_clean() {
        let mut files = generate(4, 1);
        let access = format!("{}/access.charter", package_dir(2));
        let records = format!("{}/records.charter", package_dir(1));
        for (path, text) in &mut files {
            if *path == access {
                let edited = edit_policy_body(text).unwrap();
                assert_eq!(edited.len(), text.len());
                assert_eq!(
                    edited
                        .chars()
                        .zip(text.chars())
                        .filter(|(a, b)| a != b)
                        .count(),
                    1
                );
                *text = edited;
            } else if *path == records {
                *text = edit_add_field(text, &summary_record(1)).unwrap();
            }
        }
        let diags = check(&files);
        assert!(diags.is_empty(), "{}", show(&diags));
    }
}
