//! The portal target on the generated workspace: ~100,000 lines under `cargo bench -p
//! charter-bench --bench portal` (hundreds of controls and policies), 3,000 lines under `cargo
//! test -p charter-bench --benches`; `CHARTER_BENCH_LINES` overrides. Measures the whole target
//! from the checked model and the sources in memory (every page, the search index, each policy's
//! tests run), and checks that no page reaches 1 MiB.
#![expect(clippy::unwrap_used, reason = "benchmark code")]

use charter_codegen::Target;

fn main() {
    divan::main();
}

fn lines() -> [usize; 1] {
    [charter_bench::bench_lines()]
}

/// The largest page the portal may write: large lists are grouped or split into pages of 500
/// rows, so no page comes near 1 MiB.
const PAGE_LIMIT: usize = 1 << 20;

/// The readiness report the CLI passes (`charter build --target portal --today 2026-12-07`):
/// computed once, outside the measured emission, as the CLI computes it before the target runs.
fn readiness(model: &charter::ir::Model) -> charter_codegen::portal::Readiness {
    let gates = charter::config::Gates::default();
    let inputs = charter_codegen::report::Inputs {
        today: charter::literal::Date::parse("2026-12-07").unwrap(),
        gates: &gates,
        evidence: None,
        contracts: None,
        drift: None,
    };
    charter_codegen::portal::Readiness {
        report: charter_codegen::report::build(model, &inputs),
        day_from: "--today",
    }
}

#[divan::bench(args = lines(), sample_count = 10)]
fn emit(bencher: divan::Bencher<'_, '_>, lines: usize) {
    let files = charter_bench::generate_lines(lines, 1);
    let db = charter::db::Database::default();
    let ws = charter_bench::load(&db, &files);
    let model = charter::semantics::model(&db, ws).clone();
    let mut sources = files.clone();
    sources.push(("charter.toml".to_string(), charter_bench::manifest()));
    let options = charter_codegen::Options {
        portal: charter_codegen::portal::PortalOptions {
            sources,
            built_with: vec!["portal".into(), "openapi".into()],
            readiness: Some(readiness(&model)),
        },
        ..charter_codegen::Options::default()
    };
    let out = charter_codegen::portal::Portal
        .emit(&model, &options)
        .unwrap();
    let largest = out.iter().max_by_key(|f| f.bytes.len()).unwrap();
    assert!(
        largest.bytes.len() < PAGE_LIMIT,
        "{} is {} bytes",
        largest.path,
        largest.bytes.len()
    );
    eprintln!(
        "portal of {lines} lines: {} policies, {} controls, {} files, {} bytes, largest {} ({} bytes)",
        model.policies.len(),
        model.controls.len(),
        out.len(),
        out.iter().map(|f| f.bytes.len()).sum::<usize>(),
        largest.path,
        largest.bytes.len()
    );
    bencher.bench_local(|| {
        let files = charter_codegen::portal::Portal
            .emit(&model, &options)
            .unwrap();
        divan::black_box(files.len())
    });
}
