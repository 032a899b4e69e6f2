//! The resolved contract view: what every contract target (OpenAPI, GraphQL, JSON Schema, the
//! evolution flow, SDLs to come) reads instead of walking `ir::Model` on its own. Computed once
//! from a checked model, pure, no IO.
//!
//! - [`Index`]: every type declaration and service by qualified name (hashed), and the one rule
//!   for expanding aliases ([`ALIAS_DEPTH`], cycles and unresolved names end in `Type::Error`).
//! - [`reach`]: which named types each operation reaches, and in which [`Dir`]ection.
//! - [`path`]: operation path templates, parsed once by the checker and kept in the model.
//! - [`http`]: the HTTP rules every HTTP target shares (status codes, content type, headers).
//! - [`wire`]: how each primitive goes on the wire as JSON.

pub mod http;
pub mod index;
pub mod path;
pub mod reach;
pub mod wire;

#[cfg(test)]
mod tests;

pub use index::{ALIAS_DEPTH, Decl, Expanded, Index};
pub use path::{PathError, PathTemplate, Segment};
pub use reach::{Dir, Maps, Reach};
