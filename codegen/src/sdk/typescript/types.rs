//! Charter types as TypeScript types and as runtime checks (`runtime/validate.ts`).
//!
//! | Charter | TypeScript | check |
//! |---|---|---|
//! | `bool` | `boolean` | `$v.bool` |
//! | `int` | `number`, a safe integer: values beyond ±(2^53 - 1) are refused, never rounded | `$v.int` |
//! | `float`, `decimal` | `number` | `$v.float` |
//! | `string` | `string` | `$v.string` |
//! | `bytes`, `timestamp`, `date`, `duration`, `uuid` | `string` in the wire format | `$v.bytes` ... |
//! | `list<T>`, `set<T>` | `Array<T>` | `$v.list`, `$v.set` (unique items) |
//! | `map<string, T>` | `Record<string, T>` | `$v.map` |
//! | refinements | the base type | `$v.range`, `$v.pattern` |
//! | a declared type | its name (`ns.Name` from another package) | `Name.check` |

use charter::ir::{Constraint, Prim, QualName, Type};
use charter::text::quote;

use super::names::{TsNames, import_namespace};

/// How a module refers to declared types: its own by name, others through their namespace.
pub struct Scope<'a> {
    pub names: &'a TsNames,
    pub package: &'a str,
}

impl Scope<'_> {
    /// The reference to a declared type (`Name`, or `$m$pkg.Name`).
    pub fn reference(&self, name: &QualName) -> String {
        let local = self.names.ty(name);
        if name.package == self.package {
            local.to_string()
        } else {
            format!("{}.{local}", import_namespace(&name.package))
        }
    }

    /// The TypeScript type of `ty` (an outer `?` is the field's or parameter's business).
    pub fn ts(&self, ty: &Type) -> String {
        match ty {
            Type::Prim(p) => prim(*p).to_string(),
            Type::Optional(inner) | Type::Refined(inner, _) => self.ts(inner),
            Type::List(inner) | Type::Set(inner) => format!("Array<{}>", self.ts(inner)),
            Type::Map(inner) => format!("Record<string, {}>", self.ts(inner)),
            Type::Named(name, _) => self.reference(name),
            Type::Error => "unknown".to_string(),
        }
    }

    /// The runtime check of `ty`.
    pub fn check(&self, ty: &Type) -> String {
        match ty {
            Type::Prim(p) => format!("$v.{}", check_name(*p)),
            Type::Optional(inner) => self.check(inner),
            Type::List(inner) => format!("$v.list({})", self.check(inner)),
            Type::Set(inner) => format!("$v.set({})", self.check(inner)),
            Type::Map(inner) => format!("$v.map({})", self.check(inner)),
            Type::Refined(inner, constraint) => match &**constraint {
                Constraint::Range { min, max } => {
                    let bound = |n: &Option<charter::ir::Number>| {
                        n.as_ref()
                            .map_or_else(|| "undefined".to_string(), |n| number(n.as_f64()))
                    };
                    format!(
                        "$v.range({}, {}, {})",
                        self.check(inner),
                        bound(min),
                        bound(max)
                    )
                }
                Constraint::Pattern(p) => {
                    format!("$v.pattern({}, {})", self.check(inner), quote::string(p))
                }
            },
            Type::Named(name, _) => format!("$v.lazy(() => {}.check)", self.reference(name)),
            Type::Error => "$v.anything".to_string(),
        }
    }
}

/// A number as a TypeScript literal: the shortest text that reads back as the same float.
fn number(value: f64) -> String {
    if value.is_finite() {
        format!("{value:?}")
    } else if value > 0.0 {
        "Infinity".to_string()
    } else {
        "-Infinity".to_string()
    }
}

fn prim(p: Prim) -> &'static str {
    match p {
        Prim::Bool => "boolean",
        Prim::Int | Prim::Float | Prim::Decimal => "number",
        Prim::String | Prim::Bytes | Prim::Timestamp | Prim::Date | Prim::Duration | Prim::Uuid => {
            "string"
        }
    }
}

fn check_name(p: Prim) -> &'static str {
    match p {
        Prim::Bool => "bool",
        Prim::Int => "int",
        Prim::Float | Prim::Decimal => "float",
        Prim::String => "string",
        Prim::Bytes => "bytes",
        Prim::Timestamp => "timestamp",
        Prim::Date => "date",
        Prim::Duration => "duration",
        Prim::Uuid => "uuid",
    }
}

/// What a primitive's string holds, for doc comments.
pub fn format_note(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Prim(Prim::Timestamp) => Some("An RFC 3339 date-time with an offset."),
        Type::Prim(Prim::Date) => Some("A date, `YYYY-MM-DD`."),
        Type::Prim(Prim::Duration) => {
            Some("A duration: digits and one unit of s m h d w y (`30d`).")
        }
        Type::Prim(Prim::Uuid) => Some("A UUID, 8-4-4-4-12 hexadecimal."),
        Type::Prim(Prim::Bytes) => Some("Bytes, standard base64."),
        Type::Prim(Prim::Int) => Some("A 64-bit integer; values beyond ±(2^53 - 1) are refused."),
        Type::Optional(inner) | Type::Refined(inner, _) => format_note(inner),
        _ => None,
    }
}
