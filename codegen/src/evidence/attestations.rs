//! Build attestations found in the evidence root (`charter build --attest`, `docs/attest.md`):
//! the CI/CD category's artefacts. The CLI finds them (every `*.intoto.json` and
//! `*.intoto.jsonl` under `--evidence-root` that reads as a Charter attestation) and the index
//! lists each with its SHA-256, the target it attests, whether it is signed and how many files
//! it names.

use std::fmt::Write as _;

use charter::text::markdown::{code, header};
use serde_json::{Value, json};

/// The category the attestations are listed under.
pub const CATEGORY: &str = "cicd";

/// One attestation file of the evidence root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attested {
    /// Relative to the evidence root, `/` separators.
    pub path: String,
    /// Of the file's bytes.
    pub sha256: String,
    /// The target it attests.
    pub target: String,
    /// A DSSE envelope (`.intoto.jsonl`), not a bare statement.
    pub signed: bool,
    /// How many files it names.
    pub subjects: u64,
}

/// The Markdown section (empty when there is no attestation).
pub fn markdown(list: &[Attested]) -> String {
    let mut out = String::new();
    if list.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n## Build attestations ({CATEGORY})\n");
    let _ = writeln!(
        out,
        "The in-toto SLSA provenance statements of `charter build --attest` found in the \
         evidence folder; check them with `charter attest verify`.\n"
    );
    header(
        &mut out,
        &["Attestation", "Target", "Signed", "Subjects", "SHA-256"],
    );
    for a in list {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | `{}` |",
            code(&a.path),
            code(&a.target),
            if a.signed { "yes (DSSE)" } else { "no" },
            a.subjects,
            a.sha256
        );
    }
    out
}

/// The `attestations` member of `index.json`.
pub fn json(list: &[Attested]) -> Value {
    json!({
        "category": CATEGORY,
        "items": list
            .iter()
            .map(|a| json!({
                "path": a.path,
                "sha256": a.sha256,
                "target": a.target,
                "signed": a.signed,
                "subjects": a.subjects,
            }))
            .collect::<Vec<_>>(),
    })
}
