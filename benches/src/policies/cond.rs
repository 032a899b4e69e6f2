//! Well-typed random conditions over a schema: comparisons of every operand kind with literals
//! on either side, `in` over lists, sets, maps and list literals, `has`, `== none`, `!= none`,
//! bool attributes, `not`, and deep `and`/`or` nesting. `has` guards are placed exactly where
//! the checker needs them (E2005), tracking what each `and` chain has established.

use super::Counts;
use super::pools::{chance, pick};
use super::schema::{Field, Prim, Schema, Shape, Ty};
use crate::Rng;

/// A path the conditions may read: its root, attributes and the type of each step.
#[derive(Clone, Debug)]
pub struct PathInfo {
    pub root: &'static str,
    pub attrs: Vec<String>,
    pub tys: Vec<Ty>,
}

impl PathInfo {
    pub fn text(&self) -> String {
        let mut s = self.root.to_string();
        for a in &self.attrs {
            s.push('.');
            s.push_str(a);
        }
        s
    }

    pub(super) fn key(&self, n: usize) -> (&'static str, Vec<String>) {
        (self.root, self.attrs.iter().take(n).cloned().collect())
    }

    pub(super) fn last(&self) -> Option<&Ty> {
        self.tys.last()
    }
}

pub(super) type Present = Vec<(&'static str, Vec<String>)>;

pub struct Gen<'a> {
    pub s: &'a Schema,
    pub paths: Vec<PathInfo>,
    pub actions: Vec<&'static str>,
}

impl<'a> Gen<'a> {
    pub fn new(s: &'a Schema) -> Self {
        let mut paths = Vec::new();
        let mut walk = |root: &'static str, fields: &[Field]| {
            for f in fields {
                collect(s, root, Vec::new(), Vec::new(), f, &mut paths, 0);
            }
        };
        walk("subject", s.subject_fields());
        walk("resource", &s.resource.fields);
        if let Some(c) = &s.context {
            walk("context", &c.fields);
        }
        Gen {
            s,
            paths,
            actions: s.all_actions(),
        }
    }

    /// Whether `p` may be absent given what the enclosing `and` chain established (the
    /// checker's rule: an optional step not known to be present makes the path optional).
    pub(super) fn optional(&self, p: &PathInfo, present: &Present) -> bool {
        for (i, ty) in p.tys.iter().enumerate() {
            if matches!(ty, Ty::Optional(_)) && !present.contains(&p.key(i + 1)) {
                return true;
            }
        }
        false
    }

    pub(super) fn shape<'p>(&'p self, p: &'p PathInfo) -> Shape<'p> {
        match p.last() {
            Some(t) => self.s.shape(t).0,
            None => Shape::Prim(Prim::Bool),
        }
    }

    /// A condition of nesting depth at most `depth`; also returns the paths it establishes
    /// as present for later conjuncts of an enclosing `and` chain.
    pub fn condition(
        &self,
        rng: &mut Rng,
        depth: usize,
        present: &Present,
        counts: &mut Counts,
    ) -> (String, Present) {
        if depth == 0 || chance(rng, 1, 3) {
            return self.atom(rng, present, counts);
        }
        match rng.below(5) {
            0 | 1 => {
                counts.add("cond.and");
                let mut scoped = present.clone();
                let mut established = Present::new();
                let mut parts = Vec::new();
                for _ in 0..rng.range(2, 3) {
                    let (text, est) = self.condition(rng, depth - 1, &scoped, counts);
                    scoped.extend(est.iter().cloned());
                    established.extend(est);
                    parts.push(paren_or(text, " or "));
                }
                if depth >= 3 {
                    counts.add("cond.deep_nesting");
                }
                (parts.join(" and "), established)
            }
            2 | 3 => {
                counts.add("cond.or");
                let parts: Vec<String> = (0..rng.range(2, 3))
                    .map(|_| self.condition(rng, depth - 1, present, counts).0)
                    .collect();
                (format!("({})", parts.join(" or ")), Present::new())
            }
            _ => {
                counts.add("cond.not");
                let (inner, _) = self.condition(rng, depth - 1, present, counts);
                (format!("not ({inner})"), Present::new())
            }
        }
    }

    /// One comparison, membership or presence test (with its `has` guard when needed).
    fn atom(&self, rng: &mut Rng, present: &Present, counts: &mut Counts) -> (String, Present) {
        for _ in 0..16 {
            let found = match rng.below(20) {
                0..=6 => self.compare(rng, present, counts),
                7..=10 => self.membership(rng, present, counts),
                11..=12 => self.presence(rng, present, counts),
                13..=14 => self.truthy(rng, present, counts),
                15..=16 => self.action(rng, counts),
                17 => self.equal_paths(rng, present, counts),
                18 if chance(rng, 1, 3) => {
                    counts.add("cond.constant");
                    Some((pick(rng, &["true", "false"]).to_string(), Present::new()))
                }
                _ => self.compare(rng, present, counts),
            };
            if let Some(atom) = found {
                return atom;
            }
        }
        (
            self.action(rng, counts)
                .map(|a| a.0)
                .unwrap_or_else(|| "true".into()),
            Present::new(),
        )
    }

    pub(super) fn random_path(
        &self,
        rng: &mut Rng,
        keep: impl Fn(&Shape<'_>) -> bool,
    ) -> Option<&PathInfo> {
        let fits: Vec<&PathInfo> = self.paths.iter().filter(|p| keep(&self.shape(p))).collect();
        fits.get(rng.below(fits.len())).copied()
    }

    /// `has p and ...` for each optional path; the atom text and what it establishes.
    pub(super) fn guarded(
        &self,
        rng: &mut Rng,
        needs: &[&PathInfo],
        body: String,
        present: &Present,
        counts: &mut Counts,
    ) -> (String, Present) {
        let mut guards = Vec::new();
        let mut established = Present::new();
        let mut scoped = present.clone();
        for p in needs {
            if self.optional(p, &scoped) {
                let text = p.text();
                if chance(rng, 1, 4) {
                    counts.add("cond.ne_none");
                    guards.push(format!("{text} != none"));
                } else {
                    counts.add("cond.has");
                    guards.push(format!("has {text}"));
                }
                for n in 1..=p.attrs.len() {
                    established.push(p.key(n));
                    scoped.push(p.key(n));
                }
            }
        }
        if guards.is_empty() {
            (body, established)
        } else {
            guards.push(body);
            (format!("({})", guards.join(" and ")), established)
        }
    }
}

pub(super) fn has_constant(s: &Shape<'_>) -> bool {
    matches!(s, Shape::Enum(_))
        || matches!(s, Shape::Prim(p) if !matches!(p, Prim::Timestamp | Prim::Bytes))
}

/// Whether a value of shape `b` may be compared with one of shape `a` (the checker's rule).
pub(super) fn compatible(a: &Shape<'_>, b: &Shape<'_>) -> bool {
    match (a, b) {
        (Shape::Prim(x), Shape::Prim(y)) => {
            x == y
                || (x.is_numeric() && y.is_numeric())
                || matches!(
                    (x, y),
                    (Prim::String, Prim::Uuid) | (Prim::Uuid, Prim::String)
                )
        }
        (Shape::Enum(x), Shape::Enum(y)) => x == y,
        _ => false,
    }
}

pub(super) fn has_default(s: &Schema, p: &PathInfo) -> bool {
    let fields: Vec<Field> = match p.root {
        "subject" => s.subject_fields().to_vec(),
        "resource" => s.resource.fields.clone(),
        _ => s
            .context
            .as_ref()
            .map(|c| c.fields.clone())
            .unwrap_or_default(),
    };
    p.attrs.len() == 1
        && fields.iter().any(|f| {
            Some(&f.name) == p.attrs.first()
                && f.default.is_some()
                && !matches!(f.ty, Ty::Optional(_))
        })
}

/// `text` in parentheses when it contains `sep` at its top level (an `or` inside an `and`).
fn paren_or(text: String, sep: &str) -> String {
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ if depth == 0 && bytes.get(i..i + sep.len()) == Some(sep.as_bytes()) => {
                return format!("({text})");
            }
            _ => {}
        }
    }
    text
}

/// Every path from a field, through records, up to three attributes deep.
fn collect(
    s: &Schema,
    root: &'static str,
    mut attrs: Vec<String>,
    mut tys: Vec<Ty>,
    f: &Field,
    out: &mut Vec<PathInfo>,
    depth: usize,
) {
    attrs.push(f.name.clone());
    tys.push(f.ty.clone());
    out.push(PathInfo {
        root,
        attrs: attrs.clone(),
        tys: tys.clone(),
    });
    if depth >= 2 {
        return;
    }
    let (shape, _) = s.shape(&f.ty);
    if let Some(fields) = s.fields_of(&shape) {
        for g in &fields {
            collect(s, root, attrs.clone(), tys.clone(), g, out, depth + 1);
        }
    }
}
