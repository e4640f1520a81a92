//! Wade–Giles, the romanization of older translations and of Taiwan (Pao-yu, Hsi-feng,
//! Chia, Mao Tse-tung), read as the pinyin syllables it may stand for.
//!
//! Printed Wade–Giles often drops its aspiration apostrophes and umlauts ("Tsai" for
//! Ts'ai, "Hsu" for Hsü), so a syllable written without them is read both ways: the
//! caller keeps the reading the Chinese beside it has.

use crate::pinyin_syllables;

/// The pinyin syllables a Wade–Giles syllable may stand for, lowercase, each one a real
/// pinyin syllable; empty when `syllable` is not Wade–Giles. Apostrophes may be straight
/// or curly, `ü` and `ê` written with or without their marks.
pub fn wade_giles_syllables(syllable: &str) -> Vec<String> {
    let lower: String = syllable
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bb}' | '`' => '\'',
            'ê' | 'ĕ' => 'e',
            'ŭ' => 'u',
            c => c,
        })
        .collect();
    let mut readings: Vec<String> = Vec::new();
    for (initial, rest) in initials(&lower) {
        for pinyin in finals(initial, rest) {
            if pinyin_syllables().contains(pinyin.as_str()) && !readings.contains(&pinyin) {
                readings.push(pinyin);
            }
        }
    }
    readings
}

/// The ways the start of `syllable` reads as a Wade–Giles initial: its pinyin
/// initial (palatals resolved later, by the final) and the rest of the syllable.
fn initials(syllable: &str) -> Vec<(Initial, &str)> {
    // Longest first; an unmarked aspirate may be either.
    const TABLE: &[(&str, &[Initial])] = &[
        ("ch'", &[Initial::Aspirated("ch", "q")]),
        ("ts'", &[Initial::Plain("c")]),
        ("tz'", &[Initial::Plain("c")]),
        ("k'", &[Initial::Plain("k")]),
        ("p'", &[Initial::Plain("p")]),
        ("t'", &[Initial::Plain("t")]),
        (
            "ch",
            &[Initial::Aspirated("zh", "j"), Initial::Aspirated("ch", "q")],
        ),
        ("hs", &[Initial::Palatal("x")]),
        ("ss", &[Initial::Sibilant("s")]),
        ("sz", &[Initial::Sibilant("s")]),
        ("ts", &[Initial::Sibilant("z"), Initial::Sibilant("c")]),
        ("tz", &[Initial::Sibilant("z"), Initial::Sibilant("c")]),
        ("sh", &[Initial::Plain("sh")]),
        ("k", &[Initial::Plain("g"), Initial::Plain("k")]),
        ("p", &[Initial::Plain("b"), Initial::Plain("p")]),
        ("t", &[Initial::Plain("d"), Initial::Plain("t")]),
        ("j", &[Initial::Plain("r")]),
        ("m", &[Initial::Plain("m")]),
        ("f", &[Initial::Plain("f")]),
        ("n", &[Initial::Plain("n")]),
        ("l", &[Initial::Plain("l")]),
        ("h", &[Initial::Plain("h")]),
        ("s", &[Initial::Sibilant("s")]),
        ("y", &[Initial::Plain("y")]),
        ("w", &[Initial::Plain("w")]),
    ];
    for (spelling, readings) in TABLE {
        if let Some(rest) = syllable.strip_prefix(spelling) {
            return readings.iter().map(|&initial| (initial, rest)).collect();
        }
    }
    vec![(Initial::None, syllable)]
}

/// A Wade–Giles initial as pinyin.
#[derive(Debug, Clone, Copy)]
enum Initial {
    /// No consonant: the final stands alone (i → yi, erh → er).
    None,
    /// The same before every final.
    Plain(&'static str),
    /// Retroflex before most finals, palatal before i and ü (ch → zh or j).
    Aspirated(&'static str, &'static str),
    /// Only before i and ü (hs → x).
    Palatal(&'static str),
    /// z, c, s: "u" after them is pinyin's apical i (tzu → zi, ssu → si).
    Sibilant(&'static str),
}

/// The pinyin of `initial` + the Wade–Giles final `rest`, every way of reading it.
fn finals(initial: Initial, rest: &str) -> Vec<String> {
    if rest.is_empty() || rest.contains('\'') {
        return Vec::new();
    }
    let front = rest.starts_with(['i', 'ü']) && rest != "ih";
    // Hsu, Chu, Yuan: an umlaut dropped in print.
    let unmarked_umlaut = matches!(rest, "u" | "uan" | "un" | "ueh");
    let with = |consonant: &str| format!("{consonant}{}", final_reading(consonant, rest));
    match initial {
        Initial::None => match rest {
            "erh" => vec!["er".into()],
            "i" | "in" | "ing" => vec![format!("y{rest}")],
            "o" => vec!["e".into()],
            _ => vec![rest.replace('ü', "u")],
        },
        Initial::Plain("y") => match rest {
            "u" => vec!["you".into(), "yu".into()],
            "en" => vec!["yan".into()],
            _ => vec![with("y")],
        },
        Initial::Plain(consonant) => vec![with(consonant)],
        Initial::Aspirated(_, palatal) if front => vec![with(palatal)],
        Initial::Aspirated(retroflex, palatal) if unmarked_umlaut => {
            vec![with(retroflex), with(palatal)]
        }
        Initial::Aspirated(retroflex, _) => vec![with(retroflex)],
        Initial::Palatal(consonant) if front || unmarked_umlaut => vec![with(consonant)],
        Initial::Palatal(_) => Vec::new(),
        Initial::Sibilant(consonant) if rest == "u" => {
            vec![format!("{consonant}i"), format!("{consonant}u")]
        }
        Initial::Sibilant(consonant) => vec![with(consonant)],
    }
}

/// The pinyin final of the Wade–Giles final `rest` after the pinyin `consonant`.
fn final_reading(consonant: &str, rest: &str) -> String {
    let reading = match rest {
        "ih" => "i",
        "o" if matches!(consonant, "b" | "p" | "m" | "f") => "o",
        "o" if matches!(consonant, "g" | "k" | "h") => "e",
        "o" => "uo",
        "ung" => "ong",
        "iung" => "iong",
        "ieh" => "ie",
        "ien" => "ian",
        "eh" => "e",
        "uei" => "ui",
        "üeh" | "ueh" => "ue",
        other => other,
    };
    reading.replace('ü', "u")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wade_giles_syllables_read_as_pinyin() {
        for (wade_giles, pinyin) in [
            ("Pao", "bao"),
            ("Hsi", "xi"),
            ("feng", "feng"),
            ("Chia", "jia"),
            ("Tse", "ze"),
            ("tung", "dong"),
            ("Chou", "zhou"),
            ("Teng", "deng"),
            ("Hsiao", "xiao"),
            ("p'ing", "ping"),
            ("Ts'ao", "cao"),
            ("Tsai", "cai"),
            ("shih", "shi"),
            ("Chih", "zhi"),
            ("jen", "ren"),
            ("Kuo", "guo"),
            ("kuei", "gui"),
            ("Ko", "ge"),
            ("Lo", "luo"),
            ("Po", "bo"),
            ("ssu", "si"),
            ("Tzu", "zi"),
            ("erh", "er"),
            ("Ing", "ying"),
            ("Hsiung", "xiong"),
            ("Chien", "jian"),
            ("Hsüeh", "xue"),
            ("Hsu", "xu"),
            ("Yü", "yu"),
            ("yu", "you"),
            ("Ch\u{2019}en", "chen"),
            ("Yeh", "ye"),
        ] {
            let readings = wade_giles_syllables(wade_giles);
            assert!(
                readings.iter().any(|r| r == pinyin),
                "{wade_giles} read as {readings:?}, not {pinyin}"
            );
        }
    }

    #[test]
    fn an_unmarked_aspirate_is_read_both_ways_and_a_marked_one_once() {
        let tai = wade_giles_syllables("Tai");
        assert!(tai.contains(&"dai".to_string()) && tai.contains(&"tai".to_string()));
        assert_eq!(wade_giles_syllables("T'ai"), vec!["tai".to_string()]);
    }

    #[test]
    fn english_words_and_impossible_spellings_are_not_wade_giles() {
        for word in ["President", "Xinhua", "said", "Hsa", "k''o", ""] {
            assert!(wade_giles_syllables(word).is_empty(), "{word}");
        }
    }
}
