//! Byte offsets ↔ (line, UTF-16 column) positions, as the Language Server Protocol counts them.
//! Lines end at `\n` (a `\r` before it belongs to the line's end, not its text).

/// A position as LSP counts it: zero-based line, zero-based UTF-16 code unit in that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The line starts of one text, for converting positions both ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The number of lines (a text ending in `\n` has an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where zero-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The position of byte `offset` in `text` (clamped to the text; an offset inside a
    /// character counts as that character's start).
    pub fn position(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let mut col = 0u32;
        for (i, ch) in text.get(start..).unwrap_or("").char_indices() {
            if start + i >= offset || ch == '\n' {
                break;
            }
            col += u32::try_from(ch.len_utf16()).unwrap_or(1);
        }
        LineCol {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col,
        }
    }

    /// The byte offset of a position. A column past the line's end clamps to the end of the
    /// line; a line past the end clamps to the end of the text; a column inside a surrogate pair
    /// counts as the character's start.
    pub fn offset(&self, text: &str, pos: LineCol) -> usize {
        let Some(start) = self.starts.get(pos.line as usize).copied() else {
            return self.len;
        };
        let mut units = 0u32;
        for (i, ch) in text.get(start..).unwrap_or("").char_indices() {
            let width = u32::try_from(ch.len_utf16()).unwrap_or(1);
            if ch == '\n' || units + width > pos.col {
                return start + i;
            }
            units += width;
        }
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        let index = LineIndex::new(text);
        for (offset, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let pos = index.position(text, offset);
            assert_eq!(
                index.offset(text, pos),
                offset,
                "offset {offset} in {text:?}"
            );
        }
    }

    #[test]
    fn ascii_positions() {
        let text = "package a\nrecord R {}\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), LineCol { line: 0, col: 0 });
        assert_eq!(index.position(text, 10), LineCol { line: 1, col: 0 });
        assert_eq!(index.position(text, 17), LineCol { line: 1, col: 7 });
        assert_eq!(index.offset(text, LineCol { line: 1, col: 7 }), 17);
        assert_eq!(index.lines(), 3);
        round_trip(text);
    }

    #[test]
    fn utf16_columns_count_code_units() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 UTF-16 units.
        let text = "/// café 𝄞 clef\nrecord R { x: \"𝄞é\" }\n";
        let index = LineIndex::new(text);
        let clef = text.find("clef").unwrap_or_default();
        assert_eq!(index.position(text, clef), LineCol { line: 0, col: 12 });
        assert_eq!(index.offset(text, LineCol { line: 0, col: 12 }), clef);
        let quote_end = text.rfind('"').unwrap_or_default();
        assert_eq!(
            index.position(text, quote_end),
            LineCol { line: 1, col: 18 }
        );
        round_trip(text);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\n𝄞\n";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 99 }), 2);
        assert_eq!(index.offset(text, LineCol { line: 9, col: 0 }), text.len());
        // Inside the surrogate pair: the character's start.
        assert_eq!(index.offset(text, LineCol { line: 1, col: 1 }), 3);
        assert_eq!(index.position(text, 999), LineCol { line: 2, col: 0 });
        round_trip("\r\n\r\nx𝄞y\r\n");
        round_trip("");
    }
}
