//! The SDK targets on the API-contract workload (`charter_bench::contracts`): 2,000 records and
//! 2,000 GET operations, checked, then emitted as the TypeScript SDK (target: under 0.5 s).
//!
//! `cargo bench -p charter-bench --bench sdk`; `CHARTER_BENCH_MODELS=500` benchmarks another
//! size (models and GET operations alike).

#![expect(clippy::unwrap_used, reason = "benchmark setup")]

use charter::db::Database;
use charter_codegen::Target;

fn main() {
    divan::main();
}

/// Records and GET operations: 2,000 under `cargo bench`, 100 under `cargo test --benches`.
fn size() -> usize {
    if let Some(n) = std::env::var("CHARTER_BENCH_MODELS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
    {
        return n;
    }
    if std::env::args().any(|a| a == "--bench") {
        2000
    } else {
        100
    }
}

fn model() -> charter::ir::Model {
    let files = charter_bench::contracts::generate(size(), size());
    let db = Database::default();
    let ws = charter_bench::load(&db, &files);
    assert!(charter::semantics::diagnostics(&db, ws).is_empty());
    charter::semantics::model(&db, ws).clone()
}

/// The `sdk-typescript` target's files, from the checked model.
#[divan::bench(sample_count = 10)]
fn typescript(bencher: divan::Bencher<'_, '_>) {
    let model = model();
    let options = charter_codegen::Options::default();
    bencher.bench_local(|| {
        let files = charter_codegen::sdk::typescript::SdkTypescript
            .emit(&model, &options)
            .unwrap();
        divan::black_box(files.iter().map(|f| f.bytes.len()).sum::<usize>())
    });
}
