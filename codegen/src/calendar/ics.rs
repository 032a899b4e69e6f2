//! `deprecations.ics`: RFC 5545 line folding and the calendar itself (text escaping is
//! `charter::text::ics`).

use charter::ir::Model;
use charter::literal::Date;

use super::{Entry, Event};

/// The longest line, in octets, without its CRLF (RFC 5545 §3.1).
pub const MAX_OCTETS: usize = 75;

/// A TEXT value escaped (RFC 5545 §3.3.11): [`charter::text::ics::escape`].
pub use charter::text::ics::escape;

/// One content line folded (RFC 5545 §3.1): no physical line over 75 octets, breaks only
/// between UTF-8 characters, each continuation starting with one space; every line ends in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > MAX_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// Folded text unfolded: every CRLF followed by a space or tab removed.
pub fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

/// `YYYYMMDD`.
fn date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

/// The date `days` days after 1970-01-01, as (year, month, day).
fn civil(days: i64) -> (i64, i64, i64) {
    let d = charter::literal::Date::from_days_since_epoch(days);
    (i64::from(d.year), i64::from(d.month), i64::from(d.day))
}

/// The day after `d`, as `YYYYMMDD` (the exclusive end of an all-day event).
fn next_day(d: Date) -> String {
    let (y, m, day) = civil(d.days_since_epoch() + 1);
    format!("{y:04}{m:02}{day:02}")
}

/// A UTC date-time `YYYYMMDDTHHMMSSZ` from seconds since the epoch.
pub fn timestamp(seconds: i64) -> String {
    let (y, m, d) = civil(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The event's one-line summary.
pub fn summary(entry: &Entry<'_>) -> String {
    let what = match entry.event {
        Event::Deprecated => "Deprecated",
        Event::Sunset => "Sunset",
    };
    let mut text = format!("{what}: {} {}", entry.kind.as_str(), entry.name);
    if let Some(r) = &entry.deprecation.replacement {
        text.push_str(&format!(" (use {r})"));
    }
    text
}

/// The event's description: dates, replacement, note and version, one per line.
pub fn description(entry: &Entry<'_>) -> String {
    let d = entry.deprecation;
    let mut lines = vec![format!(
        "{} {} deprecated since {}.",
        entry.kind.as_str(),
        entry.name,
        d.since
    )];
    match d.sunset {
        Some(s) => lines.push(format!("Sunset: {s}.")),
        None => lines.push("Sunset: not scheduled.".into()),
    }
    if let Some(r) = &d.replacement {
        lines.push(format!("Replacement: {r}"));
    }
    if let Some(n) = &d.note {
        lines.push(format!("Note: {n}"));
    }
    if let Some(v) = &d.version {
        lines.push(format!("Version: {v}"));
    }
    lines.join("\n")
}

/// The whole calendar. `stamp` (seconds since the epoch) fixes every DTSTAMP; without it each
/// event's DTSTAMP is its deprecation's `since` date at midnight UTC.
pub fn calendar(model: &Model, entries: &[Entry<'_>], stamp: Option<i64>) -> String {
    let mut out = String::new();
    let mut line = |text: &str| out.push_str(&fold(text));
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Charter//Deprecation calendar//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{} {} deprecations", model.package, model.version))
    ));
    for entry in entries {
        let dtstamp = match stamp {
            Some(seconds) => timestamp(seconds),
            None => format!("{}T000000Z", date(entry.deprecation.since)),
        };
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", entry.uid()));
        line(&format!("DTSTAMP:{dtstamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", date(entry.date)));
        line(&format!("DTEND;VALUE=DATE:{}", next_day(entry.date)));
        line(&format!("SUMMARY:{}", escape(&summary(entry))));
        line(&format!("DESCRIPTION:{}", escape(&description(entry))));
        line(&format!(
            "CATEGORIES:{},{}",
            escape(entry.event.as_str()),
            escape(entry.kind.as_str())
        ));
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn civil_round_trips() {
        for days in [-1_000_000, -1, 0, 1, 59, 365, 20_000, 2_932_896] {
            let (y, m, d) = civil(days);
            let date = Date {
                year: i32::try_from(y).unwrap(),
                month: u32::try_from(m).unwrap(),
                day: u32::try_from(d).unwrap(),
            };
            assert_eq!(date.days_since_epoch(), days);
        }
        assert_eq!(timestamp(0), "19700101T000000Z");
        assert_eq!(timestamp(1_767_225_599), "20251231T235959Z");
        assert_eq!(
            next_day(Date {
                year: 2028,
                month: 2,
                day: 28
            }),
            "20280229"
        );
    }
}
