//! A compact Chinese–English link lexicon, derived at build time from CC-CEDICT.
//!
//! Each headword (simplified and traditional) carries its toneless pinyin and the
//! stemmed English content words of its glosses. Lookups need no start-up parsing
//! beyond one scan for line offsets on first use.
//!
//! ```
//! let lexicon = tongwen_lexicon::Lexicon::get();
//! let entry = lexicon.lookup("开发区").expect("in CC-CEDICT");
//! assert!(entry.stems().any(|s| s == "zone"));
//! assert_eq!(entry.pinyin, "kai fa qu");
//! assert_eq!(lexicon.lookup("天津").map(|e| e.proper), Some(true));
//! ```
#![warn(missing_docs)]

use std::sync::OnceLock;

include!("stopwords.in");

static LEXICON_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon.tsv"));

/// The bundled lexicon: a sorted table searched in place.
pub struct Lexicon {
    table: &'static str,
    line_starts: Vec<u32>,
}

/// One headword of the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The Chinese headword, simplified or traditional.
    pub headword: &'a str,
    /// Lowercase toneless pinyin syllables separated by spaces (`"tian jin"`).
    pub pinyin: &'a str,
    /// Every CC-CEDICT entry for the headword is a proper noun (a name).
    pub proper: bool,
    stems: &'a str,
}

impl<'a> Entry<'a> {
    /// Stemmed English content words of the glosses (Snowball English stemmer).
    pub fn stems(&self) -> impl Iterator<Item = &'a str> {
        self.stems.split(' ').filter(|s| !s.is_empty())
    }

    /// Pinyin syllables, e.g. `["tian", "jin"]`.
    pub fn syllables(&self) -> impl Iterator<Item = &'a str> {
        self.pinyin.split(' ').filter(|s| !s.is_empty())
    }
}

impl Lexicon {
    /// The process-wide lexicon, indexed on first use (a few milliseconds).
    pub fn get() -> &'static Lexicon {
        static INSTANCE: OnceLock<Lexicon> = OnceLock::new();
        INSTANCE.get_or_init(|| Lexicon::index(LEXICON_TSV))
    }

    fn index(table: &'static str) -> Lexicon {
        let mut line_starts = Vec::with_capacity(table.len() / 24);
        let mut start = 0usize;
        for line in table.split_inclusive('\n') {
            if !line.trim_end().is_empty() {
                line_starts.push(start as u32);
            }
            start += line.len();
        }
        Lexicon { table, line_starts }
    }

    /// Number of headwords.
    pub fn len(&self) -> usize {
        self.line_starts.len()
    }

    /// Whether the lexicon has no headwords (never true for the bundled one).
    pub fn is_empty(&self) -> bool {
        self.line_starts.is_empty()
    }

    fn line(&self, index: usize) -> &'static str {
        let start = self.line_starts[index] as usize;
        let rest = &self.table[start..];
        rest.split('\n').next().unwrap_or(rest)
    }

    /// The entry for an exact headword.
    pub fn lookup(&self, headword: &str) -> Option<Entry<'static>> {
        let found = self
            .line_starts
            .binary_search_by(|&start| {
                let rest = &self.table[start as usize..];
                let key = rest.split('\t').next().unwrap_or(rest);
                key.cmp(headword)
            })
            .ok()?;
        parse_line(self.line(found))
    }

    /// The longest headword that is a prefix of `text`, in bytes, if any.
    pub fn longest_prefix(&self, text: &str) -> Option<Entry<'static>> {
        let mut ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        ends.truncate(8);
        ends.into_iter()
            .rev()
            .find_map(|end| self.lookup(&text[..end]))
    }
}

fn parse_line(line: &'static str) -> Option<Entry<'static>> {
    let mut fields = line.split('\t');
    let headword = fields.next()?;
    let pinyin = fields.next()?;
    let flags = fields.next()?;
    let stems = fields.next().unwrap_or("");
    Some(Entry {
        headword,
        pinyin,
        proper: flags.contains('P'),
        stems,
    })
}

/// Whether an already lowercased English word is a function word.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn table_is_sorted_and_large() {
        let lexicon = Lexicon::get();
        assert!(lexicon.len() > 100_000, "only {} headwords", lexicon.len());
        let keys: Vec<&str> = (0..lexicon.len())
            .map(|i| lexicon.line(i).split('\t').next().unwrap_or(""))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn names_and_words() {
        let lexicon = Lexicon::get();
        let xi = lexicon.lookup("习近平").expect("习近平");
        assert!(xi.proper);
        assert_eq!(xi.pinyin, "xi jin ping");
        let power = lexicon.lookup("生产力").expect("生产力");
        assert!(power.stems().any(|s| s == "product"));
        assert!(!power.proper);
        assert_eq!(lexicon.lookup("何").map(|e| e.pinyin), Some("he"));
        assert!(lexicon.lookup("不存在的词语").is_none());
        assert_eq!(
            lexicon.longest_prefix("开发区建设").map(|e| e.headword),
            Some("开发区")
        );
    }

    #[test]
    fn traditional_headwords_are_kept() {
        assert_eq!(
            Lexicon::get().lookup("開發區").map(|e| e.pinyin),
            Some("kai fa qu")
        );
    }
}
