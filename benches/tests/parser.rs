//! The descent parser against the LALRPOP grammar on the generated workspaces (the benchmark's
//! own input, several seeds, the evolved version and the contract workload): the same `Parsed`
//! for every file, and no declaration handed to the grammar.

use charter::syntax;

fn check(files: &[(String, String)]) {
    assert!(!files.is_empty());
    for (path, text) in files {
        assert_eq!(
            syntax::parse(path, text),
            syntax::parse_reference(path, text),
            "{path} parses differently"
        );
        assert_eq!(
            syntax::descent_misses(text),
            0,
            "{path}: the descent gave up"
        );
    }
}

#[test]
fn generated_workspaces_parse_the_same() {
    for seed in [1, 2, 3] {
        let files = charter_bench::generate_lines(6_000, seed);
        check(&files);
        check(&charter_bench::evolve::evolve(&files));
    }
}

#[test]
fn the_contract_workload_parses_the_same() {
    check(&charter_bench::contracts::generate(200, 200));
}
