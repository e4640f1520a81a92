//! Numbers as Chinese writes them, read from jieba's words: Arabic digits with 万/亿
//! multipliers (`3.5万`, `1.2亿元`), Chinese numerals with or without a classifier
//! (`四十`, `三个`, `六位`, `第二十条`), percentages (`百分之五`, `5%`), decimals
//! (`三点五`), fractions (`三分之一`), years digit by digit (`二〇二四`), approximations
//! (`五千多`, `十余`, `七八十`, `几十`), dates and hours (`10月20日`, `15时`); codes
//! (`V12`, `5G`, `COVID-19`) are not numbers.

use super::en::code_form;
use super::{
    digit_value, parse_arabic, parse_chinese_number, Notation, NumberMention, NumberReading,
    NumberUnit,
};

/// Characters that may follow a numeral inside one word and leave it a count:
/// classifiers, measures, currencies, calendar units and approximation marks.
const CLASSIFIERS: &str = "字星大个位名人家户年月日号天周次回岁元角块米倍项条种类所座届期分秒时点批支句步股度克升吨亩斤里公厘毫平方立美欧英镑港币圆季世纪代余多来场份篇首层部本只头张件台辆架艘间套栋根枚颗粒片轮门处起例宗笔单票版集章节页行列排组队班级段成折楼线强后万亿";

/// Numeral words that are not numbers: 万一 "in case", 千万 "by all means", 十分
/// "very", 一起 "together", 一度 "once".
const IDIOMS: &[&str] = &[
    "万一",
    "千万",
    "万万",
    "十分",
    "万分",
    "一一",
    "一点",
    "一点点",
    "一起",
    "一时",
    "一度",
    "一行",
    "一块",
    "一线",
    "一头",
];

fn is_numeral(c: char) -> bool {
    digit_value(c).is_some()
        || matches!(
            c,
            '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '萬' | '亿' | '億'
        )
}

/// Whether a multiplier character starts `word`, and its value (`万` 1e4, `万亿` 1e12).
fn leading_multiplier(word: &str) -> Option<f64> {
    let mut factor = 1.0;
    let mut any = false;
    for c in word.chars() {
        let f = match c {
            '十' => 10.0,
            '百' => 1e2,
            '千' => 1e3,
            '万' | '萬' => 1e4,
            '亿' | '億' => 1e8,
            _ => break,
        };
        factor *= f;
        any = true;
    }
    (any && factor >= 1e4).then_some(factor)
}

/// 三点五 → 3.5.
pub(crate) fn parse_point_number(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('点')?;
    let whole = parse_chinese_number(whole)?;
    let digits: String = fraction
        .chars()
        .map(|c| digit_value(c).and_then(|d| char::from_digit(d, 10)))
        .collect::<Option<String>>()?;
    format!("{whole}.{digits}").parse().ok()
}

/// What one word holding Chinese numerals reads as.
struct NumeralWord {
    values: Vec<f64>,
    in_dictionary: bool,
    approximate: bool,
    unit: Option<NumberUnit>,
    /// The characters after the numeral (`个`, `月`, `届`).
    rest: String,
}

/// Reads a word that starts with Chinese numerals (after `第` or `百分之`), if what
/// follows them is a classifier. `None` for words such as 一些, 一起, 统一.
fn numeral_word(word: &str) -> Option<NumeralWord> {
    // Most words hold no numeral at all.
    if !word.chars().any(is_numeral) || IDIOMS.contains(&word) {
        return None;
    }
    if word == "百分百" {
        return Some(NumeralWord {
            values: vec![100.0],
            in_dictionary: false,
            approximate: false,
            unit: Some(NumberUnit::Percent),
            rest: String::new(),
        });
    }
    let (word, ordinal) = match word.strip_prefix('第') {
        Some(rest) => (rest, true),
        None => (word, false),
    };
    // 近千家, 约三成, 每万字: the estimate or distribution mark before the numeral.
    let word = match word.strip_prefix(['近', '约', '逾', '超', '每', '上']) {
        Some(rest) if rest.starts_with(is_numeral) => rest,
        _ => word,
    };
    let (word, percent) = match word.strip_prefix("百分之") {
        Some(rest) => (rest, true),
        None => (word, false),
    };
    if let Some((denominator, numerator)) = word.split_once("分之") {
        let d = parse_chinese_number(denominator)?;
        let n = parse_chinese_number(numerator)?;
        return (d != 0.0).then(|| NumeralWord {
            in_dictionary: false,
            values: vec![n / d, n, d],
            approximate: false,
            unit: None,
            rest: String::new(),
        });
    }
    let chars: Vec<char> = word.chars().collect();
    let mut end = 0;
    while end < chars.len() {
        let c = chars[end];
        let decimal_point = c == '点'
            && end > 0
            && chars
                .get(end + 1)
                .is_some_and(|n| digit_value(*n).is_some());
        let vague = matches!(c, '几' | '数') && chars.get(end + 1).is_some_and(|n| is_numeral(*n))
            || c == '几' && end > 0;
        if is_numeral(c) || decimal_point || vague {
            end += 1;
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    let run: String = chars[..end].iter().collect();
    let rest: String = chars[end..].iter().collect();
    // 一些, 一样, 一般: a dictionary word on 一 alone is no count.
    // A numeral alone (四十) is a number even where the dictionary lists it.
    let in_dictionary =
        run != "一" && !rest.is_empty() && tongwen_lexicon::Lexicon::get().lookup(word).is_some();
    // 二十四节气, 十九大, 一带一路: dictionary words that start with a number keep it.
    if !(ordinal || percent || in_dictionary || rest.chars().all(|c| CLASSIFIERS.contains(c))) {
        return None;
    }
    let approx_mark = rest.starts_with(['多', '余', '来']);
    let mut reading = read_numeral_run(&run)?;
    reading.approximate |= approx_mark;
    if rest.starts_with('成') {
        let tenths: Vec<f64> = reading.values.iter().map(|v| v * 10.0).collect();
        reading.values.extend(tenths);
    }
    reading.unit = if percent {
        Some(NumberUnit::Percent)
    } else {
        calendar_unit(&rest, reading.values.first().copied())
    };
    reading.rest = rest;
    reading.in_dictionary = in_dictionary;
    Some(reading)
}

/// The values of a run of numerals: exact (四十, 三点五), or the candidates of an
/// approximation (几十, 七八十, 三四).
fn read_numeral_run(run: &str) -> Option<NumeralWord> {
    let exact = |values: Vec<f64>| NumeralWord {
        in_dictionary: false,
        values,
        approximate: false,
        unit: None,
        rest: String::new(),
    };
    if run.contains(['几', '数']) {
        let values: Vec<f64> = (1..=9)
            .filter_map(|d| {
                let digit = char::from_digit(d, 10)?;
                let spelled: String = run
                    .chars()
                    .enumerate()
                    .map(|(at, c)| match c {
                        '几' => digit,
                        '数' if at == 0 => digit,
                        c => c,
                    })
                    .collect();
                parse_chinese_number(&spelled)
            })
            .collect();
        let mut reading = exact(values);
        reading.approximate = true;
        return Some(reading);
    }
    let chars: Vec<char> = run.chars().collect();
    // 一二三, 三四五六 (年级): a list of digits, each a number.
    let digits: Vec<u32> = chars.iter().filter_map(|c| digit_value(*c)).collect();
    if digits.len() >= 3
        && digits.len() == chars.len()
        && digits.windows(2).all(|w| w[1] == w[0] + 1)
    {
        return Some(exact(digits.iter().map(|d| f64::from(*d)).collect()));
    }
    // 万家, 百姓, 千年: a multiplier with no digit before it means "many".
    if chars
        .first()
        .is_some_and(|c| matches!(c, '百' | '千' | '万' | '亿'))
    {
        let mut reading = exact(parse_chinese_number(run).into_iter().collect());
        reading.approximate = true;
        return Some(reading);
    }
    // 七八十, 三四: two neighbouring digits say "one or the other".
    if let Some(at) = chars.windows(2).position(|w| {
        matches!((digit_value(w[0]), digit_value(w[1])), (Some(a), Some(b)) if b == a + 1 && a > 0)
    }) {
        if !run.contains(['〇', '零']) && chars.len() <= 4 {
            let without = |skip: usize| -> String {
                chars
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != skip)
                    .map(|(_, c)| *c)
                    .collect()
            };
            let values: Vec<f64> = [without(at + 1), without(at)]
                .iter()
                .filter_map(|s| parse_chinese_number(s))
                .collect();
            let mut reading = exact(values);
            reading.approximate = true;
            return Some(reading);
        }
    }
    let value = parse_point_number(run).or_else(|| parse_chinese_number(run))?;
    Some(exact(vec![value]))
}

/// The calendar or clock unit the characters after a number give it.
fn calendar_unit(rest: &str, value: Option<f64>) -> Option<NumberUnit> {
    let value = value?;
    let first = rest.chars().next()?;
    match first {
        '月' if (1.0..=12.0).contains(&value) && value.fract() == 0.0 => Some(NumberUnit::Month),
        '日' | '号' if (1.0..=31.0).contains(&value) && value.fract() == 0.0 => {
            Some(NumberUnit::DayOfMonth)
        }
        '时' | '点' if (0.0..=24.0).contains(&value) => Some(NumberUnit::Hour),
        '年' if (1000.0..3000.0).contains(&value) => Some(NumberUnit::Year),
        '世' if rest.starts_with("世纪") => Some(NumberUnit::Century),
        _ => None,
    }
}

/// Whether jieba's word is Latin letters and digits run together (`V12`, `5G`).
fn is_code(word: &str) -> bool {
    word.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_alphabetic())
        && super::en::english_numbers(word).numbers.is_empty()
}

/// The numbers and codes of Chinese text, from its jieba words (whitespace words
/// included, so that `COVID-19` is told from `COVID 19`).
pub fn chinese_numbers(words: &[&str]) -> NumberReading {
    let joined = join_digit_groups(words);
    let words: Vec<&str> = joined.iter().map(String::as_str).collect();
    let words = words.as_slice();
    let mut reading = NumberReading::default();
    let mut percent_pending = false;
    let mut k = 0;
    while k < words.len() {
        let word = words[k];
        if word.trim().is_empty() {
            k += 1;
            continue;
        }
        // 820 万美元: the multiplier after a space still belongs to the number.
        let skip = words[k + 1..]
            .iter()
            .take_while(|w| w.trim().is_empty())
            .count();
        let next = words.get(k + 1 + skip).copied().unwrap_or("");
        // jieba cuts 三点五 as 三点 | 五: a decimal, not three o'clock.
        if word.ends_with('点')
            && !next.is_empty()
            && next.chars().all(|c| digit_value(c).is_some())
        {
            if let Some(value) = parse_point_number(&format!("{word}{next}")) {
                reading.numbers.push(NumberMention::new(
                    &format!("{word}{next}"),
                    vec![value],
                    Notation::Words,
                    None,
                ));
                k += 2;
                continue;
            }
        }
        if word == "百分之" {
            percent_pending = true;
            k += 1;
            continue;
        }
        let starts_with_digit = word.starts_with(|c: char| c.is_ascii_digit());
        if is_code(word) {
            reading.codes.push(code_form(word));
        } else if starts_with_digit {
            // COVID-19: digits glued by a hyphen to Latin letters are a code.
            let glued_to_letters = k >= 2
                && words[k - 1] == "-"
                && words[k - 2].chars().all(|c| c.is_ascii_alphabetic());
            if glued_to_letters {
                reading
                    .codes
                    .push(code_form(&format!("{}{}", words[k - 2], word)));
            } else {
                let used = read_digits(
                    word,
                    next,
                    words.get(k + 2 + skip).copied(),
                    percent_pending,
                    &mut reading,
                );
                if used > 0 {
                    k += skip + used;
                }
            }
        } else if let Some(counts) = several_counts(word) {
            // 一个两岁 is one word to jieba: read each count on its own.
            for count in counts {
                if let Some(numeral) = numeral_word(count) {
                    let mut mention =
                        NumberMention::new(count, numeral.values, Notation::Words, numeral.unit);
                    mention.approximate = numeral.approximate;
                    reading.numbers.push(mention);
                }
            }
        } else if let Some(numeral) = numeral_word(word) {
            let mut values = numeral.values;
            let mut unit = numeral.unit;
            if percent_pending {
                unit = Some(NumberUnit::Percent);
            }
            if numeral.rest.is_empty() {
                if let Some(factor) = leading_multiplier(next) {
                    values = values.iter().map(|v| v * factor).collect();
                    k += 1 + skip;
                } else if unit.is_none() {
                    unit = calendar_unit(next, values.first().copied());
                }
            }
            let mut mention = NumberMention::new(word, values, Notation::Words, unit);
            mention.approximate = numeral.approximate;
            mention.in_dictionary = numeral.in_dictionary;
            reading.numbers.push(mention);
        }
        percent_pending = false;
        k += 1;
    }
    reading
}

/// A word made of two or more counts, each numerals then classifiers (一个两岁 →
/// 一个, 两岁), split into them; `None` for anything else.
fn several_counts(word: &str) -> Option<Vec<&str>> {
    let mut starts = Vec::new();
    let mut previous_classifier = true;
    for (at, c) in word.char_indices() {
        if is_numeral(c) {
            if previous_classifier {
                starts.push(at);
            }
            previous_classifier = false;
        } else if CLASSIFIERS.contains(c) && !starts.is_empty() {
            previous_classifier = true;
        } else {
            return None;
        }
    }
    (starts.len() >= 2 && starts[0] == 0).then(|| {
        starts
            .iter()
            .enumerate()
            .map(|(k, start)| &word[*start..starts.get(k + 1).copied().unwrap_or(word.len())])
            .collect()
    })
}

/// A word of Arabic digits (`2000-3000`, `3.5`, `95`, `40%`, `100km`) and what the
/// next words add (`万`, `余万`, `亿元`, `万4801`, `日`, `%`, `后`). Returns how many
/// words after it it used.
fn read_digits(
    word: &str,
    next: &str,
    after_next: Option<&str>,
    percent: bool,
    reading: &mut NumberReading,
) -> usize {
    let (digits, letters_ok) = match word.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => (
            &word[..at],
            super::en::english_numbers(word).codes.is_empty(),
        ),
        None => (word, true),
    };
    if !letters_ok {
        reading.codes.push(code_form(word));
        return 0;
    }
    let percent = percent || digits.ends_with('%') || next.starts_with('%');
    let digits = digits.trim_end_matches('%');
    // 30余万: the approximation mark comes before the multiplier.
    let approximate = next.starts_with(['多', '余']);
    let scaled_next = next.trim_start_matches(['多', '余']);
    let factor = leading_multiplier(scaled_next);
    let after = if factor.is_some() {
        scaled_next.trim_start_matches(['十', '百', '千', '万', '萬', '亿', '億'])
    } else {
        next
    };
    let mut used = usize::from(factor.is_some());
    // 2万4801: the digits after the multiplier add to it.
    let remainder = match (factor, after.is_empty(), after_next) {
        (Some(_), true, Some(tail))
            if tail.chars().all(|c| c.is_ascii_digit()) && !tail.is_empty() =>
        {
            used += 1;
            parse_arabic(tail)
        }
        _ => None,
    };
    // 2021.6.11 is a date of three numbers, 3.5 is one, 424.10.0.20.02.002 is a
    // model number.
    let dots = digits.matches('.').count();
    if dots >= 3 || (dots == 2 && digits.split('.').any(|p| p.len() > 4)) {
        reading.codes.push(code_form(digits));
        return 0;
    }
    let date_like = dots == 2;
    let pieces: Vec<&str> = digits
        .split(|c: char| matches!(c, '-' | '~' | '～' | '/' | ':') || (date_like && c == '.'))
        .filter(|p| !p.is_empty())
        .collect();
    for piece in pieces {
        let Some(value) = parse_arabic(piece) else {
            continue;
        };
        let value = factor.map_or(value, |f| value * f) + remainder.unwrap_or(0.0);
        let unit = if percent {
            Some(NumberUnit::Percent)
        } else {
            calendar_unit(after, Some(value))
        };
        let mut values = vec![value];
        // 95后, 00后: a generation, born in 1995 or 2000.
        if after.starts_with('后') && value < 100.0 && value.fract() == 0.0 {
            values.push(if value < 30.0 {
                2000.0 + value
            } else {
                1900.0 + value
            });
        }
        let mut mention = NumberMention::new(word, values, Notation::Digits, unit);
        mention.approximate = approximate || after.starts_with(['多', '余']);
        reading.numbers.push(mention);
    }
    used
}

/// jieba cuts `1,000` and `3.5` at their separators: joins digit groups back.
fn join_digit_groups(words: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut k = 0;
    while k < words.len() {
        let word = words[k];
        let is_digits = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        if let (Some(last), Some(next)) = (out.last_mut(), words.get(k + 1)) {
            let separator = matches!(word, "," | ".");
            let groups = word == "," && next.len() == 3;
            if separator
                && is_digits(last.rsplit(['-', '~']).next().unwrap_or(""))
                && is_digits(next)
                && (groups || word == ".")
            {
                last.push_str(word);
                last.push_str(next);
                k += 2;
                continue;
            }
        }
        out.push(word.to_string());
        k += 1;
    }
    out
}

/// 二〇二四 → 2024: years written digit by digit, which jieba cuts into single
/// characters, turned into Arabic digits before segmentation. Three or more bare
/// digits with a zero among them, or four or more, are the digits of a number, not
/// a count (三五成群 is not 35).
pub fn digit_runs_as_arabic(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut k = 0;
    while k < chars.len() {
        let run = chars[k..]
            .iter()
            .take_while(|c| !matches!(c, '两') && digit_value(**c).is_some())
            .count();
        let digits = &chars[k..k + run];
        let values: Vec<u32> = digits.iter().filter_map(|c| digit_value(*c)).collect();
        let listed = values.windows(2).all(|w| w[1] == w[0] + 1);
        if !listed && (run >= 4 || (run == 3 && digits.iter().any(|c| matches!(c, '〇' | '零'))))
        {
            out.extend(
                digits
                    .iter()
                    .filter_map(|c| digit_value(*c).and_then(|d| char::from_digit(d, 10))),
            );
            k += run;
        } else {
            out.push(chars[k]);
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ZhTokenizer;

    fn read(zh: &ZhTokenizer, text: &str) -> NumberReading {
        zh.numbers(text)
    }

    fn values(zh: &ZhTokenizer, text: &str) -> Vec<Vec<f64>> {
        read(zh, text)
            .numbers
            .into_iter()
            .map(|m| m.values)
            .collect()
    }

    #[test]
    fn classifiers_ordinals_and_multipliers() {
        let zh = ZhTokenizer::new();
        assert_eq!(values(&zh, "三个人和六位专家"), [vec![3.0], vec![6.0]]);
        assert_eq!(values(&zh, "依照第二十条规定"), [vec![20.0]]);
        assert_eq!(values(&zh, "第二届全球峰会"), [vec![2.0]]);
        assert_eq!(values(&zh, "3.5万家企业"), [vec![35000.0]]);
        assert_eq!(values(&zh, "1.2亿元"), [vec![1.2e8]]);
        assert_eq!(values(&zh, "1.5万亿元"), [vec![1.5e12]]);
        assert_eq!(values(&zh, "二〇二四年"), [vec![2024.0]]);
        assert_eq!(values(&zh, "增长三点五"), [vec![3.5]]);
        assert_eq!(values(&zh, "价格2000-3000元"), [vec![2000.0], vec![3000.0]]);
    }

    #[test]
    fn real_segments() {
        let zh = ZhTokenizer::new();
        assert_eq!(
            values(&zh, "不能期待一个两岁的孩子"),
            [vec![1.0], vec![2.0]]
        );
        assert_eq!(values(&zh, "达到10.85万吨"), [vec![108_500.0]]);
        assert_eq!(
            values(&zh, "2021.6.11部分"),
            [vec![2021.0], vec![6.0], vec![11.0]]
        );
        assert_eq!(values(&zh, "近千家企业"), [vec![1000.0]]);
        assert_eq!(read(&zh, "表424.10.0.20.02.002").codes, ["4241002002002"]);
        assert_eq!(
            values(&zh, "出版著作每万字认定12学时"),
            [vec![10000.0], vec![12.0]]
        );
        assert_eq!(values(&zh, "日收入超过 820 万美元"), [vec![8_200_000.0]]);
        assert_eq!(values(&zh, "共发出2万4801张"), [vec![24_801.0]]);
        assert_eq!(
            values(&zh, "每年也有1,000亿到2,000亿美元"),
            [vec![1e11], vec![2e11]]
        );
        assert_eq!(values(&zh, "30余万费用"), [vec![300_000.0]]);
        assert!(values(&zh, "链接https://zhuanlan.zhihu.com/p/60474873，或").is_empty());
    }

    #[test]
    fn approximations() {
        let zh = ZhTokenizer::new();
        let reading = read(&zh, "五千多名学生");
        assert_eq!(reading.numbers[0].values, [5000.0]);
        assert!(reading.numbers[0].approximate);
        let reading = read(&zh, "百分之七八十能救过来");
        assert_eq!(reading.numbers[0].values, [70.0, 80.0]);
        assert_eq!(reading.numbers[0].unit, Some(NumberUnit::Percent));
        let reading = read(&zh, "几十名工人");
        assert!(reading.numbers[0].approximate);
        assert!(reading.numbers[0].values.contains(&30.0));
    }

    #[test]
    fn words_with_numerals_are_not_numbers() {
        let zh = ZhTokenizer::new();
        for text in [
            "他十分高兴",
            "万一下雨呢",
            "千万不要去",
            "一些人一起去了",
            "零售业和无人机",
            "统一大市场",
            "一带一路",
        ] {
            assert!(
                values(&zh, text).is_empty(),
                "{text}: {:?}",
                values(&zh, text)
            );
        }
    }

    #[test]
    fn codes_are_not_numbers() {
        let zh = ZhTokenizer::new();
        let reading = read(&zh, "V12发动机和5G网络,COVID-19疫情");
        assert!(reading.numbers.is_empty(), "{:?}", reading.numbers);
        assert_eq!(reading.codes, ["v12", "5g", "covid19"]);
    }

    #[test]
    fn dates_and_generations() {
        let zh = ZhTokenizer::new();
        let reading = read(&zh, "新华社北京10月20日电 95后的年轻人");
        let units: Vec<Option<NumberUnit>> = reading.numbers.iter().map(|m| m.unit).collect();
        assert_eq!(
            units,
            [Some(NumberUnit::Month), Some(NumberUnit::DayOfMonth), None]
        );
        assert_eq!(reading.numbers[2].values, [95.0, 1995.0]);
    }
}
