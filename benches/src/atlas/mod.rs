//! The generator of the Atlas workspace: [`shared`] writes the shared package `atlas.core`, the other modules one
//! domain package's files ([`package_files`]), a module per concern.

mod atoms;
mod cases;
mod controls;
mod domains;
mod policy;
mod service;
mod shared;
mod types;

use atoms::*;
use cases::*;
use controls::*;
pub(crate) use domains::*;
use policy::*;
use service::*;
pub(crate) use shared::core_files;
use types::*;

use crate::{Rng, package_dir, summary_record};

pub(crate) fn package_files(i: usize, seed: u64) -> Vec<(String, String)> {
    let d = domain(i);
    let pkg = package_path(i);
    let dir = package_dir(i);
    let mut rng = Rng::new(seed, i as u64);
    let upstream = i.checked_sub(1);
    let linked = if i >= 2 { Some(i / 2) } else { None };
    let access = policy(&mut rng, d, &pkg, Kind::Access);
    let ingest = policy(&mut rng, d, &pkg, Kind::Ingest);
    vec![
        (format!("{dir}/access.charter"), access),
        (format!("{dir}/contexts.charter"), contexts(d, &pkg)),
        (
            format!("{dir}/controls.charter"),
            controls(&mut rng, d, &pkg),
        ),
        (format!("{dir}/ingest.charter"), ingest),
        (format!("{dir}/ingest_test.charter"), ingest_tests(d, &pkg)),
        (format!("{dir}/model.charter"), model(d, &pkg)),
        (format!("{dir}/records.charter"), records(d, &pkg, upstream)),
        (
            format!("{dir}/service.charter"),
            service(&mut rng, d, &pkg, i, linked),
        ),
    ]
}
