//! The `evidence` target: an index of every evidence item the controls declare, for auditors.
//!
//! Files, relative to the target's folder:
//! - `COMPLIANCE_EVIDENCE_INDEX.md`: the items grouped by category (the evidence's `category`,
//!   else the path segment after `audit/ga-evidence/`, else `other`, with W9001), each with its
//!   control, the framework requirements it proves, its retention as written and what produces
//!   it; missing evidence in its own section;
//! - `index.json`: the same, for tools.
//!
//! The producer is the evidence's `produced by`, else the control's `enforced by` policies.
//! Whether each item exists, and its SHA-256, is only known when the CLI reads the evidence
//! folder (`charter build --evidence-root DIR`) and passes the result as the
//! `evidence_status` setting: a JSON object `{ "<path>": { "exists": bool, "sha256": "<hex>" |
//! null, "files": n } }`. A folder's hash is the SHA-256 of its manifest, the sorted lines
//! `relative path\tsha256\n` of its files. With a status, a path it does not list is missing.
//! The build attestations found in the evidence root (`Options.attestations`) are listed as the
//! `cicd` category's artefacts, with their digests ([`attestations`]).

mod attestations;
mod index;
mod render;

#[cfg(test)]
pub(crate) mod tests;

use charter::diagnostics::{Diagnostic, codes};
use charter::ir::{Evidence, Model};

use crate::{Error, Options, OutputFile, Target};

pub use attestations::Attested;
pub use index::{Item, Status, items};

/// The path prefix under which the segment after it names an evidence category.
pub const PREFIX: &str = "audit/ga-evidence/";

pub struct EvidenceIndex;

impl Target for EvidenceIndex {
    fn name(&self) -> &'static str {
        "evidence"
    }

    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let status = options.evidence.as_ref();
        let items = index::items(model, status);
        let checked = status.is_some();
        Ok(vec![
            OutputFile::text(
                "COMPLIANCE_EVIDENCE_INDEX.md",
                render::markdown(model, &items, checked)
                    + &attestations::markdown(&options.attestations),
            ),
            OutputFile::text(
                "index.json",
                render::json(model, &items, checked, &options.attestations),
            ),
        ])
    }
}

/// The category of an evidence item: its `category`, else [`category`] of its path.
pub fn category_of(evidence: &Evidence) -> &str {
    evidence
        .category
        .as_deref()
        .unwrap_or_else(|| category(&evidence.path))
}

/// W9001 for every evidence item that neither declares a `category` nor follows the path
/// convention `audit/ga-evidence/<category>/...`: the index files it under `other`.
pub fn uncategorised(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for control in &model.controls {
        for e in &control.evidence {
            if e.category.is_none() && category(&e.path) == "other" {
                out.push(
                    Diagnostic::warning(
                        codes::W9001,
                        format!("evidence `{}` has no category", e.path),
                        &e.loc.file,
                        e.loc.span,
                    )
                    .with_label("filed under `other` in the evidence index")
                    .with_help(format!(
                        "declare it: `evidence \"{}\" category ci_cd`, or place it under `{PREFIX}<category>/`",
                        e.path
                    )),
                );
            }
        }
    }
    out
}

/// The category of an evidence path: the segment after `audit/ga-evidence/`, else `other`.
pub fn category(path: &str) -> &str {
    path.strip_prefix(PREFIX)
        .and_then(|rest| rest.split('/').next())
        .filter(|segment| !segment.is_empty())
        .unwrap_or("other")
}
