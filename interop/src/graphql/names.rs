//! Charter names for GraphQL names. GraphQL names (`[_A-Za-z][_0-9A-Za-z]*`) are already Charter
//! identifiers; what does not fit is a reserved word, a primitive or constructor type name (a
//! record named `string` would be shadowed by the primitive), or a name already taken. Such a
//! name gets `_` appended until it is free.

use std::collections::BTreeSet;

use crate::{BUILTIN_TYPES as TYPE_WORDS, RESERVED_WORDS as RESERVED};

/// Why a name had to change, for the warning.
pub fn problem(name: &str, is_type: bool, taken: &BTreeSet<String>) -> Option<&'static str> {
    if RESERVED.contains(&name) {
        Some("is a reserved word in Charter")
    } else if is_type && TYPE_WORDS.contains(&name) {
        Some("is a Charter primitive or type constructor")
    } else if taken.contains(name) {
        Some("is already taken")
    } else {
        None
    }
}

/// The Charter name for `name` within one namespace (`taken`), which it joins.
pub fn fit(name: &str, is_type: bool, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_string();
    while problem(&candidate, is_type, taken).is_some() {
        candidate.push('_');
    }
    taken.insert(candidate.clone());
    candidate
}

/// `acme_api` → `AcmeApi`.
pub fn pascal(word: &str) -> String {
    word.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}
