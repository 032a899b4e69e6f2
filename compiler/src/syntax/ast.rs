//! The syntax tree, as written. Every node has a span; nothing is resolved yet. Nodes that failed
//! to parse are `Error` variants, so later stages see where a hole is and keep going.

use super::Span;
use crate::Name;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: Name,
    pub span: Span,
}

/// A dotted name: `summit.identity.User`, `subject.tenant`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(&seg.name);
        }
        out
    }

    pub fn last(&self) -> Option<&Ident> {
        self.segments.last()
    }
}

/// A string literal, decoded, with the span of its quotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    Package(Package),
    Use(Use),
    Record(Record),
    Enum(Enum),
    Alias(Alias),
    Entity(Entity),
    Action(ActionDecl),
    Context(ContextDecl),
    /// Boxed: the largest declaration, and a file's items are a list of `Item`s.
    Policy(Box<Policy>),
    Service(Service),
    Control(Control),
    Threat(Threat),
    Test(TestSuite),
    Framework(Framework),
    /// Text that did not parse as a declaration; its diagnostic is already reported.
    Error(ErrorItem),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Package(x) => x.span,
            Item::Use(x) => x.span,
            Item::Record(x) => x.span,
            Item::Enum(x) => x.span,
            Item::Alias(x) => x.span,
            Item::Entity(x) => x.span,
            Item::Action(x) => x.span,
            Item::Context(x) => x.span,
            Item::Policy(x) => x.span,
            Item::Service(x) => x.span,
            Item::Control(x) => x.span,
            Item::Threat(x) => x.span,
            Item::Test(x) => x.span,
            Item::Framework(x) => x.span,
            Item::Error(x) => x.span,
        }
    }
}

/// A declaration that did not parse: what could be saved of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrorItem {
    pub span: Span,
    /// The declaration keyword, such as `policy`.
    pub keyword: Option<String>,
    /// The declared name, when it came right after the keyword.
    pub name: Option<Ident>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Package {
    pub path: Path,
    pub span: Span,
}

/// `use a.b.C`, `use a.b.C as D` or `use a.b.{C, D}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Use {
    pub prefix: Path,
    pub names: Vec<UseName>,
    /// True for the braced form `use a.b.{C, D}`.
    pub braced: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UseName {
    pub name: Ident,
    pub alias: Option<Ident>,
}

/// `@name` or `@name(key: value, ...)` or `@name("value")`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Annotation {
    pub name: Ident,
    pub args: Vec<AnnotationArg>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnnotationArg {
    /// `None` for a positional argument.
    pub key: Option<Ident>,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub with_provenance: bool,
    pub fields: Vec<Field>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Enum {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub ordered: bool,
    pub open: bool,
    pub name: Ident,
    pub variants: Vec<Variant>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
}

/// `type Name = Type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub fields: Vec<Field>,
    pub span: Span,
}

/// `action read, export on Dataset by User, Service`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionDecl {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub names: Vec<Ident>,
    pub resource: Path,
    pub subjects: Vec<Path>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContextDecl {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub fields: Vec<Field>,
    pub span: Span,
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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Policy {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub resource: Path,
    pub subjects: Vec<Path>,
    pub context: Option<Path>,
    pub version: Option<StrLit>,
    pub default_effect: Effect,
    pub default_span: Span,
    pub default_reason: Option<StrLit>,
    pub rules: Vec<Rule>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub effect: Effect,
    pub name: Ident,
    pub condition: Option<Expr>,
    pub reason: Option<StrLit>,
    pub span: Span,
}

/// One rule or a hole where a rule failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleOrError {
    Rule(Rule),
    Error(Span),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Service {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub version: Option<StrLit>,
    pub base: Option<StrLit>,
    pub ops: Vec<Operation>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Operation {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub method: Ident,
    pub path: StrLit,
    pub params: Vec<Param>,
    pub result: Option<TypeExpr>,
    pub clauses: Vec<OpClause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// Annotations written before the parameter (`@wire("StartTime>") start: timestamp?`).
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OpClause {
    /// `errors { 400: ValidationError, ... }`
    Errors(Vec<ErrorResponse>, Span),
    /// `requires provenance`
    RequiresProvenance(Span),
    /// `guarded by POLICY action ACTION`
    GuardedBy {
        policy: Path,
        action: Ident,
        span: Span,
    },
    /// `graphql query` or `graphql mutation`
    Graphql(Ident, Span),
    Error(Span),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrorResponse {
    /// `None` when the written number does not fit a status code.
    pub status: Option<u16>,
    pub status_text: String,
    pub status_span: Span,
    pub ty: TypeExpr,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Control {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub id: Ident,
    pub title: Option<StrLit>,
    pub clauses: Vec<ControlClause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ControlClause {
    Owner(StrLit),
    Satisfies(Vec<RequirementRef>),
    EnforcedBy(Vec<Path>),
    Evidence {
        path: StrLit,
        /// `category NAME`: the evidence index's category (else the path's convention).
        category: Option<Ident>,
        retained: Option<(String, Span)>,
        produced_by: Option<Expr>,
        span: Span,
    },
    Error(Span),
}

/// `soc2."CC6.1"`: a framework and a requirement id in its official spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequirementRef {
    pub framework: Path,
    pub id: StrLit,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Threat {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub id: Ident,
    pub title: Option<StrLit>,
    pub clauses: Vec<ThreatClause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThreatClause {
    Subsystem(StrLit),
    Category(Ident),
    Likelihood(Ident),
    Impact(Ident),
    MitigatedBy(Vec<Path>),
    Error(Span),
}

/// `test POLICY { "case" { ... } ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TestSuite {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub policy: Path,
    pub cases: Vec<TestCase>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TestCase {
    pub doc: Option<Name>,
    pub name: StrLit,
    pub items: Vec<CaseItem>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Subject,
    Resource,
    Context,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Subject => "subject",
            Role::Resource => "resource",
            Role::Context => "context",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CaseItem {
    /// `subject User { ... }`, `resource { ... }`, `context { ... }`
    Value {
        role: Role,
        ty: Option<Path>,
        value: Expr,
        span: Span,
    },
    Action(Ident, Span),
    /// `expect allow by rule`, `expect deny by default`, `expect deny`
    Expect {
        effect: Effect,
        by: Option<Ident>,
        span: Span,
    },
    Error(Span),
}

/// `framework soc2 "title" { requirement "CC1.1" "title" { key: value } ... }`: only the
/// standard library declares these.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Framework {
    pub doc: Option<Name>,
    pub annotations: Vec<Annotation>,
    pub name: Ident,
    pub title: Option<StrLit>,
    pub requirements: Vec<RequirementDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequirementDecl {
    pub id: StrLit,
    pub title: StrLit,
    pub attributes: Vec<(Ident, Expr)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A primitive or a declared type, by name.
    Named(Path),
    Optional(Box<TypeExpr>),
    /// `list<T>`, `set<T>`, `map<K, V>`: the constructor name and its arguments. (The name and
    /// the pattern below are boxed so that a `TypeExpr`, in every field and parameter, stays
    /// at 48 bytes.)
    Generic(Box<Ident>, Vec<TypeExpr>),
    /// `float in 0.0..1.0`
    Range(Box<TypeExpr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `string matching "^[a-z]+$"`
    Matching(Box<TypeExpr>, Box<StrLit>),
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExprKind {
    Bool(bool),
    None,
    /// Integer literal as written (underscores removed later).
    Int(String),
    /// Float literal as written.
    Float(String),
    Str(String),
    Date(String),
    Duration(String),
    /// A name or an attribute path: `subject.tenant`, `Role.steward`, `read`.
    Path(Path),
    List(Vec<Expr>),
    /// `{ key: value, ... }`, optionally typed: `User { ... }`. The type is boxed: it is rare,
    /// and an `Expr` is in every condition, default and test value.
    Object(Option<Box<Path>>, Vec<(Ident, Expr)>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    /// `has subject.manager`
    Has(Path),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Paren(Box<Expr>),
    Error,
}
