//! Line starts and character counts of one text, built once per file so that each position a
//! diagnostic names costs a binary search and a bounded scan, never a pass over the document.

use std::ops::Range;

/// Bytes per block of the character-count table.
const BLOCK: usize = 256;

/// The lines of one text (a line ends after its `\n`) and how many characters start before each
/// block of `BLOCK` bytes.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    chars_before_block: Vec<usize>,
    len: usize,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        let mut chars_before_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut chars = 0;
        for (i, b) in text.bytes().enumerate() {
            if i.is_multiple_of(BLOCK) {
                chars_before_block.push(chars);
            }
            if b == b'\n' {
                starts.push(i + 1);
            }
            if !is_continuation(b) {
                chars += 1;
            }
        }
        if text.len().is_multiple_of(BLOCK) {
            chars_before_block.push(chars);
        }
        Lines {
            starts,
            chars_before_block,
            len: text.len(),
        }
    }

    /// The zero-based line of byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }

    /// The number of lines (a text ending in `\n` has an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The bytes of zero-based `line`, its `\n` included, if the text has that line.
    pub fn range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        Some(start..end)
    }

    /// How many characters start in `text` before byte `offset`: a character `offset` falls
    /// inside counts as started. `text` is the text this was built from.
    pub fn chars_before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(self.len);
        let block = offset / BLOCK;
        let base = self.chars_before_block.get(block).copied().unwrap_or(0);
        let from = block * BLOCK;
        base + text.as_bytes().get(from..offset).map_or(0, |bytes| {
            bytes.iter().filter(|b| !is_continuation(**b)).count()
        })
    }

    /// The one-based line and column (in Unicode scalar values) of byte `offset` (clamped to
    /// the text; an offset inside a character is that character's column).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self.chars_before(text, offset) - self.chars_before(text, start);
        (line + 1, column + 1)
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The largest character boundary at or before `offset` (clamped to the text).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: count over the whole text.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    #[test]
    fn line_col_agrees_with_counting() {
        let text = "ab\nçé€𝄞x\n\n".repeat(200) + "tail";
        let lines = Lines::new(&text);
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(
                lines.line_col(&text, offset),
                naive(&text, offset),
                "{offset}"
            );
        }
        assert_eq!(lines.count(), 601);
        assert_eq!(lines.range(600), Some(text.len() - 4..text.len()));
        assert_eq!(lines.range(601), None);
    }

    #[test]
    fn an_offset_inside_a_character_is_its_column() {
        let text = "a€b";
        let lines = Lines::new(text);
        assert_eq!(lines.line_col(text, 2), (1, 2));
        assert_eq!(lines.line_col(text, 99), (1, 4));
    }

    #[test]
    fn empty_text_has_one_line() {
        let lines = Lines::new("");
        assert_eq!(lines.count(), 1);
        assert_eq!(lines.line_col("", 0), (1, 1));
        assert_eq!(lines.range(0), Some(0..0));
    }
}
