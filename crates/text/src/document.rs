//! From decoded text to a [`Document`]: metadata out, sentences in.

use std::ops::Range;

use serde::Serialize;

use crate::lang::Lang;
use crate::metadata::{
    is_stray_symbol, parse_dateline, parse_header_line, parse_metadata_line, Metadata,
};
use crate::normalize::normalize;
use crate::split::{split_en, split_zh};

/// How text is cut into sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SplitMode {
    /// Recognize metadata and split paragraphs into sentences.
    #[default]
    Auto,
    /// One sentence per line, exactly as given (pre-split corpora, gold sets).
    Lines,
}

/// One alignable unit of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Byte range in the document text, on char boundaries.
    pub span: Range<usize>,
    /// The original text, verbatim, for display and export.
    pub text: String,
    /// The normalized form, for matching.
    pub normalized: String,
    /// A headline or other short line standing on its own (no final punctuation).
    pub headline: bool,
}

/// A prepared document: its metadata, its sentences, and what was set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The document's language.
    pub lang: Lang,
    /// Header and dateline fields.
    pub metadata: Metadata,
    /// Content units in document order.
    pub sentences: Vec<Sentence>,
    /// Byte ranges recognized as metadata (header lines, datelines).
    pub metadata_spans: Vec<Range<usize>>,
    /// Byte ranges dropped as noise (stray symbols such as a final ■).
    pub dropped: Vec<Range<usize>>,
}

impl Document {
    /// The verbatim text of the sentences in `range`, joined by `separator` (nothing
    /// for Chinese, a space for English): what one bead of them reads.
    pub fn sentences_text(&self, range: Range<usize>, separator: &str) -> String {
        self.sentences[range]
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// Prepares `text` in language `lang` for alignment.
pub fn prepare(text: &str, lang: Lang, mode: SplitMode) -> Document {
    let mut doc = Document {
        lang,
        metadata: Metadata::default(),
        sentences: Vec::new(),
        metadata_spans: Vec::new(),
        dropped: Vec::new(),
    };
    match mode {
        SplitMode::Lines => {
            for line in lines(text) {
                let span = trim_span(text, line.clone());
                let headline = !ends_sentence(&text[span.clone()]);
                doc.sentences.push(sentence(
                    text,
                    if span.is_empty() {
                        line.start..line.start
                    } else {
                        span
                    },
                    headline,
                ));
            }
        }
        SplitMode::Auto => prepare_auto(text, &mut doc),
    }
    doc
}

fn prepare_auto(text: &str, doc: &mut Document) {
    let paragraphs: Vec<Range<usize>> = lines(text)
        .map(|l| trim_span(text, l))
        .filter(|l| !l.is_empty())
        .collect();
    let headline = paragraphs
        .first()
        .map(|p| &text[p.clone()])
        .filter(|p| !ends_sentence(p));
    let mut dateline_seen = false;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let mut body = paragraph.clone();
        // The headline itself is content, whatever it looks like.
        if index > 0 && parse_metadata_line(&text[body.clone()], &mut doc.metadata) {
            doc.metadata_spans.push(body);
            continue;
        }
        if let Some(resume) = parse_header_line(&text[body.clone()], headline, &mut doc.metadata) {
            let header_end = resume.map_or(body.end, |at| body.start + at);
            doc.metadata_spans
                .push(trim_span(text, body.start..header_end));
            body = trim_span(text, header_end..body.end);
            // Scrapers repeat the headline after the editor's name; an exact repeat is
            // noise, while a variant ("…指示强调") is a kicker worth keeping.
            if !body.is_empty() && headline.is_some_and(|h| h == &text[body.clone()]) {
                doc.dropped.push(body.clone());
                continue;
            }
        }
        if !dateline_seen && index < 8 {
            if let Some(len) = parse_dateline(&text[body.clone()], &mut doc.metadata) {
                dateline_seen = true;
                doc.metadata_spans
                    .push(trim_span(text, body.start..body.start + len));
                body = trim_span(text, body.start + len..body.end);
            }
        }
        // A trailing run of stray symbols ends stories ("... pattern. ■").
        let content_end = text[body.clone()]
            .trim_end_matches(|c: char| is_stray_symbol(c) || c.is_whitespace())
            .len()
            + body.start;
        if content_end < body.end {
            doc.dropped.push(trim_span(text, content_end..body.end));
            body.end = content_end;
        }
        if body.is_empty() {
            continue;
        }
        let slice = &text[body.clone()];
        let pieces = match doc.lang {
            Lang::Zh => split_zh(slice),
            Lang::En => split_en(slice),
        };
        let single = pieces.len() == 1;
        for piece in pieces {
            let span = body.start + piece.start..body.start + piece.end;
            let piece_text = &text[span.clone()];
            if piece_text
                .chars()
                .all(|c| is_stray_symbol(c) || !c.is_alphanumeric())
                && piece_text.chars().any(is_stray_symbol)
            {
                doc.dropped.push(span);
                continue;
            }
            doc.sentences
                .push(sentence(text, span, single && !ends_sentence(piece_text)));
        }
    }
    if let (Some(first), Some(headline)) = (doc.sentences.first(), headline) {
        if first.headline && first.text == headline {
            doc.metadata.title = Some(headline.to_string());
        }
    }
}

fn sentence(text: &str, span: Range<usize>, headline: bool) -> Sentence {
    let verbatim = &text[span.clone()];
    Sentence {
        text: verbatim.to_string(),
        normalized: normalize(verbatim),
        span,
        headline,
    }
}

/// Line ranges without their `\n` or `\r\n`; a final newline does not open a line.
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0usize;
    text.split_inclusive('\n').map(move |line| {
        let range = start..start + line.trim_end_matches(['\n', '\r']).len();
        start += line.len();
        range
    })
}

fn trim_span(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    start..start + slice.trim().len()
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '\'' | '》')
    })
    .ends_with(['。', '！', '？', '；', '.', '!', '?', ';', '…', ':', '：'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ZH: &str = "习近平对国家级经济技术开发区工作作出重要指示\n发布时间:2024-10-21 09:11:02 | 来源:新华网 | 作者: | 责任编辑:张芃芃习近平对国家级经济技术开发区工作作出重要指示强调\n不断激发创新活力和内生动力\n新华社天津10月20日电 建设国家级经济技术开发区是重要举措。40年来,成效显著。\n";
    const EN: &str = "Xi stresses opening-up\r\nTIANJIN, Oct. 20 (Xinhua) -- Xi spoke on Sunday. He Lifeng attended.\r\nIt is imperative to study, He said. ■\r\n";

    #[test]
    fn chinese_news_page() {
        let doc = prepare(ZH, Lang::Zh, SplitMode::Auto);
        let texts: Vec<&str> = doc.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "习近平对国家级经济技术开发区工作作出重要指示",
                "习近平对国家级经济技术开发区工作作出重要指示强调",
                "不断激发创新活力和内生动力",
                "建设国家级经济技术开发区是重要举措。",
                "40年来,成效显著。",
            ]
        );
        assert_eq!(doc.metadata.editor.as_deref(), Some("张芃芃"));
        assert_eq!(doc.metadata.place.as_deref(), Some("天津"));
        assert_eq!(
            doc.metadata.title.as_deref(),
            Some("习近平对国家级经济技术开发区工作作出重要指示")
        );
        assert!(doc.sentences[0].headline && !doc.sentences[3].headline);
        assert_eq!(doc.sentences[4].normalized, "40年来,成效显著。");
    }

    #[test]
    fn english_release() {
        let doc = prepare(EN, Lang::En, SplitMode::Auto);
        let texts: Vec<&str> = doc.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Xi stresses opening-up",
                "Xi spoke on Sunday.",
                "He Lifeng attended.",
                "It is imperative to study, He said."
            ]
        );
        assert_eq!(
            doc.dropped
                .iter()
                .map(|r| &EN[r.clone()])
                .collect::<Vec<_>>(),
            ["■"]
        );
        assert_eq!(doc.metadata.agency.as_deref(), Some("Xinhua"));
    }

    #[test]
    fn lines_mode_keeps_every_line() {
        let doc = prepare("第一句。\n\n第三句\r\n", Lang::Zh, SplitMode::Lines);
        assert_eq!(doc.sentences.len(), 3);
        assert_eq!(doc.sentences[1].text, "");
        assert_eq!(doc.sentences[2].text, "第三句");
    }

    fn non_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    proptest! {
        /// Every non-whitespace character lands in exactly one sentence, metadata span
        /// or dropped span, in order: the pipeline never loses content.
        #[test]
        fn nothing_is_lost(text in "(([一-龥]{0,6}|[A-Za-z]{1,8}|[0-9]{1,3}|[ 。！？；,.!?“”\"■:|]|\n|Oct\\. |发布时间:|来源:|新华社北京3月5日电 ){0,40})", zh in any::<bool>()) {
            let lang = if zh { Lang::Zh } else { Lang::En };
            let doc = prepare(&text, lang, SplitMode::Auto);
            let mut spans: Vec<Range<usize>> = doc.sentences.iter().map(|s| s.span.clone())
                .chain(doc.metadata_spans.iter().cloned()).chain(doc.dropped.iter().cloned()).collect();
            spans.sort_by_key(|r| r.start);
            for pair in spans.windows(2) {
                prop_assert!(pair[0].end <= pair[1].start, "overlap {:?}", pair);
            }
            let covered: String = spans.iter().map(|r| non_space(&text[r.clone()])).collect();
            prop_assert_eq!(covered, non_space(&text));
            for s in &doc.sentences {
                prop_assert_eq!(&s.text, &text[s.span.clone()]);
                prop_assert_eq!(&s.normalized, &normalize(&s.text));
            }
        }
    }
}
