//! Python source text in the shape `ruff format` keeps (its default 88 columns): an expression
//! that fits on its line stays there; one that does not is exploded bracket by bracket, one
//! argument per line with a trailing comma, which ruff keeps as it is (the "magic trailing
//! comma"). Docstrings are written as ruff normalises them.

use charter::text::quote;

/// `ruff format`'s default line length.
pub const WIDTH: usize = 88;

/// An expression, laid out when written.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Text that is never split (a name, a literal, `obj["id"]`).
    Atom(String),
    /// `head(args)`, or any bracket pair: `head` ends before `open`.
    Call {
        head: String,
        open: char,
        close: char,
        args: Vec<Expr>,
    },
    /// Text before an expression: `lambda v, p: `, `name=`, `"key": `.
    Prefix(String, Box<Expr>),
    /// `[element for clause]` (or `{...}`): split as ruff splits comprehensions, the element
    /// and the clause on lines of their own.
    Comprehension {
        open: char,
        close: char,
        element: Box<Expr>,
        clause: String,
    },
}

impl Expr {
    pub fn atom(text: impl Into<String>) -> Expr {
        Expr::Atom(text.into())
    }

    /// `head(args)`.
    pub fn call(head: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Call {
            head: head.into(),
            open: '(',
            close: ')',
            args,
        }
    }

    /// A literal in brackets: `[..]`, `{..}`.
    pub fn brackets(open: char, close: char, items: Vec<Expr>) -> Expr {
        Expr::Call {
            head: String::new(),
            open,
            close,
            args: items,
        }
    }

    pub fn prefixed(prefix: impl Into<String>, inner: Expr) -> Expr {
        Expr::Prefix(prefix.into(), Box::new(inner))
    }

    /// The expression on one line.
    pub fn flat(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call {
                head,
                open,
                close,
                args,
            } => {
                let inner: Vec<String> = args.iter().map(Expr::flat).collect();
                format!("{head}{open}{}{close}", inner.join(", "))
            }
            Expr::Prefix(prefix, inner) => format!("{prefix}{}", inner.flat()),
            Expr::Comprehension {
                open,
                close,
                element,
                clause,
            } => format!("{open}{} {clause}{close}", element.flat()),
        }
    }

    /// The expression starting at column `column` of a line indented by `indent` spaces, with
    /// `tail` characters following it on its last line.
    pub fn render(&self, indent: usize, column: usize, tail: usize) -> String {
        let flat = self.flat();
        if column + flat.chars().count() + tail <= WIDTH {
            return flat;
        }
        match self {
            Expr::Atom(_) => flat,
            Expr::Call { args, .. } if args.is_empty() => flat,
            Expr::Call {
                head,
                open,
                close,
                args,
            } => {
                let inner = indent + 4;
                let pad = " ".repeat(inner);
                let mut out = format!("{head}{open}\n");
                for arg in args {
                    out.push_str(&pad);
                    out.push_str(&arg.render(inner, inner, 1));
                    out.push_str(",\n");
                }
                out.push_str(&" ".repeat(indent));
                out.push(*close);
                out
            }
            Expr::Prefix(prefix, inner) => {
                let rest = inner.render(indent, column + prefix.chars().count(), tail);
                format!("{prefix}{rest}")
            }
            Expr::Comprehension {
                open,
                close,
                element,
                clause,
            } => {
                let inner = indent + 4;
                let pad = " ".repeat(inner);
                format!(
                    "{open}\n{pad}{}\n{pad}{clause}\n{}{close}",
                    element.render(inner, inner, 0),
                    " ".repeat(indent)
                )
            }
        }
    }
}

/// Appends the statement `lead` + `expr` + `tail` at `indent` spaces, laid out.
pub fn statement(out: &mut String, indent: usize, lead: &str, expr: &Expr, tail: &str) {
    let pad = " ".repeat(indent);
    let column = indent + lead.chars().count();
    let text = expr.render(indent, column, tail.chars().count());
    out.push_str(&pad);
    out.push_str(lead);
    out.push_str(&text);
    out.push_str(tail);
    out.push('\n');
}

/// A string literal.
pub fn string(text: &str) -> Expr {
    Expr::Atom(quote::python(text))
}

/// Appends a docstring at `indent` spaces holding `paragraphs` (empty ones skipped; lines
/// trimmed, as ruff re-indents them); nothing when all are empty. Returns whether it wrote one.
pub fn docstring(out: &mut String, indent: usize, paragraphs: &[&str]) -> bool {
    let mut lines: Vec<String> = Vec::new();
    for text in paragraphs.iter().filter(|t| !t.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            text.trim()
                .lines()
                .map(|l| quote::python_docstring(l.trim())),
        );
    }
    // A blank line inside a paragraph stays one; runs of them are kept as written.
    let Some(first) = lines.first() else {
        return false;
    };
    let pad = " ".repeat(indent);
    if lines.len() == 1 {
        out.push_str(&format!("{pad}\"\"\"{first}\"\"\"\n"));
        return true;
    }
    out.push_str(&format!("{pad}\"\"\"{first}\n"));
    for line in lines.iter().skip(1) {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
    out.push_str(&format!("{pad}\"\"\"\n"));
    true
}
