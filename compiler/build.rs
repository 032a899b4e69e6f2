//! Generates the parser from `src/syntax/grammar.lalrpop`.
fn main() {
    println!("cargo:rerun-if-changed=src/syntax/grammar.lalrpop");
    if let Err(error) = lalrpop::Configuration::new()
        .emit_rerun_directives(true)
        .set_out_dir(std::env::var("OUT_DIR").unwrap_or_default())
        .process_file("src/syntax/grammar.lalrpop")
    {
        eprintln!("lalrpop failed: {error}");
        std::process::exit(1);
    }
}
