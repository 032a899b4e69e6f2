//! The schema of one generated policy: enums (ordered, unordered, open), aliases with
//! refinements, nested records, subject and resource entities, a context, actions; its types
//! looked through ([`Schema::shape`]) and rendered as Charter. [`super::random_schema`] draws
//! one at random.

use std::fmt::Write as _;

use super::pools::{self, DECIMAL_RANGES, FLOAT_RANGES, INT_RANGES, PATTERNS};

/// The language's primitive types, as the compiler names them.
pub use charter::ir::Prim;

/// A refinement: an index into the range or pattern pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refine {
    Range(Prim, usize),
    Matching(usize),
}

impl Refine {
    pub fn range(self) -> Option<&'static pools::RangeSpec> {
        match self {
            Refine::Range(Prim::Int, i) => INT_RANGES.get(i),
            Refine::Range(Prim::Float, i) => FLOAT_RANGES.get(i),
            Refine::Range(_, i) => DECIMAL_RANGES.get(i),
            Refine::Matching(_) => None,
        }
    }

    pub fn pattern(self) -> Option<&'static pools::PatternSpec> {
        match self {
            Refine::Matching(i) => PATTERNS.get(i),
            Refine::Range(..) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Prim(Prim),
    Refined(Prim, Refine),
    Enum(usize),
    Record(usize),
    Provenance,
    Alias(usize),
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Optional(Box<Ty>),
}

/// What a type is once aliases and refinements are looked through.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape<'a> {
    Prim(Prim),
    Enum(usize),
    Record(usize),
    Provenance,
    List(&'a Ty),
    Set(&'a Ty),
    Map(&'a Ty),
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    /// The default as Charter writes it.
    pub default: Option<String>,
}

pub struct EnumDecl {
    pub name: String,
    pub values: &'static [&'static str],
    pub ordered: bool,
    pub open: bool,
}

pub struct Decl {
    pub name: String,
    pub fields: Vec<Field>,
}

pub struct Schema {
    pub package: String,
    pub enums: Vec<EnumDecl>,
    pub aliases: Vec<(String, Ty)>,
    pub records: Vec<Decl>,
    pub subjects: Vec<Decl>,
    /// How many leading fields every subject shares (same name, same type).
    pub shared: usize,
    pub resource: Decl,
    pub context: Option<Decl>,
    /// `action a, b on Resource by S1, S2`: the names and the subjects (indices).
    pub actions: Vec<(Vec<&'static str>, Vec<usize>)>,
    pub provenance: bool,
}

/// The standard provenance envelope's fields.
pub fn provenance_fields() -> Vec<Field> {
    let f = |name: &str, ty: Ty| Field {
        name: name.to_string(),
        ty,
        default: None,
    };
    vec![
        f("origin", Ty::Prim(Prim::String)),
        f("actor", Ty::Prim(Prim::String)),
        f("timestamp", Ty::Prim(Prim::Timestamp)),
        f(
            "confidence",
            Ty::Refined(Prim::Float, Refine::Range(Prim::Float, 0)),
        ),
        f("simulated", Ty::Prim(Prim::Bool)),
    ]
}

impl Schema {
    /// The shape of `ty` and whether it is optional.
    pub fn shape<'a>(&'a self, ty: &'a Ty) -> (Shape<'a>, bool) {
        let mut optional = false;
        let mut current = ty;
        for _ in 0..16 {
            current = match current {
                Ty::Optional(inner) => {
                    optional = true;
                    inner
                }
                Ty::Alias(i) => match self.aliases.get(*i) {
                    Some((_, target)) => target,
                    None => break,
                },
                Ty::Prim(p) | Ty::Refined(p, _) => return (Shape::Prim(*p), optional),
                Ty::Enum(i) => return (Shape::Enum(*i), optional),
                Ty::Record(i) => return (Shape::Record(*i), optional),
                Ty::Provenance => return (Shape::Provenance, optional),
                Ty::List(t) => return (Shape::List(t), optional),
                Ty::Set(t) => return (Shape::Set(t), optional),
                Ty::Map(t) => return (Shape::Map(t), optional),
            };
        }
        (Shape::Prim(Prim::Bool), optional)
    }

    /// The refinement `ty` carries, through aliases.
    pub fn refinement(&self, ty: &Ty) -> Option<Refine> {
        match ty {
            Ty::Refined(_, r) => Some(*r),
            Ty::Optional(inner) => self.refinement(inner),
            Ty::Alias(i) => self.aliases.get(*i).and_then(|(_, t)| self.refinement(t)),
            _ => None,
        }
    }

    /// The fields of a record-like shape.
    pub fn fields_of(&self, shape: &Shape<'_>) -> Option<Vec<Field>> {
        match shape {
            Shape::Record(i) => self.records.get(*i).map(|r| r.fields.clone()),
            Shape::Provenance => Some(provenance_fields()),
            _ => None,
        }
    }

    /// The fields `subject` reads: those every subject entity has.
    pub fn subject_fields(&self) -> &[Field] {
        self.subjects
            .first()
            .map(|s| s.fields.get(..self.shared).unwrap_or(&s.fields))
            .unwrap_or_default()
    }

    pub fn all_actions(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for (names, _) in &self.actions {
            for n in names {
                if !out.contains(n) {
                    out.push(n);
                }
            }
        }
        out
    }

    pub fn ty_text(&self, ty: &Ty) -> String {
        match ty {
            Ty::Prim(p) => p.name().to_string(),
            Ty::Refined(p, r) => match (r.range(), r.pattern()) {
                (Some(range), _) => format!("{} in {}", p.name(), range.text),
                (_, Some(pattern)) => format!("string matching \"{}\"", pattern.pattern),
                _ => p.name().to_string(),
            },
            Ty::Enum(i) => self
                .enums
                .get(*i)
                .map(|e| e.name.clone())
                .unwrap_or_default(),
            Ty::Record(i) => self
                .records
                .get(*i)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            Ty::Provenance => "Provenance".to_string(),
            Ty::Alias(i) => self
                .aliases
                .get(*i)
                .map(|a| a.0.clone())
                .unwrap_or_default(),
            Ty::List(t) => format!("list<{}>", self.ty_text(t)),
            Ty::Set(t) => format!("set<{}>", self.ty_text(t)),
            Ty::Map(t) => format!("map<string, {}>", self.ty_text(t)),
            Ty::Optional(t) => format!("{}?", self.ty_text(t)),
        }
    }

    /// The declarations, as Charter (the policy and service are added by the caller).
    pub fn render(&self) -> String {
        let mut s = format!("package {}\n\n", self.package);
        if self.provenance {
            s.push_str("use std.provenance.Provenance\n\n");
        }
        for e in &self.enums {
            let _ = writeln!(
                s,
                "{}{}enum {} {{ {} }}\n",
                if e.ordered { "ordered " } else { "" },
                if e.open { "open " } else { "" },
                e.name,
                e.values.join(", ")
            );
        }
        for (name, ty) in &self.aliases {
            let _ = writeln!(s, "type {name} = {}\n", self.ty_text(ty));
        }
        for r in &self.records {
            self.render_decl(&mut s, "record", r);
        }
        for e in &self.subjects {
            self.render_decl(&mut s, "entity", e);
        }
        self.render_decl(&mut s, "entity", &self.resource);
        if let Some(c) = &self.context {
            self.render_decl(&mut s, "context", c);
        }
        for (names, subjects) in &self.actions {
            let by: Vec<&str> = subjects
                .iter()
                .filter_map(|i| self.subjects.get(*i).map(|e| e.name.as_str()))
                .collect();
            let _ = writeln!(
                s,
                "action {} on {} by {}\n",
                names.join(", "),
                self.resource.name,
                by.join(", ")
            );
        }
        s
    }

    fn render_decl(&self, s: &mut String, keyword: &str, d: &Decl) {
        let _ = writeln!(s, "{keyword} {} {{", d.name);
        for f in &d.fields {
            let _ = write!(s, "  {}: {}", f.name, self.ty_text(&f.ty));
            if let Some(default) = &f.default {
                let _ = write!(s, " = {default}");
            }
            s.push('\n');
        }
        s.push_str("}\n\n");
    }
}
