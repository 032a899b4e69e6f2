//! The parser alone, on the benchmark workspace's texts (no salsa): `descent` is
//! `syntax::parse` (the hand-written descent, the grammar only for what it gives up on),
//! `grammar` is `syntax::parse_reference` (LALRPOP alone, the parser before issue 21). Both in
//! one run, so their ratio is robust to a noisy machine. The trees are returned, so dropping
//! them is not timed.

use charter::syntax::{self, Parsed};
use divan::Bencher;

fn main() {
    divan::main();
}

fn lines() -> [usize; 1] {
    [charter_bench::bench_lines()]
}

fn files(lines: usize) -> Vec<(String, String)> {
    charter_bench::generate_lines(lines, 1)
}

#[divan::bench(args = lines(), sample_count = 30)]
fn descent(bencher: Bencher, lines: usize) {
    let files = files(lines);
    bencher.bench_local(|| -> Vec<Parsed> {
        files.iter().map(|(p, t)| syntax::parse(p, t)).collect()
    });
}

#[divan::bench(args = lines(), sample_count = 30)]
fn grammar(bencher: Bencher, lines: usize) {
    let files = files(lines);
    bencher.bench_local(|| -> Vec<Parsed> {
        files
            .iter()
            .map(|(p, t)| syntax::parse_reference(p, t))
            .collect()
    });
}

/// Lexing and splitting alone: the part of `parse` both parsers share.
#[divan::bench(args = lines(), sample_count = 30)]
fn lex(bencher: Bencher, lines: usize) {
    let files = files(lines);
    bencher.bench_local(|| {
        files
            .iter()
            .map(|(_, t)| {
                let lexed = syntax::lex::lex(t);
                syntax::split(&lexed.tokens, t).len()
            })
            .sum::<usize>()
    });
}
