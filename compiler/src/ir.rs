//! The typed model: what every backend reads. References are resolved, types are final, dates
//! are checked, policies are condition trees over typed paths, controls carry their resolved
//! framework requirements. Nothing here needs re-validation; anything a backend would have to
//! reject is a checker diagnostic instead.
//!
//! Collections are ordered (`Vec` in declaration order within a file, files in path order) so
//! that every output derived from the model is deterministic.

use crate::Name;
pub use crate::api::path::PathTemplate;
use crate::syntax::Span;

/// A fully qualified declaration name: package and local name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualName {
    pub package: Name,
    pub name: Name,
}

impl QualName {
    pub fn new(package: impl Into<Name>, name: impl Into<Name>) -> Self {
        QualName {
            package: package.into(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for QualName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.package, self.name)
    }
}

/// Where a declaration is written, for reports that point back at the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    /// The file's path, shared by every `Loc` of the file (a [`Name`] longer than 23 bytes is
    /// one heap block, cloned in constant time).
    pub file: Name,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prim {
    Bool,
    Int,
    Float,
    Decimal,
    String,
    Bytes,
    Timestamp,
    Date,
    Duration,
    Uuid,
}

impl Prim {
    pub const ALL: [Prim; 10] = [
        Prim::Bool,
        Prim::Int,
        Prim::Float,
        Prim::Decimal,
        Prim::String,
        Prim::Bytes,
        Prim::Timestamp,
        Prim::Date,
        Prim::Duration,
        Prim::Uuid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Prim::Bool => "bool",
            Prim::Int => "int",
            Prim::Float => "float",
            Prim::Decimal => "decimal",
            Prim::String => "string",
            Prim::Bytes => "bytes",
            Prim::Timestamp => "timestamp",
            Prim::Date => "date",
            Prim::Duration => "duration",
            Prim::Uuid => "uuid",
        }
    }

    pub fn from_name(name: &str) -> Option<Prim> {
        Prim::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Prim::Int | Prim::Float | Prim::Decimal)
    }
}

/// What kind of declaration a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Record,
    Enum,
    Alias,
    Entity,
    Context,
    Policy,
    Service,
    Control,
    Threat,
    Framework,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Record => "record",
            Kind::Enum => "enum",
            Kind::Alias => "type alias",
            Kind::Entity => "entity",
            Kind::Context => "context",
            Kind::Policy => "policy",
            Kind::Service => "service",
            Kind::Control => "control",
            Kind::Threat => "threat",
            Kind::Framework => "framework",
        }
    }

    /// The kind with its article: "an entity", "a record".
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Record => "a record",
            Kind::Enum => "an enum",
            Kind::Alias => "a type alias",
            Kind::Entity => "an entity",
            Kind::Context => "a context",
            Kind::Policy => "a policy",
            Kind::Service => "a service",
            Kind::Control => "a control",
            Kind::Threat => "a threat",
            Kind::Framework => "a framework",
        }
    }

    pub fn is_type(self) -> bool {
        matches!(
            self,
            Kind::Record | Kind::Enum | Kind::Alias | Kind::Entity | Kind::Context
        )
    }
}

/// A number as written, kept exact: `0.5` stays `0.5` in every output. Built only by
/// [`Number::parse`], so it always has a value as a 64-bit float (possibly infinite, for a
/// literal too large; the checker reports those, E0005).
#[derive(Debug, Clone)]
pub struct Number {
    text: String,
    value: f64,
}

impl Number {
    /// A number literal (`12`, `-0.5`, `1e3`, underscores allowed); `None` when it is not one.
    pub fn parse(text: &str) -> Option<Number> {
        let value: f64 = text.replace('_', "").parse().ok()?;
        if value.is_nan() {
            return None;
        }
        Some(Number {
            text: text.to_string(),
            value,
        })
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The nearest 64-bit float.
    pub fn as_f64(&self) -> f64 {
        self.value
    }
}

// Equality, order and hash are the text's: the value follows from it.
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Number {}

impl std::hash::Hash for Number {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

/// A value constraint from a refinement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Constraint {
    Range {
        min: Option<Number>,
        max: Option<Number>,
    },
    Pattern(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Prim(Prim),
    Optional(Box<Type>),
    List(Box<Type>),
    Set(Box<Type>),
    /// `map<string, T>`: keys are always strings.
    Map(Box<Type>),
    /// A record, enum, entity, context or alias.
    Named(QualName, Kind),
    /// The constraint is boxed: refinements are rare, and a `Type` is in every operand.
    Refined(Box<Type>, Box<Constraint>),
    /// A type that did not resolve; its diagnostic is already reported.
    Error,
}

impl Type {
    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    /// The type without an outer `?`.
    pub fn unwrap_optional(&self) -> &Type {
        match self {
            Type::Optional(inner) => inner,
            other => other,
        }
    }

    /// Charter's own spelling of the type.
    pub fn display(&self) -> String {
        match self {
            Type::Prim(p) => p.name().to_string(),
            Type::Optional(inner) if matches!(**inner, Type::Refined(..)) => {
                format!("({})?", inner.display())
            }
            Type::Optional(inner) => format!("{}?", inner.display()),
            Type::List(inner) => format!("list<{}>", inner.display()),
            Type::Set(inner) => format!("set<{}>", inner.display()),
            Type::Map(inner) => format!("map<string, {}>", inner.display()),
            Type::Named(name, _) => name.name.to_string(),
            Type::Refined(inner, constraint) => match &**constraint {
                Constraint::Range { min, max } => format!(
                    "{} in {}..{}",
                    inner.display(),
                    min.as_ref().map_or("", |n| n.as_str()),
                    max.as_ref().map_or("", |n| n.as_str())
                ),
                Constraint::Pattern(p) => format!("{} matching {p:?}", inner.display()),
            },
            Type::Error => "{unknown}".to_string(),
        }
    }
}

/// A literal value: defaults, test inputs, evaluated attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(Number),
    String(String),
    /// An enum value with its position in the enum (its order, for ordered enums).
    Enum {
        ty: QualName,
        variant: Name,
        ordinal: usize,
    },
    List(Vec<Value>),
    /// Attributes in name order.
    Object(Vec<(Name, Value)>),
}

impl Value {
    /// Gives back the spare capacity of lists and objects, nested ones included (a value kept
    /// in a memoised model). Changes no value. Nesting is bounded by the parser's limit.
    pub fn shrink_to_fit(&mut self) {
        match self {
            Value::List(items) => {
                items.shrink_to_fit();
                items.iter_mut().for_each(Value::shrink_to_fit);
            }
            Value::Object(entries) => {
                entries.shrink_to_fit();
                entries.iter_mut().for_each(|(_, v)| v.shrink_to_fit());
            }
            Value::Null
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::String(_)
            | Value::Enum { .. } => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Deprecation {
    pub since: crate::literal::Date,
    pub sunset: Option<crate::literal::Date>,
    pub replacement: Option<String>,
    pub note: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: Name,
    pub doc: Option<Name>,
    pub ty: Type,
    pub default: Option<Value>,
    pub deprecated: Option<Box<Deprecation>>,
    /// The name on the wire (`@wire("NAME")`), when it differs from the identifier.
    pub wire: Option<String>,
    /// `@nullable`: the member may be present and `null`.
    pub nullable: bool,
}

impl Field {
    /// The name every JSON payload uses: the `@wire` name, else the identifier.
    pub fn wire_name(&self) -> &str {
        self.wire.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    pub name: QualName,
    pub doc: Option<Name>,
    /// Declared `with provenance`: the first field is the envelope.
    pub with_provenance: bool,
    pub fields: Vec<Field>,
    pub deprecated: Option<Box<Deprecation>>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub name: Name,
    pub doc: Option<Name>,
    pub deprecated: Option<Box<Deprecation>>,
    /// The value on the wire (`@wire("NAME")`), when it differs from the identifier.
    pub wire: Option<String>,
}

impl Variant {
    /// The value every JSON payload uses: the `@wire` name, else the identifier.
    pub fn wire_name(&self) -> &str {
        self.wire.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Enum {
    pub name: QualName,
    pub doc: Option<Name>,
    pub ordered: bool,
    /// Open enums may gain values without a breaking change; clients must accept unknown ones.
    pub open: bool,
    pub variants: Vec<Variant>,
    pub deprecated: Option<Box<Deprecation>>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    pub name: QualName,
    pub doc: Option<Name>,
    pub ty: Type,
    pub deprecated: Option<Box<Deprecation>>,
    pub loc: Loc,
}

/// An entity or a context: a named bag of typed attributes that policies read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shape {
    pub name: QualName,
    pub doc: Option<Name>,
    pub fields: Vec<Field>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Action {
    pub name: Name,
    pub doc: Option<Name>,
    pub resource: QualName,
    pub subjects: Vec<QualName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Root {
    Subject,
    Resource,
    Context,
}

impl Root {
    pub fn as_str(self) -> &'static str {
        match self {
            Root::Subject => "subject",
            Root::Resource => "resource",
            Root::Context => "context",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// An operand of a condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operand {
    /// `subject.tenant`, with the type at the end of the path.
    Path {
        root: Root,
        attrs: Vec<Name>,
        ty: Type,
    },
    /// The requested action's name.
    Action,
    Literal(Value),
}

/// A typed condition. A comparison whose path is missing in the input is false.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cond {
    Literal(bool),
    /// A `bool` attribute used as a condition.
    Truthy(Operand),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Compare {
        op: CmpOp,
        lhs: Operand,
        rhs: Operand,
    },
    /// Membership: `elem in collection` (list, set, or the keys of a map).
    In {
        elem: Operand,
        collection: Operand,
    },
    /// `has path`: the attribute is present (and not null).
    Has {
        root: Root,
        attrs: Vec<Name>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    pub name: Name,
    pub doc: Option<Name>,
    pub effect: Effect,
    pub canary: bool,
    pub condition: Cond,
    pub reason: String,
    pub loc: Loc,
}

/// First package segments the OPA bundle keeps for its own documents (`charter/router`,
/// `charter/schema`, `charter/enums`, `charter/routes`): no package with policies starts with
/// one (E3006), since a policy's bundle root is `charter/<package path>`.
pub const BUNDLE_RESERVED_PACKAGES: [&str; 4] = ["router", "schema", "enums", "routes"];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Policy {
    pub name: QualName,
    pub doc: Option<Name>,
    pub resource: QualName,
    pub subjects: Vec<QualName>,
    pub context: Option<QualName>,
    pub version: String,
    /// The actions this policy decides, in name order.
    pub actions: Vec<String>,
    pub default_effect: Effect,
    pub default_reason: String,
    pub rules: Vec<Rule>,
    /// Operations that name this policy in `guarded by` and require provenance.
    pub requires_provenance_for: Vec<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl Method {
    pub fn parse(text: &str) -> Option<Method> {
        Some(match text {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            "HEAD" => Method::Head,
            "OPTIONS" => Method::Options,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Body,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    pub name: Name,
    pub ty: Type,
    pub location: ParamLocation,
    pub default: Option<Value>,
    /// The query parameter's name on the wire (`@wire("NAME")`); only query parameters have one.
    pub wire: Option<String>,
}

impl Param {
    /// The name on the wire: the `@wire` name, else the identifier.
    pub fn wire_name(&self) -> &str {
        self.wire.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphqlKind {
    Query,
    Mutation,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Guard {
    pub policy: QualName,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Operation {
    pub name: Name,
    pub doc: Option<Name>,
    pub method: Method,
    /// The path template, parsed by the checker (`/v2/events/{id}`).
    pub path: PathTemplate,
    pub params: Vec<Param>,
    pub result: Option<Type>,
    /// Declared error responses by status.
    pub errors: Vec<(u16, Type)>,
    pub requires_provenance: bool,
    /// `@public("reason")`: deliberately unguarded, with the reason (never set with a guard).
    pub public: Option<String>,
    pub guard: Option<Guard>,
    pub graphql: Option<GraphqlKind>,
    pub deprecated: Option<Box<Deprecation>>,
    /// The declared success status (`@status(201)`), 200–299.
    pub success: Option<u16>,
    pub loc: Loc,
}

impl Operation {
    /// The status of a successful call: the declared `@status`, else `200` with a result and
    /// `204 No Content` without one. Every target reads this, nothing else decides it.
    pub fn success_status(&self) -> u16 {
        match self.success {
            Some(status) => status,
            None if self.result.is_some() => 200,
            None => 204,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Service {
    pub name: QualName,
    pub doc: Option<Name>,
    pub version: String,
    /// The base path (`at "/lineage"`), empty without one.
    pub base_path: PathTemplate,
    pub ops: Vec<Operation>,
    pub deprecated: Option<Box<Deprecation>>,
    pub loc: Loc,
}

/// One framework requirement that a control claims.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mapping {
    pub framework: String,
    /// The requirement id in its official spelling (`A.5.15`, `164.312(a)(1)`).
    pub requirement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Evidence {
    pub path: String,
    /// `category NAME`, as written; `None`: the path's convention decides (docs/language.md).
    pub category: Option<String>,
    /// The retention as written (`6y`, `365d`); set exactly when `retention_days` is.
    pub retention: Option<String>,
    pub retention_days: Option<u64>,
    pub produced_by: Option<String>,
    /// Where the evidence path is written.
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Control {
    pub name: QualName,
    pub doc: Option<Name>,
    pub title: String,
    pub owner: Option<String>,
    pub mappings: Vec<Mapping>,
    pub enforced_by: Vec<QualName>,
    pub evidence: Vec<Evidence>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Threat {
    pub name: QualName,
    pub doc: Option<Name>,
    pub title: String,
    pub subsystem: Option<String>,
    pub category: Option<String>,
    pub likelihood: Option<String>,
    pub impact: Option<String>,
    pub mitigated_by: Vec<QualName>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Requirement {
    pub id: String,
    pub title: String,
    /// Other accepted spellings (`5.15` for `A.5.15`).
    pub aliases: Vec<String>,
    /// The standard an implementation specification belongs to (HIPAA).
    pub parent: Option<String>,
    /// Further catalogue attributes (category, theme, required/addressable...), by name.
    pub attributes: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Framework {
    pub name: QualName,
    pub title: String,
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TestCase {
    pub name: String,
    pub policy: QualName,
    pub subject: Value,
    pub subject_type: QualName,
    pub resource: Value,
    pub action: String,
    pub context: Value,
    pub expect_effect: Effect,
    /// The rule expected to decide, or `None` for `default`; absent `by` means any rule.
    pub expect_rule: Option<Option<String>>,
    pub loc: Loc,
}

/// The whole checked program.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Model {
    pub package: String,
    pub version: String,
    pub records: Vec<Record>,
    pub enums: Vec<Enum>,
    pub aliases: Vec<Alias>,
    pub entities: Vec<Shape>,
    pub contexts: Vec<Shape>,
    pub actions: Vec<Action>,
    pub policies: Vec<Policy>,
    pub services: Vec<Service>,
    pub controls: Vec<Control>,
    pub threats: Vec<Threat>,
    pub frameworks: Vec<Framework>,
    pub tests: Vec<TestCase>,
    /// `@approved_breaking("reason")` annotations, by the path of the annotated declaration.
    pub approvals: Vec<Approval>,
}

/// An inline approval of a breaking change: `@approved_breaking("reason")` on the declaration
/// `target` (`pkg.Name`, or `pkg.Name.member` for a field, enum value, operation or rule).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Approval {
    pub target: String,
    pub reason: String,
    pub loc: Loc,
}

impl Model {
    /// Gives back the spare capacity of the model's lists and of the lists inside its
    /// declarations (fields, values, rules, operations, parameters, test values): a file's model
    /// is kept in the database as long as it lives, and grown lists hold up to twice their
    /// length. Changes no value.
    pub fn shrink_to_fit(&mut self) {
        fn fields(list: &mut Vec<Field>) {
            list.shrink_to_fit();
            list.iter_mut()
                .filter_map(|f| f.default.as_mut())
                .for_each(Value::shrink_to_fit);
        }
        self.records.shrink_to_fit();
        self.records.iter_mut().for_each(|r| fields(&mut r.fields));
        self.enums.shrink_to_fit();
        self.enums
            .iter_mut()
            .for_each(|e| e.variants.shrink_to_fit());
        self.aliases.shrink_to_fit();
        self.entities.shrink_to_fit();
        self.entities.iter_mut().for_each(|e| fields(&mut e.fields));
        self.contexts.shrink_to_fit();
        self.contexts.iter_mut().for_each(|c| fields(&mut c.fields));
        self.actions.shrink_to_fit();
        self.policies.shrink_to_fit();
        for policy in &mut self.policies {
            policy.rules.shrink_to_fit();
            policy.actions.shrink_to_fit();
            policy.subjects.shrink_to_fit();
        }
        self.services.shrink_to_fit();
        for service in &mut self.services {
            service.ops.shrink_to_fit();
            for op in &mut service.ops {
                op.params.shrink_to_fit();
                op.errors.shrink_to_fit();
            }
        }
        self.controls.shrink_to_fit();
        for control in &mut self.controls {
            control.mappings.shrink_to_fit();
            control.enforced_by.shrink_to_fit();
            control.evidence.shrink_to_fit();
        }
        self.threats.shrink_to_fit();
        self.frameworks.shrink_to_fit();
        self.tests.shrink_to_fit();
        for test in &mut self.tests {
            test.subject.shrink_to_fit();
            test.resource.shrink_to_fit();
            test.context.shrink_to_fit();
        }
        self.approvals.shrink_to_fit();
    }

    /// Appends another fragment (one file's declarations).
    /// Moves `other`'s declarations to the end of this model's lists, in order.
    pub fn append(&mut self, other: Model) {
        let Model {
            package: _,
            version: _,
            records,
            enums,
            aliases,
            entities,
            contexts,
            actions,
            policies,
            services,
            controls,
            threats,
            frameworks,
            tests,
            approvals,
        } = other;
        self.records.extend(records);
        self.enums.extend(enums);
        self.aliases.extend(aliases);
        self.entities.extend(entities);
        self.contexts.extend(contexts);
        self.actions.extend(actions);
        self.policies.extend(policies);
        self.services.extend(services);
        self.controls.extend(controls);
        self.threats.extend(threats);
        self.frameworks.extend(frameworks);
        self.tests.extend(tests);
        self.approvals.extend(approvals);
    }

    /// Reserves room in each list for the declarations of `parts`, so that appending them all
    /// allocates each list once.
    pub fn reserve(&mut self, parts: &[&Model]) {
        let total = |count: fn(&Model) -> usize| parts.iter().map(|m| count(m)).sum::<usize>();
        self.records.reserve(total(|m| m.records.len()));
        self.enums.reserve(total(|m| m.enums.len()));
        self.aliases.reserve(total(|m| m.aliases.len()));
        self.entities.reserve(total(|m| m.entities.len()));
        self.contexts.reserve(total(|m| m.contexts.len()));
        self.actions.reserve(total(|m| m.actions.len()));
        self.policies.reserve(total(|m| m.policies.len()));
        self.services.reserve(total(|m| m.services.len()));
        self.controls.reserve(total(|m| m.controls.len()));
        self.threats.reserve(total(|m| m.threats.len()));
        self.frameworks.reserve(total(|m| m.frameworks.len()));
        self.tests.reserve(total(|m| m.tests.len()));
        self.approvals.reserve(total(|m| m.approvals.len()));
    }

    pub fn record(&self, name: &QualName) -> Option<&Record> {
        self.records.iter().find(|r| &r.name == name)
    }

    /// A type alias by name (a linear scan, like the others here: build a
    /// `charter::api::Index` to look up many names).
    pub fn alias(&self, name: &QualName) -> Option<&Alias> {
        self.aliases.iter().find(|a| &a.name == name)
    }

    pub fn enumeration(&self, name: &QualName) -> Option<&Enum> {
        self.enums.iter().find(|e| &e.name == name)
    }

    pub fn policy(&self, name: &QualName) -> Option<&Policy> {
        self.policies.iter().find(|p| &p.name == name)
    }

    pub fn entity(&self, name: &QualName) -> Option<&Shape> {
        self.entities.iter().find(|e| &e.name == name)
    }

    pub fn context(&self, name: &QualName) -> Option<&Shape> {
        self.contexts.iter().find(|e| &e.name == name)
    }
}
