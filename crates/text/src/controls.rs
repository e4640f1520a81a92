//! Control characters that have no place in text: terminal escapes, bells, NUL, DEL and
//! the C1 range. They reach a terminal as commands, make XML not well-formed and
//! hide in HTML, so text containing them is refused where it enters and they are
//! removed wherever text leaves. Tab, line feed, vertical tab, form feed and carriage
//! return are whitespace and stay.

use std::borrow::Cow;

/// Whether `c` is a control character text may not hold.
pub fn is_stray_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// A stray control character found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrayControl {
    /// The character.
    pub character: char,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl std::fmt::Display for StrayControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: control character U+{:04X} (not text)",
            self.line, self.column, self.character as u32
        )
    }
}

/// The first stray control character of `text`, if any.
pub fn find_stray_control(text: &str) -> Option<StrayControl> {
    let offset = text.find(is_stray_control)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    text[offset..].chars().next().map(|character| StrayControl {
        character,
        line,
        column,
    })
}

/// `text` without its stray control characters, borrowed when it has none.
pub fn strip_stray_controls(text: &str) -> Cow<'_, str> {
    if text.contains(is_stray_control) {
        Cow::Owned(text.chars().filter(|&c| !is_stray_control(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_strips_only_stray_controls() {
        let text = "第一行\n\tsecond\u{1b}[31m line\u{7}";
        let found = find_stray_control(text).unwrap();
        assert_eq!(
            (found.line, found.column, found.character),
            (2, 8, '\u{1b}')
        );
        assert!(found.to_string().contains("U+001B"));
        assert_eq!(strip_stray_controls(text), "第一行\n\tsecond[31m line");
        let clean = "tab\there\r\nform\u{c}feed";
        assert_eq!(find_stray_control(clean), None);
        assert!(matches!(strip_stray_controls(clean), Cow::Borrowed(_)));
        assert!(is_stray_control('\u{0}') && is_stray_control('\u{85}'));
    }
}
