//! Proves, from salsa's event log, what an edit re-executes.
//!
//! `Database::with_log` records one line per executed query, `query(Id(..))`. For queries keyed
//! by a file (`parse`, `file_names`) the id is the `SourceFile` input's; for queries keyed by
//! `(Workspace, SourceFile)` (`file_sigs`, `analyze_file`) it is the id salsa interns for that
//! pair. So before editing, each test asks every per-file query once per file on a fresh database
//! and records which log key belongs to which file; after the edit it maps the log back to paths.
//!
//! `diagnostics` is the sorted union of every file's `file_diagnostics` (its syntax errors,
//! analysis and E2014) and the `workspace_checks` across files, which read span-free summaries
//! (`file_names`, `file_imports`). An edit that leaves a file's diagnostics equal is backdated at
//! `file_diagnostics`, so `diagnostics` itself is not executed again.
#![expect(clippy::indexing_slicing, clippy::panic, reason = "test code")]

use std::collections::{BTreeMap, BTreeSet};

use charter::db::{Database, SourceFile, Workspace, parse};
use charter::semantics::{
    analyze_file, diagnostics, file_actions, file_diagnostics, file_imports, file_names, file_sigs,
};
use salsa::Setter;

/// Per query name, which file each log key stands for.
struct Keys(BTreeMap<&'static str, BTreeMap<String, String>>);

const PER_FILE: [&str; 7] = [
    "parse",
    "file_names",
    "file_imports",
    "file_actions",
    "file_sigs",
    "analyze_file",
    "file_diagnostics",
];

impl Keys {
    fn probe(db: &Database, ws: Workspace) -> Keys {
        let mut keys: BTreeMap<&'static str, BTreeMap<String, String>> = BTreeMap::new();
        db.take_log();
        for query in PER_FILE {
            for file in ws.files(db) {
                match query {
                    "parse" => drop(parse(db, *file)),
                    "file_names" => drop(file_names(db, *file)),
                    "file_imports" => drop(file_imports(db, *file)),
                    "file_actions" => drop(file_actions(db, *file)),
                    "file_sigs" => drop(file_sigs(db, ws, *file)),
                    "analyze_file" => drop(analyze_file(db, ws, *file)),
                    _ => drop(file_diagnostics(db, ws, *file)),
                }
                let log = db.take_log();
                let own: Vec<&String> = log
                    .iter()
                    .filter(|l| l.starts_with(&format!("{query}(")))
                    .collect();
                // The first call for a file executes its query exactly once (probes run in order
                // parse → file_names → file_imports → file_actions → file_sigs → analyze_file →
                // file_diagnostics, so nothing was computed ahead).
                assert_eq!(
                    own.len(),
                    1,
                    "probing {query} for {}: {log:#?}",
                    file.path(db)
                );
                keys.entry(query)
                    .or_default()
                    .insert(own[0].clone(), file.path(db).clone());
            }
        }
        Keys(keys)
    }

    /// The files `query` ran for, according to `log`.
    fn ran(&self, log: &[String], query: &str) -> BTreeSet<String> {
        log.iter()
            .filter(|l| l.starts_with(&format!("{query}(")))
            .map(|l| {
                self.0
                    .get(query)
                    .and_then(|m| m.get(l))
                    .cloned()
                    .unwrap_or_else(|| format!("<unknown key {l}>"))
            })
            .collect()
    }
}

fn count(log: &[String], query: &str) -> usize {
    log.iter()
        .filter(|l| l.starts_with(&format!("{query}(")))
        .count()
}

struct Fixture {
    db: Database,
    ws: Workspace,
    keys: Keys,
}

/// Core plus six domain packages (50 files, plus the standard library), checked once; the log is
/// empty afterwards.
fn fixture() -> Fixture {
    let files = charter_bench::generate(6, 11);
    let db = Database::with_log();
    let ws = charter_bench::load(&db, &files);
    let keys = Keys::probe(&db, ws);
    let diags = diagnostics(&db, ws);
    assert!(
        diags.is_empty(),
        "the generated workspace must check clean: {diags:#?}"
    );
    db.take_log();
    Fixture { db, ws, keys }
}

fn file(f: &Fixture, path: &str) -> SourceFile {
    f.ws.files(&f.db)
        .iter()
        .copied()
        .find(|x| x.path(&f.db) == path)
        .unwrap_or_else(|| panic!("no file {path}"))
}

fn set(f: &mut Fixture, path: &str, text: String) {
    let file = file(f, path);
    file.set_text(&mut f.db).to(text);
}

fn recheck(f: &mut Fixture) -> Vec<String> {
    let diags = diagnostics(&f.db, f.ws);
    assert!(
        diags.is_empty(),
        "the edit must keep the workspace clean: {diags:#?}"
    );
    f.db.take_log()
}

fn one(path: &str) -> BTreeSet<String> {
    BTreeSet::from([path.to_string()])
}

#[test]
fn policy_body_edit_reparses_and_reanalyses_only_the_edited_file() {
    let mut f = fixture();
    let path = format!("{}/access.charter", charter_bench::package_dir(2));
    let edited = charter_bench::edit_policy_body(file(&f, &path).text(&f.db)).unwrap();
    set(&mut f, &path, edited);
    let log = recheck(&mut f);

    assert_eq!(
        f.keys.ran(&log, "parse"),
        one(&path),
        "parse re-ran for other files; log: {log:#?}"
    );
    assert_eq!(
        f.keys.ran(&log, "analyze_file"),
        one(&path),
        "analyze_file re-ran for other files; log: {log:#?}"
    );
    // The edited file's names, imports, actions and signatures are recomputed, found equal and
    // backdated, so nothing that reads them (the index, the actions table, the checks across
    // files, other files) runs again; its diagnostics are recomputed and found equal, so the
    // workspace's list is not assembled again either.
    for query in [
        "file_names",
        "file_imports",
        "file_actions",
        "file_sigs",
        "file_diagnostics",
    ] {
        assert_eq!(
            f.keys.ran(&log, query),
            one(&path),
            "{query}; log: {log:#?}"
        );
    }
    assert_eq!(count(&log, "index"), 0, "log: {log:#?}");
    assert_eq!(count(&log, "action_table"), 0, "log: {log:#?}");
    assert_eq!(count(&log, "workspace_checks"), 0, "log: {log:#?}");
    assert_eq!(count(&log, "policy_readable_names"), 0, "log: {log:#?}");
    assert_eq!(count(&log, "diagnostics"), 0, "log: {log:#?}");
    assert_eq!(
        log.len(),
        7,
        "exactly parse, file_names, file_imports, file_actions, file_sigs, analyze_file and \
         file_diagnostics of the edited file: {log:#?}"
    );
}

/// The language server reads files from disk at `durability::DISK` and edits buffers at the
/// lower `durability::BUFFER`, so an edit of a file read from disk lowers its durability. Salsa
/// does not backdate a value whose durability dropped: the edited file's names count as changed
/// and the name index runs again. The index must still be found equal (backdated), so that no
/// other file's signatures or analysis run again (`durability::WORKSPACE`).
#[test]
fn first_buffer_edit_of_a_disk_file_reanalyses_only_that_file() {
    let mut f = fixture();
    let path = format!("{}/access.charter", charter_bench::package_dir(2));
    let edited = charter_bench::edit_policy_body(file(&f, &path).text(&f.db)).unwrap();
    let edited_file = file(&f, &path);
    edited_file
        .set_text(&mut f.db)
        .with_durability(charter::db::durability::BUFFER)
        .to(edited);
    let log = recheck(&mut f);
    assert_eq!(f.keys.ran(&log, "parse"), one(&path), "log: {log:#?}");
    assert_eq!(f.keys.ran(&log, "file_sigs"), one(&path), "log: {log:#?}");
    assert_eq!(
        f.keys.ran(&log, "analyze_file"),
        one(&path),
        "analyze_file re-ran for other files; log: {log:#?}"
    );
    assert_eq!(
        f.keys.ran(&log, "file_diagnostics"),
        one(&path),
        "log: {log:#?}"
    );
}

/// Same edit, on a policy whose test suite lives in another file of the package
/// (`ingest.charter` / `ingest_test.charter`). The suite's file depends only on the policy's
/// signature, which did not change, so it should not be re-analysed either.
#[test]
fn policy_body_edit_does_not_reanalyse_the_test_suite_in_another_file() {
    let mut f = fixture();
    let path = format!("{}/ingest.charter", charter_bench::package_dir(2));
    let edited = charter_bench::edit_policy_body(file(&f, &path).text(&f.db)).unwrap();
    set(&mut f, &path, edited);
    let log = recheck(&mut f);

    assert_eq!(
        f.keys.ran(&log, "parse"),
        one(&path),
        "parse re-ran for other files; log: {log:#?}"
    );
    assert_eq!(
        f.keys.ran(&log, "analyze_file"),
        one(&path),
        "analyze_file re-ran for other files; log: {log:#?}"
    );
}

#[test]
fn signature_edit_reparses_only_the_edited_file_and_reanalyses_only_its_users() {
    let mut f = fixture();
    let package = 2;
    let record = charter_bench::summary_record(package);
    let path = format!("{}/records.charter", charter_bench::package_dir(package));
    let edited = charter_bench::edit_add_field(file(&f, &path).text(&f.db), &record).unwrap();
    // Files that name the record, in any form (`ClaimSummary`, `atlas.ledger.JournalSummary`).
    let users: BTreeSet<String> =
        f.ws.files(&f.db)
            .iter()
            .filter(|x| x.text(&f.db).contains(&record))
            .map(|x| x.path(&f.db).clone())
            .collect();
    assert!(
        users.len() >= 4,
        "the record is used across packages: {users:?}"
    );
    set(&mut f, &path, edited);
    let log = recheck(&mut f);

    assert_eq!(
        f.keys.ran(&log, "parse"),
        one(&path),
        "parse re-ran for other files; log: {log:#?}"
    );
    assert_eq!(f.keys.ran(&log, "file_names"), one(&path), "log: {log:#?}");
    assert_eq!(f.keys.ran(&log, "file_sigs"), one(&path), "log: {log:#?}");
    // The names did not change, so the index is reused.
    assert_eq!(count(&log, "index"), 0, "log: {log:#?}");
    let analysed = f.keys.ran(&log, "analyze_file");
    assert!(
        analysed.contains(&path),
        "the edited file is re-analysed: {log:#?}"
    );
    assert!(
        analysed.is_subset(&users),
        "only files that use `{record}` may be re-analysed; also ran: {:?}\nlog: {log:#?}",
        analysed.difference(&users).collect::<Vec<_>>()
    );
    let listed = f.keys.ran(&log, "file_diagnostics");
    assert!(
        listed.is_subset(&analysed),
        "diagnostics are gathered again only for re-analysed files: {log:#?}"
    );
}

/// The log keys are what the tests assume: one entry per executed query, `name(Id(..))`.
#[test]
fn a_recheck_without_edits_executes_nothing() {
    let mut f = fixture();
    let log = recheck(&mut f);
    assert!(log.is_empty(), "{log:#?}");
    let first = f
        .keys
        .0
        .get("parse")
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    assert!(
        first.starts_with("parse(Id(") && first.ends_with("))"),
        "{first}"
    );
}

/// The language server keeps few syntax trees and analyses (`Database::set_retention`): the
/// others' values are dropped, their dependency records kept. A body edit then still runs only
/// the edited file's queries (no other file is re-parsed to be re-checked), and the diagnostics
/// are those of a database that kept everything.
#[test]
fn evicted_trees_and_analyses_are_not_recomputed_by_an_edit() {
    use salsa::Database as _;
    let mut f = fixture();
    f.db.set_retention(1, 1);
    // Use every file once more so the retention lists know them, then evict.
    for file in f.ws.files(&f.db).clone() {
        let _ = parse(&f.db, file);
        let _ = analyze_file(&f.db, f.ws, file);
    }
    f.db.trigger_lru_eviction();
    f.db.take_log();
    let path = format!("{}/access.charter", charter_bench::package_dir(3));
    let edited = charter_bench::edit_policy_body(file(&f, &path).text(&f.db)).unwrap();
    set(&mut f, &path, edited.clone());
    let log = recheck(&mut f);
    assert_eq!(f.keys.ran(&log, "parse"), one(&path), "log: {log:#?}");
    assert_eq!(
        f.keys.ran(&log, "analyze_file"),
        one(&path),
        "log: {log:#?}"
    );
    // An error in the edited file is reported as by a database that kept everything.
    let broken = edited.replacen("subject.", "subjekt.", 1);
    assert_ne!(broken, edited);
    set(&mut f, &path, broken.clone());
    let got = diagnostics(&f.db, f.ws).clone();
    let fresh = Database::default();
    let mut files = charter_bench::generate(6, 11);
    for (p, text) in &mut files {
        if *p == path {
            *text = broken.clone();
        }
    }
    let ws = charter_bench::load(&fresh, &files);
    assert!(!got.is_empty());
    assert_eq!(&got, diagnostics(&fresh, ws));
}
