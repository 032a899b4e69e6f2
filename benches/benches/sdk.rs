//! The SDK targets on the API-contract workload (`charter_bench::contracts`): 2,000 records and
//! 2,000 GET operations, checked, then emitted as the TypeScript SDK, the Go SDK and the Python SDK (target: under 0.5 s each).
//!
//! `cargo bench -p charter-bench --bench sdk`; `CHARTER_BENCH_MODELS=500` benchmarks another
//! size (models and GET operations alike).

#![expect(clippy::unwrap_used, reason = "benchmark setup")]

use charter_codegen::Target;

fn main() {
    divan::main();
}

fn size() -> usize {
    charter_bench::contracts::bench_size()
}

fn model() -> charter::ir::Model {
    charter_bench::contracts::checked_model(size())
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

/// The `sdk-go` target's files, from the checked model.
#[divan::bench(sample_count = 10)]
fn go(bencher: divan::Bencher<'_, '_>) {
    let model = model();
    let options = charter_codegen::Options::default();
    bencher.bench_local(|| {
        let files = charter_codegen::sdk::go::SdkGo
            .emit(&model, &options)
            .unwrap();
        divan::black_box(files.iter().map(|f| f.bytes.len()).sum::<usize>())
    });
}

/// The `sdk-python` target's files, from the checked model.
#[divan::bench(sample_count = 10)]
fn python(bencher: divan::Bencher<'_, '_>) {
    let model = model();
    let options = charter_codegen::Options::default();
    bencher.bench_local(|| {
        let files = charter_codegen::sdk::python::SdkPython
            .emit(&model, &options)
            .unwrap();
        divan::black_box(files.iter().map(|f| f.bytes.len()).sum::<usize>())
    });
}
