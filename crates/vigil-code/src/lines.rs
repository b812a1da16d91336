//! Line numbers of byte offsets.

/// Lines of increasing offsets, counted once over the text.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of `offset`; offsets may come in any order (earlier ones recount from the start).
    pub(crate) fn line_at(&mut self, offset: usize) -> u32 {
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let end = offset.min(self.text.len());
        let newlines = self.text[self.offset..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.offset = end;
        self.line
    }
}
