//! Charter names for GraphQL names. GraphQL names (`[_A-Za-z][_0-9A-Za-z]*`) are already Charter
//! identifiers; what does not fit is a reserved word or a primitive or constructor type name (a
//! record named `string` would be shadowed by the primitive), which gets a `_` appended, or a name
//! already taken, which gets the one collision rule's suffix (`_2`, `_3`, ...:
//! [`charter::naming::Names`]).

use charter::naming::{CHARTER as RESERVED, CHARTER_TYPES as TYPE_WORDS, Names};

/// Why a name had to change, for the warning.
pub fn problem(name: &str, is_type: bool, taken: &Names) -> Option<&'static str> {
    if RESERVED.contains(&name) {
        Some("is a reserved word in Charter")
    } else if is_type && TYPE_WORDS.contains(&name) {
        Some("is a Charter primitive or type constructor")
    } else if taken.is_taken(name) {
        Some("is already taken")
    } else {
        None
    }
}

/// The Charter name for `name` within one namespace (`taken`), which it joins.
pub fn fit(name: &str, is_type: bool, taken: &mut Names) -> String {
    if RESERVED.contains(&name) || (is_type && TYPE_WORDS.contains(&name)) {
        taken.claim(&format!("{name}_"))
    } else {
        taken.claim(name)
    }
}
