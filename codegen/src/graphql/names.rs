//! Which types one package's schema needs, and their GraphQL names.
//!
//! A package's schema is self-contained: every record and enum reachable from its exposed
//! operations is declared in it, whatever package declares it. GraphQL type names are global, so
//! names are chosen here once: a type of the schema's own package keeps its name, a type of
//! another package keeps its name unless that is taken, and then gets its package as a PascalCase
//! prefix (`summit.identity.Role` → `SummitIdentityRole`; should that be taken too, the collision
//! rule of [`charter::naming::Names`] adds `_2`, ...). Records used as inputs get an input type
//! named `<Name>Input` (or `<Name>` when the name already ends in `Input` and the record is never
//! an output), and the same prefix rule on a clash.

use std::collections::{BTreeMap, BTreeSet};

use charter::api::{Decl, Dir, Index, Maps, Reach};
use charter::ir::{Field, Operation, Prim, QualName, Service, Type};
use charter::naming;

/// The root types: never a Charter type's name (nor are GraphQL's reserved names,
/// [`charter::naming::GRAPHQL`]).
const ROOTS: [&str; 2] = ["Query", "Mutation"];

/// A custom scalar the schema declares for a Charter primitive GraphQL lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scalar {
    DateTime,
    Date,
    Duration,
    Uuid,
    Decimal,
    Bytes,
    Json,
}

impl Scalar {
    pub fn name(self) -> &'static str {
        match self {
            Scalar::DateTime => "DateTime",
            Scalar::Date => "Date",
            Scalar::Duration => "Duration",
            Scalar::Uuid => "UUID",
            Scalar::Decimal => "Decimal",
            Scalar::Bytes => "Bytes",
            Scalar::Json => "JSON",
        }
    }

    /// The description and, where a specification exists, its URL for `@specifiedBy`.
    pub fn doc(self) -> (&'static str, Option<&'static str>) {
        match self {
            Scalar::DateTime => (
                "An instant: an RFC 3339 date-time with a zone offset, such as \
                 `2026-01-15T09:30:00Z` (Charter `timestamp`).",
                Some("https://scalars.graphql.org/andimarek/date-time"),
            ),
            Scalar::Date => (
                "A calendar day, `YYYY-MM-DD` (RFC 3339 full-date; Charter `date`).",
                Some("https://www.rfc-editor.org/rfc/rfc3339#section-5.6"),
            ),
            Scalar::Duration => (
                "A length of time as Charter writes it: digits and one unit of `s`, `m`, `h`, \
                 `d`, `w` or `y`, such as `30d` (Charter `duration`).",
                None,
            ),
            Scalar::Uuid => (
                "A UUID in its 8-4-4-4-12 hexadecimal form (Charter `uuid`).",
                Some("https://www.rfc-editor.org/rfc/rfc9562"),
            ),
            Scalar::Decimal => (
                "An exact decimal number, written as a string to keep every digit (Charter \
                 `decimal`).",
                None,
            ),
            Scalar::Bytes => (
                "Binary data, base64-encoded (Charter `bytes`).",
                Some("https://www.rfc-editor.org/rfc/rfc4648#section-4"),
            ),
            Scalar::Json => (
                "A JSON object (Charter `map<string, T>`, or a declaration GraphQL cannot \
                 describe).",
                Some("https://www.rfc-editor.org/rfc/rfc8259"),
            ),
        }
    }
}

/// The types one schema declares, with their GraphQL names.
#[derive(Debug, Default)]
pub struct Names {
    /// Records (and entities or contexts) used in output positions.
    pub outputs: BTreeMap<QualName, String>,
    /// Records used in input positions, with their input type names.
    pub inputs: BTreeMap<QualName, String>,
    pub enums: BTreeMap<QualName, String>,
    pub scalars: BTreeSet<Scalar>,
    /// Names that did not resolve (only in a model with errors): the schema is not written.
    pub unresolved: BTreeSet<QualName>,
}

/// The fields of a record, an entity or a context.
pub fn fields_of<'m>(index: &Index<'m>, name: &QualName) -> Option<&'m [Field]> {
    index.fields(name)
}

/// A type with its aliases expanded at the top (aliases may be optional themselves), except
/// GraphQL's `ID`.
pub fn resolve<'t>(index: &'t Index<'_>, ty: &'t Type) -> &'t Type {
    index.expand_until(ty, |name| is_id(index, name)).ty
}

/// An alias named `ID` of `string`: GraphQL's `ID` (what `charter import graphql` writes).
pub fn is_id(index: &Index<'_>, name: &QualName) -> bool {
    name.name == "ID"
        && index
            .alias(name)
            .is_some_and(|a| a.ty == Type::Prim(Prim::String))
}

/// The scalar a primitive needs, if GraphQL lacks it.
pub fn scalar_of(p: Prim) -> Option<Scalar> {
    match p {
        Prim::Bool | Prim::Int | Prim::Float | Prim::String => None,
        Prim::Timestamp => Some(Scalar::DateTime),
        Prim::Date => Some(Scalar::Date),
        Prim::Duration => Some(Scalar::Duration),
        Prim::Uuid => Some(Scalar::Uuid),
        Prim::Decimal => Some(Scalar::Decimal),
        Prim::Bytes => Some(Scalar::Bytes),
    }
}

/// The types a schema declares: what its operations reach (`charter::api::Reach`; a map is
/// opaque, GraphQL's `JSON`), and the scalars their types need.
#[derive(Default)]
pub struct Collector {
    outputs: BTreeSet<QualName>,
    inputs: BTreeSet<QualName>,
    enums: BTreeSet<QualName>,
    scalars: BTreeSet<Scalar>,
    unresolved: BTreeSet<QualName>,
}

impl Collector {
    /// What the exposed operations reach: parameters as inputs, results as outputs (errors are
    /// not in GraphQL).
    pub fn collect<'m>(index: &Index<'m>, ops: &[(&'m Service, &'m Operation)]) -> Collector {
        let seeds = || {
            ops.iter().flat_map(|(_, op)| {
                op.params
                    .iter()
                    .map(|p| (&p.ty, Dir::REQUEST))
                    .chain(op.result.iter().map(|t| (t, Dir::RESPONSE)))
            })
        };
        let reach = Reach::walk_with(index, seeds(), Maps::Opaque);
        let mut out = Collector::default();
        for (name, dir) in &reach.dirs {
            let name = (*name).clone();
            match index.get(&name) {
                Some(Decl::Record(_) | Decl::Entity(_) | Decl::Context(_)) => {
                    if dir.is_request() {
                        out.inputs.insert(name.clone());
                    }
                    if dir.is_response() {
                        out.outputs.insert(name);
                    }
                }
                Some(Decl::Enum(_)) => {
                    out.enums.insert(name);
                }
                // Inlined where used; `ID` is GraphQL's.
                Some(Decl::Alias(_)) => {}
                Some(Decl::Service(_)) | None => {
                    out.unresolved.insert(name);
                }
            }
        }
        let declared = out.inputs.iter().chain(&out.outputs);
        let fields = declared.flat_map(|name| index.fields(name).unwrap_or_default());
        let mut scalars = BTreeSet::new();
        for ty in seeds().map(|(ty, _)| ty).chain(fields.map(|f| &f.ty)) {
            scalars_of(index, ty, &mut scalars);
        }
        out.scalars = scalars;
        out
    }

    /// Chooses every name, deterministically (sorted by qualified name).
    pub fn finish(self, package: &str) -> Names {
        let mut taken = naming::Names::default();
        for reserved in naming::GRAPHQL.iter().chain(&ROOTS) {
            taken.reserve(reserved);
        }
        for scalar in &self.scalars {
            taken.reserve(scalar.name());
        }
        let mut names = Names {
            scalars: self.scalars,
            unresolved: self.unresolved,
            ..Names::default()
        };
        // Own-package types first, so they keep their names.
        let mut declared: Vec<(bool, &QualName, bool)> = self
            .outputs
            .iter()
            .map(|n| (false, n))
            .chain(self.enums.iter().map(|n| (true, n)))
            .map(|(is_enum, n)| (n.package != package, n, is_enum))
            .collect();
        declared.sort();
        for (_, name, is_enum) in declared {
            let chosen = choose(&mut taken, name, &name.name);
            if is_enum {
                names.enums.insert(name.clone(), chosen);
            } else {
                names.outputs.insert(name.clone(), chosen);
            }
        }
        let mut inputs: Vec<(bool, &QualName)> = self
            .inputs
            .iter()
            .map(|n| (n.package != package, n))
            .collect();
        inputs.sort();
        for (_, name) in inputs {
            let wanted = if name.name.ends_with("Input") && !self.outputs.contains(name) {
                name.name.to_string()
            } else {
                format!("{}Input", name.name)
            };
            let chosen = choose(&mut taken, name, &wanted);
            names.inputs.insert(name.clone(), chosen);
        }
        names
    }
}

/// The scalars a type needs, through aliases but not into named records or enums.
fn scalars_of(index: &Index<'_>, ty: &Type, out: &mut BTreeSet<Scalar>) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match resolve(index, ty) {
            Type::Prim(p) => out.extend(scalar_of(*p)),
            Type::Optional(inner)
            | Type::List(inner)
            | Type::Set(inner)
            | Type::Refined(inner, _) => stack.push(inner),
            Type::Map(_) | Type::Error => {
                out.insert(Scalar::Json);
            }
            Type::Named(..) => {}
        }
    }
}

/// `wanted`, or on a clash the name prefixed with its package (`SummitIdentityRole`).
fn choose(taken: &mut naming::Names, name: &QualName, wanted: &str) -> String {
    taken.claim_or(
        wanted,
        &format!("{}{wanted}", naming::pascal(&name.package)),
    )
}

/// Whether `name` is a GraphQL Name (`[_A-Za-z][_0-9A-Za-z]*`) not starting with `__`.
pub fn is_graphql_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !name.starts_with("__")
}

/// The GraphQL names of a record's fields: each field's wire name when it is a GraphQL Name,
/// else its identifier; the identifiers of all of them if that would make two fields share a
/// name (docs/graphql.md).
pub fn member_names<'a>(members: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Vec<&'a str> {
    member_names_where(members, |_| true)
}

/// The GraphQL names of an enum's values, as [`member_names`], where a wire name is also
/// never `true`, `false` or `null`.
pub fn value_names(e: &charter::ir::Enum) -> Vec<&str> {
    member_names_where(
        e.variants.iter().map(|v| (v.name.as_str(), v.wire_name())),
        |w| !matches!(w, "true" | "false" | "null"),
    )
}

/// The GraphQL names of a record's fields ([`member_names`]).
pub fn field_names(fields: &[Field]) -> Vec<&str> {
    member_names(fields.iter().map(|f| (f.name.as_str(), f.wire_name())))
}

fn member_names_where<'a>(
    members: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    allowed: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    let chosen: Vec<&str> = members
        .clone()
        .map(|(ident, wire)| {
            if is_graphql_name(wire) && allowed(wire) {
                wire
            } else {
                ident
            }
        })
        .collect();
    let unique: BTreeSet<&str> = chosen.iter().copied().collect();
    if unique.len() == chosen.len() {
        chosen
    } else {
        members.map(|(ident, _)| ident).collect()
    }
}
