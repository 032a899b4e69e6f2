//! The openapi target on the API-contract workload (`charter_bench::contracts`): 2,000 records
//! and 2,000 GET operations, checked, then emitted as OpenAPI 3.1 (YAML and JSON).
//!
//! `cargo bench -p charter-bench --bench openapi`; `CHARTER_BENCH_MODELS=500` benchmarks
//! another size (models and GET operations alike). The end-to-end figure, from disk, is
//! measured with hyperfine (see docs/benchmarks.md).

#![expect(clippy::unwrap_used, reason = "benchmark setup")]

use charter::db::Database;
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

/// Checking the workload from source texts already in memory.
#[divan::bench(sample_count = 10)]
fn check(bencher: divan::Bencher<'_, '_>) {
    let files = charter_bench::contracts::generate(size(), size());
    bencher.bench_local(|| {
        let db = Database::default();
        let ws = charter_bench::load(&db, &files);
        divan::black_box(charter::semantics::diagnostics(&db, ws).len())
    });
}

/// The documents as JSON values (what `charter_codegen::openapi::documents` returns).
#[divan::bench(sample_count = 10)]
fn documents(bencher: divan::Bencher<'_, '_>) {
    let model = model();
    bencher.bench_local(|| divan::black_box(charter_codegen::openapi::documents(&model).len()));
}

/// The target's files: every document as JSON and YAML text, on 1 and 2 threads.
#[divan::bench(sample_count = 10, args = [1, 2])]
fn emit(bencher: divan::Bencher<'_, '_>, threads: usize) {
    let model = model();
    let options = charter_codegen::Options {
        threads: std::num::NonZeroUsize::new(threads),
        ..charter_codegen::Options::default()
    };
    bencher.bench_local(|| {
        let files = charter_codegen::openapi::OpenApi
            .emit(&model, &options)
            .unwrap();
        divan::black_box(files.len())
    });
}
