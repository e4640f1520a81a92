//! Finding termbase terms in text, so that pages can mark them and link them to
//! their concepts: longest match first, Chinese anywhere, English on word boundaries
//! and regardless of case.

use std::collections::HashMap;

/// The terms to look for, by language.
#[derive(Debug, Default)]
pub struct TermIndex {
    /// Chinese terms by first character, longest first: (term, concept).
    zh: HashMap<char, Vec<(String, i64)>>,
    /// English terms, ASCII-lowercased, longest first: (term, concept).
    en: Vec<(String, i64)>,
}

/// A piece of text, and the concept it names if it is a term.
pub type Piece<'a> = (&'a str, Option<i64>);

impl TermIndex {
    /// An index of `(lang, term, concept)` triples.
    pub fn new(terms: impl IntoIterator<Item = (String, String, i64)>) -> TermIndex {
        let mut index = TermIndex::default();
        for (lang, term, concept) in terms {
            let term = term.trim().to_string();
            if term.chars().count() < 2 {
                continue;
            }
            if lang == "zh" {
                if let Some(first) = term.chars().next() {
                    index.zh.entry(first).or_default().push((term, concept));
                }
            } else {
                index.en.push((term.to_ascii_lowercase(), concept));
            }
        }
        for list in index.zh.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
            list.dedup_by(|a, b| a.0 == b.0);
        }
        index
            .en
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        index.en.dedup_by(|a, b| a.0 == b.0);
        index
    }

    /// `text` cut into pieces, terms marked with their concept.
    pub fn pieces<'a>(&self, text: &'a str, lang: &str) -> Vec<Piece<'a>> {
        let matches = if lang == "zh" {
            self.zh_matches(text)
        } else {
            self.en_matches(text)
        };
        let mut pieces = Vec::new();
        let mut at = 0;
        for (start, end, concept) in matches {
            if start > at {
                pieces.push((&text[at..start], None));
            }
            pieces.push((&text[start..end], Some(concept)));
            at = end;
        }
        if at < text.len() {
            pieces.push((&text[at..], None));
        }
        pieces
    }

    fn zh_matches(&self, text: &str) -> Vec<(usize, usize, i64)> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let rest = &text[at..];
            let Some(first) = rest.chars().next() else {
                break;
            };
            let hit = self.zh.get(&first).and_then(|terms| {
                terms
                    .iter()
                    .find(|(term, _)| rest.starts_with(term.as_str()))
            });
            match hit {
                Some((term, concept)) => {
                    found.push((at, at + term.len(), *concept));
                    at += term.len();
                }
                None => at += first.len_utf8(),
            }
        }
        found
    }

    fn en_matches(&self, text: &str) -> Vec<(usize, usize, i64)> {
        if self.en.is_empty() {
            return Vec::new();
        }
        let lower = text.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let boundary = |i: usize| {
            i == 0
                || i >= bytes.len()
                || !bytes[i].is_ascii_alphanumeric()
                || !bytes[i - 1].is_ascii_alphanumeric()
        };
        let mut found = Vec::new();
        let mut at = 0;
        while at < lower.len() {
            if !lower.is_char_boundary(at) || !boundary(at) {
                at += 1;
                continue;
            }
            let hit = self.en.iter().find(|(term, _)| {
                lower[at..].starts_with(term.as_str()) && boundary(at + term.len())
            });
            match hit {
                Some((term, concept)) => {
                    found.push((at, at + term.len(), *concept));
                    at += term.len();
                }
                None => at += 1,
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_terms_win_and_english_respects_word_boundaries() {
        let index = TermIndex::new([
            ("zh".to_string(), "经开区".to_string(), 1),
            ("zh".to_string(), "国家级经开区".to_string(), 2),
            ("en".to_string(), "Grand Canal".to_string(), 3),
        ]);
        let pieces = index.pieces("全国国家级经开区和经开区", "zh");
        assert_eq!(
            pieces,
            [
                ("全国", None),
                ("国家级经开区", Some(2)),
                ("和", None),
                ("经开区", Some(1))
            ]
        );
        let pieces = index.pieces("The grand canal, not Grand Canals.", "en");
        assert_eq!(
            pieces,
            [
                ("The ", None),
                ("grand canal", Some(3)),
                (", not Grand Canals.", None)
            ]
        );
    }
}
