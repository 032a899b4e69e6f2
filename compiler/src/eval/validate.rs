//! Whether an input fits the policy's declared types, as `docs/decisions.md` defines it. Both
//! executions compute the same set of problems (the emitted Rego's `input_problems`), and a
//! policy denies an input with any problem, naming the first in [`Problem`]'s order.

use super::json::Json;
use super::number::Decimal;
use crate::ir::{self, Constraint, Kind, Model, Policy, Prim, QualName, Type};
use crate::literal;

/// Records nested deeper than this in one input are a problem (the Rego validator is unrolled
/// to this depth, since Rego has no recursion).
pub const MAX_RECORD_DEPTH: usize = 32;

/// One step of a JSON path. Indexes sort before names, as in OPA's order of values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Index(usize),
    Key(String),
}

/// A place where an input does not fit, ordered by path (step by step, a path before its
/// extensions), then message: the order OPA gives `[path, message]` arrays.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Problem {
    pub path: Vec<Seg>,
    pub message: String,
}

impl Problem {
    fn at(path: &[Seg], message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_vec(),
            message: message.into(),
        }
    }

    /// `$.subject.roles[1]`.
    pub fn path_text(&self) -> String {
        path_text(&self.path)
    }
}

/// `$` followed by `.name` and `[index]` steps.
pub fn path_text(path: &[Seg]) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
        }
    }
    out
}

/// A path while validating: borrowed steps, made into a [`Problem`]'s path only when one is
/// found (most inputs have none).
#[derive(Clone, Copy)]
enum At<'p> {
    Root,
    Step(&'p At<'p>, Step<'p>),
}

#[derive(Clone, Copy)]
enum Step<'p> {
    Index(usize),
    Key(&'p str),
}

impl At<'_> {
    fn to_path(self) -> Vec<Seg> {
        let mut out = Vec::new();
        let mut at = self;
        while let At::Step(parent, step) = at {
            out.push(match step {
                Step::Index(i) => Seg::Index(i),
                Step::Key(k) => Seg::Key(k.to_string()),
            });
            at = *parent;
        }
        out.reverse();
        out
    }

    fn problem(self, message: impl Into<String>) -> Problem {
        Problem {
            path: self.to_path(),
            message: message.into(),
        }
    }
}

/// The fixed messages, shared with the Rego emitter so that both spell them alike.
pub mod message {
    pub const NOT_AN_OBJECT: &str = "the input must be an object";
    pub const UNKNOWN_FIELD: &str = "unknown input field";
    pub const MISSING: &str = "missing";
    pub const NO_CONTEXT: &str = "this policy takes no context";
    pub const TOO_DEEP: &str = "records nested too deeply";
    pub const NOT_I64: &str = "not a 64-bit integer";
    pub const EXTREME: &str = "a number with an exponent beyond ±10000";

    pub fn not_decided(policy: &str) -> String {
        format!("not an action that `{policy}` decides")
    }
    pub fn expected(what: &str, found: &str) -> String {
        format!("expected {what}, found {found}")
    }
    /// A string that is not a value of `timestamp`, `date` or `duration`, saying what one is.
    pub fn invalid(prim: &str) -> String {
        let form = match prim {
            "timestamp" => " (RFC 3339, such as `2026-01-15T09:30:00Z`)",
            "date" => " (`YYYY-MM-DD`, a real calendar day)",
            "duration" => " (a count and a unit of s, m, h, d, w or y, such as `30d`)",
            _ => "",
        };
        format!("invalid {prim}{form}")
    }
    pub fn out_of_range(prim: &str) -> String {
        format!("outside the range of {prim}")
    }
    pub fn unsatisfied(ty: &str) -> String {
        format!("does not satisfy `{ty}`")
    }
    pub fn enum_expected(name: &str) -> String {
        format!("a `{name}` value")
    }
    pub fn not_a_value(name: &str) -> String {
        format!("not a value of `{name}`")
    }
    pub fn object_expected(name: &str) -> String {
        format!("a `{name}` object")
    }
    pub fn unknown_attribute(name: &str) -> String {
        format!("unknown attribute of `{name}`")
    }
    pub fn missing_attribute(name: &str) -> String {
        format!("missing required attribute of `{name}`")
    }
}

/// The input fields a decision reads besides the roots.
const TOP_FIELDS: [&str; 6] = [
    "action",
    "subject",
    "resource",
    "context",
    "policy",
    "resource_type",
];

/// Every problem of `input` against `policy`, sorted; empty when the input fits.
pub fn problems(model: &Model, policy: &Policy, input: &Json) -> Vec<Problem> {
    let mut out = Vec::new();
    let Json::Object(top) = input else {
        return vec![Problem::at(&[], message::NOT_AN_OBJECT)];
    };
    // A number OPA cannot compare makes the input invalid before anything else is read: OPA
    // may fail on it as soon as it hashes or compares it (docs/decisions.md).
    let extremes = extreme_numbers(input);
    if !extremes.is_empty() {
        return extremes;
    }
    let v = Validator { model };
    for (key, value) in top {
        let path = [Seg::Key(key.clone())];
        if !TOP_FIELDS.contains(&key.as_str()) {
            out.push(Problem::at(&path, message::UNKNOWN_FIELD));
        } else if matches!(key.as_str(), "policy" | "resource_type" | "action")
            && !matches!(value, Json::String(_))
        {
            out.push(Problem::at(
                &path,
                message::expected("string", value.type_name()),
            ));
        }
    }
    match top.get("action") {
        None => out.push(Problem::at(&[key("action")], message::MISSING)),
        Some(Json::String(action)) if !policy.actions.iter().any(|a| a == action) => {
            out.push(Problem::at(
                &[key("action")],
                message::not_decided(&policy.name.to_string()),
            ))
        }
        Some(_) => {}
    }
    let subject = top.get("subject").unwrap_or(&Json::Null);
    let mut first: Option<Vec<Problem>> = None;
    let (subject_at, resource_at, context_at) = (
        At::Step(&At::Root, Step::Key("subject")),
        At::Step(&At::Root, Step::Key("resource")),
        At::Step(&At::Root, Step::Key("context")),
    );
    for s in &policy.subjects {
        let mut found = Vec::new();
        v.named(subject, s, Kind::Entity, subject_at, 0, &mut found);
        if found.is_empty() {
            first = Some(Vec::new());
            break;
        }
        first.get_or_insert(found);
    }
    out.extend(first.unwrap_or_default());
    let resource = top.get("resource").unwrap_or(&Json::Null);
    v.named(
        resource,
        &policy.resource,
        Kind::Entity,
        resource_at,
        0,
        &mut out,
    );
    match (&policy.context, top.get("context")) {
        (Some(context), value) => {
            let empty = Json::Object(Default::default());
            v.named(
                value.unwrap_or(&empty),
                context,
                Kind::Context,
                context_at,
                0,
                &mut out,
            );
        }
        (None, Some(Json::Object(map))) if map.is_empty() => {}
        (None, Some(_)) => out.push(Problem::at(&[key("context")], message::NO_CONTEXT)),
        (None, None) => {}
    }
    out.sort();
    out.dedup();
    out
}

/// Every problem of `value` as a value of `ty`, its paths relative to the value, sorted (empty:
/// it fits). As for an input, numbers with an exponent beyond ±10000 are then the only problems.
pub fn value_problems(model: &Model, ty: &Type, value: &Json) -> Vec<Problem> {
    let extremes = extreme_numbers(value);
    if !extremes.is_empty() {
        return extremes;
    }
    let mut out = Vec::new();
    Validator { model }.check(value, ty, At::Root, 0, &mut out);
    out.sort();
    out.dedup();
    out
}

fn key(name: &str) -> Seg {
    Seg::Key(name.to_string())
}

struct Validator<'a> {
    model: &'a Model,
}

impl Validator<'_> {
    fn check(&self, v: &Json, ty: &Type, at: At<'_>, depth: usize, out: &mut Vec<Problem>) {
        match ty {
            Type::Error => {}
            Type::Optional(inner) => {
                if !v.is_null() {
                    self.check(v, inner, at, depth, out);
                }
            }
            Type::Refined(inner, constraint) => {
                let before = out.len();
                self.check(v, inner, at, depth, out);
                if out.len() == before && !satisfies(v, constraint) {
                    out.push(at.problem(message::unsatisfied(&ty.display())));
                }
            }
            Type::Prim(p) => {
                if let Some(message) = prim_problem(*p, v) {
                    out.push(at.problem(message));
                }
            }
            Type::List(inner) | Type::Set(inner) => match v {
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, inner, At::Step(&at, Step::Index(i)), depth, out);
                    }
                }
                _ => out.push(at.problem(message::expected(&ty.display(), v.type_name()))),
            },
            Type::Map(inner) => match v {
                Json::Object(map) => {
                    for (k, item) in map {
                        self.check(item, inner, At::Step(&at, Step::Key(k)), depth, out);
                    }
                }
                _ => out.push(at.problem(message::expected(&ty.display(), v.type_name()))),
            },
            Type::Named(_, Kind::Alias) => {
                let model = self.model;
                match crate::api::index::expand(ty, |n| model.alias(n)).ty {
                    // Did not resolve (reported by the checker).
                    Type::Named(_, Kind::Alias) => {}
                    expanded => self.check(v, expanded, at, depth, out),
                }
            }
            Type::Named(name, kind) => self.named(v, name, *kind, at, depth, out),
        }
    }

    /// A value of a named type; `depth` counts the records entered so far.
    fn named(
        &self,
        v: &Json,
        name: &QualName,
        kind: Kind,
        at: At<'_>,
        depth: usize,
        out: &mut Vec<Problem>,
    ) {
        match kind {
            // Expanded by `check`.
            Kind::Alias => {}
            Kind::Enum => {
                let Some(e) = self.model.enumeration(name) else {
                    return;
                };
                match v {
                    Json::String(s) if e.open || e.variants.iter().any(|x| x.wire_name() == s) => {}
                    Json::String(_) => out.push(at.problem(message::not_a_value(&name.name))),
                    _ => out.push(at.problem(message::expected(
                        &message::enum_expected(&name.name),
                        v.type_name(),
                    ))),
                }
            }
            _ => {
                let Some(fields) = fields(self.model, name) else {
                    return;
                };
                if depth >= MAX_RECORD_DEPTH {
                    out.push(at.problem(message::TOO_DEEP));
                    return;
                }
                let Json::Object(map) = v else {
                    out.push(at.problem(message::expected(
                        &message::object_expected(&name.name),
                        v.type_name(),
                    )));
                    return;
                };
                // Members by their wire names; a `@nullable` member may be `null`.
                for (k, item) in map {
                    let here = At::Step(&at, Step::Key(k));
                    match fields.iter().find(|f| f.wire_name() == k) {
                        Some(f) if f.nullable && item.is_null() => {}
                        Some(f) => self.check(item, &f.ty, here, depth + 1, out),
                        None => out.push(here.problem(message::unknown_attribute(&name.name))),
                    }
                }
                for f in fields {
                    if is_required(f) && !map.contains_key(f.wire_name()) {
                        out.push(
                            At::Step(&at, Step::Key(f.wire_name()))
                                .problem(message::missing_attribute(&name.name)),
                        );
                    }
                }
            }
        }
    }
}

/// Every number of `input`, wherever it is, that OPA cannot compare, as problems, sorted.
fn extreme_numbers(input: &Json) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<Seg>, &Json)> = vec![(Vec::new(), input)];
    while let Some((path, value)) = stack.pop() {
        match value {
            Json::Number(n) if n.is_extreme() => out.push(Problem {
                path,
                message: message::EXTREME.to_string(),
            }),
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    stack.push((p, item));
                }
            }
            Json::Object(map) => {
                for (k, item) in map {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    stack.push((p, item));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// The fields of a record, entity or context.
pub fn fields<'m>(model: &'m Model, name: &QualName) -> Option<&'m [ir::Field]> {
    model
        .record(name)
        .map(|r| r.fields.as_slice())
        .or_else(|| model.entity(name).map(|e| e.fields.as_slice()))
        .or_else(|| model.context(name).map(|c| c.fields.as_slice()))
}

/// A field an input must give: neither optional nor defaulted.
pub fn is_required(f: &ir::Field) -> bool {
    !f.ty.is_optional() && f.default.is_none()
}

/// The bounds of `int`.
pub fn i64_bounds() -> (Decimal, Decimal) {
    (Decimal::from_i64(i64::MIN), Decimal::from_i64(i64::MAX))
}

/// Why `v` is not a value of `p`, if it is not.
fn prim_problem(p: Prim, v: &Json) -> Option<String> {
    let wrong = || Some(message::expected(p.name(), v.type_name()));
    match (p, v) {
        (Prim::Bool, Json::Bool(_)) => None,
        (Prim::Int, Json::Number(n)) => n.to_i64().is_none().then(|| message::NOT_I64.to_string()),
        (Prim::Float | Prim::Decimal, Json::Number(n)) => {
            (!n.fits_f64()).then(|| message::out_of_range(p.name()))
        }
        (Prim::String | Prim::Bytes | Prim::Uuid, Json::String(_)) => None,
        (Prim::Timestamp, Json::String(s)) => {
            (!literal::is_timestamp(s)).then(|| message::invalid(p.name()))
        }
        (Prim::Date, Json::String(s)) => literal::Date::parse(s)
            .is_none()
            .then(|| message::invalid(p.name())),
        (Prim::Duration, Json::String(s)) => literal::duration_seconds(s)
            .is_none()
            .then(|| message::invalid(p.name())),
        _ => wrong(),
    }
}

/// Whether a value (already of the refined type) satisfies the refinement.
fn satisfies(v: &Json, constraint: &Constraint) -> bool {
    match (constraint, v) {
        (Constraint::Range { min, max }, Json::Number(n)) => {
            let bound = |b: &Option<ir::Number>| {
                b.as_ref().and_then(|b| Decimal::parse_literal(b.as_str()))
            };
            bound(min).is_none_or(|m| *n >= m) && bound(max).is_none_or(|m| *n <= m)
        }
        (Constraint::Pattern(p), Json::String(s)) => matches_pattern(p, s),
        _ => true,
    }
}

/// Whether `text` matches `pattern` (unanchored, as OPA's `regex.match`), each pattern compiled
/// once per thread.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    thread_local! {
        static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Option<regex::Regex>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    COMPILED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            cache.insert(pattern.to_string(), regex::Regex::new(pattern).ok());
        }
        cache
            .get(pattern)
            .and_then(Option::as_ref)
            .is_some_and(|re| re.is_match(text))
    })
}
