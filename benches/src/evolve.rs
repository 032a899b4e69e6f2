//! The next version of a generated workspace, for the `charter diff` benchmark: deterministic
//! edits that a release could make, in every domain package. The result still checks without
//! errors.
//!
//! - `records.charter`: an optional field added to the first record (C1002/C1003);
//! - `access.charter`: the first `@canary` rule is enforced (C4109);
//! - `service.charter`: the first operation is no longer exposed in GraphQL (C3109);
//! - `model.charter`: a value added to the status enum (C2003/C2004);
//! - the manifest's version goes from 3.4.0 to 4.0.0.

/// The evolved manifest.
pub fn manifest() -> String {
    super::manifest().replace("version = \"3.4.0\"", "version = \"4.0.0\"")
}

fn edit(path: &str, text: &str) -> Option<String> {
    if path.ends_with("/records.charter") {
        let header = text.find("\nrecord ")?;
        let brace = header + text.get(header..)?.find('{')? + 1;
        Some(format!(
            "{}\n  /// Added in 4.0.0.\n  evolved_note: string?{}",
            text.get(..brace)?,
            text.get(brace..)?
        ))
    } else if path.ends_with("/access.charter") {
        Some(text.replacen("  @canary\n", "", 1))
    } else if path.ends_with("/service.charter") {
        Some(text.replacen("    graphql query\n", "", 1))
    } else if path.ends_with("/model.charter") {
        let header = text.find("\nenum ")?;
        let brace = header + text.get(header..)?.find('{')? + 1;
        Some(format!(
            "{}\n  evolved_state,{}",
            text.get(..brace)?,
            text.get(brace..)?
        ))
    } else {
        None
    }
}

/// The evolved files (the manifest is [`manifest`]).
pub fn evolve(files: &[(String, String)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(path, text)| {
            let text = edit(path, text).unwrap_or_else(|| text.clone());
            (path.clone(), text)
        })
        .collect()
}
