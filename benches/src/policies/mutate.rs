//! Malformed inputs: one mutation of a valid input, named by the edge class it stands for.

use super::input::{Builder, Site};
use super::json::{J, Step};
use super::pools::{self, chance, pick};
use super::schema::{Prim, Schema, Shape, Ty};
use crate::Rng;

/// The mutations, each the construct name it is counted under.
const KINDS: &[&str] = &[
    "input.missing_attr",
    "input.null",
    "input.wrong_type",
    "input.int_out_of_range",
    "input.number_1e400",
    "input.int_fraction",
    "input.extra_attr",
    "input.root_not_object",
    "input.root_missing",
    "input.unknown_action",
    "input.action_not_string",
    "input.enum_wrong",
    "input.timestamp_invalid",
    "input.date_invalid",
    "input.duration_invalid",
    "input.uuid_invalid",
    "input.refinement_violated",
    "input.not_object",
    "input.extra_top_level",
    "input.elem_wrong_type",
    "input.duplicate_key",
    "input.null_default",
    "input.router_field_not_string",
];

impl Builder<'_> {
    /// Applies one random mutation to `value`; whether it did.
    pub(super) fn mutate(&mut self, rng: &mut Rng, value: &mut J, s: &Schema) -> bool {
        for _ in 0..8 {
            let kind = pick(rng, KINDS);
            if self.apply(kind, rng, value, s) {
                self.tag(kind);
                return true;
            }
        }
        false
    }

    /// Sites whose type fits `keep`.
    fn fields(&self, keep: impl Fn(&Ty, bool) -> bool) -> Vec<Vec<Step>> {
        self.sites
            .iter()
            .filter_map(|site| match site {
                Site::Field(p, ty, required) if keep(ty, *required) => Some(p.clone()),
                Site::Elem(p, ty) if keep(ty, false) => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    fn typed(
        &self,
        s: &Schema,
        keep: impl Fn(&Shape<'_>, Option<super::schema::Refine>) -> bool,
    ) -> Vec<Vec<Step>> {
        self.fields(|ty, _| {
            let (shape, _) = s.shape(ty);
            keep(&shape, s.refinement(ty))
        })
    }

    fn apply(&mut self, kind: &str, rng: &mut Rng, value: &mut J, s: &Schema) -> bool {
        let replace = |value: &mut J, targets: Vec<Vec<Step>>, rng: &mut Rng, with: J| -> bool {
            let Some(path) = targets.get(rng.below(targets.len())) else {
                return false;
            };
            match value.at_mut(path) {
                Some(slot) => {
                    *slot = with;
                    true
                }
                None => false,
            }
        };
        let roots = ["subject", "resource", "context"];
        match kind {
            "input.missing_attr" => {
                let targets = self.fields(|_, required| required);
                let Some(path) = targets.get(rng.below(targets.len())) else {
                    return false;
                };
                value.remove(path)
            }
            "input.null" => {
                let targets = self.fields(|_, required| required);
                replace(value, targets, rng, J::Null)
            }
            "input.wrong_type" | "input.elem_wrong_type" => {
                let elems = kind == "input.elem_wrong_type";
                let targets: Vec<(Vec<Step>, Ty)> = self
                    .sites
                    .iter()
                    .filter_map(|site| match site {
                        Site::Field(p, t, _) if !elems => Some((p.clone(), t.clone())),
                        Site::Elem(p, t) if elems => Some((p.clone(), t.clone())),
                        _ => None,
                    })
                    .collect();
                let Some((path, ty)) = targets.get(rng.below(targets.len())).cloned() else {
                    return false;
                };
                let wrong = wrong_value(s, &ty, rng);
                value.at_mut(&path).map(|slot| *slot = wrong).is_some()
            }
            "input.int_out_of_range" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(Prim::Int)));
                {
                    let w = J::num(pick(rng, pools::OUT_OF_RANGE_INTS));
                    replace(value, t, rng, w)
                }
            }
            "input.number_1e400" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(p) if p.is_numeric()));
                {
                    let w = J::num(pick(rng, pools::HUGE));
                    replace(value, t, rng, w)
                }
            }
            "input.int_fraction" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(Prim::Int)));
                {
                    let w = J::num(pick(rng, &["0.5", "1.5", "-2.25", "1e-400"]));
                    replace(value, t, rng, w)
                }
            }
            "input.extra_attr" => {
                let objects: Vec<Vec<Step>> = self
                    .sites
                    .iter()
                    .filter_map(|x| {
                        if let Site::Object(p) = x {
                            Some(p.clone())
                        } else {
                            None
                        }
                    })
                    .collect();
                let Some(path) = objects.get(rng.below(objects.len())) else {
                    return false;
                };
                value.set(path, "zz_extra", J::num("1"))
            }
            "input.root_not_object" => {
                let root = pick(rng, &roots);
                let with = pick(
                    rng,
                    &[
                        J::Null,
                        J::Arr(Vec::new()),
                        J::str("x"),
                        J::num("1"),
                        J::Bool(true),
                    ],
                );
                value.set(&[], root, with)
            }
            "input.root_missing" => value.remove(&[Step::Key(pick(rng, &roots).to_string())]),
            "input.unknown_action" => {
                let known = s.all_actions();
                let other = pick(rng, &["launch", "READ", "", "read ", "Read"]);
                let other = pools::ACTIONS
                    .iter()
                    .find(|a| !known.contains(a))
                    .filter(|_| chance(rng, 1, 2))
                    .copied()
                    .unwrap_or(other);
                value.set(&[], "action", J::str(other))
            }
            "input.action_not_string" => {
                let with = pick(
                    rng,
                    &[
                        J::Null,
                        J::num("1"),
                        J::Arr(vec![J::str("read")]),
                        J::Bool(true),
                    ],
                );
                if chance(rng, 1, 4) {
                    value.remove(&[Step::Key("action".into())])
                } else {
                    value.set(&[], "action", with)
                }
            }
            "input.enum_wrong" => {
                let closed = self.typed(s, |sh, _| matches!(sh, Shape::Enum(i) if s.enums.get(*i).is_some_and(|e| !e.open)));
                let with = if closed.is_empty() {
                    J::num("1")
                } else {
                    pick(
                        rng,
                        &[
                            J::str("zz_unlisted"),
                            J::str("LOW"),
                            J::num("0"),
                            J::str(""),
                        ],
                    )
                };
                let targets = if closed.is_empty() {
                    self.typed(s, |sh, _| matches!(sh, Shape::Enum(_)))
                } else {
                    closed
                };
                replace(value, targets, rng, with)
            }
            "input.timestamp_invalid" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(Prim::Timestamp)));
                {
                    let w = J::str(pick(rng, pools::BAD_TIMESTAMPS));
                    replace(value, t, rng, w)
                }
            }
            "input.date_invalid" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(Prim::Date)));
                {
                    let w = J::str(pick(rng, pools::BAD_DATES));
                    replace(value, t, rng, w)
                }
            }
            "input.duration_invalid" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(Prim::Duration)));
                {
                    let w = J::str(pick(rng, pools::BAD_DURATIONS));
                    replace(value, t, rng, w)
                }
            }
            "input.uuid_invalid" => {
                let t = self.typed(s, |sh, _| matches!(sh, Shape::Prim(Prim::Uuid)));
                {
                    let w = J::str(pick(rng, pools::BAD_UUIDS));
                    replace(value, t, rng, w)
                }
            }
            "input.refinement_violated" => {
                let targets: Vec<(Vec<Step>, super::schema::Refine)> = self
                    .sites
                    .iter()
                    .filter_map(|site| match site {
                        Site::Field(p, t, _) | Site::Elem(p, t) => {
                            s.refinement(t).map(|r| (p.clone(), r))
                        }
                        Site::Object(_) | Site::Defaulted(_) => None,
                    })
                    .collect();
                let Some((path, r)) = targets.get(rng.below(targets.len())).cloned() else {
                    return false;
                };
                let with = match (r.range(), r.pattern()) {
                    (Some(range), _) => J::num(pick(rng, range.outside)),
                    (_, Some(p)) => J::str(pick(rng, p.failing)),
                    _ => return false,
                };
                value.at_mut(&path).map(|slot| *slot = with).is_some()
            }
            "input.not_object" => {
                *value = pick(
                    rng,
                    &[
                        J::Arr(Vec::new()),
                        J::Null,
                        J::str("read"),
                        J::num("1"),
                        J::Arr(vec![J::Obj(Vec::new())]),
                    ],
                );
                true
            }
            "input.duplicate_key" => {
                if chance(rng, 1, 3) {
                    let other = pick(rng, &s.all_actions());
                    return value.duplicate(&[], "action", J::str(other));
                }
                let targets: Vec<(Vec<Step>, Ty)> = self
                    .sites
                    .iter()
                    .filter_map(|site| match site {
                        Site::Field(p, t, _) => Some((p.clone(), t.clone())),
                        _ => None,
                    })
                    .collect();
                let Some((path, ty)) = targets.get(rng.below(targets.len())).cloned() else {
                    return false;
                };
                let Some((Step::Key(key), parent)) = path.split_last() else {
                    return false;
                };
                let ty = match ty {
                    Ty::Optional(inner) => *inner,
                    other => other,
                };
                // The second value is valid or of the wrong type: the last one counts.
                let again = if chance(rng, 1, 3) {
                    wrong_value(s, &ty, rng)
                } else {
                    self.value(rng, &ty, path.clone())
                };
                value.duplicate(parent, key, again)
            }
            "input.null_default" => {
                let targets: Vec<Vec<Step>> = self
                    .sites
                    .iter()
                    .filter_map(|x| match x {
                        Site::Defaulted(p) => Some(p.clone()),
                        _ => None,
                    })
                    .collect();
                replace(value, targets, rng, J::Null)
            }
            "input.router_field_not_string" => {
                let with = pick(
                    rng,
                    &[J::num("1"), J::Null, J::Arr(Vec::new()), J::Bool(false)],
                );
                value.set(&[], pick(rng, &["policy", "resource_type"]), with)
            }
            "input.extra_top_level" => {
                value.set(&[], pick(rng, &["zz", "Action", "subjects"]), J::num("1"))
            }
            _ => false,
        }
    }
}

/// A value of the wrong JSON kind for `ty`.
fn wrong_value(s: &Schema, ty: &Ty, rng: &mut Rng) -> J {
    let (shape, _) = s.shape(ty);
    match shape {
        Shape::Prim(p) if p.is_numeric() => {
            pick(rng, &[J::str("5"), J::Bool(true), J::Arr(Vec::new())])
        }
        Shape::Prim(Prim::Bool) => pick(rng, &[J::str("true"), J::num("1"), J::num("0")]),
        Shape::Prim(_) | Shape::Enum(_) => {
            pick(rng, &[J::num("5"), J::Bool(false), J::Obj(Vec::new())])
        }
        Shape::List(_) | Shape::Set(_) => {
            pick(rng, &[J::Obj(Vec::new()), J::str("x"), J::num("1")])
        }
        Shape::Map(_) | Shape::Record(_) | Shape::Provenance => {
            pick(rng, &[J::Arr(Vec::new()), J::str("x"), J::num("0")])
        }
    }
}
