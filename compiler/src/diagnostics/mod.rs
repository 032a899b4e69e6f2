//! Diagnostics as values: a stable code, a severity, a terse message, a primary span, labels and
//! a `help:`. Every stage returns them; only the CLI and the LSP render them.

pub mod codes;
pub mod render;

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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The replacement a did-you-mean `help` proposes for the primary span, machine-readable
    /// for editors' quick fixes (set by [`Diagnostic::with_help`] from the `help` text that
    /// [`suggestion`] writes).
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
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            suggestion: None,
        }
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

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        if !help.is_empty() {
            self.suggestion = proposed(&help);
            self.help = Some(help);
        }
        self
    }

    /// In-place forms of the builders, for diagnostics already pushed to a list.
    pub fn label(&mut self, message: impl Into<String>) -> &mut Self {
        self.primary.message = message.into();
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        let help = help.into();
        self.suggestion = proposed(&help);
        self.help = Some(help);
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

/// The name a `did you mean `x`?` help proposes (the form [`suggestion`] writes).
fn proposed(help: &str) -> Option<String> {
    let rest = help.split("did you mean `").nth(1)?;
    let (name, after) = rest.split_once('`')?;
    after.starts_with('?').then(|| name.to_string())
}

/// `help: did you mean `x`?` or a fallback.
pub fn suggestion<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: &str,
) -> String {
    match did_you_mean(name, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => fallback.to_string(),
    }
}
