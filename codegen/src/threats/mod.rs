//! The `threats` target: a threat register per subsystem.
//!
//! Files, relative to the target's folder:
//! - `threats.md`: one section per subsystem (threats without one under `unassigned`), each
//!   threat with its category, likelihood, impact, risk score, mitigating controls and the
//!   framework requirements those controls cover; unmitigated threats in their own section;
//! - `threats.json`: the same, for tools.
//!
//! The risk score is likelihood × impact, each rated low = 1, medium = 2, high = 3,
//! critical = 4, so from 1 to 16; a threat without a likelihood or an impact has no score.
//! Threats are sorted by subsystem, then score (highest first, unscored last), then id.

mod register;
mod render;

#[cfg(test)]
mod tests;

use charter::ir::Model;

use crate::{Error, Options, OutputFile, Target};

pub use register::{Entry, UNASSIGNED, entries, rating, risk};

pub struct Threats;

impl Target for Threats {
    fn name(&self) -> &'static str {
        "threats"
    }

    fn emit(&self, model: &Model, _options: &Options) -> Result<Vec<OutputFile>, Error> {
        let entries = register::entries(model);
        Ok(vec![
            OutputFile::text("threats.json", render::json(model, &entries)),
            OutputFile::text("threats.md", render::markdown(model, &entries)),
        ])
    }
}
