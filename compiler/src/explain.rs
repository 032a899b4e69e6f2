//! `charter explain CODE`: one page per diagnostic code, written in `docs/diagnostics/CODE.md`
//! and embedded at build time.

use crate::diagnostics::codes;

include!(concat!(env!("OUT_DIR"), "/explain_pages.rs"));

/// The explanation page of a code (case-insensitive), if the code exists.
pub fn page(code: &str) -> Option<&'static str> {
    let info = codes::lookup(code)?;
    PAGES
        .iter()
        .find(|(c, _)| *c == info.code.as_str())
        .map(|(_, text)| *text)
}
