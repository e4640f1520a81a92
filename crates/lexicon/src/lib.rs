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

mod wade_giles;

pub use wade_giles::wade_giles_syllables;

include!("stopwords.in");

static LEXICON_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon.tsv"));

/// The bundled lexicon: a sorted table searched in place.
pub struct Lexicon {
    table: &'static str,
    line_starts: Vec<u32>,
    /// Byte length of each line's headword, so that a probe compares in place
    /// instead of looking for the tab.
    key_lengths: Vec<u8>,
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
        let mut key_lengths = Vec::with_capacity(table.len() / 24);
        let mut start = 0usize;
        for line in table.split_inclusive('\n') {
            if !line.trim_end().is_empty() {
                let key = line.split('\t').next().unwrap_or(line);
                // Headwords are a few characters; a longer one is never looked up.
                if let Ok(length) = u8::try_from(key.len()) {
                    line_starts.push(start as u32);
                    key_lengths.push(length);
                }
            }
            start += line.len();
        }
        Lexicon {
            table,
            line_starts,
            key_lengths,
        }
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
        let bytes = self.table.as_bytes();
        let wanted = headword.as_bytes();
        let (mut low, mut high) = (0usize, self.line_starts.len());
        while low < high {
            let middle = (low + high) / 2;
            let start = self.line_starts[middle] as usize;
            let key = &bytes[start..start + usize::from(self.key_lengths[middle])];
            match key.cmp(wanted) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return parse_line(self.line(middle)),
            }
        }
        None
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

/// Surnames written with two characters, which a name then follows.
const COMPOUND_SURNAMES: &[&str] = &[
    "上官", "东方", "令狐", "公孙", "单于", "司徒", "司马", "夏侯", "宇文", "尉迟", "慕容", "欧阳",
    "皇甫", "诸葛", "轩辕", "长孙", "闻人", "端木", "西门", "独孤",
];

/// The commonest single-character surnames (those of roughly 95 % of people in
/// China), simplified and traditional.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝陳楊黃趙吳劉張鄭謝馮鄧蕭董葉蘇呂盧鐘譚陸範賈韋鄒龔嚴錢湯萬";

/// How many characters of `word` are a surname it starts with (2 for 欧阳明远, 1 for
/// 李强), if any.
pub fn surname_length(word: &str) -> Option<usize> {
    if COMPOUND_SURNAMES.iter().any(|s| word.starts_with(s)) {
        return Some(2);
    }
    let first = word.chars().next()?;
    SURNAMES.contains(first).then_some(1)
}

/// Every toneless pinyin syllable a single character of the lexicon is read as
/// (`zhong`, `guo`, `er`), the vowelless interjections (`m`, `hm`) left out.
fn pinyin_syllables() -> &'static std::collections::HashSet<&'static str> {
    static SYLLABLES: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SYLLABLES.get_or_init(|| {
        LEXICON_TSV
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let headword = fields.next()?;
                let pinyin = fields.next()?;
                let mut chars = headword.chars();
                let han = chars.next().is_some_and(|c| !c.is_ascii()) && chars.next().is_none();
                han.then_some(pinyin)
            })
            .filter(|s| {
                s.chars().all(|c| c.is_ascii_lowercase())
                    && s.contains(['a', 'e', 'i', 'o', 'u', 'v'])
            })
            .collect()
    })
}

/// Whether a lowercase word is pinyin syllables run together (`lifeng`, `xian`),
/// apostrophes and hyphens between syllables allowed.
pub fn is_pinyin(word: &str) -> bool {
    let letters: String = word.chars().filter(|c| !matches!(c, '\'' | '-')).collect();
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let syllables = pinyin_syllables();
    // reachable[k]: the first k letters split into syllables.
    let mut reachable = vec![false; letters.len() + 1];
    reachable[0] = true;
    for start in 0..letters.len() {
        if !reachable[start] {
            continue;
        }
        for end in start + 1..=(start + 6).min(letters.len()) {
            if syllables.contains(&letters[start..end]) {
                reachable[end] = true;
            }
        }
    }
    reachable[letters.len()]
}

/// Whether `headword` is a proper noun of the lexicon (every entry a name: 脸书,
/// 扎克伯格, 维也纳). A hash lookup, for callers that ask of every word of a corpus.
pub fn is_proper_noun(headword: &str) -> bool {
    static PROPER: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    PROPER
        .get_or_init(|| {
            LEXICON_TSV
                .lines()
                .filter_map(|line| {
                    let mut fields = line.split('\t');
                    let headword = fields.next()?;
                    let flags = fields.nth(1)?;
                    flags.contains('P').then_some(headword)
                })
                .collect()
        })
        .contains(headword)
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
    fn surnames_and_pinyin() {
        assert_eq!(surname_length("欧阳明远"), Some(2));
        assert_eq!(surname_length("李强"), Some(1));
        assert_eq!(surname_length("觉得"), None);
        for word in ["lifeng", "xian", "xi'an", "ouyang", "mingyuan", "zhongguo"] {
            assert!(is_pinyin(word), "{word}");
        }
        for word in [
            "javier",
            "mascherano",
            "students",
            "conference",
            "indian",
            "",
        ] {
            assert!(!is_pinyin(word), "{word}");
        }
    }

    fn stems_of(headword: &str) -> Vec<&'static str> {
        Lexicon::get()
            .lookup(headword)
            .map(|e| e.stems().collect())
            .unwrap_or_default()
    }

    #[test]
    fn proper_nouns_are_those_the_entries_mark() {
        for word in ["维也纳", "脸书", "天津", "習近平"] {
            assert!(is_proper_noun(word), "{word}");
            assert_eq!(Lexicon::get().lookup(word).map(|e| e.proper), Some(true));
        }
        for word in ["生产力", "开发区", "不存在的词语"] {
            assert!(!is_proper_noun(word), "{word}");
        }
    }

    #[test]
    fn a_proper_noun_translates_to_its_name_not_to_where_it_is() {
        // CC-CEDICT: "Vienna, capital of Austria", "Geneva, Switzerland".
        assert_eq!(stems_of("维也纳"), ["vienna"]);
        assert_eq!(stems_of("日内瓦"), ["geneva"]);
        assert_eq!(stems_of("奥地利"), ["austria"]);
    }

    fn assert_stem(headword: &str, stem: &str) {
        let stems = stems_of(headword);
        assert!(stems.contains(&stem), "{headword}: {stems:?}");
    }

    #[test]
    fn a_word_sent_elsewhere_means_what_it_is_sent_to() {
        // "see 內蒙古自治區|内蒙古自治区[...]", "abbr. for 中國共產黨|中国共产党[...]".
        assert_stem("内蒙古", "mongolia");
        assert_stem("中共", "communist");
        // A word with glosses of its own keeps them.
        assert_stem("天津", "tianjin");
    }

    #[test]
    fn glosses_reach_the_forms_texts_write() {
        // Irregular plurals: 儿童 "child" is "children" in "China Children's Center".
        assert_stem("儿童", "children");
        // "Mt Tai" is "Mount Tai".
        assert_stem("泰山", "mount");
        // Alternatives of a proper noun's gloss are kept: "United Kingdom (UK); Britain".
        assert_stem("英国", "britain");
    }

    #[test]
    fn traditional_headwords_are_kept() {
        assert_eq!(
            Lexicon::get().lookup("開發區").map(|e| e.pinyin),
            Some("kai fa qu")
        );
    }
}
