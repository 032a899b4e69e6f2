//! `charter/schema/schema.rego` (package `charter.schema`): the input validators every policy
//! module calls first, so that the bundle denies an input that does not fit the declared types
//! exactly as `charter eval` does (`charter::eval::validate`, `docs/decisions.md`).
//!
//! A validator returns the set of problems of a value as `[path, message]` arrays, the path
//! relative to the value. Rego has no recursion, so a record's validator is specialised by
//! depth (`summit_identity_User__0`, `…__1`), up to [`MAX_RECORD_DEPTH`], where the value is a
//! problem of its own, as natively.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use charter::api::Index;
use charter::eval::Decimal;
use charter::eval::validate::{self, MAX_RECORD_DEPTH, message};
use charter::ir::{Constraint, Kind, Model, Policy, QualName, Type};

use super::helpers;
use super::names::{Names, dot, string};

/// The package and document of the validators.
pub const PACKAGE: &str = "charter.schema";
pub const ROOT: &str = "charter/schema";
pub const PATH: &str = "charter/schema/schema.rego";

/// The validators reached so far, built while the policy modules are emitted.
pub struct Schema<'m> {
    /// The model's declarations by name, built once: a validator is written per record reached
    /// and a check per field, each looking names up.
    index: Index<'m>,
    names: Names,
    /// (type, depth) -> function name, for each record validator asked for.
    functions: BTreeMap<(QualName, usize), String>,
    /// Validators asked for and not written yet.
    pending: Vec<(QualName, usize)>,
    /// Written validators and refinement checks, in the order they were made.
    bodies: Vec<String>,
    /// Refinement checks by their Rego body.
    refinements: BTreeMap<String, String>,
    /// A counter for fresh comprehension variables.
    vars: usize,
}

impl<'m> Schema<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut names = Names::default();
        for helper in HELPER_NAMES {
            names.claim(helper);
        }
        Schema {
            index: Index::new(model),
            names,
            functions: BTreeMap::new(),
            pending: Vec::new(),
            bodies: Vec::new(),
            refinements: BTreeMap::new(),
            vars: 0,
        }
    }

    /// The rules of a policy module that compute `input_problems` (every problem of the input,
    /// as `[path, message]` arrays) and `input_valid`.
    pub fn policy_rules(&mut self, policy: &Policy) -> String {
        let mut out = String::new();
        let actions: Vec<String> = policy.actions.iter().map(|a| string(a)).collect();
        let subject = "object.get(input, \"subject\", null)";
        let subject_checks: Vec<String> = policy
            .subjects
            .iter()
            .map(|s| self.record_call(s, 0, subject, "schema."))
            .collect();
        let resource = self.record_call(
            &policy.resource,
            0,
            "object.get(input, \"resource\", null)",
            "schema.",
        );
        let context = match &policy.context {
            Some(c) => format!(
                "schema.under(\"context\", {})",
                self.record_call(c, 0, "object.get(input, \"context\", {})", "schema.")
            ),
            None => "schema.no_context(input)".to_string(),
        };
        out.push_str(
            "# The ways the input does not fit the declared types (docs/decisions.md): `[path, message]`.\n",
        );
        let _ = writeln!(
            out,
            "input_problems := {{[[], {}]}} if {{\n\tnot is_object(input)\n}} else := _extreme_numbers if {{\n\tcount(_extreme_numbers) > 0\n}} else := union({{\n\tschema.top(input, {{{}}}, {}),\n\t_subject_problems,\n\tschema.under(\"resource\", {resource}),\n\t{context},\n}})",
            string(message::NOT_AN_OBJECT),
            actions.join(", "),
            string(&message::not_decided(&policy.name.to_string())),
        );
        out.push('\n');
        // A subject fits when it fits one of the subject entities; else the first one's problems.
        match subject_checks.as_slice() {
            [one] => {
                let _ = writeln!(out, "_subject_problems := schema.under(\"subject\", {one})");
            }
            many => {
                for (i, check) in many.iter().enumerate() {
                    let keyword = if i == 0 {
                        "_subject_problems :="
                    } else {
                        "} else :="
                    };
                    let _ = writeln!(out, "{keyword} set() if {{\n\tcount({check}) == 0");
                }
                let first = many.first().map_or("set()", String::as_str);
                let _ = writeln!(out, "}} else := schema.under(\"subject\", {first})");
            }
        }
        out.push_str("\n_extreme_numbers := schema.extremes(input)\n");
        out.push_str("\ninput_valid if count(input_problems) == 0\n");
        out
    }

    /// A function of the schema module returning the problems of a value of `ty` (paths relative
    /// to the value), named after `hint`; the call prefix for another module is `schema.`.
    pub fn type_function(&mut self, hint: &str, ty: &Type) -> String {
        let function = self.names.claim(hint);
        let check = self.check(ty, "x", 0);
        // A rule's value is never parenthesised in `opa fmt`'s form.
        let check = unwrapped(&check);
        self.bodies.push(format!(
            "# The problems of a `{}`.\n{function}(x) := {check}\n",
            ty.display()
        ));
        function
    }

    /// A call of the validator of record type `name` at `depth` on `value` (`prefix`: `schema.`
    /// from a policy module, nothing inside the schema module).
    fn record_call(&mut self, name: &QualName, depth: usize, value: &str, prefix: &str) -> String {
        if depth >= MAX_RECORD_DEPTH {
            // The value is read (`_ = value`) so that `opa check --strict` sees it used.
            return format!("{{[[], {}] | _ = {value}}}", string(message::TOO_DEEP));
        }
        let key = (name.clone(), depth);
        let function = match self.functions.get(&key) {
            Some(f) => f.clone(),
            None => {
                let wanted = format!("{}__{depth}", name.to_string().replace('.', "_"));
                let f = self.names.claim(&wanted);
                self.functions.insert(key.clone(), f.clone());
                self.pending.push(key);
                f
            }
        };
        format!("{prefix}{function}({value})")
    }

    fn fresh(&mut self) -> usize {
        self.vars += 1;
        self.vars
    }

    /// The set of problems of `x` (a Rego variable) as a value of `ty`.
    fn check(&mut self, ty: &Type, x: &str, depth: usize) -> String {
        match ty {
            Type::Error => "set()".to_string(),
            Type::Optional(inner) => {
                let n = self.fresh();
                let inner = self.check(inner, x, depth);
                format!("{{q{n} | {x} != null; some q{n} in {inner}}}")
            }
            Type::Refined(inner, constraint) => {
                let inner_set = self.check(inner, x, depth);
                let ok = self.refinement(constraint);
                format!(
                    "({inner_set} | {{[[], {}] | count({inner_set}) == 0; not {ok}({x})}})",
                    string(&message::unsatisfied(&ty.display()))
                )
            }
            Type::Prim(p) => format!("prim({}, {x})", string(p.name())),
            Type::List(inner) | Type::Set(inner) => self.container(ty, inner, x, depth, "is_array"),
            Type::Map(inner) => self.container(ty, inner, x, depth, "is_object"),
            Type::Named(_, Kind::Alias) => {
                let index = &self.index;
                match charter::api::index::expand(ty, |n| index.alias(n)).ty {
                    // Did not resolve (reported by the checker).
                    Type::Named(_, Kind::Alias) => "set()".to_string(),
                    expanded => self.check(expanded, x, depth),
                }
            }
            Type::Named(name, Kind::Enum) => match self.index.enumeration(name) {
                Some(e) if e.open => format!("open_enum({x}, {})", string(&name.name)),
                Some(e) => {
                    let values: Vec<String> =
                        e.variants.iter().map(|v| string(v.wire_name())).collect();
                    format!(
                        "closed_enum({x}, {}, {{{}}})",
                        string(&name.name),
                        values.join(", ")
                    )
                }
                None => "set()".to_string(),
            },
            Type::Named(name, _) => self.record_call(name, depth, x, ""),
        }
    }

    /// A list, set or map: each element's problems under its index or key, or one problem when
    /// the value is not an array (an object).
    fn container(&mut self, ty: &Type, inner: &Type, x: &str, depth: usize, is: &str) -> String {
        let n = self.fresh();
        let element = format!("e{n}");
        let inner = self.check(inner, &element, depth);
        format!(
            "({{[array.concat([k{n}], p{n}), m{n}] | {is}({x}); some k{n}, {element} in {x}; some [p{n}, m{n}] in {inner}}} | {{[[], sprintf(\"expected {}, found %s\", [type_name({x})])] | not {is}({x})}})",
            ty.display().replace('\\', "\\\\").replace('"', "\\\"")
        )
    }

    /// The name of a function true when a value satisfies `constraint`.
    fn refinement(&mut self, constraint: &Constraint) -> String {
        let body = match constraint {
            Constraint::Range { min, max } => {
                let bound = |b: &Option<charter::ir::Number>| {
                    b.as_ref()
                        .and_then(|b| Decimal::parse_literal(b.as_str()))
                        .map(|d| d.to_string())
                };
                let mut lines = Vec::new();
                if let Some(min) = bound(min) {
                    lines.push(format!("x >= {min}"));
                }
                if let Some(max) = bound(max) {
                    lines.push(format!("x <= {max}"));
                }
                if lines.is_empty() {
                    lines.push("true".to_string());
                }
                lines.join("\n\t")
            }
            Constraint::Pattern(p) => format!("regex.match({}, x)", string(p)),
        };
        if let Some(name) = self.refinements.get(&body) {
            return name.clone();
        }
        let name = self
            .names
            .claim(&format!("satisfies_{}", self.refinements.len() + 1));
        self.bodies.push(format!("{name}(x) if {{\n\t{body}\n}}\n"));
        self.refinements.insert(body, name.clone());
        name
    }

    /// Writes every validator asked for (they may ask for more).
    fn drain(&mut self) {
        while let Some((name, depth)) = self.pending.pop() {
            let function = self
                .functions
                .get(&(name.clone(), depth))
                .cloned()
                .unwrap_or_default();
            let Some(fields) = self.index.fields(&name) else {
                continue;
            };
            let fields = fields.to_vec();
            let mut parts = Vec::new();
            // Members by their wire names (as `charter::eval::validate` reads them).
            let known: Vec<String> = fields.iter().map(|f| string(f.wire_name())).collect();
            parts.push(format!(
                "{{[[k], {}] | some k, _ in x; not k in {{{}}}}}",
                string(&message::unknown_attribute(&name.name)),
                known.join(", ")
            ));
            let required: Vec<String> = fields
                .iter()
                .filter(|f| validate::is_required(f))
                .map(|f| string(f.wire_name()))
                .collect();
            if !required.is_empty() {
                parts.push(format!(
                    "{{[[f], {}] | some f in [{}]; not f in object.keys(x)}}",
                    string(&message::missing_attribute(&name.name)),
                    required.join(", ")
                ));
            }
            for f in &fields {
                let n = self.fresh();
                let v = format!("v{n}");
                let inner = self.check(&f.ty, &v, depth + 1);
                // A `@nullable` member may be `null`.
                let null_ok = if f.nullable {
                    format!("; {v} != null")
                } else {
                    String::new()
                };
                parts.push(format!(
                    "{{[array.concat([{}], p{n}), m{n}] | {v} := {}{null_ok}; some [p{n}, m{n}] in {inner}}}",
                    string(f.wire_name()),
                    dot("x", f.wire_name())
                ));
            }
            // One set per line, as `opa fmt` keeps them (a chain of `|` would be one line).
            let union: String = parts.iter().map(|p| format!("\t\t{p},\n")).collect();
            let union = format!("union({{\n{union}\t}})");
            self.bodies.push(format!(
                "# A `{}` at record depth {depth}.\n{function}(x) := problems if {{\n\tis_object(x)\n\tproblems := {union}\n}} else := {{[[], sprintf({}, [type_name(x)])]}}\n",
                name,
                string(&format!(
                    "expected {}, found %s",
                    message::object_expected(&name.name)
                ))
            ));
        }
    }

    /// The schema module's text; `None` when no policy asked for a validator.
    pub fn module(mut self) -> Option<String> {
        self.drain();
        if self.functions.is_empty() {
            return None;
        }
        let mut out = String::new();
        out.push_str(
            "# Generated by `charter build --target rego`; do not edit.\n#\n# The input validators of every policy (docs/decisions.md): each returns the problems of a\n# value as `[path, message]` arrays, its path relative to the value.\n",
        );
        let _ = writeln!(out, "package {PACKAGE}\n\nimport rego.v1\n");
        out.push_str(&common());
        for body in &self.bodies {
            out.push('\n');
            out.push_str(body);
        }
        for part in [
            helpers::TIMESTAMP_SYNTAX,
            helpers::DATES,
            helpers::DURATIONS,
            helpers::INT,
        ] {
            out.push('\n');
            out.push_str(part);
        }
        Some(out)
    }
}

/// Names of the schema module's fixed functions.
const HELPER_NAMES: [&str; 14] = [
    "extremes",
    "_invalid_forms",
    "top",
    "under",
    "no_context",
    "prim",
    "prim_ok",
    "prim_message",
    "closed_enum",
    "open_enum",
    "reason",
    "path_text",
    "segment",
    "problems",
];

/// The fixed part of the schema module.
fn common() -> String {
    let (min, max) = validate::i64_bounds();
    let top: Vec<String> = [
        "action",
        "subject",
        "resource",
        "context",
        "policy",
        "resource_type",
    ]
    .iter()
    .map(|s| string(s))
    .collect();
    format!(
        r#"# The problems of the input's own fields: unknown ones, non-string names, the action.
top(x, actions, not_decided) := ((unknown | strings) | missing) | undecided if {{
	unknown := {{[[k], {unknown}] | some k, _ in x; not k in {{{top}}}}}
	strings := {{[[k], sprintf("expected string, found %s", [type_name(v)])] |
		some k in ["action", "policy", "resource_type"]
		v := x[k]
		not is_string(v)
	}}
	missing := {{[["action"], {missing}] | not "action" in object.keys(x)}}
	undecided := {{[["action"], not_decided] | is_string(x.action); not x.action in actions}}
}}

# Problems of a value under one more step of the path.
under(step, problems) := {{[array.concat([step], p), m] | some [p, m] in problems}}

# A policy without a context takes none (or an empty one).
no_context(x) := {{[["context"], {no_context}] | "context" in object.keys(x); x.context != {{}}}}

# The problems of a primitive value: none, or one.
prim(kind, x) := set() if {{
	prim_ok(kind, x)
}} else := {{[[], prim_message(kind, x)]}}

prim_ok("bool", x) if is_boolean(x)

prim_ok("int", x) if {{
	is_number(x)
	x >= {min}
	x <= {max}
	floor(x) == x
}}

prim_ok(kind, x) if {{
	kind in {{"float", "decimal"}}
	is_number(x)
	x >= -1.7976931348623157e308
	x <= 1.7976931348623157e308
}}

prim_ok(kind, x) if {{
	kind in {{"string", "bytes", "uuid"}}
	is_string(x)
}}

prim_ok("timestamp", x) if _is_timestamp(x)

prim_ok("date", x) if _is_date(x)

prim_ok("duration", x) if _ = _duration_s(x)

prim_message(kind, x) := {not_i64} if {{
	kind == "int"
	is_number(x)
}} else := concat("", ["outside the range of ", kind]) if {{
	kind in {{"float", "decimal"}}
	is_number(x)
}} else := form if {{
	is_string(x)
	form := _invalid_forms[kind]
}} else := sprintf("expected %s, found %s", [kind, type_name(x)])

# Every number of the input OPA cannot compare, at its path: the input's only problems then, read
# before anything could compare (or hash and then compare) one.
# No function is called with such a number: OPA memoises calls by their arguments, and a number
# that hashes like another (0.1 and 1e-1000001 both hash as 0) would be compared with it.
extremes(x) := {{[p, {extreme}] |
	walk(x, [p, v])
	is_number(v)
	parts := regex.find_all_string_submatch_n(`^-?[0-9]+(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$`, json.marshal(v), 1)[0]
	abs(_signed_int(trim_prefix(parts[2], "+")) - count(parts[1])) > {limit}
}}

_invalid_forms := {{"timestamp": {timestamp}, "date": {date}, "duration": {duration}}}

# Enum values are strings; a closed enum's must be one of its values.
closed_enum(x, name, values) := set() if {{
	is_string(x)
	x in values
}} else := {{[[], concat("", ["not a value of `", name, "`"])]}} if {{
	is_string(x)
}} else := {{[[], sprintf("expected a `%s` value, found %s", [name, type_name(x)])]}}

open_enum(x, name) := set() if {{
	is_string(x)
}} else := {{[[], sprintf("expected a `%s` value, found %s", [name, type_name(x)])]}}

# `input invalid: $.subject.level: expected int, found string` for the first problem.
reason(problems) := concat("", ["input invalid: ", path_text(first[0]), ": ", first[1]]) if first := min(problems)

path_text(path) := concat("", array.concat(["$"], [s | some step in path; s := segment(step)]))

segment(step) := concat("", [".", step]) if is_string(step)

segment(step) := concat("", ["[", format_int(step, 10), "]"]) if is_number(step)
"#,
        unknown = string(message::UNKNOWN_FIELD),
        top = top.join(", "),
        missing = string(message::MISSING),
        no_context = string(message::NO_CONTEXT),
        not_i64 = string(message::NOT_I64),
        extreme = string(message::EXTREME),
        limit = charter::eval::EXTREME_EXPONENT,
        timestamp = string(&message::invalid("timestamp")),
        date = string(&message::invalid("date")),
        duration = string(&message::invalid("duration")),
        min = min,
        max = max,
    )
}

/// `expr` without parentheses that enclose all of it (`(a | b)` is `a | b`; `(a) | (b)` stays),
/// reading Rego string literals (`"…"` with escapes, `` `…` `` raw) as opaque.
fn unwrapped(expr: &str) -> &str {
    let Some(inner) = expr.strip_prefix('(').and_then(|e| e.strip_suffix(')')) else {
        return expr;
    };
    let mut depth = 0usize;
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '`' => {
                for c in chars.by_ref() {
                    if c == '`' {
                        break;
                    }
                }
            }
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                // The first parenthesis closes before the end: it does not enclose everything.
                None => return expr,
            },
            _ => {}
        }
    }
    inner
}

#[cfg(test)]
mod tests {
    use super::unwrapped;

    #[test]
    fn only_parentheses_around_the_whole_expression_go() {
        assert_eq!(unwrapped("({a} | {b})"), "{a} | {b}");
        assert_eq!(unwrapped("(a) | (b)"), "(a) | (b)");
        assert_eq!(unwrapped("({\"(\"} | {`)`})"), "{\"(\"} | {`)`}");
        assert_eq!(unwrapped("(f(\"\\\")\"))"), "f(\"\\\")\")");
        assert_eq!(unwrapped("prim(\"int\", x)"), "prim(\"int\", x)");
    }
}
