//! The calendar target: snapshots of the summit calendar, and unit tests of folding, escaping,
//! line endings and determinism. `tests/opa/test_calendar.py` parses the calendar with a real
//! iCalendar reader.

use charter::ir::Model;

use super::{Calendar, escape, fold, unfold};
use crate::testing::{model, summit};
use crate::{Options, OutputFile, Target};

fn emit_with(model: &Model, options: &Options) -> Vec<OutputFile> {
    Calendar.emit(model, options).unwrap()
}

fn emit(model: &Model) -> Vec<OutputFile> {
    emit_with(model, &Options::default())
}

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        panic!("no {path} in {paths:?}")
    });
    std::str::from_utf8(&file.bytes).unwrap()
}

const LONG_NOTE: &str = "Ersetzt durch den neuen Endpunkt — bitte überall migrieren; \
    données anonymisées, 日本語の説明も含む, emoji 🚀🚀🚀 and a backslash \\ to escape, \
    so that this note is far longer than seventy-five octets.";

fn demo() -> Model {
    model(&format!(
        "package demo\n\n\
         @deprecated(since: 2026-01-01, note: \"use Level2\")\n\
         enum Level {{ low, @deprecated(since: 2026-02-01, sunset: 2027-02-01) mid, high }}\n\
         record Item {{\n  id: string\n  \
         @deprecated(since: 2026-03-01, sunset: 2027-03-01, version: \"1.0.0\", note: \"{}\")\n  \
         old: string?\n}}\n\
         service Items version \"1.0.0\" at \"/items\" {{\n  \
         op get GET \"/v2/items/{{id}}\" (id: string) -> Item\n  \
         @deprecated(since: 2026-03-01, sunset: 2027-03-01, use: get, note: \"v1; gone, soon\")\n  \
         op get_v1 GET \"/v1/items/{{id}}\" (id: string) -> Item\n}}\n",
        LONG_NOTE.replace('\\', "\\\\")
    ))
}

#[test]
fn summit_ics() {
    let files = emit(&summit());
    let ics = text(&files, "deprecations.ics");
    // insta compares without line endings: check CRLF here, snapshot with LF.
    assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
    insta::assert_snapshot!("ics", ics.replace("\r\n", "\n"));
}

#[test]
fn summit_markdown() {
    insta::assert_snapshot!("markdown", text(&emit(&summit()), "deprecations.md"));
}

#[test]
fn summit_json() {
    insta::assert_snapshot!("json", text(&emit(&summit()), "deprecations.json"));
}

#[test]
fn one_event_per_deprecation_and_sunset() {
    let files = emit(&demo());
    let ics = text(&files, "deprecations.ics");
    // enum Level (no sunset), Level.mid, Item.old, Items.get_v1: 4 deprecations, 3 sunsets.
    assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), 7);
    let json: serde_json::Value = serde_json::from_str(text(&files, "deprecations.json")).unwrap();
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), 7);
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted);
    let uids: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
    assert_eq!(uids.len(), 7);
    assert!(uids.contains("sunset-operation-demo.Items.get_v1@charter"));
    assert!(uids.contains("deprecated-value-demo.Level.mid@charter"));
    assert!(ics.contains("SUMMARY:Deprecated: operation demo.Items.get_v1 (use get)\r\n"));
    let md = text(&files, "deprecations.md");
    assert!(md.contains("| 2027-03-01 | sunset | `demo.Items.get_v1` (operation) | `get` |"));
}

#[test]
fn escaping() {
    assert_eq!(escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    assert_eq!(escape("plain: text"), "plain: text");
    let files = emit(&demo());
    let unfolded = unfold(text(&files, "deprecations.ics"));
    assert!(unfolded.contains("Note: v1\\; gone\\, soon"), "{unfolded}");
    assert!(unfolded.contains("a backslash \\\\ to escape"));
}

#[test]
fn folding_keeps_lines_short_and_characters_whole() {
    let line = format!("DESCRIPTION:{}", escape(LONG_NOTE));
    let folded = fold(&line);
    assert!(folded.ends_with("\r\n"));
    let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(physical.len() > 2);
    for (i, p) in physical.iter().enumerate() {
        assert!(p.len() <= 75, "{} octets: {p}", p.len());
        if i > 0 {
            assert!(p.starts_with(' '), "{p:?}");
        }
    }
    assert_eq!(unfold(folded.trim_end_matches("\r\n")), line);
    // Exactly 75 octets stays on one line; 76 folds.
    let exact = "X".repeat(75);
    assert_eq!(fold(&exact), format!("{exact}\r\n"));
    assert_eq!(fold(&"X".repeat(76)), format!("{exact}\r\n X\r\n"));
    // A three-octet character that would cross octet 75 moves whole to the next line.
    let edge = format!("{}€", "X".repeat(73));
    assert_eq!(fold(&edge), format!("{}\r\n €\r\n", "X".repeat(73)));
}

#[test]
fn every_line_is_short_and_ends_in_crlf() {
    for model in [demo(), summit()] {
        let files = emit(&model);
        let ics = text(&files, "deprecations.ics");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(!ics.replace("\r\n", "").contains('\r'));
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = unfold(ics);
        for property in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:"] {
            assert!(
                unfolded.contains(&format!("\r\n{property}")) || unfolded.starts_with(property)
            );
        }
    }
    let files = emit(&demo());
    let unfolded = unfold(text(&files, "deprecations.ics"));
    assert!(unfolded.contains(&format!("Note: {}", escape(LONG_NOTE))));
}

#[test]
fn deterministic() {
    let model = demo();
    assert_eq!(emit(&model), emit(&model));
    assert_eq!(emit(&summit()), emit(&summit()));
    let ics = text(&emit(&model), "deprecations.ics").to_string();
    // Without source_date, DTSTAMP is the deprecation's own date at midnight UTC.
    assert!(ics.contains(
        "UID:sunset-operation-demo.Items.get_v1@charter\r\nDTSTAMP:20260301T000000Z\r\n\
         DTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270302\r\n"
    ));
    let options = Options {
        source_date: Some(1_767_225_600),
        ..Options::default()
    };
    let stamped = emit_with(&model, &options);
    assert_eq!(stamped, emit_with(&model, &options));
    let stamped = text(&stamped, "deprecations.ics");
    assert_eq!(stamped.matches("DTSTAMP:").count(), 7);
    assert_eq!(stamped.matches("DTSTAMP:20260101T000000Z\r\n").count(), 7);
}

#[test]
fn nothing_deprecated() {
    let files = emit(&model("package demo\n\nrecord R { id: string }\n"));
    let ics = text(&files, "deprecations.ics");
    assert!(!ics.contains("VEVENT"));
    assert!(text(&files, "deprecations.md").contains("Nothing is deprecated."));
}
