//! Charter: a compiler for one declarative governance language.
//!
//! The pipeline, one module per stage: [`syntax`] (lex, parse) → [`db`] (salsa queries) →
//! [`semantics`] (resolve, check, build) → [`ir`] (the typed model every backend reads).
//! Nothing in this library touches the file system or the terminal; see `ARCHITECTURE.md`.

pub mod api;
pub mod config;
pub mod db;
pub mod diagnostics;
pub mod eval;
pub mod evolution;
pub mod explain;
pub mod fmt;
pub mod ide;
pub mod ir;
pub mod literal;
pub mod naming;
pub mod parallel;
pub mod semantics;
pub mod stdlib;
pub mod syntax;
pub mod testing;
pub mod text;
pub mod workspace;

/// The one type of a name in the syntax tree ([`syntax::ast::Ident`]) and the typed model
/// ([`ir::QualName`], fields, values, rules, operations...), of a file's path in [`ir::Loc`],
/// and of doc comments in both: a small string, 24 bytes inline, on the heap only past 23 bytes
/// (then one block, shared by every clone), cloned in constant time. It compares, orders,
/// hashes, prints (`Display`, `Debug`) and serialises exactly as the `str` it holds. Most names
/// are short, so a tree or a model holds no heap block per name, and the model's doc comments
/// and `Loc`s share the tree's and the file's (docs/benchmarks.md, issue 21: memory, second
/// pass).
pub type Name = smol_str::SmolStr;
