//! Language tags as translation files write them (`zh-CN`, `zh_cn`, `ZH-TW`,
//! `zh-Hant-HK`, `cmn-Hans-CN`, `en-US`): normalized to BCP 47 form and recognized as
//! Chinese or English.

use crate::Lang;

/// Primary subtags naming Chinese: the macrolanguage and its member languages
/// (Mandarin, Cantonese, Wu, Hakka, Min…) and Literary Chinese.
const CHINESE: &[&str] = &[
    "zh", "cmn", "yue", "wuu", "hak", "nan", "gan", "hsn", "cjy", "cdo", "cpx", "czh", "czo",
    "mnp", "lzh",
];

/// `tag` in BCP 47 form: subtags split at `-` or `_`, the language lower case, a script
/// title case, a region upper case (`zh_cn` → `zh-CN`, `ZH-HANT-tw` → `zh-Hant-TW`);
/// other subtags lower case. A tag without any subtag (`---`, empty) is `und`, BCP 47's
/// undetermined language.
pub fn normalize_tag(tag: &str) -> String {
    let mut out = Vec::new();
    for (k, subtag) in tag
        .trim()
        .split(['-', '_'])
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let is_letters = subtag.chars().all(|c| c.is_ascii_alphabetic());
        out.push(if k == 0 {
            subtag.to_ascii_lowercase()
        } else if subtag.len() == 4 && is_letters {
            let lower = subtag.to_ascii_lowercase();
            lower[..1].to_ascii_uppercase() + &lower[1..]
        } else if (subtag.len() == 2 && is_letters)
            || (subtag.len() == 3 && subtag.chars().all(|c| c.is_ascii_digit()))
        {
            subtag.to_ascii_uppercase()
        } else {
            subtag.to_ascii_lowercase()
        });
    }
    if out.is_empty() {
        return "und".into();
    }
    out.join("-")
}

/// Which of Tongwen's languages a tag names, if either.
pub fn tag_lang(tag: &str) -> Option<Lang> {
    let normalized = normalize_tag(tag);
    let primary = normalized.split('-').next().unwrap_or_default();
    if CHINESE.contains(&primary) {
        Some(Lang::Zh)
    } else if primary == "en" {
        Some(Lang::En)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_normalize_and_name_their_language() {
        for (given, normalized) in [
            ("zh_cn", "zh-CN"),
            ("ZH-CN", "zh-CN"),
            ("zh_Hant", "zh-Hant"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("cmn-Hans-CN", "cmn-Hans-CN"),
            ("en-us", "en-US"),
            ("es-419", "es-419"),
            ("---", "und"),
        ] {
            assert_eq!(normalize_tag(given), normalized);
        }
        assert_eq!(tag_lang("cmn-Hans-CN"), Some(Lang::Zh));
        assert_eq!(tag_lang("yue-HK"), Some(Lang::Zh));
        assert_eq!(tag_lang("EN_gb"), Some(Lang::En));
        assert_eq!(tag_lang("fr-CA"), None);
        assert_eq!(tag_lang("zhx"), None);
    }
}
