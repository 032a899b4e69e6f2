//! Charter types as Go types, and their checks as Go statements (`charter.Checker`).
//!
//! | Charter | Go | check |
//! |---|---|---|
//! | `bool` | `bool` | |
//! | `int` | `int64` | |
//! | `float`, `decimal` | `float64` | |
//! | `string` | `string` | |
//! | `bytes` | `[]byte` (standard base64 on the wire) | |
//! | `timestamp` | `time.Time` (RFC 3339) | |
//! | `date` | `charter.Date` (`YYYY-MM-DD`) | |
//! | `duration`, `uuid` | `string` | `c.Duration`, `c.UUID` |
//! | `list<T>`, `set<T>` | `[]T` | items; `charter.Unique` for sets |
//! | `map<string, T>` | `map[string]T` | values |
//! | refinements | the base type | `c.Range`, `c.Pattern` |
//! | a declared type | its name (`alias.Name` from another package) | `ValidateAt` |

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use charter::ir::{Constraint, Prim, QualName, Type};
use charter::text::quote;

use super::names::GoNames;

/// How a file refers to types: its own by name, others through their import alias; which
/// standard packages it needs.
pub struct Scope<'a> {
    pub names: &'a GoNames<'a>,
    pub package: &'a str,
    /// Other Charter packages this file imports: package → alias.
    pub imports: BTreeMap<String, String>,
    pub uses_time: Cell<bool>,
}

impl Scope<'_> {
    /// The reference to a declared type (`Name`, or `alias.Name`).
    pub fn reference(&self, name: &QualName) -> String {
        let local = self.names.ty(name);
        match self.imports.get(name.package.as_str()) {
            Some(alias) if name.package != self.package => format!("{alias}.{local}"),
            _ => local.to_string(),
        }
    }

    /// The Go type of `ty` (an outer `?` is the field's business).
    pub fn go(&self, ty: &Type) -> String {
        match ty {
            Type::Prim(p) => self.prim(*p).to_string(),
            Type::Optional(inner) | Type::Refined(inner, _) => self.go(inner),
            Type::List(inner) | Type::Set(inner) => format!("[]{}", self.go(inner)),
            Type::Map(inner) => format!("map[string]{}", self.go(inner)),
            Type::Named(name, _) => self.reference(name),
            Type::Error => "any".to_string(),
        }
    }

    fn prim(&self, p: Prim) -> &'static str {
        match p {
            Prim::Bool => "bool",
            Prim::Int => "int64",
            Prim::Float | Prim::Decimal => "float64",
            Prim::String | Prim::Duration | Prim::Uuid => "string",
            Prim::Bytes => "[]byte",
            Prim::Timestamp => {
                self.uses_time.set(true);
                "time.Time"
            }
            Prim::Date => "charter.Date",
        }
    }

    /// Appends the statements that check `expr` (of the Go type of `ty`) at the JSON path
    /// `path` (a Go string expression), indented by `depth` tabs; nothing when no check applies.
    pub fn check(&self, out: &mut String, ty: &Type, expr: &str, path: &str, depth: usize) {
        let tabs = "\t".repeat(depth);
        match ty {
            Type::Prim(Prim::Duration) => {
                let _ = writeln!(out, "{tabs}c.Duration({path}, string({expr}))");
            }
            Type::Prim(Prim::Uuid) => {
                let _ = writeln!(out, "{tabs}c.UUID({path}, string({expr}))");
            }
            Type::Prim(_) | Type::Error => {}
            Type::Optional(inner) => self.check(out, inner, expr, path, depth),
            Type::Refined(inner, constraint) => match &**constraint {
                Constraint::Range { min, max } => {
                    let bound = |n: &Option<charter::ir::Number>| {
                        n.as_ref().map_or_else(
                            || "nil".to_string(),
                            |n| format!("charter.Bound({})", number(n.as_f64())),
                        )
                    };
                    let _ = writeln!(
                        out,
                        "{tabs}c.Range({path}, float64({expr}), {}, {})",
                        bound(min),
                        bound(max)
                    );
                    self.check(out, inner, expr, path, depth);
                }
                Constraint::Pattern(p) => {
                    let _ = writeln!(
                        out,
                        "{tabs}c.Pattern({path}, string({expr}), {})",
                        quote::string(p)
                    );
                    self.check(out, inner, expr, path, depth);
                }
            },
            Type::List(inner) | Type::Set(inner) => {
                if matches!(ty, Type::Set(_)) {
                    let _ = writeln!(out, "{tabs}charter.Unique(c, {path}, {expr})");
                }
                let level = depth.min(9);
                let mut body = String::new();
                let (i, e) = (format!("i{level}"), format!("e{level}"));
                self.check(
                    &mut body,
                    inner,
                    &e,
                    &format!("charter.Index({path}, {i})"),
                    depth + 1,
                );
                if !body.is_empty() {
                    let _ = writeln!(out, "{tabs}for {i}, {e} := range {} {{", bare(expr));
                    out.push_str(&body);
                    let _ = writeln!(out, "{tabs}}}");
                }
            }
            Type::Map(inner) => {
                let level = depth.min(9);
                let mut body = String::new();
                let (k, e) = (format!("k{level}"), format!("e{level}"));
                self.check(
                    &mut body,
                    inner,
                    &e,
                    &format!("charter.Join({path}, {k})"),
                    depth + 1,
                );
                if !body.is_empty() {
                    let _ = writeln!(out, "{tabs}for {k}, {e} := range {} {{", bare(expr));
                    out.push_str(&body);
                    let _ = writeln!(out, "{tabs}}}");
                }
            }
            Type::Named(name, _) => match self.names.alias(name) {
                // An alias is a Go type alias: its target's checks apply.
                Some(target) => self.check(out, target, expr, path, depth),
                None => {
                    let _ = writeln!(out, "{tabs}{expr}.ValidateAt(c, {path})");
                }
            },
        }
    }
}

/// `expr` without the parentheses gofmt drops in a `range` clause (`(*v)` → `*v`).
fn bare(expr: &str) -> &str {
    expr.strip_prefix('(')
        .and_then(|e| e.strip_suffix(')'))
        .unwrap_or(expr)
}

/// Whether a Go type is nil-able without a pointer (a slice or a map).
pub fn nilable(go: &str) -> bool {
    go.starts_with("[]") || go.starts_with("map[")
}

/// A number as a Go float literal.
fn number(value: f64) -> String {
    if value.is_finite() {
        format!("{value:?}")
    } else if value > 0.0 {
        "1.7976931348623157e308".to_string()
    } else {
        "-1.7976931348623157e308".to_string()
    }
}
