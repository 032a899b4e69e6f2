//! The SDK model: the language-neutral view of what a generated client needs, built once on
//! [`charter::api`] and read by every SDK language (`typescript/` today; Go and Python reuse it).
//!
//! It decides everything that does not depend on the language: which packages get a module,
//! which types each module declares (the records, enums, aliases, entities and contexts that
//! the operations reach, through fields and aliases), and for every operation its method, full
//! path (the service's base path, then the operation's), its parameters split by location, the
//! success status, the declared errors by status, governance (`requires provenance`, `guarded
//! by`) and its deprecation (the operation's, else its service's). A language module maps names
//! (keyword escaping, case conventions, collisions after case conversion: `charter::naming`) and
//! types; it never walks the model on its own.

pub mod go;
pub mod python;
pub mod typescript;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use charter::api::reach::{names_in, operation_types};
use charter::api::{Decl, Index, Reach, http};
use charter::ir::{
    Alias, Deprecation, Enum, Field, Guard, Method, Model, Operation, Param, ParamLocation,
    QualName, Record, Service, Shape, Type,
};

/// Settings of the SDK targets: the `[sdk]` table of `charter.toml` and `--compat`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkOptions {
    /// The package name (npm, Go module, Python distribution); default: the workspace name.
    pub name: Option<String>,
    /// The package version; default: the workspace version.
    pub version: Option<String>,
    /// The Go module path (`[sdk] go_module`); default: derived from the name.
    pub go_module: Option<String>,
    /// Compatibility shims: declarations renamed since the previous release (`[sdk] compat`),
    /// which keep their old names as deprecated aliases.
    pub renames: Vec<Rename>,
}

/// A declaration renamed since the previous release, as the evolution diff found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rename {
    /// A record of `package`.
    Record {
        package: String,
        old: String,
        new: String,
    },
    /// An operation of `service`.
    Operation {
        service: QualName,
        old: String,
        new: String,
    },
}

/// The operations of `service` renamed since the previous release, as (old name, new name), in
/// the order the evolution diff found them.
pub fn renamed_operations<'r>(
    renames: &'r [Rename],
    service: &'r QualName,
) -> impl Iterator<Item = (&'r str, &'r str)> {
    renames.iter().filter_map(move |rename| match rename {
        Rename::Operation {
            service: owner,
            old,
            new,
        } if owner == service => Some((old.as_str(), new.as_str())),
        _ => None,
    })
}

/// The records of `package` renamed since the previous release whose new name `exists` (among
/// the types a module emits), as (old name, the record's name today).
pub fn renamed_records<'r>(
    renames: &'r [Rename],
    package: &'r str,
    exists: impl Fn(&QualName) -> bool + 'r,
) -> impl Iterator<Item = (&'r str, QualName)> {
    renames.iter().filter_map(move |rename| match rename {
        Rename::Record {
            package: owner,
            old,
            new,
        } if owner == package => {
            let target = QualName::new(package, new.clone());
            exists(&target).then_some((old.as_str(), target))
        }
        _ => None,
    })
}

/// The renamed records and operations among the changes of `charter::evolution::diff`.
pub fn renames(changes: &[charter::evolution::Change]) -> Vec<Rename> {
    use charter::evolution::kinds;
    let mut out = Vec::new();
    for change in changes {
        let (Some(new), Some((_, old))) = (&change.renamed_to, change.path.rsplit_once('.')) else {
            continue;
        };
        if change.kind.id == kinds::RECORD_RENAMED.id {
            out.push(Rename::Record {
                package: change.package.clone(),
                old: old.to_string(),
                new: new.clone(),
            });
        } else if change.kind.id == kinds::OPERATION_RENAMED.id
            && let Some((package, name)) =
                change.service.as_deref().and_then(|s| s.rsplit_once('.'))
        {
            out.push(Rename::Operation {
                service: QualName::new(package, name),
                old: old.to_string(),
                new: new.clone(),
            });
        }
    }
    out
}

/// The whole SDK: one module per Charter package that declares a reached type or a service.
#[derive(Debug)]
pub struct Sdk<'m> {
    pub name: String,
    pub version: String,
    /// Modules in package-name order.
    pub modules: Vec<Module<'m>>,
    /// Compatibility shims to emit.
    pub renames: Vec<Rename>,
}

/// One Charter package's share of the SDK.
#[derive(Debug)]
pub struct Module<'m> {
    pub package: &'m str,
    /// The types the operations reach, in declaration order (records, enums, aliases, entities,
    /// contexts, as the model lists them).
    pub types: Vec<TypeDecl<'m>>,
    pub services: Vec<ServiceView<'m>>,
}

impl Module<'_> {
    /// The other packages whose types this module names (its fields, aliases, parameters,
    /// results and errors), in name order: what each language imports.
    pub fn imported_packages(&self) -> Vec<String> {
        let mut found: BTreeSet<String> = BTreeSet::new();
        let mut add = |ty: &Type| {
            let mut list = Vec::new();
            names_in(ty, &mut list);
            for name in list {
                if name.package != self.package {
                    found.insert(name.package.to_string());
                }
            }
        };
        for decl in &self.types {
            match decl {
                TypeDecl::Alias(a) => add(&a.ty),
                TypeDecl::Record(_) | TypeDecl::Shape(_) => {
                    fields(*decl).iter().for_each(|f| add(&f.field.ty));
                }
                TypeDecl::Enum(_) => {}
            }
        }
        for service in &self.services {
            for op in &service.ops {
                op.op.params.iter().for_each(|p| add(&p.ty));
                op.result.into_iter().for_each(&mut add);
                op.errors.iter().for_each(|(_, t)| add(t));
            }
        }
        found.into_iter().collect()
    }
}

/// A declared type an SDK declares.
#[derive(Debug, Clone, Copy)]
pub enum TypeDecl<'m> {
    /// A record; `with provenance` records have their envelope as the first field.
    Record(&'m Record),
    Enum(&'m Enum),
    Alias(&'m Alias),
    /// An entity or context reached by an operation: an object like a record, no envelope.
    Shape(&'m Shape),
}

impl<'m> TypeDecl<'m> {
    pub fn name(self) -> &'m QualName {
        match self {
            TypeDecl::Record(r) => &r.name,
            TypeDecl::Enum(e) => &e.name,
            TypeDecl::Alias(a) => &a.name,
            TypeDecl::Shape(s) => &s.name,
        }
    }

    pub fn doc(self) -> Option<&'m str> {
        match self {
            TypeDecl::Record(r) => r.doc.as_deref(),
            TypeDecl::Enum(e) => e.doc.as_deref(),
            TypeDecl::Alias(a) => a.doc.as_deref(),
            TypeDecl::Shape(s) => s.doc.as_deref(),
        }
    }

    pub fn deprecated(self) -> Option<&'m Deprecation> {
        match self {
            TypeDecl::Record(r) => r.deprecated.as_deref(),
            TypeDecl::Enum(e) => e.deprecated.as_deref(),
            TypeDecl::Alias(a) => a.deprecated.as_deref(),
            TypeDecl::Shape(_) => None,
        }
    }
}

/// One field of an object type, as a client sees it.
#[derive(Debug, Clone, Copy)]
pub struct FieldView<'m> {
    pub field: &'m Field,
    /// The type without an outer `?`.
    pub ty: &'m Type,
    /// Whether the wire value may be absent: optional (`T?`) or defaulted fields. The
    /// provenance envelope of a `with provenance` record is always required.
    pub may_be_absent: bool,
    /// The provenance envelope of a `with provenance` record.
    pub envelope: bool,
    /// The member's name on the wire (`@wire`, else the identifier): serialisation, decoding,
    /// validation and error paths use it; the SDK's identifier comes from `field.name`.
    pub wire: &'m str,
    /// `@nullable`: the member may be present and `null`. A required nullable field is always
    /// sent (`null` when the caller gives nothing: `null`, `nil`, `None`); an optional one is
    /// left out when the caller gives nothing; decoding accepts `null` for either. Only these
    /// fields accept `null` (docs/sdk.md, "Wire names, null and success statuses").
    pub nullable: bool,
}

impl FieldView<'_> {
    /// Whether the SDK's value may be the language's nothing (`undefined`/`null`, `nil`,
    /// `None`): the field may be absent or `null`.
    pub fn may_be_nothing(&self) -> bool {
        self.may_be_absent || self.nullable
    }
}

/// The fields of an object type, in declaration order.
pub fn fields(decl: TypeDecl<'_>) -> Vec<FieldView<'_>> {
    let (list, with_provenance): (&[Field], bool) = match decl {
        TypeDecl::Record(r) => (&r.fields, r.with_provenance),
        TypeDecl::Shape(s) => (&s.fields, false),
        TypeDecl::Enum(_) | TypeDecl::Alias(_) => (&[], false),
    };
    list.iter()
        .enumerate()
        .map(|(i, field)| {
            let envelope = with_provenance && i == 0;
            FieldView {
                field,
                ty: field.ty.unwrap_optional(),
                may_be_absent: !envelope && (field.ty.is_optional() || field.default.is_some()),
                envelope,
                wire: field.wire_name(),
                nullable: field.nullable,
            }
        })
        .collect()
}

/// One service and its operations.
#[derive(Debug)]
pub struct ServiceView<'m> {
    pub service: &'m Service,
    pub ops: Vec<OpView<'m>>,
}

/// One operation, as a client calls it.
#[derive(Debug)]
pub struct OpView<'m> {
    pub op: &'m Operation,
    pub method: Method,
    /// The service's base path (`/catalog`), empty without one.
    pub base_path: &'m str,
    /// The operation's path template (`/v1/datasets/{dataset_id}`).
    pub path: &'m str,
    pub path_params: Vec<&'m Param>,
    pub query_params: Vec<&'m Param>,
    pub body: Option<&'m Param>,
    pub result: Option<&'m Type>,
    /// The status of a successful response: the declared `@status`, else `200`, or `204`
    /// without a result (`Operation::success_status`). Every SDK treats any other 2xx whose
    /// body decodes as a success too.
    pub success: u16,
    /// Declared error responses, in status order.
    pub errors: Vec<(u16, &'m Type)>,
    pub requires_provenance: bool,
    pub guard: Option<&'m Guard>,
    /// The operation's deprecation, else its service's.
    pub deprecation: Option<&'m Deprecation>,
    /// Safe to retry (RFC 9110 §9.2.2): GET, HEAD, OPTIONS, PUT, DELETE.
    pub idempotent: bool,
    /// Each defaulted parameter's default as it goes on the wire (enum values by their wire
    /// names), by parameter name.
    pub defaults: BTreeMap<&'m str, serde_json::Value>,
}

impl<'m> OpView<'m> {
    /// Path parameters, then query parameters, then the body.
    pub fn params(&self) -> Vec<&'m Param> {
        self.path_params
            .iter()
            .chain(&self.query_params)
            .chain(self.body.iter())
            .copied()
            .collect()
    }

    fn new(index: &Index<'m>, service: &'m Service, op: &'m Operation) -> Self {
        let at = |location| {
            op.params
                .iter()
                .filter(|p| p.location == location)
                .collect::<Vec<_>>()
        };
        let mut errors: Vec<(u16, &Type)> = op.errors.iter().map(|(s, t)| (*s, t)).collect();
        errors.sort_by_key(|(status, _)| *status);
        OpView {
            op,
            method: op.method,
            base_path: service.base_path.as_str(),
            path: op.path.as_str(),
            path_params: at(ParamLocation::Path),
            query_params: at(ParamLocation::Query),
            body: at(ParamLocation::Body).into_iter().next(),
            result: op.result.as_ref(),
            success: op.success_status(),
            errors,
            requires_provenance: op.requires_provenance,
            guard: op.guard.as_ref(),
            deprecation: http::deprecation(service, op),
            idempotent: matches!(
                op.method,
                Method::Get | Method::Head | Method::Options | Method::Put | Method::Delete
            ),
            defaults: op
                .params
                .iter()
                .filter_map(|p| {
                    let default = p.default.as_ref()?;
                    let wire = crate::jsonschema::types::wire_value(index, default, &p.ty)?;
                    Some((p.name.as_str(), wire))
                })
                .collect(),
        }
    }
}

/// The SDK of `model`: every service, and the types their operations reach.
pub fn build<'m>(model: &'m Model, options: &SdkOptions) -> Sdk<'m> {
    let index = Index::new(model);
    let reach = Reach::walk(
        &index,
        model
            .services
            .iter()
            .flat_map(|s| &s.ops)
            .flat_map(operation_types),
    );
    let mut modules: BTreeMap<&'m str, Module<'m>> = BTreeMap::new();
    let reached = |name: &QualName| !reach.dir(name).is_none();
    let decls = model
        .records
        .iter()
        .map(TypeDecl::Record)
        .chain(model.enums.iter().map(TypeDecl::Enum))
        .chain(model.aliases.iter().map(TypeDecl::Alias))
        .chain(
            model
                .entities
                .iter()
                .chain(&model.contexts)
                .map(TypeDecl::Shape),
        );
    for decl in decls {
        let name = decl.name();
        // The index keeps the first declaration of a name; a later duplicate is an error the
        // checker reported, and never reaches a build.
        let first = index.get(name).is_some_and(|d| same(d, decl));
        if reached(name) && first {
            module(&mut modules, &name.package).types.push(decl);
        }
    }
    for service in &model.services {
        let ops = service
            .ops
            .iter()
            .map(|op| OpView::new(&index, service, op))
            .collect();
        module(&mut modules, &service.name.package)
            .services
            .push(ServiceView { service, ops });
    }
    Sdk {
        name: options
            .name
            .clone()
            .unwrap_or_else(|| model.package.clone()),
        version: options
            .version
            .clone()
            .unwrap_or_else(|| model.version.clone()),
        modules: modules.into_values().collect(),
        renames: options.renames.clone(),
    }
}

fn module<'a, 'm>(
    modules: &'a mut BTreeMap<&'m str, Module<'m>>,
    package: &'m str,
) -> &'a mut Module<'m> {
    modules.entry(package).or_insert_with(|| Module {
        package,
        types: Vec::new(),
        services: Vec::new(),
    })
}

fn same(decl: Decl<'_>, ours: TypeDecl<'_>) -> bool {
    match (decl, ours) {
        (Decl::Record(a), TypeDecl::Record(b)) => std::ptr::eq(a, b),
        (Decl::Enum(a), TypeDecl::Enum(b)) => std::ptr::eq(a, b),
        (Decl::Alias(a), TypeDecl::Alias(b)) => std::ptr::eq(a, b),
        (Decl::Entity(a) | Decl::Context(a), TypeDecl::Shape(b)) => std::ptr::eq(a, b),
        _ => false,
    }
}

/// What an enum value's line in a doc comment says after the value (its wire name): ` (`ident`)`
/// when its identifier differs, `: its doc` on one line and ` (deprecated since …)` when
/// deprecated.
pub fn variant_note(v: &charter::ir::Variant) -> String {
    let mut out = String::new();
    if v.wire_name() != v.name {
        out.push_str(&format!(" (`{}`)", v.name));
    }
    if let Some(d) = &v.doc {
        out.push_str(": ");
        out.push_str(&d.replace('\n', " "));
    }
    if let Some(d) = &v.deprecated {
        out.push_str(&format!(" (deprecated {})", deprecation_text(d)));
    }
    out
}

/// A deprecation as text (`@deprecated` in TypeScript, `Deprecated:` in Go): `since 2026-04-01; sunset 2026-12-31; use events. note`.
pub fn deprecation_text(d: &Deprecation) -> String {
    let mut out = format!("since {}", d.since);
    if let Some(sunset) = d.sunset {
        out.push_str(&format!("; sunset {sunset}"));
    }
    if let Some(version) = &d.version {
        out.push_str(&format!("; version {version}"));
    }
    if let Some(replacement) = &d.replacement {
        out.push_str(&format!("; use {replacement}"));
    }
    if let Some(note) = &d.note {
        out.push_str(&format!(". {note}"));
    }
    out
}
