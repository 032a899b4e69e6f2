//! The peers' equivalents of Charter's benchmark workloads, for the side-by-side benchmarks of
//! `benches/peers/` (docs/benchmarks.md, "Issue 21: peers and targets"):
//!
//! - [`cedar`]: the Cedar schema and policy set of a checked Charter model (the generated Atlas
//!   workspace), for `cedar validate`;
//! - [`typespec`]: the TypeSpec program of the API-contract workload ([`crate::contracts`]), for
//!   `tsp compile` with the OpenAPI 3 emitter.
//!
//! Both are deterministic: the same arguments give the same bytes.

pub mod cedar;
pub mod typespec;
