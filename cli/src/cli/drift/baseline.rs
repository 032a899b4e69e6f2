//! The drift baseline: a JSON file of accepted, known differences, so that `charter drift` can
//! gate a build from the first day. Each entry is keyed by the difference's code and JSON
//! pointer (its message is kept for the reader, not compared):
//!
//! ```json
//! { "version": 1, "accepted": [ { "code": "E8106", "pointer": "#/components/schemas/Pet/…",
//!   "message": "…" } ] }
//! ```
//!
//! Entries are sorted by code, then pointer, one per (code, pointer), so that the file diffs well.

use std::collections::BTreeSet;

use charter_interop::compare::Difference;
use serde_json::{Value, json};

/// The version of the baseline format this build reads and writes.
pub const VERSION: u64 = 1;

/// One accepted difference: its code and its pointer (with the leading `#`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub code: String,
    pub pointer: String,
    pub message: String,
}

impl Entry {
    pub fn of(d: &Difference) -> Entry {
        Entry {
            code: d.kind.code().as_str().to_string(),
            pointer: format!("#{}", d.pointer),
            message: d.message.clone(),
        }
    }

    fn key(&self) -> (&str, &str) {
        (&self.code, &self.pointer)
    }
}

/// The baseline file's text for these differences.
pub fn write(differences: &[Difference]) -> String {
    let mut entries: Vec<Entry> = differences.iter().map(Entry::of).collect();
    entries.sort();
    entries.dedup_by(|a, b| a.key() == b.key());
    let accepted: Vec<Value> = entries
        .iter()
        .map(|e| json!({ "code": e.code, "pointer": e.pointer, "message": e.message }))
        .collect();
    format!(
        "{:#}\n",
        json!({ "version": VERSION, "accepted": accepted })
    )
}

/// Reads a baseline file's text; the error says what is wrong with it.
pub fn read(text: &str) -> Result<Vec<Entry>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match doc.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(v) => return Err(format!("version {v}; this charter reads version {VERSION}")),
        None => return Err("no `version`".into()),
    }
    let list = doc
        .get("accepted")
        .and_then(Value::as_array)
        .ok_or("no `accepted` list")?;
    list.iter()
        .enumerate()
        .map(|(i, e)| {
            let field = |name: &str| e.get(name).and_then(Value::as_str).map(str::to_string);
            match (field("code"), field("pointer")) {
                (Some(code), Some(pointer)) => Ok(Entry {
                    code,
                    pointer,
                    message: field("message").unwrap_or_default(),
                }),
                _ => Err(format!("entry {i} has no string `code` and `pointer`")),
            }
        })
        .collect()
}

/// The differences split by the baseline: (failing, accepted), and the baseline entries that no
/// longer occur (stale: remove them).
pub fn apply<'d>(
    differences: &'d [Difference],
    baseline: &[Entry],
) -> (Vec<&'d Difference>, Vec<&'d Difference>, Vec<Entry>) {
    let keys: BTreeSet<(&str, &str)> = baseline.iter().map(Entry::key).collect();
    let found: Vec<Entry> = differences.iter().map(Entry::of).collect();
    let (accepted, failing): (Vec<_>, Vec<_>) = differences
        .iter()
        .zip(&found)
        .partition(|(_, e)| keys.contains(&e.key()));
    let occurring: BTreeSet<(&str, &str)> = found.iter().map(Entry::key).collect();
    let stale = baseline
        .iter()
        .filter(|e| !occurring.contains(&e.key()))
        .cloned()
        .collect();
    (
        failing.into_iter().map(|(d, _)| d).collect(),
        accepted.into_iter().map(|(d, _)| d).collect(),
        stale,
    )
}

#[cfg(test)]
mod tests {
    use super::{apply, read, write};
    use charter_interop::compare::{Difference, Kind};

    fn diff(kind: Kind, pointer: &str) -> Difference {
        Difference {
            kind,
            operation: None,
            pointer: pointer.into(),
            message: format!("at {pointer}"),
        }
    }

    #[test]
    fn a_written_baseline_accepts_what_it_recorded_and_names_what_is_gone() {
        let now = [
            diff(Kind::Schema, "/components/schemas/B"),
            diff(Kind::Schema, "/components/schemas/A"),
            diff(Kind::Response, "/components/schemas/A"),
        ];
        let text = write(&now);
        let entries = read(&text).expect("a baseline");
        assert_eq!(entries.len(), 3);
        assert!(entries.windows(2).all(|w| w[0] < w[1]), "sorted: {text}");
        let later = [
            diff(Kind::Schema, "/components/schemas/A"),
            diff(Kind::Schema, "/components/schemas/C"),
        ];
        let (failing, accepted, stale) = apply(&later, &entries);
        assert_eq!(failing, [&later[1]]);
        assert_eq!(accepted, [&later[0]]);
        let gone: Vec<(&str, &str)> = stale
            .iter()
            .map(|e| (e.code.as_str(), e.pointer.as_str()))
            .collect();
        assert_eq!(
            gone,
            [
                ("E8105", "#/components/schemas/A"),
                ("E8106", "#/components/schemas/B")
            ]
        );
    }

    #[test]
    fn a_malformed_baseline_is_refused() {
        assert!(read("[]").is_err());
        assert!(read(r#"{"version": 2, "accepted": []}"#).is_err());
        assert!(read(r#"{"version": 1, "accepted": [{"code": "E8106"}]}"#).is_err());
        assert_eq!(read(r#"{"version": 1, "accepted": []}"#), Ok(Vec::new()));
    }
}
