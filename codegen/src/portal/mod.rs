//! The `portal` target: a self-contained static site for reviewers and auditors (`docs/portal.md`).
//!
//! Pages, relative to the target's folder (every URL comes from what the page shows, so it is
//! stable across builds: `site::slug`):
//! - `index.html`: readiness, coverage per framework, counts ([`overview`]);
//! - `frameworks/index.html`, `frameworks/<framework>.html` (requirements against controls) and
//!   `frameworks/<framework>/<requirement>.html` ([`frameworks`]);
//! - `controls/index.html`, `controls/<control>.html` ([`controls`]);
//! - `evidence/index.html`, then `evidence/page-2.html`, … past 500 items ([`evidence`]); `threats/index.html` with the risk matrix
//!   ([`threats`]);
//! - `policies/index.html`, `policies/<policy>.html` ([`policies`]);
//! - `contracts/index.html` with the deprecation timeline ([`timeline`]),
//!   `contracts/<service>.html` ([`contracts`]);
//! - `search.html` and `assets/search-index.js` ([`search`]); `assets/portal.css` (with the print
//!   stylesheet) and `assets/portal.js`, copied verbatim.
//!
//! No page loads anything from elsewhere: no CDN, no web fonts, no external script; a content
//! security policy on every page allows only the portal's own files. Every piece of program
//! text goes through `charter::text::html`. Every page reads fine without script (search
//! excepted, which says so). The same model and options give the same bytes.

mod contracts;
mod controls;
mod evidence;
mod frameworks;
mod overview;
mod page;
mod policies;
mod readiness;
mod search;
mod site;
mod threats;
mod timeline;

#[cfg(test)]
mod tests;

use charter::ir::Model;

use crate::{Error, Options, OutputFile, Target};

pub use site::digest;

/// What the portal reads besides the model, set by the CLI.
#[derive(Debug, Clone, Default)]
pub struct PortalOptions {
    /// The workspace's files as `(path, text)`: its sources and `charter.toml`. The footer's
    /// source digest is computed from them ([`digest`]), and each rule's condition is printed
    /// from its source as `charter fmt` prints it.
    pub sources: Vec<(String, String)>,
    /// The other targets of the same build: `openapi` and `graphql` are then linked from the
    /// contract pages (their folders sit beside `portal/`).
    pub built_with: Vec<String>,
    /// The readiness report (`charter report`'s computation, [`crate::report::build`]), when
    /// the CLI was given the day to compute it for; without it the overview shows the coverage
    /// figures alone and says how to get the gates.
    pub readiness: Option<Readiness>,
}

/// The readiness report the overview shows, and where its day came from.
#[derive(Debug, Clone)]
pub struct Readiness {
    pub report: crate::report::Report,
    /// How the day was given, as the page names it: `--today` or `SOURCE_DATE_EPOCH`.
    pub day_from: &'static str,
}

/// The static files, copied verbatim.
const ASSETS: [(&str, &str); 2] = [
    ("assets/portal.css", include_str!("assets/portal.css")),
    ("assets/portal.js", include_str!("assets/portal.js")),
];

pub struct Portal;

impl Target for Portal {
    fn name(&self) -> &'static str {
        "portal"
    }

    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let site = site::Site::new(model, options);
        let mut files: Vec<OutputFile> = ASSETS
            .iter()
            .map(|(path, text)| OutputFile::text(*path, *text))
            .collect();
        files.push(overview::render(&site));
        frameworks::render(&site, &mut files);
        controls::render(&site, &mut files);
        evidence::render(&site, &mut files);
        files.push(threats::render(&site));
        policies::render(&site, &mut files);
        contracts::render(&site, &mut files);
        search::render(&site, &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}
