//! The link table of one document pair: which Chinese tokens may translate which
//! English tokens, and how strongly.
//!
//! Links come from the bundled lexicon (whole words, then dictionary pieces of words
//! it lacks, then single characters as weak links), from shared numbers, Latin-script
//! tokens and dialogue marks, from the pinyin of names, and later from IBM-1
//! probabilities learned on the document itself ([`crate::ibm1`]).

use rustc_hash::FxHashMap as HashMap;

use tongwen_lexicon::Lexicon;
use tongwen_text::{Token, TokenKind};

/// How much a link is worth: whole-word evidence or a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Tier {
    Weak = 1,
    Strong = 2,
}

/// Interned tokens of both sides, each sentence as a sorted set of token ids, and the
/// links between Chinese and English ids.
pub(crate) struct LinkTable {
    pub zh_sets: Vec<Vec<u32>>,
    pub en_sets: Vec<Vec<u32>>,
    pub zh_tokens: Vec<Token>,
    pub en_tokens: Vec<Token>,
    /// For each Chinese id, its English links sorted by id.
    pub links: Vec<Vec<(u32, Tier)>>,
    /// Whether each Chinese id has some translation at all (in this document or not).
    /// A translatable word whose translations are all absent is evidence of omission;
    /// a word nobody can translate is evidence of nothing.
    pub zh_translatable: Vec<bool>,
    /// The same for English ids: content words, numbers and dialogue marks.
    pub en_translatable: Vec<bool>,
}

fn intern(vocab: &mut HashMap<Token, u32>, tokens: &mut Vec<Token>, token: &Token) -> u32 {
    if let Some(&id) = vocab.get(token) {
        return id;
    }
    let id = tokens.len() as u32;
    vocab.insert(token.clone(), id);
    tokens.push(token.clone());
    id
}

fn sentence_sets<'a>(
    sentences: impl Iterator<Item = &'a [Token]>,
    vocab: &mut HashMap<Token, u32>,
    tokens: &mut Vec<Token>,
) -> Vec<Vec<u32>> {
    sentences
        .map(|sentence| {
            let mut ids: Vec<u32> = sentence.iter().map(|t| intern(vocab, tokens, t)).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

impl LinkTable {
    /// Interns the tokens of each side's sentences and links them.
    pub fn build<'a>(
        zh: impl Iterator<Item = &'a [Token]>,
        en: impl Iterator<Item = &'a [Token]>,
        lexicon: &Lexicon,
    ) -> LinkTable {
        let (mut zh_vocab, mut en_vocab) = (HashMap::default(), HashMap::default());
        let (mut zh_tokens, mut en_tokens) = (Vec::new(), Vec::new());
        let zh_sets = sentence_sets(zh, &mut zh_vocab, &mut zh_tokens);
        let en_sets = sentence_sets(en, &mut en_vocab, &mut en_tokens);
        let (links, zh_translatable) = zh_tokens
            .iter()
            .map(|token| token_links(token, &en_vocab, lexicon))
            .unzip();
        let en_translatable = en_tokens
            .iter()
            .map(|t| t.kind != TokenKind::Name)
            .collect();
        LinkTable {
            zh_sets,
            en_sets,
            zh_tokens,
            en_tokens,
            links,
            zh_translatable,
            en_translatable,
        }
    }

    /// Adds a link, keeping the stronger tier when it exists already.
    pub fn add_link(&mut self, zh: u32, en: u32, tier: Tier) {
        let list = &mut self.links[zh as usize];
        match list.binary_search_by_key(&en, |(id, _)| *id) {
            Ok(at) => list[at].1 = list[at].1.max(tier),
            Err(at) => list.insert(at, (en, tier)),
        }
    }
}

/// All English ids (present in this document) that one Chinese token links to, and
/// whether it has any strong translation at all.
fn token_links(
    token: &Token,
    en_vocab: &HashMap<Token, u32>,
    lexicon: &Lexicon,
) -> (Vec<(u32, Tier)>, bool) {
    let mut found: HashMap<u32, Tier> = HashMap::default();
    let mut translatable = false;
    let mut probe = Token {
        kind: TokenKind::Word,
        text: String::new(),
    };
    for_each_target(token, lexicon, |kind, text, tier| {
        translatable |= tier == Tier::Strong && kind != TokenKind::Name;
        probe.kind = kind;
        probe.text.clear();
        probe.text.push_str(text);
        if let Some(&id) = en_vocab.get(&probe) {
            let slot = found.entry(id).or_insert(tier);
            *slot = (*slot).max(tier);
        }
    });
    let mut links: Vec<(u32, Tier)> = found.into_iter().collect();
    links.sort_unstable();
    (links, translatable)
}

/// The English-side tokens a Chinese token translates to: whole words, dictionary
/// pieces, names, numbers and Latin words, and with `weak` also single characters.
pub fn translation_targets(token: &Token, weak: bool) -> Vec<Token> {
    let mut targets = Vec::new();
    for_each_target(token, Lexicon::get(), |kind, text, tier| {
        if weak || tier == Tier::Strong {
            targets.push(Token {
                kind,
                text: text.to_string(),
            });
        }
    });
    targets.sort();
    targets.dedup();
    targets
}

/// Calls `visit` with every English-side token a Chinese token may translate to:
/// whole-word dictionary stems, or the dictionary pieces of a word CC-CEDICT lacks
/// (strong for pieces of two characters or more); single characters (weak); the pinyin
/// keys of names; the same number; the same Latin-script word.
pub(crate) fn for_each_target(
    token: &Token,
    lexicon: &Lexicon,
    mut visit: impl FnMut(TokenKind, &str, Tier),
) {
    match token.kind {
        TokenKind::Number => visit(TokenKind::Number, &token.text, Tier::Strong),
        TokenKind::Mark => visit(TokenKind::Mark, &token.text, Tier::Strong),
        TokenKind::Latin => {
            visit(TokenKind::Word, &token.text, Tier::Strong);
            visit(TokenKind::Name, &token.text, Tier::Strong);
        }
        TokenKind::Name => {}
        TokenKind::Word => {
            let word = token.text.as_str();
            let entry = lexicon.lookup(word);
            match entry.filter(|e| e.stems().next().is_some()) {
                Some(entry) => entry
                    .stems()
                    .for_each(|s| visit(TokenKind::Word, s, Tier::Strong)),
                None => {
                    // Words jieba knows but CC-CEDICT lacks or leaves without a gloss
                    // (内生动力, 高端化): their
                    // dictionary pieces usually translate piece by piece.
                    for piece in dictionary_pieces(word, lexicon) {
                        let tier = if piece.headword.chars().count() > 1 {
                            Tier::Strong
                        } else {
                            Tier::Weak
                        };
                        piece.stems().for_each(|s| visit(TokenKind::Word, s, tier));
                    }
                }
            }
            if word.chars().count() > 1 {
                for (at, c) in word.char_indices() {
                    if let Some(single) = lexicon.lookup(&word[at..at + c.len_utf8()]) {
                        single
                            .stems()
                            .for_each(|s| visit(TokenKind::Word, s, Tier::Weak));
                    }
                }
                for key in name_keys(word, entry.map(|e| (e.pinyin, e.proper)), lexicon) {
                    visit(TokenKind::Name, &key, Tier::Strong);
                }
            }
        }
    }
}

/// Greedy longest-match split of a word into lexicon headwords; characters the
/// lexicon lacks are skipped.
fn dictionary_pieces<'a>(
    word: &'a str,
    lexicon: &'a Lexicon,
) -> impl Iterator<Item = tongwen_lexicon::Entry<'static>> + 'a {
    let mut rest = word;
    std::iter::from_fn(move || loop {
        let c = rest.chars().next()?;
        match lexicon.longest_prefix(rest) {
            Some(entry) => {
                rest = &rest[entry.headword.len()..];
                return Some(entry);
            }
            None => rest = &rest[c.len_utf8()..],
        }
    })
}

/// Pinyin keys under which a Chinese word may appear as an English name: the whole
/// reading run together (何立峰 → helifeng, 天津 → tianjin) and, for three-character
/// personal names, the given name alone (lifeng).
fn name_keys(word: &str, entry: Option<(&str, bool)>, lexicon: &Lexicon) -> Vec<String> {
    let syllables: Vec<String> = match entry {
        Some((pinyin, _)) => pinyin
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        None => {
            let mut out = Vec::new();
            for (at, c) in word.char_indices() {
                match lexicon.lookup(&word[at..at + c.len_utf8()]) {
                    Some(e) if !e.pinyin.is_empty() && !e.pinyin.contains(' ') => {
                        out.push(e.pinyin.to_string())
                    }
                    _ => return Vec::new(),
                }
            }
            out
        }
    };
    if syllables.len() < 2 || syllables.len() != word.chars().count() {
        return Vec::new();
    }
    let mut keys = vec![syllables.concat()];
    let looks_personal = syllables.len() == 3 && entry.is_none_or(|(_, proper)| proper);
    if looks_personal {
        keys.push(syllables[1..].concat());
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongwen_text::{EnTokenizer, ZhTokenizer};

    #[test]
    fn links_words_names_and_numbers() {
        let zh = ZhTokenizer::new();
        let en = EnTokenizer::new();
        let zh_tokens = [zh.tokenize("何立峰在天津说,40个开发区要发展新质生产力。")];
        let en_tokens = [en.tokenize("He Lifeng said in Tianjin that the 40 development zones should develop new quality productive forces.")];
        let table = LinkTable::build(
            zh_tokens.iter().map(Vec::as_slice),
            en_tokens.iter().map(Vec::as_slice),
            Lexicon::get(),
        );
        let linked = |zh_word: &str| -> Vec<String> {
            let id = table
                .zh_tokens
                .iter()
                .position(|t| t.text == zh_word)
                .unwrap_or_else(|| panic!("{zh_word} not a token"));
            table.links[id]
                .iter()
                .filter(|(_, tier)| *tier == Tier::Strong)
                .map(|(e, _)| table.en_tokens[*e as usize].text.clone())
                .collect()
        };
        assert!(linked("何立峰").contains(&"helifeng".to_string()));
        assert!(linked("天津").contains(&"tianjin".to_string()));
        assert!(linked("开发区").contains(&"zone".to_string()));
        assert!(linked("40").contains(&"40".to_string()));
    }
}
