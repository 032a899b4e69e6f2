//! Diagnostics as values: a stable code, a severity, a terse message, a primary span, labels and
//! a `help:`. Every stage returns them; only the CLI and the LSP render them.

pub mod codes;
mod lines;
pub mod render;
mod window;

use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A stable diagnostic code such as `E2001`. See [`codes`] for the table: its constants are
/// the only values, so a code that is not in the table (or is retired) cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(&'static str);

impl Code {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// A place in a file, with an optional message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: String,
    pub span: Span,
    pub message: String,
}

/// A `help:` line, with the replacement it proposes for the primary span when it proposes one
/// (a did-you-mean, see [`suggestion`]). `String` and `&str` convert into a help without one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Help {
    pub text: String,
    pub replacement: Option<String>,
}

impl Help {
    /// `did you mean `name`?`, proposing `name`.
    pub fn did_you_mean(name: &str) -> Help {
        Help {
            text: format!("did you mean `{name}`?"),
            replacement: Some(name.to_string()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The same help with `prefix` written before its text when it proposes a replacement.
    pub fn prefixed_if_proposing(self, prefix: &str) -> Help {
        match self.replacement {
            Some(_) => Help {
                text: format!("{prefix}{}", self.text),
                replacement: self.replacement,
            },
            None => self,
        }
    }
}

impl From<String> for Help {
    fn from(text: String) -> Help {
        Help {
            text,
            replacement: None,
        }
    }
}

impl From<&str> for Help {
    fn from(text: &str) -> Help {
        Help::from(text.to_string())
    }
}

impl From<&String> for Help {
    fn from(text: &String) -> Help {
        Help::from(text.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    /// The diagnostic is about the path `primary.file` itself (a folder that does not exist, a
    /// file that cannot be read), not a place in its text: it is shown without a source frame,
    /// and in JSON and SARIF with a location that names only the path. With an empty path it
    /// is about the command line (a bad flag value) and has no location at all.
    pub path_only: bool,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The replacement the `help` proposes for the primary span (a did-you-mean),
    /// machine-readable for editors' quick fixes; set with the help from a [`Help`].
    pub suggestion: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: Code,
        severity: Severity,
        message: impl Into<String>,
        file: &str,
        span: Span,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label {
                file: file.to_string(),
                span,
                message: String::new(),
            },
            path_only: false,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    /// A diagnostic about the path `path` itself, not a place in a file (see
    /// [`Diagnostic::path_only`]).
    pub fn about_path(
        code: Code,
        severity: Severity,
        message: impl Into<String>,
        path: &str,
    ) -> Self {
        let mut diagnostic = Self::new(code, severity, message, path, Span::default());
        diagnostic.path_only = true;
        diagnostic
    }

    /// An error about the command line itself (an unknown target, a bad flag value): no file,
    /// no span (see [`Diagnostic::path_only`]).
    pub fn command_error(code: Code, message: impl Into<String>) -> Self {
        Self::about_path(code, Severity::Error, message, "")
    }

    /// An error about the path `path` itself (see [`Diagnostic::about_path`]).
    pub fn path_error(code: Code, message: impl Into<String>, path: &str) -> Self {
        Self::about_path(code, Severity::Error, message, path)
    }

    pub fn error(code: Code, message: impl Into<String>, file: &str, span: Span) -> Self {
        Self::new(code, Severity::Error, message, file, span)
    }

    pub fn warning(code: Code, message: impl Into<String>, file: &str, span: Span) -> Self {
        Self::new(code, Severity::Warning, message, file, span)
    }

    /// The message under the primary span.
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(mut self, file: &str, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file: file.to_string(),
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The `help:` line (an empty one is no help), with the replacement it proposes if any.
    pub fn with_help(mut self, help: impl Into<Help>) -> Self {
        let help = help.into();
        if !help.is_empty() {
            self.suggestion = help.replacement;
            self.help = Some(help.text);
        }
        self
    }

    /// In-place forms of the builders, for diagnostics already pushed to a list.
    pub fn label(&mut self, message: impl Into<String>) -> &mut Self {
        self.primary.message = message.into();
        self
    }

    pub fn help(&mut self, help: impl Into<Help>) -> &mut Self {
        let help = help.into();
        self.suggestion = help.replacement;
        self.help = Some(help.text);
        self
    }

    pub fn secondary(&mut self, file: &str, span: Span, message: impl Into<String>) -> &mut Self {
        self.secondary.push(Label {
            file: file.to_string(),
            span,
            message: message.into(),
        });
        self
    }

    pub fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are reported in: by file, then position, then code.
    pub fn sort_key(&self) -> (&str, Span, Code, &str) {
        (
            &self.primary.file,
            self.primary.span,
            self.code,
            &self.message,
        )
    }
}

/// Sorts diagnostics into report order and removes exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// The closest of `candidates` to `name`, if any is close enough to suggest: the fewest edits
/// (Damerau-Levenshtein, ignoring case), then the longest shared start, then Jaro-Winkler, then the
/// name itself, so the answer is deterministic.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, usize, f64, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let other = candidate.to_lowercase();
        let distance = strsim::damerau_levenshtein(&lower, &other);
        if distance > limit {
            continue;
        }
        let prefix = lower
            .chars()
            .zip(other.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let similarity = strsim::jaro_winkler(&lower, &other);
        let better = match best {
            None => true,
            Some((d, p, s, c)) => {
                (distance, std::cmp::Reverse(prefix)) < (d, std::cmp::Reverse(p))
                    || ((distance, prefix) == (d, p)
                        && (similarity > s || (similarity == s && candidate < c)))
            }
        };
        if better {
            best = Some((distance, prefix, similarity, candidate));
        }
    }
    best.map(|(_, _, _, c)| c)
}

/// `help: did you mean `x`?` (proposing `x`) or a fallback.
pub fn suggestion<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: &str,
) -> Help {
    match did_you_mean(name, candidates) {
        Some(best) => Help::did_you_mean(best),
        None => Help::from(fallback),
    }
}

#[cfg(test)]
mod tests {
    use super::{Diagnostic, Help, codes, suggestion};
    use crate::syntax::Span;

    #[test]
    fn the_replacement_comes_from_the_help_not_its_prose() {
        let d = Diagnostic::error(
            codes::E1001,
            "unknown name `Strng`",
            "a.charter",
            Span::default(),
        )
        .with_help(suggestion("Strng", ["string", "int"], "declare it"));
        assert_eq!(d.help.as_deref(), Some("did you mean `string`?"));
        assert_eq!(d.suggestion.as_deref(), Some("string"));
        // Prose that reads like a did-you-mean proposes nothing.
        let d = Diagnostic::error(codes::E1001, "m", "a.charter", Span::default())
            .with_help("did you mean `x`?");
        assert_eq!(d.suggestion, None);
        let d = Diagnostic::error(codes::E1001, "m", "a.charter", Span::default())
            .with_help(Help::did_you_mean("x").prefixed_if_proposing("no package `p`; "));
        assert_eq!(d.help.as_deref(), Some("no package `p`; did you mean `x`?"));
        assert_eq!(d.suggestion.as_deref(), Some("x"));
    }

    #[test]
    fn a_diagnostic_about_a_path_has_no_frame_and_no_span() {
        let d = Diagnostic::path_error(codes::E9006, "`nope` does not exist", "nope");
        let sources = super::render::Sources::new();
        let text = super::render::text(std::slice::from_ref(&d), &sources, false);
        assert!(
            text.contains("error[E9006]: `nope` does not exist"),
            "{text}"
        );
        assert!(text.contains("= path: nope"), "{text}");
        assert!(!text.contains('│'), "{text}");
        let json = super::render::json(std::slice::from_ref(&d), &sources);
        assert_eq!(json["diagnostics"][0]["file"], "nope");
        assert!(json["diagnostics"][0]["span"].is_null());
        let command = Diagnostic::command_error(codes::E9008, "unknown target `x`");
        let sarif = super::render::sarif(&[command], &sources);
        assert_eq!(
            sarif["runs"][0]["results"][0]["locations"],
            serde_json::json!([])
        );
    }

    #[test]
    fn the_streamed_json_document_is_the_built_one_byte_for_byte() {
        let mut sources = super::render::Sources::new();
        sources.insert("a.yaml".into(), "one: 1\ntwo: [é, 2]\n".into());
        let diagnostics = [
            Diagnostic::warning(
                codes::W8004,
                "a \"quoted\" warning",
                "a.yaml",
                Span::new(8, 16),
            )
            .with_help("help")
            .with_note("a note"),
            Diagnostic::path_error(codes::E9006, "`nope` does not exist", "nope"),
        ];
        for list in [&diagnostics[..], &diagnostics[..1], &[]] {
            let built = super::render::json(list, &sources);
            let mut streamed = Vec::new();
            super::render::write_json::<_, ()>(&mut streamed, list, &sources, None)
                .expect("written");
            assert_eq!(String::from_utf8_lossy(&streamed), format!("{built:#}"));
            let extra = serde_json::json!({ "out": "x", "warnings": [{ "code": "W8004" }] });
            let mut with = built.clone();
            if let Some(object) = with.as_object_mut() {
                object.insert("import".into(), extra.clone());
            }
            let mut streamed = Vec::new();
            super::render::write_json(&mut streamed, list, &sources, Some(("import", &extra)))
                .expect("written");
            assert_eq!(String::from_utf8_lossy(&streamed), format!("{with:#}"));
        }
    }
}
