//! Charter literals: field defaults and the constants conditions compare with.

use super::Counts;
use super::pools::{self, FLOAT_LITS, INT_LITS, chance, pick};
use super::schema::{Prim, Schema, Shape, Ty};
use crate::Rng;

/// A default for a field of type `ty`, as Charter writes it (`None`: no literal form here).
pub fn default_text(s: &Schema, ty: &Ty, rng: &mut Rng) -> Option<String> {
    if let Some(r) = s.refinement(ty) {
        if let Some(range) = r.range() {
            return Some(pick(rng, range.defaults).to_string());
        }
        if let Some(p) = r.pattern() {
            return Some(format!("\"{}\"", pick(rng, p.matching)));
        }
    }
    let (shape, _) = s.shape(ty);
    Some(match shape {
        Shape::Prim(Prim::Bool) => pick(rng, &["true", "false"]).to_string(),
        Shape::Prim(Prim::Int) => pick(rng, INT_LITS).to_string(),
        Shape::Prim(Prim::Float | Prim::Decimal) => {
            if chance(rng, 1, 3) {
                pick(rng, INT_LITS).to_string()
            } else {
                pick(rng, FLOAT_LITS).to_string()
            }
        }
        Shape::Prim(Prim::String) => pick(rng, pools::STRING_LITS).0.to_string(),
        Shape::Prim(Prim::Bytes) => format!("\"{}\"", pick(rng, pools::BYTES)),
        Shape::Prim(Prim::Uuid) => format!("\"{}\"", pick(rng, pools::UUIDS)),
        Shape::Prim(Prim::Timestamp) => format!("\"{}\"", pick(rng, pools::TIMESTAMPS).0),
        Shape::Prim(Prim::Date) => pick(rng, pools::DATE_LITS).to_string(),
        Shape::Prim(Prim::Duration) => pick(rng, pools::DURATION_LITS).to_string(),
        Shape::Enum(i) => {
            let e = s.enums.get(i)?;
            let v = pick(rng, e.values);
            if chance(rng, 1, 2) {
                v.to_string()
            } else {
                format!("{}.{v}", e.name)
            }
        }
        Shape::List(t) | Shape::Set(t) => {
            if chance(rng, 1, 2) {
                "[]".to_string()
            } else {
                let a = default_text(s, t, rng)?;
                let b = default_text(s, t, rng)?;
                format!("[{a}, {b}]")
            }
        }
        Shape::Map(t) => {
            if chance(rng, 1, 2) {
                "{}".to_string()
            } else {
                format!("{{ ops: {} }}", default_text(s, t, rng)?)
            }
        }
        Shape::Record(_) | Shape::Provenance => return None,
    })
}

/// A number literal, counted by its spelling.
pub fn number(rng: &mut Rng, counts: &mut Counts) -> String {
    let lit = if chance(rng, 1, 2) {
        pick(rng, INT_LITS)
    } else {
        pick(rng, FLOAT_LITS)
    };
    count_number(lit, counts);
    lit.to_string()
}

pub fn count_number(lit: &str, counts: &mut Counts) {
    if lit.starts_with('-') {
        counts.add("lit.negative");
    }
    if lit.contains('_') {
        counts.add("lit.underscore");
    }
    if lit.contains(['e', 'E']) {
        counts.add("lit.exponent");
    }
}

/// A constant of `shape` for a comparison with a path of that shape (`None`: the shape has no
/// literal, like timestamps and bytes, or records).
pub fn constant(
    s: &Schema,
    shape: &Shape<'_>,
    rng: &mut Rng,
    counts: &mut Counts,
) -> Option<String> {
    Some(match shape {
        Shape::Prim(p) if p.is_numeric() => number(rng, counts),
        Shape::Prim(Prim::Bool) => pick(rng, &["true", "false"]).to_string(),
        Shape::Prim(Prim::String) => {
            let lit = pick(rng, pools::STRING_LITS).0;
            if lit.contains('\\') {
                counts.add("lit.string_escape");
            }
            lit.to_string()
        }
        Shape::Prim(Prim::Uuid) => format!("\"{}\"", pick(rng, pools::UUIDS)),
        Shape::Prim(Prim::Date) => {
            counts.add("lit.date");
            pick(rng, pools::DATE_LITS).to_string()
        }
        Shape::Prim(Prim::Duration) => {
            counts.add("lit.duration");
            pick(rng, pools::DURATION_LITS).to_string()
        }
        Shape::Enum(i) => enum_value(s, *i, rng, counts, true)?,
        _ => return None,
    })
}

/// A value of enum `i`: `E.v`, a bare `v` (when `bare` is allowed) or `package.E.v`.
pub fn enum_value(
    s: &Schema,
    i: usize,
    rng: &mut Rng,
    counts: &mut Counts,
    bare: bool,
) -> Option<String> {
    let e = s.enums.get(i)?;
    let v = pick(rng, e.values);
    Some(match rng.below(6) {
        0..=2 if bare => {
            counts.add("lit.enum_bare");
            v.to_string()
        }
        5 => {
            counts.add("lit.enum_qualified");
            format!("{}.{}.{v}", s.package, e.name)
        }
        _ => format!("{}.{v}", e.name),
    })
}
