//! Path templates (`/v2/events/{id}`): literal text and `{name}` parameters, parsed once.

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// Text written as it is (`/v2/events/`).
    Literal(String),
    /// A `{name}` parameter (the name without braces).
    Param(String),
}

/// A template with a `{` that is not closed. The checker reports it (E4010) and keeps
/// [`PathError::salvaged`], so that the parameters before it still count; only models with
/// errors hold such a template, and no target reads those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    salvaged: PathTemplate,
}

impl PathError {
    /// The template with the parameters before the unclosed `{`, the rest literal text.
    pub fn salvaged(self) -> PathTemplate {
        self.salvaged
    }
}

/// A path as written and its segments. Two templates are equal when their text is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PathTemplate {
    text: String,
    segments: Vec<Segment>,
}

impl PathTemplate {
    /// Parses `text`. A parameter runs from `{` to the next `}`. Parameter names are not checked
    /// here; the checker reports undeclared ones.
    pub fn parse(text: &str) -> Result<PathTemplate, PathError> {
        let mut segments = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let before = rest.get(..open).unwrap_or("");
            let after = rest.get(open + 1..).unwrap_or("");
            if !before.is_empty() {
                segments.push(Segment::Literal(before.to_string()));
            }
            let Some(close) = after.find('}') else {
                segments.push(Segment::Literal(format!("{{{after}")));
                return Err(PathError {
                    salvaged: PathTemplate {
                        text: text.to_string(),
                        segments,
                    },
                });
            };
            segments.push(Segment::Param(after.get(..close).unwrap_or("").to_string()));
            rest = after.get(close + 1..).unwrap_or("");
        }
        if !rest.is_empty() {
            segments.push(Segment::Literal(rest.to_string()));
        }
        Ok(PathTemplate {
            text: text.to_string(),
            segments,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The template with parameter names erased (`/a/{}/b`), for comparing routes.
    pub fn erased(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            match s {
                Segment::Literal(text) => out.push_str(text),
                Segment::Param(_) => out.push_str("{}"),
            }
        }
        out
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
