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
pub mod semantics;
pub mod stdlib;
pub mod syntax;
pub mod testing;
pub mod text;
pub mod workspace;
