//! JSON Pointer (RFC 6901) reference tokens.

/// One reference token escaped: `~` → `~0`, `/` → `~1`.
pub fn escape(segment: &str) -> String {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1")
    } else {
        segment.to_string()
    }
}

/// One reference token unescaped, the inverse of [`escape`].
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let cases = [
            ("pets", "pets"),
            ("/pets/{id}", "~1pets~1{id}"),
            ("a~b", "a~0b"),
            ("~1", "~01"),
            ("~/", "~0~1"),
            ("", ""),
        ];
        for (segment, escaped) in cases {
            assert_eq!(escape(segment), escaped, "{segment}");
            assert_eq!(unescape(escaped), segment, "{escaped}");
        }
    }
}
