//! What one diagnostic shows of its files: the lines its labels touch, each long line cut to
//! windows around the labels on it (`…` marks a cut). It implements codespan's `Files` over that
//! shown text, answering with the real line numbers and columns, so a frame costs what it shows,
//! however long the line (a minified document is one line).

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::files::{Error, Files};
use codespan_reporting::term::Config;

use super::lines::{Lines, floor_char_boundary};

/// A line with more characters than this is shown as windows around its labels.
pub const LONG_LINE: usize = 120;
/// Characters shown on each side of a labelled range of a long line.
const CONTEXT: usize = 40;
/// A labelled range with more characters than this is shown as its two ends.
const WIDE: usize = 2 * CONTEXT;
/// What marks a cut.
const CUT: &str = "…";

/// One file diagnostics point into, with its lines counted once.
pub struct File<'s> {
    name: String,
    text: &'s str,
    lines: Lines,
}

impl<'s> File<'s> {
    pub fn new(name: String, text: &'s str) -> File<'s> {
        let lines = Lines::new(text);
        File { name, text, lines }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }
}

/// The shown lines of the files one diagnostic labels.
pub struct View<'f, 's> {
    files: &'f [File<'s>],
    /// By file index: only the files this diagnostic labels.
    shown: BTreeMap<usize, Shown>,
}

/// The shown text of one file: its shown lines, in line order.
#[derive(Default)]
struct Shown {
    text: String,
    lines: Vec<ShownLine>,
}

struct ShownLine {
    /// The zero-based line in the file.
    line: usize,
    /// Where the line is in the shown text, its line end included.
    shown: Range<usize>,
    /// The parts of the line that are shown, in order.
    pieces: Vec<Piece>,
}

struct Piece {
    real: Range<usize>,
    shown_start: usize,
}

impl<'f, 's> View<'f, 's> {
    /// The view of `labels` (file index, byte range in that file, clamped to the file) and each
    /// label's range in the shown text, in order.
    pub fn new(
        files: &'f [File<'s>],
        config: &Config,
        labels: &[(usize, Range<usize>)],
    ) -> (View<'f, 's>, Vec<Range<usize>>) {
        // The lines codespan may draw for each label, with the ranges to show on each.
        let mut wanted: BTreeMap<usize, BTreeMap<usize, Vec<Range<usize>>>> = BTreeMap::new();
        for (id, range) in labels {
            let Some(file) = files.get(*id) else { continue };
            let lines = wanted.entry(*id).or_default();
            let first = file.lines.line_of(range.start);
            let last = file.lines.line_of(range.end);
            let mut want = |line: usize, range: Option<Range<usize>>| {
                if line < file.lines.count() {
                    let ranges = lines.entry(line).or_default();
                    ranges.extend(range);
                }
            };
            if first == last {
                want(first, Some(range.clone()));
            } else {
                want(first, Some(range.start..range.start));
                want(last, Some(range.end..range.end));
                // The context lines codespan draws inside a label that spans lines.
                for line in first + 1..=(first + config.start_context_lines + 1).min(last) {
                    want(line, None);
                }
                let from = last.saturating_sub(config.end_context_lines + 1).max(first);
                for line in from..last {
                    want(line, None);
                }
            }
            // A line between two drawn lines is drawn too.
            want(last + 1, None);
        }
        let mut shown = BTreeMap::new();
        for (id, lines) in wanted {
            if let Some(file) = files.get(id) {
                let text: &mut Shown = shown.entry(id).or_default();
                for (line, ranges) in lines {
                    text.push_line(file, line, &ranges);
                }
            }
        }
        let view = View { files, shown };
        let ranges = labels
            .iter()
            .map(|(id, range)| view.to_shown(*id, range.start)..view.to_shown(*id, range.end))
            .collect();
        (view, ranges)
    }

    fn to_shown(&self, id: usize, offset: usize) -> usize {
        let (Some(file), Some(shown)) = (self.files.get(id), self.shown.get(&id)) else {
            return 0;
        };
        let Some(line) = shown.line(file.lines.line_of(offset)) else {
            return 0;
        };
        let at = line
            .pieces
            .partition_point(|p| p.real.start <= offset)
            .saturating_sub(1);
        line.pieces.get(at).map_or(line.shown.start, |p| {
            p.shown_start + offset.clamp(p.real.start, p.real.end) - p.real.start
        })
    }

    fn to_real(&self, id: usize, line: usize, shown_offset: usize) -> usize {
        let Some(line) = self.shown.get(&id).and_then(|s| s.line(line)) else {
            return 0;
        };
        let at = line
            .pieces
            .partition_point(|p| p.shown_start <= shown_offset)
            .saturating_sub(1);
        line.pieces.get(at).map_or(0, |p| {
            let within = shown_offset.saturating_sub(p.shown_start);
            p.real.start + within.min(p.real.end - p.real.start)
        })
    }
}

impl Shown {
    fn line(&self, line: usize) -> Option<&ShownLine> {
        let at = self.lines.binary_search_by_key(&line, |l| l.line).ok()?;
        self.lines.get(at)
    }

    /// Adds `line` of `file`, whole if it is short, else as windows around `ranges`.
    fn push_line(&mut self, file: &File<'_>, line: usize, ranges: &[Range<usize>]) {
        let Some(real) = file.lines.range(line) else {
            return;
        };
        let text = file.text;
        let line_text = text.get(real.clone()).unwrap_or("");
        let content_len = line_text.trim_end_matches(['\n', '\r']).len();
        let content = real.start..real.start + content_len;
        let long =
            content_len > LONG_LINE && line_text.chars().take(LONG_LINE + 1).count() > LONG_LINE;
        let mut windows = Vec::new();
        if long {
            for range in ranges {
                let start =
                    floor_char_boundary(text, range.start.clamp(content.start, content.end));
                let end = floor_char_boundary(text, range.end.clamp(start, content.end));
                let wide = text
                    .get(start..end)
                    .is_some_and(|s| s.chars().take(WIDE + 1).count() > WIDE);
                if wide {
                    windows.push(around(text, &content, start, start));
                    windows.push(around(text, &content, end, end));
                } else {
                    windows.push(around(text, &content, start, end));
                }
            }
            if windows.is_empty() {
                windows.push(around(text, &content, content.start, content.start));
            }
        } else {
            windows.push(content.clone());
        }
        // The line end is always shown, so an offset there has a place.
        windows.push(content.end..real.end);
        windows.sort_by_key(|w| (w.start, w.end));
        let mut pieces: Vec<Piece> = Vec::new();
        let start = self.text.len();
        for window in windows {
            if let Some(last) = pieces.last_mut()
                && window.start <= last.real.end
            {
                if window.end > last.real.end {
                    push_text(&mut self.text, text.get(last.real.end..window.end));
                    last.real.end = window.end;
                }
                continue;
            }
            let cut = pieces.last().map_or(real.start, |p| p.real.end) < window.start;
            if cut {
                self.text.push_str(CUT);
            }
            pieces.push(Piece {
                real: window.clone(),
                shown_start: self.text.len(),
            });
            push_text(&mut self.text, text.get(window));
        }
        self.lines.push(ShownLine {
            line,
            shown: start..self.text.len(),
            pieces,
        });
    }
}

/// The window of `content` from `CONTEXT` characters before `start` to `CONTEXT` after `end`.
fn around(text: &str, content: &Range<usize>, start: usize, end: usize) -> Range<usize> {
    let before = text.get(content.start..start).unwrap_or("");
    let from = before
        .char_indices()
        .rev()
        .take(CONTEXT)
        .last()
        .map_or(start, |(i, _)| content.start + i);
    let after = text.get(end..content.end).unwrap_or("");
    let to = after
        .char_indices()
        .nth(CONTEXT)
        .map_or(content.end, |(i, _)| end + i);
    from..to
}

/// Appends `part`, never echoing a bidirectional control (E0008) to the terminal: each is shown
/// as U+FFFD, which has the same UTF-8 length, so every offset stays where it was.
fn push_text(out: &mut String, part: Option<&str>) {
    for c in part.unwrap_or("").chars() {
        out.push(if crate::syntax::lex::is_bidi_control(c) {
            '\u{FFFD}'
        } else {
            c
        });
    }
}

impl<'a> Files<'a> for View<'_, '_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(Error::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        self.shown
            .get(&id)
            .map(|s| s.text.as_str())
            .ok_or(Error::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let shown = self.shown.get(&id).ok_or(Error::FileMissing)?;
        let at = shown
            .lines
            .partition_point(|l| l.shown.start <= byte_index)
            .saturating_sub(1);
        Ok(shown.lines.get(at).map_or(0, |l| l.line))
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        let real = self.to_real(id, line_index, byte_index);
        Ok(file.lines.line_col(file.text, real).1)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let (file, shown) = self
            .files
            .get(id)
            .zip(self.shown.get(&id))
            .ok_or(Error::FileMissing)?;
        if let Some(line) = shown.line(line_index) {
            return Ok(line.shown.clone());
        }
        if line_index < file.lines.count() {
            // A line no label needs drawn: codespan asks for its range but does not draw it.
            return Ok(shown.text.len()..shown.text.len());
        }
        Err(Error::LineTooLarge {
            given: line_index,
            max: file.lines.count().saturating_sub(1),
        })
    }
}

#[cfg(test)]
#[expect(
    clippy::single_range_in_vec_init,
    reason = "a list of one label's range is meant"
)]
mod tests {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term;

    use super::{File, View};
    use crate::diagnostics::render::{Sources, text};
    use crate::diagnostics::{Diagnostic as Ours, codes};
    use crate::syntax::Span;

    /// Draws one diagnostic with `labels` (byte ranges in `source`) through the view, and
    /// straight from the whole text as codespan's own `SimpleFiles` does.
    fn both(source: &str, labels: &[std::ops::Range<usize>]) -> (String, String) {
        let config = term::Config::default();
        let draw = |files: &dyn Fn(&mut String)| {
            let mut out = String::new();
            files(&mut out);
            out
        };
        let windowed = draw(&|out| {
            let files = [File::new("a.charter".to_string(), source)];
            let spans: Vec<_> = labels.iter().map(|r| (0, r.clone())).collect();
            let (view, shown) = View::new(&files, &config, &spans);
            let labels = shown
                .into_iter()
                .enumerate()
                .map(|(i, r)| Label::primary(0, r).with_message(format!("label {i}")))
                .collect();
            let d = Diagnostic::error().with_message("m").with_labels(labels);
            *out = term::emit_into_string(&config, &view, &d).unwrap();
        });
        let whole = draw(&|out| {
            let mut files = SimpleFiles::new();
            let id = files.add("a.charter", source);
            let labels = labels
                .iter()
                .enumerate()
                .map(|(i, r)| Label::primary(id, r.clone()).with_message(format!("label {i}")))
                .collect();
            let d = Diagnostic::error().with_message("m").with_labels(labels);
            *out = term::emit_into_string(&config, &files, &d).unwrap();
        });
        (windowed, whole)
    }

    #[test]
    fn short_lines_are_drawn_as_codespan_draws_them() {
        let source = "package a\n\nrecord R {\n  é: string\n  b: int\n  c: int\n  d: int\n  e: int\n  f: int\n}\n\r\nlast";
        let cases: Vec<Vec<std::ops::Range<usize>>> = vec![
            vec![0..7],
            vec![8..8],
            vec![12..18, 23..24],
            vec![11..source.len()],
            vec![12..40, 35..36],
            vec![source.len()..source.len()],
            vec![0..0, 50..60, source.len() - 2..source.len()],
            vec![9..10],
        ];
        for labels in cases {
            let (windowed, whole) = both(source, &labels);
            assert_eq!(windowed, whole, "{labels:?}");
        }
    }

    #[test]
    fn a_long_line_is_cut_around_its_labels_with_true_columns() {
        let line = "é€𝄞x".repeat(100) + "TARGET" + &"𝄞".repeat(100);
        let source = format!("first\n{line}\nlast\n");
        let at = source.find("TARGET").unwrap();
        let (windowed, whole) = both(&source, &[at..at + 6]);
        assert_ne!(windowed, whole);
        assert!(windowed.contains("a.charter:2:401"), "{windowed}");
        assert!(windowed.contains("…"), "{windowed}");
        assert!(windowed.contains("TARGET"), "{windowed}");
        assert!(
            windowed.lines().all(|l| l.chars().count() < 140),
            "{windowed}"
        );
        // A label spanning most of the line shows both of its ends; one spanning lines too.
        let end = source.len() - 6;
        let (windowed, _) = both(&source, &[7..end, 2..at]);
        assert!(windowed.contains("a.charter:1:3"), "{windowed}");
        assert!(windowed.contains("x…é"), "{windowed}");
        assert!(
            windowed.lines().all(|l| l.chars().count() < 260),
            "{windowed}"
        );
    }

    #[test]
    fn a_megabyte_line_with_thousands_of_labels_costs_what_it_shows() {
        let mut source = String::with_capacity(1 << 20);
        let mut starts = Vec::new();
        while source.len() < (1 << 20) {
            starts.push(source.len());
            source.push_str(&format!(
                "{{\"key{}\": [1, 2, 3, \"padding padding\"]}}, ",
                starts.len()
            ));
        }
        let sources = Sources::from([("big.json".to_string(), source.clone())]);
        let diagnostics: Vec<Ours> = starts
            .iter()
            .step_by(starts.len() / 5000)
            .take(5000)
            .map(|&at| {
                let span = Span::new(at + 2, at + 9);
                Ours::warning(codes::W8001, "unused", "big.json", span).with_label("here")
            })
            .collect();
        assert_eq!(diagnostics.len(), 5000);
        let out = text(&diagnostics, &sources, false);
        // About 400 bytes a frame, not a megabyte.
        assert!(out.len() < 5000 * 1000, "{}", out.len());
        let first = out.split("warning[").nth(1).unwrap();
        assert!(first.contains("big.json:1:3"), "{first}");
        assert!(first.contains("key1\""), "{first}");
        let last = out.split("warning[").last().unwrap();
        assert!(last.contains("…"), "{last}");
    }
}
