//! Charter: a compiler for one declarative governance language.
//!
//! The pipeline, one module per stage: [`syntax`] (lex, parse) → [`db`] (salsa queries) →
//! [`semantics`] (lower, resolve, check) → [`ir`] (the typed model every backend reads).
//! Nothing in this library touches the file system or the terminal; see `ARCHITECTURE.md`.

pub mod diagnostics;
pub mod syntax;
