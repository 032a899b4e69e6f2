//! Rendering diagnostics: for people (codespan-reporting), for tools (`--format json`, a stable
//! documented shape) and for CI annotations (`--format sarif`, SARIF 2.1.0).

use std::collections::BTreeMap;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use serde_json::{Value, json};

use super::lines::Lines;
use super::{Diagnostic, Severity, codes, window};

/// File texts by the path diagnostics name them with.
pub type Sources = BTreeMap<String, String>;

/// Renders diagnostics the way a terminal shows them, optionally with ANSI colours. A line
/// longer than `window::LONG_LINE` characters is shown as windows around its labels.
pub fn text(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    // Each file's lines are counted once; a frame then costs what it shows.
    let mut files = Vec::new();
    let mut ids = BTreeMap::new();
    for diagnostic in diagnostics {
        let primary = (!diagnostic.path_only).then_some(&diagnostic.primary);
        for label in primary.into_iter().chain(&diagnostic.secondary) {
            if !ids.contains_key(&label.file) {
                let text = sources.get(&label.file).map_or("", String::as_str);
                ids.insert(label.file.clone(), files.len());
                files.push(window::File::new(label.file.clone(), text));
            }
        }
    }
    let config = term::Config::default();
    let mut buffer = if color {
        term::termcolor::Buffer::ansi()
    } else {
        term::termcolor::Buffer::no_color()
    };
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut spans = Vec::new();
        let mut styles = Vec::new();
        let clamp = |id: usize, span: crate::syntax::Span| {
            let len = files.get(id).map_or(0, window::File::len);
            let start = (span.start as usize).min(len);
            let end = (span.end as usize).clamp(start, len);
            start..end
        };
        if diagnostic.path_only {
            // About a path, not a place in a file: the path is shown, and no source frame.
        } else if let Some(&id) = ids.get(&diagnostic.primary.file) {
            spans.push((id, clamp(id, diagnostic.primary.span)));
            styles.push((cs::LabelStyle::Primary, &diagnostic.primary.message));
        }
        for label in &diagnostic.secondary {
            if let Some(&id) = ids.get(&label.file) {
                spans.push((id, clamp(id, label.span)));
                styles.push((cs::LabelStyle::Secondary, &label.message));
            }
        }
        let (view, shown) = window::View::new(&files, &config, &spans);
        let labels: Vec<_> = spans
            .iter()
            .zip(shown)
            .zip(&styles)
            .map(|(((id, _), range), (style, message))| {
                cs::Label::new(*style, *id, range).with_message(*message)
            })
            .collect();
        let mut notes = Vec::new();
        if diagnostic.path_only && !diagnostic.primary.file.is_empty() {
            notes.push(format!("path: {}", diagnostic.primary.file));
        }
        notes.extend(diagnostic.notes.iter().cloned());
        if let Some(help) = &diagnostic.help {
            notes.push(format!("help: {help}"));
        }
        let rendered = cs::Diagnostic::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(notes);
        // A rendering failure (a span past the end of a file that changed) falls back to one line.
        if term::emit_to_write_style(&mut buffer, &config, &view, &rendered).is_err() {
            let line = format!(
                "{}[{}]: {} ({})\n",
                severity_word(diagnostic.severity),
                diagnostic.code.as_str(),
                diagnostic.message,
                diagnostic.primary.file
            );
            let _ = std::io::Write::write_all(&mut buffer, line.as_bytes());
        }
    }
    // A bidirectional control may still come in through a file name: never echo one.
    String::from_utf8_lossy(buffer.as_slice())
        .chars()
        .map(|c| {
            if crate::syntax::lex::is_bidi_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// JSON text with every bidirectional control written as a `\uXXXX` escape: the same JSON
/// value, but the raw character never reaches a terminal or a log (they can only occur inside
/// strings, where the escape is valid).
pub fn escape_bidi_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if crate::syntax::lex::is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The texts and line tables of the files diagnostics point into, each built once, so that a
/// position costs a binary search, not a pass over its file.
struct Positions<'s> {
    files: BTreeMap<&'s str, (&'s str, Lines)>,
}

impl<'s> Positions<'s> {
    fn new(diagnostics: &'s [Diagnostic], sources: &'s Sources) -> Positions<'s> {
        let mut files = BTreeMap::new();
        for d in diagnostics {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                files.entry(label.file.as_str()).or_insert_with(|| {
                    let text = sources.get(&label.file).map_or("", String::as_str);
                    (text, Lines::new(text))
                });
            }
        }
        Positions { files }
    }

    /// The 1-based line and column (in Unicode scalar values) of a byte offset.
    fn line_col(&self, file: &str, offset: u32) -> (usize, usize) {
        self.files.get(file).map_or((1, 1), |(text, lines)| {
            lines.line_col(text, offset as usize)
        })
    }

    fn range_json(&self, file: &str, span: crate::syntax::Span) -> Value {
        let (sl, sc) = self.line_col(file, span.start);
        let (el, ec) = self.line_col(file, span.end);
        json!({
            "start": { "line": sl, "column": sc },
            "end": { "line": el, "column": ec },
        })
    }
}

/// The `--format json` document. Its shape is documented in `docs/diagnostics-json.md` and
/// versioned by its `version` field.
pub fn json(diagnostics: &[Diagnostic], sources: &Sources) -> Value {
    let positions = Positions::new(diagnostics, sources);
    let items: Vec<Value> = diagnostics.iter().map(|d| item(d, &positions)).collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    json!({
        "version": 1,
        "diagnostics": items,
        "summary": { "errors": errors, "warnings": diagnostics.len() - errors },
    })
}

/// Writes the `--format json` document (pretty, as `{:#}` of [`json`] prints it, byte for byte)
/// with one more top-level member `extra_key` (which must sort between `diagnostics` and
/// `summary`, as the document's keys are sorted), without building the whole document first:
/// each diagnostic's value is built, written and dropped in turn, so a command reporting 100,000
/// warnings needs memory for one.
pub fn write_json<W: std::io::Write, E: serde::Serialize>(
    out: W,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    extra: Option<(&str, &E)>,
) -> serde_json::Result<()> {
    struct Items<'a, 's>(&'a [Diagnostic], &'a Positions<'s>);
    impl serde::Serialize for Items<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.iter().map(|d| item(d, self.1)))
        }
    }
    struct Doc<'a, 's, E> {
        items: Items<'a, 's>,
        extra: Option<(&'a str, &'a E)>,
    }
    impl<E: serde::Serialize> serde::Serialize for Doc<'_, '_, E> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let errors = self.items.0.iter().filter(|d| d.is_error()).count();
            let warnings = self.items.0.len() - errors;
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("diagnostics", &self.items)?;
            if let Some((key, value)) = self.extra {
                map.serialize_entry(key, value)?;
            }
            map.serialize_entry(
                "summary",
                &json!({ "errors": errors, "warnings": warnings }),
            )?;
            map.serialize_entry("version", &1)?;
            map.end()
        }
    }
    let positions = Positions::new(diagnostics, sources);
    let doc = Doc {
        items: Items(diagnostics, &positions),
        extra,
    };
    serde_json::to_writer_pretty(out, &doc)
}

/// One diagnostic of the `--format json` document.
fn item(d: &Diagnostic, positions: &Positions<'_>) -> Value {
    let labels: Vec<Value> = d
        .secondary
        .iter()
        .map(|l| {
            json!({
                "file": l.file,
                "span": { "start": l.span.start, "end": l.span.end },
                "range": positions.range_json(&l.file, l.span),
                "message": l.message,
            })
        })
        .collect();
    // A diagnostic about a path names only the file: no span, no range; one about the
    // command line has no file either.
    let file = if d.path_only && d.primary.file.is_empty() {
        Value::Null
    } else {
        json!(d.primary.file)
    };
    let (span, range) = if d.path_only {
        (Value::Null, Value::Null)
    } else {
        (
            json!({ "start": d.primary.span.start, "end": d.primary.span.end }),
            positions.range_json(&d.primary.file, d.primary.span),
        )
    };
    json!({
        "code": d.code.as_str(),
        "severity": d.severity,
        "message": d.message,
        "file": file,
        "span": span,
        "range": range,
        "label": d.primary.message,
        "labels": labels,
        "notes": d.notes,
        "help": d.help,
    })
}

/// The `--format sarif` document (SARIF 2.1.0), with one rule per code that occurs.
pub fn sarif(diagnostics: &[Diagnostic], sources: &Sources) -> Value {
    let positions = Positions::new(diagnostics, sources);
    let mut rules = BTreeMap::new();
    for d in diagnostics {
        if let Some(info) = codes::lookup(d.code.as_str()) {
            rules.insert(
                info.code.as_str(),
                json!({
                    "id": info.code.as_str(),
                    "shortDescription": { "text": info.summary },
                    "fullDescription": { "text": format!("{}: {}. Run `charter explain {}` for details.", info.code.as_str(), info.summary, info.code.as_str()) },
                    "defaultConfiguration": { "level": sarif_level(info.severity) },
                }),
            );
        }
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let region = |file: &str, span: crate::syntax::Span| {
                let (sl, sc) = positions.line_col(file, span.start);
                let (el, ec) = positions.line_col(file, span.end);
                json!({ "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec })
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let related: Vec<Value> = d
                .secondary
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": l.file },
                            "region": region(&l.file, l.span),
                        },
                    })
                })
                .collect();
            // A diagnostic about a path has a location without a region.
            let mut physical = json!({ "artifactLocation": { "uri": d.primary.file } });
            if !d.path_only
                && let Some(object) = physical.as_object_mut()
            {
                object.insert(
                    "region".to_string(),
                    region(&d.primary.file, d.primary.span),
                );
            }
            json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rule_index.get(d.code.as_str()).copied().unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": message },
                "locations": if d.path_only && d.primary.file.is_empty() {
                    json!([])
                } else {
                    json!([{ "physicalLocation": physical }])
                },
                "relatedLocations": related,
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "charter",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
