//! Charter types as Python annotations, and how a value of each is read from JSON
//! (`_charter.read_*`), written to JSON and checked (`_charter.Checker`).
//!
//! | Charter | Python | JSON |
//! |---|---|---|
//! | `bool`, `string` | `bool`, `str` | as is |
//! | `int` | `int` (exact, 64-bit on the wire) | as is |
//! | `float` | `float` | as is |
//! | `decimal` | `decimal.Decimal` (exact) | a number, digit for digit |
//! | `bytes` | `bytes` | standard base64 |
//! | `timestamp` | `datetime.datetime`, timezone-aware | RFC 3339 |
//! | `date` | `datetime.date` | `YYYY-MM-DD` |
//! | `duration`, `uuid` | `str`, checked | as is |
//! | `list<T>`, `set<T>` | `list[T]` (a set's items unique) | an array |
//! | `map<string, T>` | `dict[str, T]` | an object |
//! | a record or shape | its dataclass | `to_json()` / `from_json()` |
//! | a closed enum | a `str`-valued `enum.Enum` | its value |
//! | an open enum | a `_charter.OpenEnum` (any string) | the string |
//! | an alias | a `typing.TypeAlias` of its target, checked as the target | the target's |

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use charter::ir::{Constraint, Prim, QualName, Type};

use super::code::{Expr, string};
use super::names::PyNames;

/// How a module refers to types and which standard modules it uses.
pub struct Scope<'a> {
    pub names: &'a PyNames<'a>,
    pub package: &'a str,
    /// Other Charter packages this module imports: package → alias.
    pub imports: BTreeMap<String, String>,
    /// The modules the text written so far uses (`datetime`, `_charter`, ...).
    pub used: RefCell<BTreeSet<&'static str>>,
    /// Numbers the loop variables of the checks, so no two loops of a function share one.
    pub loops: std::cell::Cell<usize>,
}

/// How a value is read: a callable `(value, path) -> T`, or a call taking more arguments
/// after those two.
enum Reader {
    Callable(String),
    Call(String, Expr),
}

impl Scope<'_> {
    /// A fresh loop number.
    fn fresh(&self) -> usize {
        let n = self.loops.get();
        self.loops.set(n + 1);
        n
    }

    /// Notes that the module uses `module`.
    pub fn uses(&self, module: &'static str) {
        self.used.borrow_mut().insert(module);
    }

    /// The reference to a declared type (`Name`, or `_alias.Name`).
    pub fn reference(&self, name: &QualName) -> String {
        let local = self.names.ty(name);
        match self.imports.get(name.package.as_str()) {
            Some(alias) if name.package != self.package => format!("{alias}.{local}"),
            _ => local.to_string(),
        }
    }

    /// The annotation of `ty` (an outer `?` is the field's business).
    pub fn annotation(&self, ty: &Type) -> String {
        match ty {
            Type::Prim(p) => self.prim(*p).to_string(),
            Type::Optional(inner) | Type::Refined(inner, _) => self.annotation(inner),
            Type::List(inner) | Type::Set(inner) => format!("list[{}]", self.annotation(inner)),
            Type::Map(inner) => format!("dict[str, {}]", self.annotation(inner)),
            Type::Named(name, _) => self.reference(name),
            Type::Error => "object".to_string(),
        }
    }

    fn prim(&self, p: Prim) -> &'static str {
        match p {
            Prim::Bool => "bool",
            Prim::Int => "int",
            Prim::Float => "float",
            Prim::Decimal => {
                self.uses("decimal");
                "decimal.Decimal"
            }
            Prim::String | Prim::Duration | Prim::Uuid => "str",
            Prim::Bytes => "bytes",
            Prim::Timestamp => {
                self.uses("datetime");
                "datetime.datetime"
            }
            Prim::Date => {
                self.uses("datetime");
                "datetime.date"
            }
        }
    }

    fn reader(&self, ty: &Type) -> Reader {
        let runtime = |name: &str| Reader::Callable(format!("_charter.{name}"));
        match ty {
            Type::Prim(p) => runtime(match p {
                Prim::Bool => "read_bool",
                Prim::Int => "read_int",
                Prim::Float => "read_float",
                Prim::Decimal => "read_decimal",
                Prim::String => "read_str",
                Prim::Duration => "read_duration",
                Prim::Uuid => "read_uuid",
                Prim::Bytes => "read_bytes",
                Prim::Timestamp => "read_datetime",
                Prim::Date => "read_date",
            }),
            Type::Optional(inner) | Type::Refined(inner, _) => self.reader(inner),
            Type::List(inner) | Type::Set(inner) => {
                Reader::Call("_charter.read_list".into(), self.callable(inner))
            }
            Type::Map(inner) => Reader::Call("_charter.read_map".into(), self.callable(inner)),
            Type::Named(name, _) => {
                if let Some(target) = self.names.alias(name) {
                    return self.reader(target);
                }
                let class = self.reference(name);
                match self.names.enum_open(name) {
                    Some(false) => Reader::Call("_charter.read_enum".into(), Expr::atom(class)),
                    Some(true) => Reader::Call("_charter.read_open_enum".into(), Expr::atom(class)),
                    None => Reader::Call(format!("{class}.from_json"), Expr::atom("check=False")),
                }
            }
            Type::Error => Reader::Callable("(lambda v, p: v)".into()),
        }
    }

    /// A callable reading `ty`: `(value, path) -> T`.
    pub fn callable_of(&self, ty: &Type) -> Expr {
        self.callable(ty)
    }

    fn callable(&self, ty: &Type) -> Expr {
        match self.reader(ty) {
            Reader::Callable(name) => Expr::atom(name),
            Reader::Call(head, extra) => Expr::prefixed(
                "lambda v, p: ",
                Expr::call(head, vec![Expr::atom("v"), Expr::atom("p"), extra]),
            ),
        }
    }

    /// The expression reading `value` (JSON) at `path` as `ty`.
    pub fn read(&self, ty: &Type, value: Expr, path: Expr) -> Expr {
        match self.reader(ty) {
            Reader::Callable(name) => Expr::call(name, vec![value, path]),
            Reader::Call(head, extra) => Expr::call(head, vec![value, path, extra]),
        }
    }

    /// The expression writing `value` (of the annotation of `ty`) as JSON; `depth` names the
    /// comprehension variables.
    pub fn write(&self, ty: &Type, value: &str, depth: usize) -> Expr {
        match ty {
            Type::Prim(Prim::Bytes) => Expr::call("_charter.write_bytes", vec![Expr::atom(value)]),
            Type::Prim(Prim::Timestamp) => {
                Expr::call("_charter.write_datetime", vec![Expr::atom(value)])
            }
            Type::Prim(Prim::Date) => Expr::call("_charter.write_date", vec![Expr::atom(value)]),
            Type::Prim(_) | Type::Error => Expr::atom(value),
            Type::Optional(inner) | Type::Refined(inner, _) => self.write(inner, value, depth),
            Type::List(inner) | Type::Set(inner) => {
                let e = format!("e{depth}");
                let item = self.write(inner, &e, depth + 1);
                if item.flat() == e {
                    Expr::call("list", vec![Expr::atom(value)])
                } else {
                    Expr::Comprehension {
                        open: '[',
                        close: ']',
                        element: Box::new(item),
                        clause: format!("for {e} in {value}"),
                    }
                }
            }
            Type::Map(inner) => {
                let (k, e) = (format!("k{depth}"), format!("e{depth}"));
                let item = self.write(inner, &e, depth + 1);
                if item.flat() == e {
                    Expr::call("dict", vec![Expr::atom(value)])
                } else {
                    Expr::Comprehension {
                        open: '{',
                        close: '}',
                        element: Box::new(Expr::prefixed(format!("{k}: "), item)),
                        clause: format!("for {k}, {e} in {value}.items()"),
                    }
                }
            }
            Type::Named(name, _) => {
                if let Some(target) = self.names.alias(name) {
                    return self.write(target, value, depth);
                }
                match self.names.enum_open(name) {
                    Some(false) => Expr::atom(format!("{value}.value")),
                    Some(true) => Expr::call("str", vec![Expr::atom(value)]),
                    None => Expr::atom(format!("{value}.to_json()")),
                }
            }
        }
    }

    /// Appends the statements that check `expr` (of the annotation of `ty`) at the path
    /// expression `path` into the checker `c`, at `indent` spaces; nothing when no check
    /// applies.
    pub fn check(&self, out: &mut String, ty: &Type, expr: &str, path: &Expr, indent: usize) {
        let pad = " ".repeat(indent);
        let mut call = |method: &str, args: Vec<Expr>| {
            let mut all = vec![path.clone()];
            all.extend(args);
            super::code::statement(out, indent, "", &Expr::call(format!("c.{method}"), all), "");
        };
        match ty {
            Type::Prim(Prim::Duration) => call("duration", vec![Expr::atom(expr)]),
            Type::Prim(Prim::Uuid) => call("uuid", vec![Expr::atom(expr)]),
            Type::Prim(Prim::Timestamp) => call("timestamp", vec![Expr::atom(expr)]),
            Type::Prim(_) | Type::Error => {}
            Type::Optional(inner) => self.check(out, inner, expr, path, indent),
            Type::Refined(inner, constraint) => match &**constraint {
                Constraint::Range { min, max } => {
                    let bound = |n: &Option<charter::ir::Number>| {
                        n.as_ref()
                            .map_or_else(|| "None".to_string(), |n| number(n.as_f64()))
                    };
                    call(
                        "range",
                        vec![
                            Expr::atom(expr),
                            Expr::atom(bound(min)),
                            Expr::atom(bound(max)),
                        ],
                    );
                    self.check(out, inner, expr, path, indent);
                }
                Constraint::Pattern(p) => {
                    call("pattern", vec![Expr::atom(expr), string(p)]);
                    self.check(out, inner, expr, path, indent);
                }
            },
            Type::List(inner) | Type::Set(inner) => {
                if matches!(ty, Type::Set(_)) {
                    let items = self.write(ty, expr, indent);
                    call("unique", vec![items]);
                }
                let level = self.fresh();
                let (i, e) = (format!("i{level}"), format!("e{level}"));
                let item_path =
                    Expr::call("_charter.index_path", vec![path.clone(), Expr::atom(&i)]);
                let mut body = String::new();
                self.check(&mut body, inner, &e, &item_path, indent + 4);
                if !body.is_empty() {
                    let _ = writeln!(out, "{pad}for {i}, {e} in enumerate({expr}):");
                    out.push_str(&body);
                }
            }
            Type::Map(inner) => {
                let level = self.fresh();
                let (k, e) = (format!("k{level}"), format!("e{level}"));
                let item_path =
                    Expr::call("_charter.member_path", vec![path.clone(), Expr::atom(&k)]);
                let mut body = String::new();
                self.check(&mut body, inner, &e, &item_path, indent + 4);
                if !body.is_empty() {
                    let _ = writeln!(out, "{pad}for {k}, {e} in {expr}.items():");
                    out.push_str(&body);
                }
            }
            Type::Named(name, _) => {
                if let Some(target) = self.names.alias(name) {
                    return self.check(out, target, expr, path, indent);
                }
                match self.names.enum_open(name) {
                    Some(false) => call(
                        "enum",
                        vec![Expr::atom(expr), Expr::atom(self.reference(name))],
                    ),
                    Some(true) => {}
                    None => super::code::statement(
                        out,
                        indent,
                        "",
                        &Expr::call(
                            format!("{expr}.validate_at"),
                            vec![Expr::atom("c"), path.clone()],
                        ),
                        "",
                    ),
                }
            }
        }
    }
}

/// A number as a Python literal: an integral bound as an int, else a float.
fn number(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 9.0e15 {
        format!("{value:.0}")
    } else if value.is_finite() {
        format!("{value:?}")
    } else if value > 0.0 {
        "float(\"inf\")".to_string()
    } else {
        "float(\"-inf\")".to_string()
    }
}
