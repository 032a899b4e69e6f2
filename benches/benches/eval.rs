//! The native evaluator: one decision of a 50-rule policy (target: under 5 µs).
//!
//! `cargo bench -p charter-bench --bench eval`; the OPA side of the same decisions is measured
//! by `tests/opa/bench_decisions.py` (see docs/benchmarks.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use charter::db::Database;
use charter_bench::Rng;
use charter_bench::policies::{self, SCHEMA};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 200, sample_size = 64)]
fn decide_50_rule_policy(bencher: divan::Bencher<'_, '_>) {
    let mut rng = Rng::new(42, 0);
    let files = vec![
        ("src/schema/schema.charter".to_string(), SCHEMA.to_string()),
        (
            "src/p1/p1.charter".to_string(),
            policies::policy_with_rules(1, 50, &mut rng).source,
        ),
    ];
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
    let inputs: Vec<serde_json::Value> = (0..256).map(|_| policies::input(&mut rng)).collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % inputs.len();
        divan::black_box(charter::eval::decide(&model, &policy, &inputs[i]))
    });
}
