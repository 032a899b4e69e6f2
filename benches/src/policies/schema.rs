//! A random schema for one policy: enums (ordered, unordered, open), aliases with refinements,
//! nested records, subject and resource entities, a context, actions; rendered as Charter.

use std::fmt::Write as _;

use super::Counts;
use super::pools::{self, DECIMAL_RANGES, FLOAT_RANGES, INT_RANGES, PATTERNS, chance, pick};
use crate::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Prim {
    #[default]
    Bool,
    Int,
    Float,
    Decimal,
    String,
    Bytes,
    Uuid,
    Timestamp,
    Date,
    Duration,
}

impl Prim {
    pub const ALL: [Prim; 10] = [
        Prim::Bool,
        Prim::Int,
        Prim::Float,
        Prim::Decimal,
        Prim::String,
        Prim::Bytes,
        Prim::Uuid,
        Prim::Timestamp,
        Prim::Date,
        Prim::Duration,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Prim::Bool => "bool",
            Prim::Int => "int",
            Prim::Float => "float",
            Prim::Decimal => "decimal",
            Prim::String => "string",
            Prim::Bytes => "bytes",
            Prim::Uuid => "uuid",
            Prim::Timestamp => "timestamp",
            Prim::Date => "date",
            Prim::Duration => "duration",
        }
    }

    pub fn numeric(self) -> bool {
        matches!(self, Prim::Int | Prim::Float | Prim::Decimal)
    }
}

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

/// Builds a random schema for policy `index`, counting the constructs it uses.
pub fn schema(index: usize, rng: &mut Rng, counts: &mut Counts) -> Schema {
    let mut b = Builder {
        s: Schema {
            package: format!("fuzz.p{index}"),
            enums: Vec::new(),
            aliases: Vec::new(),
            records: Vec::new(),
            subjects: Vec::new(),
            shared: 0,
            resource: Decl {
                name: "Doc".into(),
                fields: Vec::new(),
            },
            context: None,
            actions: Vec::new(),
            provenance: chance(rng, 1, 3),
        },
        used: Vec::new(),
        next: 0,
    };
    let subjects = match rng.below(10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let n = rng_range(rng, 2, 6);
    let shared = b.fields(rng, counts, n, 0);
    for (k, name) in ["User", "Svc", "Bot"]
        .into_iter()
        .take(subjects)
        .enumerate()
    {
        let mut fields = shared.clone();
        let own = rng.below(3);
        fields.extend(b.fields(rng, counts, own, 0));
        let _ = k;
        b.s.subjects.push(Decl {
            name: name.into(),
            fields,
        });
    }
    b.s.shared = shared.len();
    let n = rng_range(rng, 2, 7);
    let resource = b.fields(rng, counts, n, 0);
    b.s.resource.fields = resource;
    if b.s.provenance || chance(rng, 2, 3) {
        let n = rng_range(rng, 1, 4);
        let mut fields = b.fields(rng, counts, n, 0);
        if b.s.provenance {
            let at = rng.below(fields.len() + 1);
            fields.insert(
                at,
                Field {
                    name: "provenance".into(),
                    ty: Ty::Optional(Box::new(Ty::Provenance)),
                    default: None,
                },
            );
        }
        b.s.context = Some(Decl {
            name: "Req".into(),
            fields,
        });
    }
    let actions: Vec<&'static str> = {
        let mut pool: Vec<&'static str> = pools::ACTIONS.to_vec();
        let n = rng_range(rng, 1, 3);
        (0..n).map(|_| pool.remove(rng.below(pool.len()))).collect()
    };
    let all: Vec<usize> = (0..subjects).collect();
    if subjects > 1 && actions.len() > 1 && chance(rng, 1, 2) {
        // The last action is declared for the last subject only.
        let (last, rest) = actions
            .split_last()
            .map_or((None, Vec::new()), |(l, r)| (Some(*l), r.to_vec()));
        b.s.actions.push((rest, all.clone()));
        if let Some(last) = last {
            b.s.actions.push((vec![last], vec![subjects - 1]));
        }
        counts.add("action.split_subjects");
    } else {
        b.s.actions.push((actions, all));
    }
    if subjects > 1 {
        counts.add("subjects.multiple");
    }
    b.s
}

pub fn rng_range(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    rng.range(lo, hi)
}

struct Builder {
    s: Schema,
    /// Types already used by a field, for reuse (so that two paths often share a type).
    used: Vec<Ty>,
    next: usize,
}

impl Builder {
    fn fields(&mut self, rng: &mut Rng, counts: &mut Counts, n: usize, depth: usize) -> Vec<Field> {
        (0..n).map(|_| self.field(rng, counts, depth)).collect()
    }

    fn field(&mut self, rng: &mut Rng, counts: &mut Counts, depth: usize) -> Field {
        let mut ty = if !self.used.is_empty() && chance(rng, 2, 5) {
            self.used
                .get(rng.below(self.used.len()))
                .cloned()
                .unwrap_or(Ty::Prim(Prim::Int))
        } else {
            let t = self.ty(rng, counts, depth);
            self.used.push(t.clone());
            t
        };
        // Strip a reused optional: optionality is decided below.
        if let Ty::Optional(inner) = ty {
            ty = *inner;
        }
        let optional = chance(rng, 1, 4) && !matches!(ty, Ty::Refined(..));
        let mut default = None;
        if optional {
            counts.add("type.optional");
            if chance(rng, 1, 8) {
                default = Some("none".to_string());
                counts.add("field.default_none");
            }
            ty = Ty::Optional(Box::new(ty));
        } else if chance(rng, 1, 5) {
            default = super::values::default_text(&self.s, &ty, rng);
            if default.is_some() {
                counts.add("field.default");
            }
        }
        let name = format!("{}{}", prefix(&self.s, &ty), self.next);
        self.next += 1;
        Field { name, ty, default }
    }

    fn ty(&mut self, rng: &mut Rng, counts: &mut Counts, depth: usize) -> Ty {
        match rng.below(100) {
            0..=44 => {
                let p = pick(rng, &Prim::ALL);
                counts.add(&format!("type.{}", p.name()));
                Ty::Prim(p)
            }
            45..=56 => self.enumeration(rng, counts),
            57..=63 => self.refined(rng, counts),
            64..=69 => {
                let target = if chance(rng, 1, 2) {
                    self.refined(rng, counts)
                } else {
                    self.ty(rng, counts, depth + 1)
                };
                let target = match target {
                    Ty::Optional(inner) => *inner,
                    t => t,
                };
                let name = format!("Alias{}", self.s.aliases.len());
                self.s.aliases.push((name, target));
                counts.add("type.alias");
                Ty::Alias(self.s.aliases.len() - 1)
            }
            70..=75 => {
                counts.add("type.list");
                Ty::List(Box::new(self.elem(rng, counts, depth)))
            }
            76..=81 => {
                counts.add("type.set");
                Ty::Set(Box::new(self.elem(rng, counts, depth)))
            }
            82..=87 => {
                counts.add("type.map");
                Ty::Map(Box::new(self.elem(rng, counts, depth)))
            }
            _ if depth < 2 => {
                let n = rng_range(rng, 1, 4);
                let fields = self.fields(rng, counts, n, depth + 1);
                if fields
                    .iter()
                    .any(|f| matches!(self.s.shape(&f.ty).0, Shape::Record(_)))
                {
                    counts.add("type.record_nested");
                }
                let name = format!("Rec{}", self.s.records.len());
                self.s.records.push(Decl { name, fields });
                counts.add("type.record");
                Ty::Record(self.s.records.len() - 1)
            }
            _ => Ty::Prim(Prim::Int),
        }
    }

    /// An element type: mostly scalars, sometimes a record.
    fn elem(&mut self, rng: &mut Rng, counts: &mut Counts, depth: usize) -> Ty {
        match rng.below(10) {
            0..=5 => {
                let p = pick(
                    rng,
                    &[
                        Prim::Int,
                        Prim::Float,
                        Prim::String,
                        Prim::Decimal,
                        Prim::Uuid,
                        Prim::Date,
                        Prim::Duration,
                        Prim::Timestamp,
                        Prim::Bool,
                    ],
                );
                counts.add(&format!("type.{}", p.name()));
                Ty::Prim(p)
            }
            6..=7 => self.enumeration(rng, counts),
            _ => match self.ty(rng, counts, depth + 1) {
                Ty::Optional(inner) => *inner,
                t => t,
            },
        }
    }

    fn enumeration(&mut self, rng: &mut Rng, counts: &mut Counts) -> Ty {
        if !self.s.enums.is_empty() && chance(rng, 1, 3) {
            return Ty::Enum(rng.below(self.s.enums.len()));
        }
        let ordered = chance(rng, 1, 2);
        let open = chance(rng, 1, 3);
        counts.add(if ordered {
            "enum.ordered"
        } else {
            "enum.unordered"
        });
        if open {
            counts.add("enum.open");
        }
        let name = format!("E{}", self.s.enums.len());
        self.s.enums.push(EnumDecl {
            name,
            values: pick(rng, pools::ENUM_VALUES),
            ordered,
            open,
        });
        Ty::Enum(self.s.enums.len() - 1)
    }

    fn refined(&mut self, rng: &mut Rng, counts: &mut Counts) -> Ty {
        match rng.below(4) {
            0 => {
                counts.add("refine.int_range");
                Ty::Refined(
                    Prim::Int,
                    Refine::Range(Prim::Int, rng.below(INT_RANGES.len())),
                )
            }
            1 => {
                counts.add("refine.float_range");
                Ty::Refined(
                    Prim::Float,
                    Refine::Range(Prim::Float, rng.below(FLOAT_RANGES.len())),
                )
            }
            2 => {
                counts.add("refine.decimal_range");
                Ty::Refined(
                    Prim::Decimal,
                    Refine::Range(Prim::Decimal, rng.below(DECIMAL_RANGES.len())),
                )
            }
            _ => {
                counts.add("refine.matching");
                Ty::Refined(Prim::String, Refine::Matching(rng.below(PATTERNS.len())))
            }
        }
    }
}

/// A readable field-name prefix for a type.
fn prefix(s: &Schema, ty: &Ty) -> &'static str {
    let (shape, _) = s.shape(ty);
    match shape {
        Shape::Prim(Prim::Bool) => "flag",
        Shape::Prim(Prim::Int) => "n",
        Shape::Prim(Prim::Float) => "x",
        Shape::Prim(Prim::Decimal) => "dec",
        Shape::Prim(Prim::String) => "s",
        Shape::Prim(Prim::Bytes) => "bin",
        Shape::Prim(Prim::Uuid) => "id",
        Shape::Prim(Prim::Timestamp) => "ts",
        Shape::Prim(Prim::Date) => "day",
        Shape::Prim(Prim::Duration) => "dur",
        Shape::Enum(_) => "e",
        Shape::Record(_) | Shape::Provenance => "rec",
        Shape::List(_) => "xs",
        Shape::Set(_) => "set",
        Shape::Map(_) => "m",
    }
}
