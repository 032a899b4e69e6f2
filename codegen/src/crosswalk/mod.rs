//! The `crosswalk` target: which framework requirements the workspace's controls cover, with the
//! policies that enforce them and their evidence; and which requirements nothing covers.
//!
//! Files, relative to the target's folder:
//! - `crosswalk.md`: for reviewers ([`markdown`]);
//! - `crosswalk.csv` and `crosswalk.json`: one row per (requirement, control) pair and one per
//!   uncovered requirement; the JSON adds coverage numbers ([`rows`]);
//! - `oscal/component-definition.json`: an OSCAL 1.1.2 component definition ([`oscal`]), with
//!   requirement ids mapped to OSCAL tokens ([`token`]) and a deterministic `last-modified`
//!   ([`date`]: `Options.source_date`, seconds since the epoch, else the epoch).
//!
//! A mapping to a HIPAA implementation specification also covers its standard (the
//! requirement's `parent`): relationship `via <specification id>`.
//!
//! [`diff`] compares two models' coverage (`charter crosswalk --diff`).
//!
//! Only the frameworks the workspace maps to are listed (a control covers one of their
//! requirements); `charter crosswalk --diff` still compares every catalogue.
//!
//! Frameworks come in the order `soc2`, `iso27001`, `gdpr`, `hipaa` (others after, by name),
//! requirements in catalogue order, controls by id: the same model gives the same bytes.

pub(crate) mod date;
pub mod diff;
mod markdown;
mod oscal;
mod rows;
mod token;
pub mod view;

#[cfg(test)]
mod diff_tests;
#[cfg(test)]
mod tests;

use charter::ir::Model;

use crate::{Error, Options, OutputFile, Target};

pub struct Crosswalk;

impl Target for Crosswalk {
    fn name(&self) -> &'static str {
        "crosswalk"
    }

    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let cw = view::mapped(model);
        let rows = rows::rows(&cw);
        let last_modified = date::last_modified(options)?;
        let mut files = vec![
            OutputFile::text(
                markdown::PATH,
                markdown::render(&model.package, &model.version, &cw),
            ),
            OutputFile {
                path: rows::CSV_PATH.to_string(),
                bytes: rows::csv(&rows)?,
            },
            OutputFile::text(rows::JSON_PATH, rows::json(&cw, &rows)?),
            OutputFile::text(
                oscal::PATH,
                oscal::render(&model.package, &model.version, last_modified, &cw)?,
            ),
        ];
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}
