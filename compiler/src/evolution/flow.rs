//! Which named types flow into a service (request: parameters, bodies, policy inputs) and out
//! of it (response: results, errors): the contract view's reachability (`charter::api::reach`)
//! over both sides of a diff.

use crate::api::{Dir, Index, Reach};
use crate::ir::{Model, QualName};

pub use crate::api::reach::names_in;

/// The directions of every type every operation and policy input of `model` reaches.
pub fn of(model: &Model) -> Reach<'_> {
    Reach::of_model(&Index::new(model))
}

/// The directions of `name` in either model; a type no operation or policy input reaches
/// counts as both (it may be used by another workspace).
pub fn dir(old: &Reach<'_>, new: &Reach<'_>, name: &QualName) -> Dir {
    let d = old.dir(name).union(new.dir(name));
    if d.is_none() { Dir::BOTH } else { d }
}
