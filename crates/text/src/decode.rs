//! Encoding detection and decoding of raw file bytes.

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Why bytes could not be turned into text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input has no bytes at all.
    #[error("the file is empty")]
    Empty,
    /// The input looks like a binary file (NUL or many control bytes).
    #[error("the file looks binary, not text (byte {offset} is {byte:#04x})")]
    Binary {
        /// Offset of the first offending byte.
        offset: usize,
        /// The offending byte.
        byte: u8,
    },
    /// No supported encoding decodes the input cleanly.
    #[error("the file is not valid UTF-8, GB18030/GBK or Big5 text (best guess {guess} fails at byte {offset})")]
    Undecodable {
        /// The encoding that came closest.
        guess: &'static str,
        /// Byte offset of the first malformed sequence under that guess.
        offset: usize,
    },
}

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without any byte-order mark.
    pub text: String,
    /// The encoding's WHATWG name, e.g. `"UTF-8"`, `"gb18030"`, `"Big5"`.
    pub encoding: &'static str,
    /// Whether a byte-order mark was present.
    pub had_bom: bool,
}

/// Detects the encoding of `bytes` and decodes them.
///
/// A BOM decides; otherwise valid UTF-8 is taken as UTF-8; otherwise the statistical
/// detector chooses between GB18030 (a superset of GBK), Big5 and Windows-1252, and the
/// guess must decode without a single malformed sequence.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(&bytes[bom_len..], encoding, true);
    }
    check_not_binary(bytes)?;
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            had_bom: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // Only the detected family is tried: falling back from Chinese to Windows-1252
    // would "decode" any byte soup, and from Windows-1252 to GB18030 would turn
    // curly quotes into stray Han characters.
    let candidates: &[&'static Encoding] = if guess == WINDOWS_1252 {
        &[WINDOWS_1252]
    } else if guess == BIG5 {
        &[BIG5, GB18030]
    } else {
        &[GB18030, BIG5]
    };
    let mut first_failure = None;
    for &encoding in candidates {
        match decode_strict(bytes, encoding, false) {
            Ok(decoded) if encoding == WINDOWS_1252 && looks_like_mojibake(&decoded.text) => {
                first_failure.get_or_insert(DecodeError::Undecodable {
                    guess: encoding.name(),
                    offset: 0,
                });
            }
            Ok(decoded) => return Ok(decoded),
            Err(e) => {
                first_failure.get_or_insert(e);
            }
        }
    }
    Err(first_failure.unwrap_or(DecodeError::Undecodable {
        guess: guess.name(),
        offset: 0,
    }))
}

/// Decodes a file that must contain Chinese, such as a Chinese–English glossary: as
/// [`decode`], except that when the detector settles on Windows-1252 (short files
/// give it little to go on) but the bytes are also valid GB18030 with Chinese
/// characters in them, GB18030 wins.
pub fn decode_chinese(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let decoded = decode(bytes);
    let western = match &decoded {
        Ok(d) => d.encoding == WINDOWS_1252.name(),
        Err(DecodeError::Undecodable { guess, .. }) => *guess == WINDOWS_1252.name(),
        Err(_) => false,
    };
    if western {
        if let Ok(chinese) = decode_strict(bytes, GB18030, false) {
            if chinese.text.chars().any(crate::lang::is_han) {
                return Ok(chinese);
            }
        }
    }
    decoded
}

fn decode_strict(
    bytes: &[u8],
    encoding: &'static Encoding,
    had_bom: bool,
) -> Result<Decoded, DecodeError> {
    if encoding != UTF_16LE && encoding != UTF_16BE {
        check_not_binary(bytes)?;
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(usize::MAX);
    text.reserve(
        capacity
            .saturating_sub(text.capacity())
            .min(bytes.len() * 4),
    );
    let mut read_total = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut text, true);
        read_total += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => text.reserve(bytes.len().max(64)),
            encoding_rs::DecoderResult::Malformed(_, _) => {
                return Err(DecodeError::Undecodable {
                    guess: encoding.name(),
                    offset: read_total.saturating_sub(1),
                })
            }
        }
    }
    if encoding == UTF_16LE || encoding == UTF_16BE {
        if let Some(offset) = text.find('\0') {
            return Err(DecodeError::Binary { offset, byte: 0 });
        }
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        had_bom,
    })
}

/// Windows-1252 maps every byte to some character, so it "decodes" anything. Western
/// text in it is mostly ASCII; a high share of accented letters and symbols is a
/// multi-byte encoding (a damaged GBK or Big5 file) read byte by byte.
fn looks_like_mojibake(text: &str) -> bool {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    let high = text.chars().filter(|c| !c.is_ascii()).count();
    high * 10 > visible * 3
}

/// Text files have no NUL bytes and few C0 controls besides tab, newline, CR and form feed.
fn check_not_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    let mut controls = 0usize;
    for (offset, &byte) in bytes.iter().enumerate() {
        let control = byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0c) || byte == 0x7f;
        if byte == 0 {
            return Err(DecodeError::Binary { offset, byte });
        }
        if control {
            controls += 1;
            if controls > 8 && controls * 100 > (offset + 1) {
                return Err(DecodeError::Binary { offset, byte });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "国家级经济技术开发区坚持扩大开放，深化改革创新。";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(SAMPLE.as_bytes()).expect("utf-8");
        assert_eq!(
            (plain.text.as_str(), plain.encoding, plain.had_bom),
            (SAMPLE, "UTF-8", false)
        );
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(SAMPLE.as_bytes());
        let decoded = decode(&with_bom).expect("utf-8 bom");
        assert_eq!((decoded.text.as_str(), decoded.had_bom), (SAMPLE, true));
    }

    #[test]
    fn files_that_must_hold_chinese_prefer_gb18030_over_windows_1252() {
        // 中文 in GBK, then a Western word with an accent: short and ambiguous.
        let bytes = b"zh,en\n\xd6\xd0\xce\xc4,Chinese caf\xe9s\n";
        let decoded = decode_chinese(bytes).unwrap();
        assert_eq!(decoded.encoding, "gb18030");
        assert!(decoded.text.starts_with("zh,en\n中文,"), "{}", decoded.text);
        assert_eq!(
            decode_chinese("zh,en\n一,café\n".as_bytes())
                .unwrap()
                .encoding,
            "UTF-8"
        );
    }

    #[test]
    fn gbk_and_big5() {
        let (gbk, _, _) = GB18030.encode(SAMPLE);
        let decoded = decode(&gbk).expect("gbk");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (SAMPLE, "gb18030")
        );
        let traditional = "國家級經濟技術開發區堅持擴大開放，深化改革創新。這是重要舉措。";
        let (big5, _, _) = BIG5.encode(traditional);
        let decoded = decode(&big5).expect("big5");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (traditional, "Big5")
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in SAMPLE.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).expect("utf-16").text, SAMPLE);
    }

    #[test]
    fn refuses_malformed_chinese() {
        let mut gbk = GB18030.encode(SAMPLE).0.into_owned();
        // A lead byte cut off by the end of the file, and one followed by a byte no
        // trail can be.
        gbk.extend_from_slice(&[0xB0, 0x7F, 0xB0]);
        assert!(
            matches!(decode(&gbk), Err(DecodeError::Undecodable { .. })),
            "{:?}",
            decode(&gbk)
        );
    }

    #[test]
    fn windows_1252_english() {
        let bytes = b"\x93Opening up,\x94 he said \x96 and left. The caf\xe9 was closed; the na\xefve plan failed again and again.";
        let decoded = decode(bytes).expect("windows-1252");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.starts_with("\u{201C}Opening up,\u{201D}"));
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00binary"),
            Err(DecodeError::Binary { offset: 4, .. })
        ));
        let noise: Vec<u8> = (0u8..=255)
            .cycle()
            .skip(1)
            .take(600)
            .filter(|b| *b != 0)
            .collect();
        assert!(decode(&noise).is_err());
    }
}
