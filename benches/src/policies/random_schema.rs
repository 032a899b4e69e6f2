//! A random schema for one policy: every primitive type, enums of each kind, aliases with
//! refinements, lists, sets, maps, nested records, optional and defaulted fields, one to three
//! subject entities sharing the attributes `subject` reads, a context, actions.

use super::Counts;
use super::pools::{self, DECIMAL_RANGES, FLOAT_RANGES, INT_RANGES, PATTERNS, chance, pick};
use super::schema::{Decl, EnumDecl, Field, Prim, Refine, Schema, Shape, Ty};
use crate::Rng;

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
        tricky: Vec::new(),
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
    // Orderable kinds that few random schemas would otherwise have twice, so that every order
    // comparison is generated often enough in each run.
    for p in [Prim::Date, Prim::Timestamp, Prim::Duration] {
        if chance(rng, 1, 3) {
            counts.add(&format!("type.{}", p.name()));
            let name = format!("{}{}", prefix(&b.s, &Ty::Prim(p)), b.next);
            b.next += 1;
            b.s.resource.fields.push(Field {
                name,
                ty: Ty::Prim(p),
                default: None,
            });
            b.used.push(Ty::Prim(p));
        }
    }
    // Now and then a policy that requires provenance has nowhere to carry the envelope (no
    // context, or a context without `provenance`): it can never allow.
    let envelope = b.s.provenance && !chance(rng, 1, 5);
    if b.s.provenance && !envelope {
        counts.add("service.requires_provenance_without_envelope");
    }
    if envelope || chance(rng, 2, 3) {
        let n = rng_range(rng, 1, 4);
        let mut fields = b.fields(rng, counts, n, 0);
        if envelope {
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
    /// Tricky field names taken (each once per schema, so no declaration has one twice).
    tricky: Vec<&'static str>,
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
            } else if chance(rng, 1, 8) {
                // `name: T? = v`: omitted reads `v`, `null` reads as missing.
                default = super::values::default_text(&self.s, &ty, rng);
                if default.is_some() {
                    counts.add("field.default_optional");
                }
            }
            ty = Ty::Optional(Box::new(ty));
        } else if chance(rng, 1, 5) {
            default = super::values::default_text(&self.s, &ty, rng);
            if default.is_some() {
                counts.add("field.default");
            }
        }
        let tricky = pick(rng, pools::TRICKY_NAMES);
        let name = if chance(rng, 1, 12) && !self.tricky.contains(&tricky) {
            self.tricky.push(tricky);
            counts.add("name.tricky_field");
            tricky.to_string()
        } else {
            format!("{}{}", prefix(&self.s, &ty), self.next)
        };
        self.next += 1;
        Field { name, ty, default }
    }

    fn ty(&mut self, rng: &mut Rng, counts: &mut Counts, depth: usize) -> Ty {
        match rng.below(100) {
            0..=44 => {
                let p = pick(rng, &Prim::ALL.map(Some)).unwrap_or(Prim::Bool);
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
            88..=89 if depth < 2 => self.recursive(counts),
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
                    ]
                    .map(Some),
                )
                .unwrap_or(Prim::Bool);
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

    /// A record that contains itself: `next: RecN?` and `kids: list<RecN> = []`, so inputs
    /// can nest as deep as they like.
    fn recursive(&mut self, counts: &mut Counts) -> Ty {
        let index = self.s.records.len();
        let me = Ty::Record(index);
        let field = |name: &str, ty: Ty, default: Option<&str>| Field {
            name: name.to_string(),
            ty,
            default: default.map(str::to_string),
        };
        let fields = vec![
            field("label", Ty::Prim(Prim::String), None),
            field("next", Ty::Optional(Box::new(me.clone())), None),
            field("kids", Ty::List(Box::new(me.clone())), Some("[]")),
            field("n", Ty::Optional(Box::new(Ty::Prim(Prim::Int))), None),
        ];
        self.s.records.push(Decl {
            name: format!("Rec{index}"),
            fields,
        });
        counts.add("type.record");
        counts.add("type.record_recursive");
        me
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
