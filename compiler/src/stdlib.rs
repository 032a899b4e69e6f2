//! The standard library: `.charter` sources embedded in the binary.

/// Paths of standard-library files start with this, so reports can tell them apart.
pub const STD_PREFIX: &str = "<std>/";

/// The standard library's files: (path, text).
pub const FILES: &[(&str, &str)] = &[
    (
        "<std>/provenance/provenance.charter",
        include_str!("../../stdlib/provenance.charter"),
    ),
    (
        "<std>/verdict/verdict.charter",
        include_str!("../../stdlib/verdict.charter"),
    ),
    (
        "<std>/frameworks/gdpr.charter",
        include_str!("../../stdlib/frameworks/gdpr.charter"),
    ),
    (
        "<std>/frameworks/hipaa.charter",
        include_str!("../../stdlib/frameworks/hipaa.charter"),
    ),
    (
        "<std>/frameworks/iso27001.charter",
        include_str!("../../stdlib/frameworks/iso27001.charter"),
    ),
    (
        "<std>/frameworks/soc2.charter",
        include_str!("../../stdlib/frameworks/soc2.charter"),
    ),
];

/// The text of a standard-library file by its path.
pub fn text(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}
