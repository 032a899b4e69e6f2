//! Where each schema lives and how schemas name each other.

use charter::ir::QualName;

/// The base of every `$id`.
pub const BASE: &str = "https://charter.invalid/schemas/";

/// The draft every schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema's file, relative to the target's folder: `summit/identity/Role.schema.json`.
pub fn path(name: &QualName) -> String {
    format!(
        "{}/{}.schema.json",
        name.package.replace('.', "/"),
        name.name
    )
}

/// The schema's `$id`.
pub fn id(name: &QualName) -> String {
    format!("{BASE}{}", path(name))
}

/// A reference from the schema of `from` to the schema of `to`, relative to `from`'s `$id`.
pub fn relative_ref(from: &QualName, to: &QualName) -> String {
    let from_dirs: Vec<&str> = from.package.split('.').collect();
    let to_dirs: Vec<&str> = to.package.split('.').collect();
    let common = from_dirs
        .iter()
        .zip(&to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    for dir in to_dirs.iter().skip(common) {
        out.push_str(dir);
        out.push('/');
    }
    out.push_str(&to.name);
    out.push_str(".schema.json");
    out
}
