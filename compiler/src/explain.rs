//! `charter explain CODE`: one page per diagnostic code, written in `docs/diagnostics/CODE.md`
//! and embedded at build time.

use crate::diagnostics::codes;

include!(concat!(env!("OUT_DIR"), "/explain_pages.rs"));

/// The explanation page of a code (case-insensitive), if the code exists.
pub fn page(code: &str) -> Option<&'static str> {
    let info = codes::lookup(code)?;
    PAGES
        .iter()
        .find(|(c, _)| *c == info.code.as_str())
        .map(|(_, text)| *text)
}

/// The page of a change kind (`C1001`, or its slug), if the kind exists.
pub fn change_page(id: &str) -> Option<&'static str> {
    let kind = crate::evolution::kinds::lookup(id)?;
    CHANGE_PAGES
        .iter()
        .find(|(c, _)| *c == kind.id)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_change_kind_has_a_page_with_an_example() {
        let missing: Vec<&str> = crate::evolution::kinds::ALL
            .iter()
            .filter(|k| {
                super::change_page(k.id)
                    .is_none_or(|p| !p.contains("## Example") || !p.contains(k.slug))
            })
            .map(|k| k.id)
            .collect();
        assert!(
            missing.is_empty(),
            "change kinds without a page: {missing:?}"
        );
        assert_eq!(
            super::CHANGE_PAGES.len(),
            crate::evolution::kinds::ALL.len()
        );
    }

    #[test]
    fn every_retired_code_has_a_page_naming_its_replacement() {
        for info in crate::diagnostics::codes::ALL {
            if let Some(current) = info.alias_of {
                let page = super::page(info.code.as_str()).unwrap_or_default();
                assert!(
                    page.contains(&format!("an alias of {}", current.as_str())),
                    "{}: {page}",
                    info.code.as_str()
                );
            }
        }
    }

    #[test]
    fn every_evolution_code_has_a_page() {
        for code in [
            "E7101", "E7102", "E7103", "E7104", "W7101", "W7102", "W7150", "W7151",
        ] {
            assert!(super::page(code).is_some(), "{code}");
        }
    }
}
