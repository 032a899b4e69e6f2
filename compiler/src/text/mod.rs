//! The escapers of every output, once each: user text goes into Markdown ([`markdown`]), a
//! string literal of a target language ([`quote`]), a CSV cell ([`csv`]), HTML ([`html`]), an
//! iCalendar TEXT value ([`ics`]) or a JSON Pointer ([`pointer`]) only through these, so that it
//! reads back as exactly that text and never as syntax of the output (see `docs/output.md`).
//!
//! One treatment of the characters [`is_unsafe`] reports: where the format has an escape for
//! them (string literals) they are escaped; where it has none (Markdown, HTML text, iCalendar
//! TEXT) they become U+FFFD, and line breaks a space or `\n` as the format writes them. Charter's
//! own literals keep them ([`quote::charter`]): the value must survive `charter fmt`.

pub mod csv;
pub mod html;
pub mod ics;
pub mod markdown;
pub mod pointer;
pub mod quote;

/// Characters no output keeps raw inside a quoted string: the C0 controls, DEL, the C1 controls,
/// the Unicode line and paragraph separators (U+2028, U+2029; line breaks to YAML and to older
/// JavaScript), the byte order mark (U+FEFF) and the bidirectional embedding, override and
/// isolate controls (Trojan Source, CVE-2021-42574).
pub fn is_unsafe(c: char) -> bool {
    c < ' '
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        || crate::syntax::lex::is_bidi_control(c)
}
