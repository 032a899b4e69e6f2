//! The atoms of conditions: comparisons, membership, presence, bool attributes, the action.

use super::Counts;
use super::cond::{Gen, PathInfo, Present, compatible, has_constant, has_default};
use super::pools::{chance, pick};
use super::schema::{Prim, Shape, Ty};
use super::values;
use crate::Rng;

impl Gen<'_> {
    pub(super) fn compare(
        &self,
        rng: &mut Rng,
        present: &Present,
        counts: &mut Counts,
    ) -> Option<(String, Present)> {
        // A kind of operand first, each kind the schema has equally likely, then a path of it:
        // rare kinds (durations, ordered enums) are compared as often as strings.
        let category_of = |shape: &Shape<'_>| match shape {
            Shape::Prim(x) if x.is_numeric() => "number",
            Shape::Prim(Prim::Date) => "date",
            Shape::Prim(Prim::Timestamp) => "timestamp",
            Shape::Prim(Prim::Duration) => "duration",
            Shape::Prim(Prim::Bool) => "bool",
            Shape::Enum(i) if self.s.enums.get(*i).is_some_and(|e| e.ordered) => "ordered_enum",
            Shape::Enum(_) => "enum",
            _ => "string",
        };
        let mut kinds: Vec<&str> = self
            .paths
            .iter()
            .map(|p| self.shape(p))
            .filter(|sh| matches!(sh, Shape::Prim(_) | Shape::Enum(_)))
            .map(|sh| category_of(&sh))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let kind = pick(rng, &kinds);
        let p = self.random_path(rng, |sh| {
            matches!(sh, Shape::Prim(_) | Shape::Enum(_)) && category_of(sh) == kind
        })?;
        let shape = self.shape(p);
        let category = category_of(&shape);
        let orderable = !matches!(category, "bool" | "enum" | "string");
        let op = if orderable {
            pick(rng, &["==", "!=", "<", "<=", ">", ">="])
        } else {
            pick(rng, &["==", "!="])
        };
        // The other side: another path of a compatible type, or a constant.
        let other_path = if has_constant(&shape) && !chance(rng, 1, 3) {
            None
        } else {
            self.random_path(rng, |sh| compatible(&shape, sh))
        };
        let (other, other_path) = match other_path {
            Some(q) => (q.text(), Some(q)),
            None => (values::constant(self.s, &shape, rng, counts)?, None),
        };
        let left_literal = other_path.is_none() && chance(rng, 1, 2);
        if left_literal {
            counts.add(&format!("lit.left.{op}"));
        }
        self.note_default(p, counts);
        counts.add(&format!("cmp.{op}.{category}"));
        let body = if left_literal {
            format!("{other} {op} {}", p.text())
        } else {
            format!("{} {op} {other}", p.text())
        };
        let needs: Vec<&PathInfo> = if op == "==" || op == "!=" {
            Vec::new()
        } else {
            std::iter::once(p).chain(other_path).collect()
        };
        Some(self.guarded(rng, &needs, body, present, counts))
    }

    pub(super) fn membership(
        &self,
        rng: &mut Rng,
        present: &Present,
        counts: &mut Counts,
    ) -> Option<(String, Present)> {
        if chance(rng, 1, 3) {
            // `x in [a, b]`: a list literal of scalars.
            let p = self.random_path(rng, |sh| {
                matches!(sh, Shape::Prim(x) if *x != Prim::Timestamp && *x != Prim::Bytes)
                    || matches!(sh, Shape::Enum(_))
            })?;
            let shape = self.shape(p);
            let items: Option<Vec<String>> = (0..rng.range(1, 3))
                .map(|_| values::constant(self.s, &shape, rng, counts))
                .collect();
            counts.add("in.literal_list");
            return Some((
                format!("{} in [{}]", p.text(), items?.join(", ")),
                Present::new(),
            ));
        }
        let c = self.random_path(rng, |sh| match sh {
            Shape::List(t) | Shape::Set(t) => !matches!(
                self.s.shape(t).0,
                Shape::Record(_) | Shape::List(_) | Shape::Set(_) | Shape::Map(_)
            ),
            Shape::Map(_) => true,
            _ => false,
        })?;
        let cshape = self.shape(c);
        let (kind, elem_shape) = match &cshape {
            Shape::List(t) => ("in.list", self.s.shape(t).0),
            Shape::Set(t) => ("in.set", self.s.shape(t).0),
            _ => ("in.map", Shape::Prim(Prim::String)),
        };
        counts.add(kind);
        let elem_path = self
            .random_path(rng, |sh| compatible(&elem_shape, sh))
            .filter(|_| chance(rng, 1, 3));
        let elem = match elem_path {
            Some(q) => q.text(),
            None => match &elem_shape {
                Shape::Enum(i) => values::enum_value(self.s, *i, rng, counts, true)?,
                other => values::constant(self.s, other, rng, counts)?,
            },
        };
        if elem_path.is_none() {
            counts.add("lit.left.in");
        }
        self.note_default(c, counts);
        Some(self.guarded(
            rng,
            &[c],
            format!("{elem} in {}", c.text()),
            present,
            counts,
        ))
    }

    pub(super) fn presence(
        &self,
        rng: &mut Rng,
        present: &Present,
        counts: &mut Counts,
    ) -> Option<(String, Present)> {
        if chance(rng, 1, 3) {
            let p = self.random_path(rng, |_| true)?;
            counts.add("cond.has");
            let est = (1..=p.attrs.len()).map(|n| p.key(n)).collect();
            return Some((format!("has {}", p.text()), est));
        }
        let optional: Vec<&PathInfo> = self
            .paths
            .iter()
            .filter(|p| self.optional(p, present))
            .collect();
        let p = *optional.get(rng.below(optional.len()))?;
        if chance(rng, 1, 2) {
            counts.add("cond.eq_none");
            Some((format!("{} == none", p.text()), Present::new()))
        } else {
            counts.add("cond.ne_none");
            Some((
                format!("{} != none", p.text()),
                (1..=p.attrs.len()).map(|n| p.key(n)).collect(),
            ))
        }
    }

    pub(super) fn truthy(
        &self,
        rng: &mut Rng,
        _present: &Present,
        counts: &mut Counts,
    ) -> Option<(String, Present)> {
        let p = self.random_path(rng, |sh| matches!(sh, Shape::Prim(Prim::Bool)))?;
        if let Some(Ty::Optional(_)) = p.last() {
            counts.add("cond.bool_optional");
        }
        self.note_default(p, counts);
        counts.add("cond.bool");
        Some(if chance(rng, 1, 4) {
            (format!("not {}", p.text()), Present::new())
        } else {
            (p.text(), Present::new())
        })
    }

    /// Counts a read of an attribute that has a default.
    fn note_default(&self, p: &PathInfo, counts: &mut Counts) {
        if has_default(self.s, p) {
            counts.add("cond.reads_default");
        }
    }

    pub(super) fn action(&self, rng: &mut Rng, counts: &mut Counts) -> Option<(String, Present)> {
        let a = pick(rng, &self.actions);
        counts.add("cond.action");
        Some((
            match rng.below(5) {
                0 => format!("action == {a}"),
                1 => format!("action == \"{a}\""),
                2 => format!("action != {a}"),
                3 => format!("{a} == action"),
                _ => {
                    counts.add("in.literal_list");
                    let b = pick(rng, &self.actions);
                    format!("action in [{a}, {b}]")
                }
            },
            Present::new(),
        ))
    }

    /// `==`/`!=` between two collections or records of one type.
    pub(super) fn equal_paths(
        &self,
        rng: &mut Rng,
        _present: &Present,
        counts: &mut Counts,
    ) -> Option<(String, Present)> {
        // Collections of plain scalars only: the checker does not look through aliases and
        // refinements of element types when it compares two collections.
        let plain = |t: &Ty| matches!(t, Ty::Prim(_) | Ty::Enum(_));
        let p = self.random_path(rng, |sh| match sh {
            Shape::List(t) | Shape::Set(t) => plain(t),
            Shape::Record(_) | Shape::Provenance => true,
            _ => false,
        })?;
        let shape = self.shape(p);
        let q = self.random_path(rng, |sh| match (&shape, sh) {
            (Shape::List(a) | Shape::Set(a), Shape::List(b) | Shape::Set(b)) => {
                plain(a) && plain(b) && compatible(&self.s.shape(a).0, &self.s.shape(b).0)
            }
            (Shape::Record(a), Shape::Record(b)) => a == b,
            (Shape::Provenance, Shape::Provenance) => true,
            _ => false,
        })?;
        counts.add("cmp.collections_or_records");
        let op = pick(rng, &["==", "!="]);
        Some((format!("{} {op} {}", p.text(), q.text()), Present::new()))
    }
}
