//! The native evaluator: one decision of a 50-rule policy (target: under 5 µs), directly and
//! through the router (`charter::eval::router`: routing, then the same decision).
//!
//! `cargo bench -p charter-bench --bench eval`; the OPA side of the same decisions is measured
//! by `tests/opa/bench_decisions.py` (see docs/benchmarks.md).

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use charter::db::Database;
use charter_bench::Rng;
use charter_bench::policies::{self, Counts};

fn main() {
    divan::main();
}

/// The model of one generated 50-rule policy and 256 generated inputs for it.
fn setup() -> (
    charter::ir::Model,
    charter::ir::Policy,
    Vec<charter::eval::Json>,
) {
    let mut rng = Rng::new(42, 0);
    let generated = policies::policy_with_rules(1, 50, &mut rng);
    let files = vec![("src/p1/p1.charter".to_string(), generated.source.clone())];
    let db = Database::default();
    let ws = charter_bench::load(&db, &files);
    let model = charter::semantics::model(&db, ws).clone();
    let policy = model
        .policies
        .iter()
        .find(|p| p.name.name == "p1")
        .unwrap()
        .clone();
    assert_eq!(policy.rules.len(), 50);
    let mut counts = Counts::default();
    let inputs: Vec<charter::eval::Json> = (0..256)
        .map(|_| {
            let input =
                policies::input::input(&generated.schema, &generated.name, &mut rng, &mut counts);
            charter::eval::Json::parse(&input.text).unwrap()
        })
        .collect();
    (model, policy, inputs)
}

#[divan::bench(sample_count = 200, sample_size = 64)]
fn decide_50_rule_policy(bencher: divan::Bencher<'_, '_>) {
    let (model, policy, inputs) = setup();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % inputs.len();
        divan::black_box(charter::eval::decide(&model, &policy, &inputs[i]))
    });
}

#[divan::bench(sample_count = 200, sample_size = 64)]
fn route_50_rule_policy(bencher: divan::Bencher<'_, '_>) {
    let (model, _, inputs) = setup();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % inputs.len();
        divan::black_box(charter::eval::router::route(&model, &inputs[i]))
    });
}
