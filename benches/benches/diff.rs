//! `charter diff` minus the disk and the checks: the change list and the semver rules between
//! two checked models, the generated workspace and its next version (`charter_bench::evolve`).
//! `cargo bench -p charter-bench --bench diff` measures ~100,000 lines (override with
//! `CHARTER_BENCH_LINES`); `cargo test -p charter-bench --benches` runs it once on 3,000 lines.
#![expect(clippy::unwrap_used, reason = "benchmark code")]

use charter::db::Database;
use charter::ir::Model;
use divan::Bencher;

fn main() {
    divan::main();
}

fn lines() -> [usize; 1] {
    [charter_bench::bench_lines()]
}

fn model(files: &[(String, String)], manifest: &str) -> Model {
    let db = Database::default();
    let (config, _) = charter::workspace::manifest(manifest);
    let ws = charter::workspace::create(&db, config, charter_bench::inputs(files), Vec::new());
    charter::semantics::model(&db, ws).clone()
}

/// The diff and the rules over two models already built.
#[divan::bench(args = lines(), sample_count = 20)]
fn diff_models(bencher: Bencher, lines: usize) {
    let files = charter_bench::generate_lines(lines, 1);
    let old = model(&files, &charter_bench::manifest());
    let new = model(
        &charter_bench::evolve::evolve(&files),
        &charter_bench::evolve::manifest(),
    );
    let today = charter::literal::Date::parse("2027-01-01").unwrap();
    bencher.bench_local(|| {
        let changes = charter::evolution::diff(&old, &new);
        assert!(!changes.is_empty());
        charter::evolution::semver::check(&old, &new, changes, today)
    });
}
