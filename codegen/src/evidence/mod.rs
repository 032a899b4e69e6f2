//! The `evidence` target: an index of every evidence item the controls declare, for auditors.
//!
//! Files, relative to the target's folder:
//! - `COMPLIANCE_EVIDENCE_INDEX.md`: the items grouped by category (the path segment after
//!   `audit/ga-evidence/`, or `other`), each with its control, the framework requirements it
//!   proves, its retention and what produces it; missing evidence in its own section;
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

use charter::ir::Model;

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

/// The category of an evidence path: the segment after `audit/ga-evidence/`, else `other`.
pub fn category(path: &str) -> &str {
    path.strip_prefix(PREFIX)
        .and_then(|rest| rest.split('/').next())
        .filter(|segment| !segment.is_empty())
        .unwrap_or("other")
}
