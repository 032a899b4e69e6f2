//! The `calendar` target: the deprecation calendar, so that owners and clients see when each
//! deprecated declaration was deprecated and when it goes away.
//!
//! Files, relative to the target's folder:
//! - `deprecations.ics`: an iCalendar (RFC 5545) calendar with one all-day event for each
//!   deprecation (on its `since` date) and one for each sunset; CRLF line endings, lines folded
//!   at 75 octets, text escaped;
//! - `deprecations.md`: the same events as a table by date, for reviewers;
//! - `deprecations.json`: the same events, for tools.
//!
//! Deprecations come from services, operations, records, fields, enums, enum values and aliases.
//! Events are sorted by date, then event (deprecated before sunset), then kind, then name.
//!
//! Everything is deterministic: an event's UID is `<event>-<kind>-<name>@charter` (for example
//! `sunset-operation-summit.audit.AuditLog.export_csv@charter`), and its DTSTAMP is
//! `Options.source_date` (seconds since the Unix epoch, as in `SOURCE_DATE_EPOCH`)
//! when given, else the deprecation's `since` date at 00:00:00Z.

mod entries;
mod ics;
mod render;

#[cfg(test)]
mod tests;

use charter::ir::Model;

use crate::{Error, Options, OutputFile, Target};

pub use entries::{Entry, Event, Kind, entries};
pub use ics::{escape, fold, unfold};

pub struct Calendar;

impl Target for Calendar {
    fn name(&self) -> &'static str {
        "calendar"
    }

    fn emit(&self, model: &Model, options: &Options) -> Result<Vec<OutputFile>, Error> {
        let stamp = options.source_date;
        let entries = entries(model);
        Ok(vec![
            OutputFile::text("deprecations.ics", ics::calendar(model, &entries, stamp)),
            OutputFile::text("deprecations.json", render::json(model, &entries)),
            OutputFile::text("deprecations.md", render::markdown(model, &entries)),
        ])
    }
}
