//! `deprecations.md` and `deprecations.json`.

use std::fmt::Write as _;

use charter::ir::Model;
use serde_json::{Value, json};

use super::Entry;
use charter::text::markdown::{code, text as cell};

fn or_dash(text: Option<&str>) -> String {
    text.map_or_else(|| "-".to_string(), cell)
}

pub fn markdown(model: &Model, entries: &[Entry<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Deprecation calendar\n");
    let _ = writeln!(
        out,
        "Package `{}` version {}: {} event(s), one on each deprecation's date and one on each \
         sunset. Sorted by date, then event, then kind, then name. `deprecations.ics` holds the \
         same events for calendar apps.\n",
        model.package,
        model.version,
        entries.len()
    );
    if entries.is_empty() {
        let _ = writeln!(out, "Nothing is deprecated.");
        return out;
    }
    let _ = writeln!(
        out,
        "| Date | Event | What | Replacement | Note | Version |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for e in entries {
        let d = e.deprecation;
        let _ = writeln!(
            out,
            "| {} | {} | {} ({}) | {} | {} | {} |",
            e.date,
            e.event.as_str(),
            code(&e.name),
            e.kind.as_str(),
            d.replacement
                .as_deref()
                .map_or_else(|| "-".to_string(), code),
            or_dash(d.note.as_deref()),
            or_dash(d.version.as_deref()),
        );
    }
    out
}

pub fn json(model: &Model, entries: &[Entry<'_>]) -> String {
    let events: Vec<Value> = entries
        .iter()
        .map(|e| {
            let d = e.deprecation;
            json!({
                "date": e.date.to_string(),
                "event": e.event.as_str(),
                "kind": e.kind.as_str(),
                "name": e.name,
                "uid": e.uid(),
                "since": d.since.to_string(),
                "sunset": d.sunset.map(|s| s.to_string()),
                "replacement": d.replacement,
                "note": d.note,
                "version": d.version,
            })
        })
        .collect();
    let doc = json!({
        "package": model.package,
        "version": model.version,
        "events": events,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
