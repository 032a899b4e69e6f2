//! Generates the parser from `src/syntax/grammar.lalrpop` and embeds the explanation pages of
//! `docs/diagnostics/*.md` (one per diagnostic code) for `charter explain`.

#![expect(
    clippy::disallowed_methods,
    reason = "a build script reads the grammar and the docs it embeds"
)]

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/syntax/grammar.lalrpop");
    println!("cargo:rerun-if-changed=../docs/diagnostics");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    if let Err(error) = lalrpop::Configuration::new()
        .emit_rerun_directives(true)
        .set_out_dir(&out_dir)
        .process_file("src/syntax/grammar.lalrpop")
    {
        eprintln!("lalrpop failed: {error}");
        std::process::exit(1);
    }
    let mut code = String::new();
    embed(
        &mut code,
        "../docs/diagnostics",
        "/// Explanation pages by code, from `docs/diagnostics/`.\npub const PAGES",
    );
    // Change-kind pages (`charter explain C1001`), from `docs/changes/`.
    println!("cargo:rerun-if-changed=../docs/changes");
    embed(
        &mut code,
        "../docs/changes",
        "/// Change-kind pages by id, from `docs/changes/`.\npub const CHANGE_PAGES",
    );
    if let Err(error) = std::fs::write(Path::new(&out_dir).join("explain_pages.rs"), code) {
        eprintln!("cannot write explain_pages.rs: {error}");
        std::process::exit(1);
    }
}

/// Appends `{declaration}: &[(&str, &str)]`, the `*.md` pages of `dir` by file stem, each
/// embedded with `include_str!`, and asks to rerun when one of them changes.
fn embed(code: &mut String, dir: &str, declaration: &str) {
    let mut pages: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "md")
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            {
                println!("cargo:rerun-if-changed={}", path.display());
                let absolute = std::fs::canonicalize(&path).unwrap_or(path.clone());
                pages.push((stem.to_string(), absolute.display().to_string()));
            }
        }
    }
    pages.sort();
    let _ = writeln!(code, "{declaration}: &[(&str, &str)] = &[");
    for (stem, path) in &pages {
        let _ = writeln!(code, "    ({stem:?}, include_str!({path:?})),");
    }
    code.push_str("];\n");
}
