//! Placeholders of software-localization formats, which look like numbers (`%1$s`,
//! `{0}`) but are code the translation must carry over, not quantities.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// printf and its relatives (C, Java, Android `%1$s`, Objective-C `%@`, Python
/// `%(name)s`), Qt `%1`, mustache and Angular `{{name}}`, JavaScript `${name}`.
static FLAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"%(?:\d+\$)?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn@]",
        r"|%\([A-Za-z_][A-Za-z0-9_]*\)[-+ 0#]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]",
        r"|%%|%\d+",
        r"|\{\{[^{}]{0,200}\}\}",
        r"|\$\{[^{}]{0,200}\}",
    ))
    .expect("valid regex")
});

/// Web addresses and e-mail addresses, whose digits are no quantities.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://|www\.)[^\s\p{Han}，。；）)]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
        .expect("valid regex")
});

/// `text` with web and e-mail addresses replaced by a space.
pub fn strip_urls(text: &str) -> Cow<'_, str> {
    if !(text.contains("://") || text.contains("www.") || text.contains('@')) {
        return Cow::Borrowed(text);
    }
    URL.replace_all(text, " ")
}

/// `text` with every placeholder replaced by a space: printf-style conversions, Qt
/// `%1`, `{{name}}`, `${name}`, and brace arguments of ICU MessageFormat, .NET and
/// Python format strings (`{0}`, `{count}`, `{n, plural, =0 {none} other {# items}}`,
/// nested braces included). Braces around anything else (`{ a set }`) are kept.
pub fn strip_placeholders(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '{', '$']) {
        return Cow::Borrowed(text);
    }
    let flat = FLAT.replace_all(text, " ");
    Cow::Owned(strip_brace_arguments(&flat))
}

/// Removes balanced `{…}` groups that open with an argument name or index.
fn strip_brace_arguments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let opens_argument = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        match (opens_argument, balanced_end(&rest[open..])) {
            (true, Some(end)) => {
                out.push(' ');
                rest = &rest[open + end..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The byte length of the balanced group `text` starts with (`text` starts with `{`).
fn balanced_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_of_common_formats_are_removed() {
        let cases = [
            ("Deleted %d files", "Deleted   files"),
            ("%1$s of %2$s", "  of  "),
            ("Hello %@, you have %lu new", "Hello  , you have   new"),
            ("%(count)d items", "  items"),
            ("100%% sure", "100  sure"),
            ("Page %1 of %2", "Page   of  "),
            ("Hi {{name}}!", "Hi  !"),
            ("Total: ${total}", "Total:  "),
            ("{0} of {1}", "  of  "),
            (
                "{count, plural, =0 {No files} =1 {1 file} other {# files}} left",
                "  left",
            ),
            ("a { set } of 3", "a { set } of 3"),
            ("unclosed {0 here", "unclosed {0 here"),
            ("5% growth", "5% growth"),
            ("增长5%左右", "增长5%左右"),
        ];
        for (text, expected) in cases {
            assert_eq!(strip_placeholders(text), expected, "{text}");
        }
    }
}
