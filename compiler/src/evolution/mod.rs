//! Contract evolution: what changed between two typed models, how much it can hurt clients,
//! and whether the version numbers say so. IO-free: the CLI loads both sides and prints.
//!
//! - [`kinds`]: the change-kind table (stable ids `C1001`..., axes, severities);
//! - [`diff`]: matches declarations by identity (package and name, member names) and lists
//!   every [`Change`], with renames detected where unambiguous;
//! - [`flow`]: which types flow into the service (request) and out of it (response), which
//!   decides the direction-dependent kinds;
//! - [`semver`]: the version and deprecation rules (E7100–E7149, W7100–W7149) over the
//!   change list, and the required bump.
//! - [`render`]: text, Markdown and JSON reports; [`changelog`]: release notes.

pub mod changelog;
pub mod diff;
mod diff_contract;
mod diff_policy;
mod diff_types;
pub mod flow;
pub mod kinds;
pub mod lifecycle;
pub mod render;
pub mod semver;

pub use diff::{Change, Permissive, Where, diff};
pub use kinds::{KindInfo, Severity};
