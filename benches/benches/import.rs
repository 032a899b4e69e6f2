//! `charter import openapi` with many warnings (issue 17): the document of
//! `charter_bench::import::warnings(n)` (one W8004 per property) imported in memory, for 2,000
//! to 32,000 warnings. The time must grow linearly with the warnings; `tests/import_warnings.rs`
//! asserts it. `cargo bench -p charter-bench --bench import`.

#![expect(clippy::unwrap_used, reason = "benchmark setup")]

fn main() {
    divan::main();
}

#[divan::bench(args = [2_000, 8_000, 32_000], sample_count = 5)]
fn import_with_warnings(bencher: divan::Bencher<'_, '_>, n: usize) {
    let text = charter_bench::import::warnings(n);
    bencher.bench_local(|| {
        let imported = charter_interop::openapi::import(&text, "warned.yaml", None).unwrap();
        divan::black_box(imported.warnings.len())
    });
}
