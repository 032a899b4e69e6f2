//! The Cedar equivalent of a checked Charter model: a schema in Cedar's own schema format and a
//! policy set, for `cedar validate --schema S --policies P` (the peer of `charter check`).
//!
//! The mapping:
//!
//! - a Charter package is a Cedar namespace (`atlas.billing` → `atlas::billing`);
//! - an entity is an entity type; a context, and every record an entity or a context reaches,
//!   is a common (record) type; aliases and refinements are replaced by their base type;
//! - `bool` → `Bool`, `int` → `Long`, `float` and `decimal` → the `decimal` extension type,
//!   every other primitive → `String`; lists and sets → `Set`; an ordered enum → `Long` (its
//!   position, so policies compare levels as Charter does), another enum → `String`;
//! - an action is an action of the resource's namespace, applying to the entities the Charter
//!   action names, with the context of the policies that decide it;
//! - each rule is one policy (`allow` → `permit`, `deny` → `forbid`; Cedar's forbid-overrides and
//!   default deny are Charter's decision model for a `default deny` policy), scoped to the
//!   policy's subject, actions and resource, with `@id`, `@reason` and `@canary` annotations
//!   and its condition in `when`. A path through an optional attribute is guarded with `has`,
//!   as Cedar's validator demands (in Charter such a comparison is false, in Cedar the guard
//!   makes it false: the same decision).
//!
//! A construct without a Cedar equivalent (a map reached by a policy, string ordering, a
//! policy with several subject types) is an error naming it, never a silent approximation.

mod expr;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use charter::ir::{Effect, Enum, Field, Kind, Model, Prim, QualName, Shape, Type};

/// A Cedar schema (Cedar's schema format) and a policy set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cedar {
    pub schema: String,
    pub policies: String,
}

/// The Cedar schema and policies of the generated Atlas workspace of at least `lines` lines
/// (`crate::generate_lines`), checked in process first.
pub fn atlas(lines: usize, seed: u64) -> Result<Cedar, String> {
    let files = crate::generate_lines(lines, seed);
    translate(&checked(files)?)
}

/// The model of a workspace given as file texts, or a message naming its first errors.
pub fn checked(files: Vec<(String, String)>) -> Result<Model, String> {
    let (config, _) = crate::config();
    charter::testing::checked_model(config, files).map_err(|errors| {
        let first: Vec<String> = errors
            .iter()
            .take(5)
            .map(|d| format!("{} {}: {}", d.code.as_str(), d.primary.file, d.message))
            .collect();
        format!(
            "the workspace does not check ({} errors): {}",
            errors.len(),
            first.join("; ")
        )
    })
}

/// The Cedar schema and policy set of `model`.
pub fn translate(model: &Model) -> Result<Cedar, String> {
    let types = Types::new(model);
    Ok(Cedar {
        schema: schema(&types, model)?,
        policies: expr::policies(&types, model)?,
    })
}

/// A Charter type as Cedar sees it, aliases and refinements removed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Base<'a> {
    Bool,
    Long,
    Decimal,
    String,
    /// An ordered enum, as its position (a `Long`).
    Ordered,
    Set(&'a Type),
    /// A record or a context (a Cedar record type).
    Record(&'a QualName, &'a [Field]),
    Entity(&'a QualName, &'a [Field]),
}

/// The declarations of the model, by name.
pub(crate) struct Types<'a> {
    enums: HashMap<&'a QualName, &'a Enum>,
    aliases: HashMap<&'a QualName, &'a Type>,
    records: HashMap<&'a QualName, &'a [Field]>,
    entities: HashMap<&'a QualName, &'a Shape>,
    contexts: HashMap<&'a QualName, &'a Shape>,
}

/// Aliases of aliases are followed this deep at most (the checker refuses cycles already).
const DEPTH: usize = 32;

impl<'a> Types<'a> {
    fn new(model: &'a Model) -> Self {
        Types {
            enums: model.enums.iter().map(|e| (&e.name, e)).collect(),
            aliases: model.aliases.iter().map(|a| (&a.name, &a.ty)).collect(),
            records: model
                .records
                .iter()
                .map(|r| (&r.name, r.fields.as_slice()))
                .collect(),
            entities: model.entities.iter().map(|e| (&e.name, e)).collect(),
            contexts: model.contexts.iter().map(|c| (&c.name, c)).collect(),
        }
    }

    pub(crate) fn entity(&self, name: &QualName) -> Result<&'a Shape, String> {
        self.entities
            .get(name)
            .copied()
            .ok_or_else(|| format!("no entity `{name}`"))
    }

    pub(crate) fn context(&self, name: &QualName) -> Result<&'a Shape, String> {
        self.contexts
            .get(name)
            .copied()
            .ok_or_else(|| format!("no context `{name}`"))
    }

    /// Whether an enum is ordered (compared by position).
    pub(crate) fn ordered(&self, name: &QualName) -> bool {
        self.enums.get(name).is_some_and(|e| e.ordered)
    }

    /// `(optional, type)`: a field's type without its outer `?`, through aliases.
    pub(crate) fn optional(&self, ty: &'a Type) -> (bool, &'a Type) {
        let mut at = ty;
        for _ in 0..DEPTH {
            match at {
                Type::Optional(inner) => return (true, inner),
                Type::Named(name, Kind::Alias) => match self.aliases.get(name) {
                    Some(aliased) => at = aliased,
                    None => break,
                },
                _ => break,
            }
        }
        (false, ty)
    }

    /// The Cedar view of a (non-optional) type.
    pub(crate) fn base(&self, ty: &'a Type) -> Result<Base<'a>, String> {
        let mut at = ty;
        for _ in 0..DEPTH {
            match at {
                Type::Prim(Prim::Bool) => return Ok(Base::Bool),
                Type::Prim(Prim::Int) => return Ok(Base::Long),
                Type::Prim(Prim::Float | Prim::Decimal) => return Ok(Base::Decimal),
                Type::Prim(_) => return Ok(Base::String),
                Type::List(inner) | Type::Set(inner) => return Ok(Base::Set(inner)),
                Type::Refined(inner, _) => at = inner,
                Type::Named(name, Kind::Alias) => {
                    at = self
                        .aliases
                        .get(name)
                        .copied()
                        .ok_or_else(|| format!("no alias `{name}`"))?;
                }
                Type::Named(name, Kind::Enum) if self.ordered(name) => return Ok(Base::Ordered),
                Type::Named(_, Kind::Enum) => return Ok(Base::String),
                Type::Named(name, Kind::Record) => {
                    let fields = self
                        .records
                        .get(name)
                        .copied()
                        .ok_or_else(|| format!("no record `{name}`"))?;
                    return Ok(Base::Record(name, fields));
                }
                Type::Named(name, Kind::Context) => {
                    return Ok(Base::Record(name, &self.context(name)?.fields));
                }
                Type::Named(name, Kind::Entity) => {
                    return Ok(Base::Entity(name, &self.entity(name)?.fields));
                }
                other => {
                    return Err(format!(
                        "the type `{}` has no Cedar equivalent",
                        other.display()
                    ));
                }
            }
        }
        Err(format!("the alias chain of `{}` is too deep", ty.display()))
    }

    /// The Cedar spelling of a (non-optional) type; records it names are added to `reach`.
    fn spell(&self, ty: &'a Type, reach: &mut BTreeSet<&'a QualName>) -> Result<String, String> {
        Ok(match self.base(ty)? {
            Base::Bool => "Bool".to_string(),
            Base::Long | Base::Ordered => "Long".to_string(),
            Base::Decimal => "__cedar::decimal".to_string(),
            Base::String => "String".to_string(),
            Base::Set(inner) => {
                let (optional, inner) = self.optional(inner);
                if optional {
                    return Err(format!("`{}`: Cedar sets have no null", ty.display()));
                }
                format!("Set<{}>", self.spell(inner, reach)?)
            }
            Base::Record(name, _) => {
                if self.records.contains_key(name) {
                    reach.insert(name);
                }
                qualified(name)?
            }
            Base::Entity(name, _) => qualified(name)?,
        })
    }
}

/// Words Cedar's grammar keeps for itself: not usable as identifiers.
const RESERVED: [&str; 10] = [
    "true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar",
];

/// Whether `name` is a Cedar identifier (usable unquoted).
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !RESERVED.contains(&name)
}

/// A Charter package as a Cedar namespace: `atlas.billing` → `atlas::billing`.
pub(crate) fn namespace(package: &str) -> Result<String, String> {
    let segments: Vec<&str> = package.split('.').collect();
    if let Some(bad) = segments.iter().find(|s| !is_identifier(s)) {
        return Err(format!(
            "package `{package}`: `{bad}` is not a Cedar identifier"
        ));
    }
    Ok(segments.join("::"))
}

/// A declaration's fully qualified Cedar name: `atlas::core::User`.
pub(crate) fn qualified(name: &QualName) -> Result<String, String> {
    if !is_identifier(&name.name) {
        return Err(format!("`{name}` is not a Cedar identifier"));
    }
    Ok(format!("{}::{}", namespace(&name.package)?, name.name))
}

/// A Cedar string literal. Cedar reads Rust's escapes (`\n`, `\u{…}`), not JSON's `\uXXXX`,
/// so `charter::text::quote::string` does not fit.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if charter::text::is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An attribute name in a schema: bare when it is an identifier, else quoted.
fn attribute(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        string(name)
    }
}

/// `// ` comment lines for a doc comment (indented by `indent`).
pub(crate) fn comment(out: &mut String, indent: &str, doc: Option<&str>) {
    for line in doc.unwrap_or_default().lines() {
        let line = format!("{indent}// {line}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// One namespace's declarations, in model order.
#[derive(Default)]
struct Namespace {
    types: String,
    entities: String,
    actions: String,
}

/// An action's `appliesTo`, merged over the Charter actions of that name in a package.
#[derive(Default)]
struct Applies<'a> {
    principals: BTreeSet<&'a QualName>,
    resources: BTreeSet<&'a QualName>,
    context: Option<&'a QualName>,
}

fn schema<'a>(types: &Types<'a>, model: &'a Model) -> Result<String, String> {
    let mut spaces: BTreeMap<String, Namespace> = BTreeMap::new();
    let mut reach: BTreeSet<&'a QualName> = BTreeSet::new();
    for entity in &model.entities {
        let space = spaces.entry(namespace(&entity.name.package)?).or_default();
        comment(&mut space.entities, "  ", entity.doc.as_deref());
        let name = &entity.name.name;
        if entity.fields.is_empty() {
            let _ = writeln!(space.entities, "  entity {name};");
        } else {
            let body = attributes(types, &entity.fields, &mut reach)?;
            let _ = writeln!(space.entities, "  entity {name} = {body};");
        }
    }
    for context in &model.contexts {
        let space = spaces.entry(namespace(&context.name.package)?).or_default();
        comment(&mut space.types, "  ", context.doc.as_deref());
        let body = attributes(types, &context.fields, &mut reach)?;
        let _ = writeln!(space.types, "  type {} = {body};", context.name.name);
    }
    // Records reached from entities and contexts, and the records they reach in turn.
    let mut done: BTreeSet<&'a QualName> = BTreeSet::new();
    while let Some(next) = reach.iter().find(|r| !done.contains(*r)).copied() {
        done.insert(next);
        let fields = types.records.get(next).copied().unwrap_or_default();
        attributes(types, fields, &mut reach)?;
    }
    for record in model.records.iter().filter(|r| done.contains(&r.name)) {
        let space = spaces.entry(namespace(&record.name.package)?).or_default();
        comment(&mut space.types, "  ", record.doc.as_deref());
        let body = attributes(types, &record.fields, &mut reach)?;
        let _ = writeln!(space.types, "  type {} = {body};", record.name.name);
    }
    actions(types, model, &mut spaces)?;
    let mut out = String::new();
    out.push_str("// The Cedar equivalent of a Charter workspace (charter-peer-gen cedar).\n");
    for (name, space) in &spaces {
        let _ = writeln!(out, "\nnamespace {name} {{");
        out.push_str(&space.types);
        out.push_str(&space.entities);
        out.push_str(&space.actions);
        out.push_str("}\n");
    }
    Ok(out)
}

/// `{ name: Type, other?: Type }`, one attribute a line.
fn attributes<'a>(
    types: &Types<'a>,
    fields: &'a [Field],
    reach: &mut BTreeSet<&'a QualName>,
) -> Result<String, String> {
    if fields.is_empty() {
        return Ok("{}".to_string());
    }
    let mut lines = Vec::with_capacity(fields.len());
    for field in fields {
        let (optional, ty) = types.optional(&field.ty);
        let spelled = types
            .spell(ty, reach)
            .map_err(|e| format!("field `{}`: {e}", field.name))?;
        let mark = if optional { "?" } else { "" };
        lines.push(format!("    {}{mark}: {spelled}", attribute(&field.name)));
    }
    Ok(format!("{{\n{}\n  }}", lines.join(",\n")))
}

fn actions<'a>(
    types: &Types<'a>,
    model: &'a Model,
    spaces: &mut BTreeMap<String, Namespace>,
) -> Result<(), String> {
    // (namespace, action) -> what it applies to; the context from the policies deciding it.
    let mut applies: BTreeMap<(String, &str), Applies<'_>> = BTreeMap::new();
    for action in &model.actions {
        let entry = applies
            .entry((namespace(&action.resource.package)?, action.name.as_str()))
            .or_default();
        entry.principals.extend(action.subjects.iter());
        entry.resources.insert(&action.resource);
    }
    for policy in &model.policies {
        let space = namespace(&policy.resource.package)?;
        for action in &policy.actions {
            let Some(entry) = applies.get_mut(&(space.clone(), action.as_str())) else {
                return Err(format!("policy `{}`: no action `{action}`", policy.name));
            };
            match (entry.context, &policy.context) {
                (Some(known), Some(context)) if known != context => {
                    return Err(format!(
                        "action `{action}` of `{space}` is decided with two contexts, `{known}` and `{context}`"
                    ));
                }
                (_, Some(context)) => entry.context = Some(context),
                (_, None) => {}
            }
        }
    }
    // Actions with the same principals, resources and context share one declaration.
    let mut groups: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for ((space, action), entry) in &applies {
        let list = |names: &BTreeSet<&QualName>| -> Result<String, String> {
            let names: Result<Vec<String>, String> = names.iter().map(|n| qualified(n)).collect();
            Ok(names?.join(", "))
        };
        let mut body = format!(
            "    principal: [{}],\n    resource: [{}]",
            list(&entry.principals)?,
            list(&entry.resources)?
        );
        if let Some(context) = entry.context {
            types.context(context)?;
            let _ = write!(body, ",\n    context: {}", qualified(context)?);
        }
        groups
            .entry((space.clone(), body))
            .or_default()
            .push(*action);
    }
    for ((space, body), names) in groups {
        let names: Vec<String> = names.iter().map(|n| string(n)).collect();
        let declarations = &mut spaces.entry(space).or_default().actions;
        let _ = writeln!(
            declarations,
            "  action {} appliesTo {{\n{body}\n  }};",
            names.join(", ")
        );
    }
    Ok(())
}

/// Whether the policy's default is the Cedar default (deny).
pub(crate) fn default_denies(effect: Effect) -> bool {
    effect == Effect::Deny
}

#[cfg(test)]
mod tests;
