//! Literal values checked against types: field and parameter defaults, test inputs.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Sig;
use super::check::FileChecker;
use crate::diagnostics::{Code, codes, suggestion};
use crate::eval::Decimal;
use crate::ir::{Constraint, Kind, Prim, QualName, Type, Value};
use crate::literal;
use crate::syntax::ast;

/// Why a value is checked: decides the codes of its diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Default,
    Test,
}

impl Purpose {
    fn mismatch(self) -> Code {
        match self {
            Purpose::Default => codes::E2009,
            Purpose::Test => codes::E6001,
        }
    }

    fn missing(self) -> Code {
        match self {
            Purpose::Default => codes::E2009,
            Purpose::Test => codes::E6002,
        }
    }
}

/// Patterns compiled by any file's analysis, shared by all (`None` if invalid). Compiling a
/// pattern costs far more than checking a value against it, and a workspace's files repeat the
/// same few; what is compiled depends on the text alone. At most [`SHARED_PATTERNS`] are kept
/// (a long-lived language server sees every pattern typed).
static COMPILED: std::sync::OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> =
    std::sync::OnceLock::new();
const SHARED_PATTERNS: usize = 1024;

fn compiled(pattern: &str) -> Option<regex::Regex> {
    let shared = COMPILED.get_or_init(Mutex::default);
    if let Some(found) = shared.lock().ok().and_then(|m| m.get(pattern).cloned()) {
        return found;
    }
    let regex = regex::Regex::new(pattern).ok();
    if let Ok(mut map) = shared.lock() {
        if map.len() >= SHARED_PATTERNS {
            map.clear();
        }
        map.insert(pattern.to_string(), regex.clone());
    }
    regex
}

impl FileChecker<'_> {
    /// A compiled pattern, looked up once per file (`None` if invalid: reported at the type).
    fn pattern(&mut self, pattern: &str) -> Option<&regex::Regex> {
        if !self.patterns.contains_key(pattern) {
            self.patterns.insert(pattern.to_string(), compiled(pattern));
        }
        self.patterns.get(pattern).and_then(Option::as_ref)
    }

    /// Checks `e` against `ty`; `path` names the value in messages (`subject.roles[0]`).
    pub(super) fn value(
        &mut self,
        e: &ast::Expr,
        ty: &Type,
        path: &str,
        purpose: Purpose,
    ) -> Option<Value> {
        // Alias chains and nested values are bounded: a cycle is reported as E2010 elsewhere.
        if self.value_depth > 64 {
            return None;
        }
        self.value_depth += 1;
        let v = self.value_inner(e, ty, path, purpose);
        self.value_depth -= 1;
        v
    }

    fn value_inner(
        &mut self,
        e: &ast::Expr,
        ty: &Type,
        path: &str,
        purpose: Purpose,
    ) -> Option<Value> {
        if let ast::ExprKind::Paren(inner) = &e.kind {
            return self.value(inner, ty, path, purpose);
        }
        match ty {
            Type::Error => None,
            Type::Optional(inner) => match e.kind {
                ast::ExprKind::None => Some(Value::Null),
                _ => self.value(e, inner, path, purpose),
            },
            Type::Refined(inner, constraint) => {
                let v = self.value(e, inner, path, purpose)?;
                if let (Constraint::Range { min, max }, Some(n)) = (&**constraint, exact(&v)) {
                    // Exactly, as decisions compare (docs/decisions.md).
                    let bound = |b: &Option<crate::ir::Number>| {
                        b.as_ref().and_then(|b| Decimal::parse_literal(b.as_str()))
                    };
                    let below = bound(min).is_some_and(|m| n < m);
                    let above = bound(max).is_some_and(|m| n > m);
                    if below || above {
                        self.error(
                            purpose.mismatch(),
                            format!("`{path}` is outside its range `{}`", ty.display()),
                            e.span,
                        )
                        .label("out of range")
                        .help(format!("use a value in `{}`", ty.display()));
                        return None;
                    }
                }
                if let (Constraint::Pattern(pattern), Value::String(text)) = (&**constraint, &v)
                    && self.pattern(pattern).is_some_and(|re| !re.is_match(text))
                {
                    self.error(
                        purpose.mismatch(),
                        format!("`{path}` does not match its pattern"),
                        e.span,
                    )
                    .label(format!("{text:?} does not match {pattern:?}"))
                    .help("give a value the pattern accepts");
                    return None;
                }
                Some(v)
            }
            Type::Named(name, Kind::Alias) => {
                let target = match self.sig(name).as_deref() {
                    Some(Sig::Alias { ty }) => ty.clone(),
                    _ => return None,
                };
                self.value(e, &target, path, purpose)
            }
            Type::Named(name, Kind::Enum) => self.enum_value(e, name, path, purpose),
            Type::Named(name, _) => self.object(e, name, path, purpose),
            Type::List(inner) | Type::Set(inner) => {
                let ast::ExprKind::List(items) = &e.kind else {
                    return self.wrong(e, ty, path, purpose);
                };
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.push(self.value(item, inner, &format!("{path}[{i}]"), purpose)?);
                }
                Some(Value::List(out))
            }
            Type::Map(inner) => {
                let ast::ExprKind::Object(None, entries) = &e.kind else {
                    return self.wrong(e, ty, path, purpose);
                };
                let mut out = Vec::new();
                for (k, v) in entries {
                    out.push((
                        k.name.clone(),
                        self.value(v, inner, &format!("{path}.{}", k.name), purpose)?,
                    ));
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
                Some(Value::Object(out))
            }
            Type::Prim(prim) => self.primitive(e, *prim, ty, path, purpose),
        }
    }

    fn primitive(
        &mut self,
        e: &ast::Expr,
        prim: Prim,
        ty: &Type,
        path: &str,
        purpose: Purpose,
    ) -> Option<Value> {
        match (prim, &e.kind) {
            (Prim::Bool, ast::ExprKind::Bool(b)) => Some(Value::Bool(*b)),
            (Prim::Int, ast::ExprKind::Int(_) | ast::ExprKind::Neg(_)) => match self.number(e)? {
                (v @ Value::Int(_), _) => Some(v),
                _ => self.wrong(e, ty, path, purpose),
            },
            (
                Prim::Float | Prim::Decimal,
                ast::ExprKind::Int(_) | ast::ExprKind::Float(_) | ast::ExprKind::Neg(_),
            ) => match self.number(e)? {
                (Value::Int(i), _) => crate::ir::Number::parse(&i.to_string()).map(Value::Float),
                (v, _) => Some(v),
            },
            (Prim::Uuid, ast::ExprKind::Str(s)) if !is_uuid(s) => self.invalid(
                e,
                purpose.mismatch(),
                format!("`{path}` is not a UUID"),
                "expected 8-4-4-4-12 hexadecimal digits",
                "write a UUID such as \"123e4567-e89b-12d3-a456-426614174000\"",
            ),
            (Prim::Timestamp, ast::ExprKind::Str(s)) if !literal::is_timestamp(s) => self.invalid(
                e,
                purpose.mismatch(),
                format!("`{path}` is not an RFC 3339 timestamp"),
                "expected a timestamp",
                "write it as \"2026-01-15T09:30:00Z\"",
            ),
            (Prim::Date, ast::ExprKind::Date(s)) if literal::Date::parse(s).is_none() => self.invalid(
                e,
                codes::E7003,
                format!("`{s}` is not a real date"),
                "no such day",
                "write a calendar date as YYYY-MM-DD",
            ),
            (Prim::Duration, ast::ExprKind::Duration(s)) if literal::duration_seconds(s).is_none() => {
                self.invalid(
                    e,
                    codes::E0005,
                    format!("duration `{s}` does not fit in 64-bit seconds"),
                    "out of range",
                    "durations are compared in seconds, at most 9223372036854775807 (about 292 billion years)",
                )
            }
            (
                Prim::String | Prim::Bytes | Prim::Uuid | Prim::Timestamp,
                ast::ExprKind::Str(s),
            )
            | (Prim::Date, ast::ExprKind::Date(s))
            | (Prim::Duration, ast::ExprKind::Duration(s)) => Some(Value::String(s.clone())),
            _ => self.wrong(e, ty, path, purpose),
        }
    }

    fn enum_value(
        &mut self,
        e: &ast::Expr,
        name: &QualName,
        path: &str,
        purpose: Purpose,
    ) -> Option<Value> {
        let ast::ExprKind::Path(p) = &e.kind else {
            return self.wrong(e, &Type::Named(name.clone(), Kind::Enum), path, purpose);
        };
        let last = p.last()?;
        if p.segments.len() > 1 {
            let prefix = p.segments.get(..p.segments.len() - 1).unwrap_or(&[]);
            let given: Vec<&str> = prefix.iter().map(|s| s.name.as_str()).collect();
            if given.last() != Some(&name.name.as_str()) {
                return self.wrong(e, &Type::Named(name.clone(), Kind::Enum), path, purpose);
            }
        }
        self.enum_variant(name, &last.name, last.span)
    }

    fn object(
        &mut self,
        e: &ast::Expr,
        name: &QualName,
        path: &str,
        purpose: Purpose,
    ) -> Option<Value> {
        let ast::ExprKind::Object(written, entries) = &e.kind else {
            return self.wrong(e, &Type::Named(name.clone(), Kind::Record), path, purpose);
        };
        if let Some(written) = written {
            let given = self.resolve_kind(written, &[Kind::Record, Kind::Entity, Kind::Context])?;
            if &given != name {
                self.error(
                    purpose.mismatch(),
                    format!(
                        "`{path}` must be of type `{}`, not `{}`",
                        name.name, given.name
                    ),
                    written.span,
                )
                .label(format!("expected `{}`", name.name))
                .help(format!(
                    "write `{} {{ ... }}` or drop the type name",
                    name.name
                ));
                return None;
            }
        }
        let sig = self.sig(name)?;
        let fields = sig.fields()?;
        let mut out = Vec::with_capacity(entries.len());
        let mut ok = true;
        self.duplicates(entries.iter().map(|(k, _)| k), "attribute");
        for (key, value) in entries {
            let Some(field) = fields.iter().find(|f| f.name == key.name) else {
                let help = suggestion(
                    &key.name,
                    fields.iter().map(|f| f.name.as_str()),
                    &format!(
                        "`{}` has: {}",
                        name.name,
                        fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                self.error(
                    codes::E2001,
                    format!("`{}` has no attribute `{}`", name.name, key.name),
                    key.span,
                )
                .label(format!("unknown attribute of `{}`", name.name))
                .help(help);
                ok = false;
                continue;
            };
            // A `@nullable` field may be given as `none`.
            let optional;
            let ty = if field.nullable && !field.ty.is_optional() {
                optional = Type::Optional(Box::new(field.ty.clone()));
                &optional
            } else {
                &field.ty
            };
            match self.value(value, ty, &format!("{path}.{}", key.name), purpose) {
                Some(v) => out.push((key.name.clone(), v)),
                None => ok = false,
            }
        }
        let missing: Vec<&str> = fields
            .iter()
            .filter(|f| f.required && !entries.iter().any(|(k, _)| k.name == f.name))
            .map(|f| f.name.as_str())
            .collect();
        // A misspelt attribute is reported once, as unknown, not again as missing.
        let misspelt = entries
            .iter()
            .any(|(k, _)| !fields.iter().any(|f| f.name == k.name));
        if !missing.is_empty() && !misspelt {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.error(purpose.missing(), format!("`{path}` misses {list}"), e.span)
                .label(format!("`{}` requires {list}", name.name))
                .help("give every attribute that is neither optional (`T?`) nor defaulted");
            ok = false;
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        ok.then_some(Value::Object(out))
    }

    /// Reports a literal of the right kind whose text is not a valid value of its type.
    fn invalid(
        &mut self,
        e: &ast::Expr,
        code: Code,
        message: String,
        label: &str,
        help: &str,
    ) -> Option<Value> {
        self.error(code, message, e.span).label(label).help(help);
        None
    }

    fn wrong(&mut self, e: &ast::Expr, ty: &Type, path: &str, purpose: Purpose) -> Option<Value> {
        if matches!(e.kind, ast::ExprKind::Error) {
            return None;
        }
        let mut help =
            crate::diagnostics::Help::from(format!("write a value of type `{}`", ty.display()));
        if let ast::ExprKind::Path(p) = &e.kind
            && let [single] = p.segments.as_slice()
            && let Some(word) =
                crate::diagnostics::did_you_mean(&single.name, ["true", "false", "none"])
        {
            help = crate::diagnostics::Help::did_you_mean(word);
        }
        self.error(
            purpose.mismatch(),
            format!("`{path}` must be of type `{}`", ty.display()),
            e.span,
        )
        .label(format!("this is {}", describe(e)))
        .help(help);
        None
    }
}

/// A number value, exactly.
fn exact(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from_i64(*i)),
        Value::Float(n) => Decimal::parse_literal(n.as_str()),
        _ => None,
    }
}

fn describe(e: &ast::Expr) -> &'static str {
    match &e.kind {
        ast::ExprKind::Bool(_) => "a bool",
        ast::ExprKind::None => "`none`",
        ast::ExprKind::Int(_) => "an integer",
        ast::ExprKind::Float(_) => "a float",
        ast::ExprKind::Neg(_) => "a number",
        ast::ExprKind::Str(_) => "a string",
        ast::ExprKind::Date(_) => "a date",
        ast::ExprKind::Duration(_) => "a duration",
        ast::ExprKind::Path(_) => "a name",
        ast::ExprKind::List(_) => "a list",
        ast::ExprKind::Object(..) => "an object",
        _ => "an expression",
    }
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}
