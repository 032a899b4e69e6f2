//! `charter check` through the salsa database: a full check from scratch, and re-checks after
//! edits. `cargo bench -p charter-bench` measures a ~100,000-line workspace (override with
//! `CHARTER_BENCH_LINES`); `cargo test -p charter-bench --benches` runs each benchmark once on
//! a 3,000-line workspace.
#![expect(clippy::unwrap_used, reason = "benchmark code")]

use charter::db::{Database, SourceFile, Workspace};
use charter::semantics::diagnostics;
use divan::Bencher;
use salsa::Setter;

fn main() {
    divan::main();
}

fn lines() -> [usize; 1] {
    [charter_bench::bench_lines()]
}

const SEED: u64 = 1;

fn workspace(lines: usize) -> Vec<(String, String)> {
    charter_bench::generate_lines(lines, SEED)
}

/// `charter check` minus the disk: a new database, the workspace input, every diagnostic.
#[divan::bench(args = lines(), sample_count = 20)]
fn full_check(bencher: Bencher, lines: usize) {
    let files = workspace(lines);
    bencher
        .with_inputs(|| (charter_bench::config(), charter_bench::inputs(&files)))
        .bench_local_values(|((config, load_diags), inputs)| {
            let db = Database::default();
            let ws = charter::workspace::create(&db, config, inputs, load_diags);
            let count = diagnostics(&db, ws).len();
            assert_eq!(count, 0);
            // Returned, so dropping the database is not timed.
            (db, count)
        });
}

/// A checked database and the file to edit.
fn checked(files: &[(String, String)], path: &str) -> (Database, Workspace, SourceFile) {
    let db = Database::default();
    let ws = charter_bench::load(&db, files);
    assert!(diagnostics(&db, ws).is_empty());
    let file = ws
        .files(&db)
        .iter()
        .copied()
        .find(|f| f.path(&db) == path)
        .unwrap();
    (db, ws, file)
}

/// Re-check after a one-character edit inside a policy body. Each iteration flips the edit
/// (edited, original, edited, ...), so every iteration is a real change.
#[divan::bench(args = lines(), sample_count = 200)]
fn recheck_policy_body_edit(bencher: Bencher, lines: usize) {
    let files = workspace(lines);
    let packages = charter_bench::package_count(&files);
    let path = format!(
        "{}/access.charter",
        charter_bench::package_dir(packages / 2)
    );
    let (mut db, ws, file) = checked(&files, &path);
    let mut next = charter_bench::edit_policy_body(file.text(&db)).unwrap();
    bencher.bench_local(|| {
        let previous = file.set_text(&mut db).to(std::mem::take(&mut next));
        next = previous;
        let count = diagnostics(&db, ws).len();
        assert_eq!(count, 0);
        count
    });
}

/// Re-check after an edit that changes a signature: a field added to (then removed from) a
/// record used by its own package's service and by other packages.
#[divan::bench(args = lines(), sample_count = 200)]
fn recheck_signature_edit(bencher: Bencher, lines: usize) {
    let files = workspace(lines);
    let packages = charter_bench::package_count(&files);
    let package = packages / 2;
    let path = format!("{}/records.charter", charter_bench::package_dir(package));
    let (mut db, ws, file) = checked(&files, &path);
    let mut next =
        charter_bench::edit_add_field(file.text(&db), &charter_bench::summary_record(package))
            .unwrap();
    bencher.bench_local(|| {
        let previous = file.set_text(&mut db).to(std::mem::take(&mut next));
        next = previous;
        let count = diagnostics(&db, ws).len();
        assert_eq!(count, 0);
        count
    });
}

/// Where a full check spends its time: each stage on a database where the earlier stages are
/// already memoised (set up outside the timing), in the order the queries depend on each other.
mod phases {
    use charter::db::{Database, Workspace, parse};
    use charter::semantics::{analyze_file, diagnostics, file_sigs, index};
    use divan::Bencher;

    use super::{lines, workspace};

    #[derive(Clone, Copy, PartialEq, PartialOrd)]
    enum Stage {
        Loaded,
        Parsed,
        Signed,
        Analysed,
        Checked,
    }

    fn run_to(files: &[(String, String)], stage: Stage) -> (Database, Workspace) {
        let db = Database::default();
        let ws = charter_bench::load(&db, files);
        if stage >= Stage::Parsed {
            parse_all(&db, ws);
        }
        if stage >= Stage::Signed {
            sign_all(&db, ws);
        }
        if stage >= Stage::Analysed {
            analyse_all(&db, ws);
        }
        if stage >= Stage::Checked {
            assert!(diagnostics(&db, ws).is_empty());
        }
        (db, ws)
    }

    fn parse_all(db: &Database, ws: Workspace) -> usize {
        ws.files(db)
            .iter()
            .map(|f| parse(db, *f).file.items.len())
            .sum()
    }

    fn sign_all(db: &Database, ws: Workspace) -> usize {
        index(db, ws).packages.len()
            + ws.files(db)
                .iter()
                .map(|f| file_sigs(db, ws, *f).decls.len())
                .sum::<usize>()
    }

    fn analyse_all(db: &Database, ws: Workspace) -> usize {
        ws.files(db)
            .iter()
            .map(|f| analyze_file(db, ws, *f).diagnostics.len())
            .sum()
    }

    /// `parse` of every file (lexing, LALRPOP, recovery).
    #[divan::bench(args = lines(), sample_count = 20)]
    fn p1_parse(bencher: Bencher, lines: usize) {
        let files = workspace(lines);
        bencher
            .with_inputs(|| run_to(&files, Stage::Loaded))
            .bench_local_values(|(db, ws)| {
                let n = parse_all(&db, ws);
                (db, n)
            });
    }

    /// `file_names`, `index` and `file_sigs` of every file, on parsed files.
    #[divan::bench(args = lines(), sample_count = 20)]
    fn p2_names_index_sigs(bencher: Bencher, lines: usize) {
        let files = workspace(lines);
        bencher
            .with_inputs(|| run_to(&files, Stage::Parsed))
            .bench_local_values(|(db, ws)| {
                let n = sign_all(&db, ws);
                (db, n)
            });
    }

    /// `analyze_file` of every file, on parsed and signed files.
    #[divan::bench(args = lines(), sample_count = 20)]
    fn p3_analyze(bencher: Bencher, lines: usize) {
        let files = workspace(lines);
        bencher
            .with_inputs(|| run_to(&files, Stage::Signed))
            .bench_local_values(|(db, ws)| {
                let n = analyse_all(&db, ws);
                (db, n)
            });
    }

    /// `diagnostics` once every file is analysed: collecting, sorting, folder and cycle checks.
    #[divan::bench(args = lines(), sample_count = 20)]
    fn p4_workspace_diagnostics(bencher: Bencher, lines: usize) {
        let files = workspace(lines);
        bencher
            .with_inputs(|| run_to(&files, Stage::Analysed))
            .bench_local_values(|(db, ws)| {
                let n = diagnostics(&db, ws).len();
                (db, n)
            });
    }

    /// Dropping a fully checked database (what `charter check` does before it exits).
    #[divan::bench(args = lines(), sample_count = 20)]
    fn p5_drop_database(bencher: Bencher, lines: usize) {
        let files = workspace(lines);
        bencher
            .with_inputs(|| run_to(&files, Stage::Checked))
            .bench_local_values(|(db, _ws)| drop(db));
    }
}
