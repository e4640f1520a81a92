//! Normalization for matching. The original text is never replaced: sentences keep
//! their verbatim text and carry this form beside it.

/// Folds full-width ASCII forms to half-width, the ideographic space and other
/// Unicode spaces to a plain space, curly quotes to straight ones and dashes to `-`,
/// drops zero-width and bidi control characters, and collapses whitespace runs.
/// Idempotent.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let Some(c) = fold_char(c) else { continue };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// The matching form of one character, or `None` for characters that are invisible.
pub(crate) fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}' => return None,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_width_quotes_and_space() {
        assert_eq!(
            normalize("  ＡＢＣ１２３，“新质生产力”\u{3000}\u{200B}x —  y "),
            "ABC123,\"新质生产力\" x - y"
        );
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,80}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }
    }
}
