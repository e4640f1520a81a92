//! Sentence alignment of a Chinese text and its English version.
//!
//! [`align`] takes the tokenized sentences of both sides ([`Segment`]s) and returns
//! [`Bead`]s: groups of consecutive Chinese sentences matched with groups of
//! consecutive English sentences, covering every sentence of both sides exactly once
//! and in order, including 1–0 and 0–1 beads for sentences with no counterpart.
//!
//! The signals are lexical (the bundled CC-CEDICT link lexicon, dictionary pieces and
//! single characters, numbers, Latin-script tokens, pinyin of names, and IBM-1 links
//! learned on the document itself), sentence length, and a per-document prior over
//! bead shapes. See `ARCHITECTURE.md` for the model.
//!
//! ```
//! use tongwen_align::{align, AlignConfig, Segment};
//! use tongwen_text::{EnTokenizer, ZhTokenizer};
//! let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
//! let zh_side: Vec<Segment> = ["天津是一座大城市。", "何立峰去了北京。"].iter().map(|s| Segment::zh(&zh, s)).collect();
//! let en_side: Vec<Segment> = ["Tianjin is a big city.", "He Lifeng went", "to Beijing."].iter().map(|s| Segment::en(&en, s)).collect();
//! let beads = align(&zh_side, &en_side, &AlignConfig::standard());
//! let shapes: Vec<(usize, usize)> = beads.iter().map(|b| (b.zh.len(), b.en.len())).collect();
//! assert_eq!(shapes, [(1, 1), (1, 2)]);
//! ```
#![warn(missing_docs)]

mod band;
mod dp;
pub mod eval;
mod ibm1;
mod links;
mod model;
pub mod pairing;

use std::ops::Range;

use serde::Serialize;
use tongwen_lexicon::Lexicon;
use tongwen_text::{EnTokenizer, Token, TokenKind, ZhTokenizer};

use crate::band::{anchored_band, Band};
use crate::dp::{search, Cells, Found, Scorer};
pub use crate::links::translation_targets;
use crate::links::{LinkTable, Tier};
use crate::model::{ChanceRates, Model, TokenValues};

/// One sentence as the aligner sees it: comparison tokens and length in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Tokens from [`ZhTokenizer::tokenize`] or [`EnTokenizer::tokenize`].
    pub tokens: Vec<Token>,
    /// Non-whitespace characters of the sentence.
    pub length: usize,
}

impl Segment {
    /// A Chinese segment from normalized text.
    pub fn zh(tokenizer: &ZhTokenizer, normalized: &str) -> Segment {
        Segment {
            tokens: tokenizer.tokenize(normalized),
            length: visible_chars(normalized),
        }
    }

    /// An English segment from normalized text.
    pub fn en(tokenizer: &EnTokenizer, normalized: &str) -> Segment {
        Segment {
            tokens: tokenizer.tokenize(normalized),
            length: visible_chars(normalized),
        }
    }
}

fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// A group of consecutive Chinese sentences matched with a group of consecutive
/// English sentences (either group may be empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bead {
    /// Chinese sentence indices.
    pub zh: Range<usize>,
    /// English sentence indices.
    pub en: Range<usize>,
    /// Confidence in [0, 1] that the bead is right.
    pub score: f32,
    /// The bead deserves a reviewer's look.
    pub low_confidence: bool,
}

/// Parameters of the aligner. Use [`AlignConfig::standard`] unless measuring.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignConfig {
    /// Most Chinese sentences in one bead.
    pub max_zh: usize,
    /// Most English sentences in one bead.
    pub max_en: usize,
    /// Most sentences of both sides together in one bead.
    pub max_total: usize,
    /// Weight of a weak link (single characters, rare learned links) against a strong one.
    pub weak_link_weight: f32,
    /// Weight of the length term.
    pub length_weight: f32,
    /// Share of linkable tokens assumed to find their counterpart before it is measured.
    pub initial_recall: f32,
    /// Documents with at most this many DP cells are searched without a band.
    pub full_search_cells: usize,
    /// Sentences of slack around the anchors of the first pass.
    pub band_margin: usize,
    /// Sentences of slack around the previous pass's path in later passes.
    pub path_margin: usize,
    /// Alignment passes; each pass after the first re-estimates the model from the
    /// previous one (per-token recall, length ratio and variance, shape prior).
    pub passes: usize,
    /// Learn IBM-1 links from confident beads of the first pass.
    pub learn_links: bool,
    /// Beads scoring below this are flagged for review.
    pub low_confidence_below: f32,
    /// Weight of the cost of linkable tokens that find no counterpart in their bead, in
    /// the first pass. Kept low: before recall is measured, a missed match says little,
    /// and a high weight turns free renderings into spurious omissions.
    pub first_pass_miss_weight: f32,
    /// The same weight once per-token recall has been measured. Tokens are not
    /// independent witnesses, so their log-likelihoods are tempered.
    pub miss_weight: f32,
    /// Prior probability of a 1–0 or 0–1 bead before the document is measured.
    pub null_prior: f32,
    /// Pseudo-count of the default shape prior when re-estimating it per document.
    pub shape_prior_weight: f32,
}

impl AlignConfig {
    /// The configuration measured in `BENCHMARKS.md`.
    pub fn standard() -> AlignConfig {
        AlignConfig {
            max_zh: 6,
            max_en: 6,
            max_total: 8,
            weak_link_weight: 0.35,
            length_weight: 1.0,
            initial_recall: 0.4,
            full_search_cells: 400_000,
            band_margin: 8,
            path_margin: 4,
            passes: 3,
            learn_links: true,
            low_confidence_below: 0.5,
            first_pass_miss_weight: 0.25,
            miss_weight: 0.5,
            null_prior: 0.005,
            shape_prior_weight: 20.0,
        }
    }

    fn shapes(&self) -> Vec<(usize, usize)> {
        let mut shapes = vec![(1, 1), (1, 0), (0, 1)];
        for a in 1..=self.max_zh {
            for b in 1..=self.max_en {
                if (a, b) != (1, 1) && a + b <= self.max_total {
                    shapes.push((a, b));
                }
            }
        }
        shapes
    }
}

/// Prior probability of a bead shape before the document says otherwise: one-to-one
/// dominates, splits and merges of two follow, larger groups fall off quickly.
fn default_shape_prior(a: usize, b: usize, null_prior: f32) -> f32 {
    match (a, b) {
        (1, 1) => 0.6,
        (1, 0) | (0, 1) => null_prior,
        (1, 2) | (2, 1) => 0.08,
        (2, 2) => 0.015,
        (1, 3) | (3, 1) => 0.02,
        (2, 3) | (3, 2) | (1, 4) | (4, 1) => 0.005,
        _ => 0.0015 / ((a + b) as f32 - 4.0).max(1.0),
    }
}

/// Aligns `zh` with `en`. The beads cover both sides completely, in order.
pub fn align(zh: &[Segment], en: &[Segment], config: &AlignConfig) -> Vec<Bead> {
    if zh.is_empty() || en.is_empty() {
        return null_beads(zh.len(), en.len());
    }
    let zh_lengths: Vec<usize> = zh.iter().map(|s| s.length).collect();
    let en_lengths: Vec<usize> = en.iter().map(|s| s.length).collect();
    let mut table = LinkTable::build(
        zh.iter().map(|s| s.tokens.as_slice()),
        en.iter().map(|s| s.tokens.as_slice()),
        Lexicon::get(),
    );
    let shapes = config.shapes();
    // The first pass only has to find the neighbourhood of the path and measure the
    // document, so it considers beads of up to three sentences a side.
    let first_shapes: Vec<(usize, usize)> = shapes
        .iter()
        .copied()
        .filter(|&(a, b)| a <= 3 && b <= 3 && a + b <= 4)
        .collect();
    let (n, m) = (zh.len(), en.len());

    let total_zh: usize = zh_lengths.iter().sum();
    let total_en: usize = en_lengths.iter().sum();
    let length_ratio = (total_en.max(1) as f32 / total_zh.max(1) as f32).clamp(0.2, 20.0);
    let mut estimate = Estimate {
        zh_recall: vec![config.initial_recall; table.zh_tokens.len()],
        en_recall: vec![config.initial_recall; table.en_tokens.len()],
        length_ratio,
        length_variance: 2.0 * length_ratio,
        shape_log_prior: shapes
            .iter()
            .map(|&(a, b)| ((a, b), default_shape_prior(a, b, config.null_prior).ln()))
            .collect(),
    };

    let mut rates = ChanceRates::estimate(&table);
    let mut model = estimate.model(
        &table,
        &rates,
        &first_shapes,
        config.weak_link_weight,
        config.first_pass_miss_weight,
    );
    let full = (n + 1) * (m + 1) <= config.full_search_cells;
    let band = if full {
        Band::full(n, m)
    } else {
        let informative: Vec<bool> = rates
            .zh_strong
            .iter()
            .map(|&q| q > 0.0 && q < 0.1)
            .collect();
        connected(anchored_band(
            &table,
            &model.zh.strong,
            &informative,
            config.band_margin,
        ))
    };
    let (mut found, mut cells) = run(
        &table,
        &band,
        &model,
        &zh_lengths,
        &en_lengths,
        &first_shapes,
        config,
    );

    let mut band = band;
    for pass in 1..config.passes.max(1) {
        let pass_shapes = if pass == 1 { &first_shapes } else { &shapes };
        estimate.update(
            &table,
            &cells,
            &found,
            (&zh_lengths, &en_lengths),
            pass_shapes,
            config,
        );
        if config.learn_links && pass == 1 {
            learn_links(&mut table, &found);
            rates = ChanceRates::estimate(&table);
        }
        model = estimate.model(
            &table,
            &rates,
            &shapes,
            config.weak_link_weight,
            config.miss_weight,
        );
        if !full {
            band = connected(path_band(&found, n, m, config.path_margin));
        }
        (found, cells) = run(
            &table,
            &band,
            &model,
            &zh_lengths,
            &en_lengths,
            &shapes,
            config,
        );
    }
    found
        .into_iter()
        .map(|bead| {
            let sentences = (bead.zh.len() + bead.en.len()) as f64;
            let score = if bead.zh.is_empty() || bead.en.is_empty() {
                1.0 - nearest_coverage(&table, &cells, &bead)
            } else {
                // Calibrated on MAC-Dev: beads with more than about 6 units of evidence
                // per sentence are right nine times in ten, those below 3 barely half.
                let per_sentence = (bead.evidence.lexical + bead.evidence.length) / sentences;
                (1.0 / (1.0 + (-(per_sentence - 3.0) / 2.0).exp())) as f32
            };
            Bead {
                zh: bead.zh,
                en: bead.en,
                score,
                low_confidence: score < config.low_confidence_below,
            }
        })
        .collect()
}

/// For a null bead: the largest share of its sentence's translatable tokens that one
/// neighbouring sentence of the other side (two either way) could match. A high share
/// means the omission may really be a missed match.
fn nearest_coverage(table: &LinkTable, cells: &Cells, bead: &Found) -> f32 {
    let coverage = |hits: &[(u32, Tier)], size: usize| {
        let mut positions: Vec<u32> = hits.iter().map(|(p, _)| *p).collect();
        positions.sort_unstable();
        positions.dedup();
        positions.len() as f32 / size.max(1) as f32
    };
    let mut best = 0f32;
    if let Some(s) = bead.zh.clone().next() {
        let size = table.zh_sets[s]
            .iter()
            .filter(|&&t| table.zh_translatable[t as usize])
            .count();
        let at = bead.en.start;
        for e in at.saturating_sub(2)..(at + 2).min(table.en_sets.len()) {
            best = best.max(coverage(cells.zh_hits(s, e), size));
        }
    } else if let Some(e) = bead.en.clone().next() {
        let size = table.en_sets[e]
            .iter()
            .filter(|&&u| table.en_translatable[u as usize])
            .count();
        let at = bead.zh.start;
        for s in at.saturating_sub(2)..(at + 2).min(table.zh_sets.len()) {
            best = best.max(coverage(cells.en_hits(s, e), size));
        }
    }
    best.min(1.0)
}

fn null_beads(n: usize, m: usize) -> Vec<Bead> {
    let zh = (0..n).map(|s| Bead {
        zh: s..s + 1,
        en: 0..0,
        score: 1.0,
        low_confidence: false,
    });
    let en = (0..m).map(|e| Bead {
        zh: n..n,
        en: e..e + 1,
        score: 1.0,
        low_confidence: false,
    });
    zh.chain(en).collect()
}

fn run(
    table: &LinkTable,
    band: &Band,
    model: &Model,
    zh_lengths: &[usize],
    en_lengths: &[usize],
    shapes: &[(usize, usize)],
    config: &AlignConfig,
) -> (Vec<Found>, Cells) {
    let cells = Cells::build(table, band, config.max_zh, config.max_en);
    let scorer = Scorer::new(
        table,
        &cells,
        model,
        zh_lengths,
        en_lengths,
        config.weak_link_weight,
        config.length_weight,
    );
    let found = search(&scorer, band, shapes);
    (found, cells)
}

/// A band of `margin` sentences around a path of beads.
fn path_band(found: &[Found], n: usize, m: usize, margin: usize) -> Band {
    let mut lo = vec![m; n + 1];
    let mut hi = vec![0; n + 1];
    for bead in found {
        for i in bead.zh.start..=bead.zh.end {
            lo[i] = lo[i].min(bead.en.start.saturating_sub(margin));
            hi[i] = hi[i].max((bead.en.end + margin).min(m));
        }
    }
    // Widen along the Chinese side too, so that a bead may shift by `margin` rows.
    let window = |i: usize| i.saturating_sub(margin)..=(i + margin).min(n);
    let widened_lo = (0..=n)
        .map(|i| window(i).map(|k| lo[k]).min().unwrap_or(0))
        .collect();
    let widened_hi = (0..=n)
        .map(|i| window(i).map(|k| hi[k]).max().unwrap_or(m))
        .collect();
    Band {
        lo: widened_lo,
        hi: widened_hi,
    }
}

/// Makes a band usable by the search: monotone, starting at (0, 0), ending at (n, m),
/// and with each row reachable from the one before.
fn connected(mut band: Band) -> Band {
    let n = band.lo.len() - 1;
    let m = *band.hi.iter().max().unwrap_or(&0);
    band.lo[0] = 0;
    band.hi[n] = m;
    for i in 1..=n {
        band.lo[i] = band.lo[i].max(band.lo[i - 1]);
        band.hi[i] = band.hi[i].max(band.hi[i - 1]);
    }
    for i in 0..n {
        band.lo[i + 1] = band.lo[i + 1].min(band.hi[i]);
    }
    for i in 0..=n {
        band.lo[i] = band.lo[i].min(band.hi[i]);
    }
    band
}

/// Per-document quantities re-estimated between passes.
struct Estimate {
    zh_recall: Vec<f32>,
    en_recall: Vec<f32>,
    length_ratio: f32,
    length_variance: f32,
    shape_log_prior: Vec<((usize, usize), f32)>,
}

impl Estimate {
    fn model(
        &self,
        table: &LinkTable,
        rates: &ChanceRates,
        shapes: &[(usize, usize)],
        weak_weight: f32,
        miss_weight: f32,
    ) -> Model {
        Model {
            zh: TokenValues::new(
                (&rates.zh_strong, &rates.zh_any),
                &self.zh_recall,
                &table.zh_translatable,
                weak_weight,
                miss_weight,
            ),
            en: TokenValues::new(
                (&rates.en_strong, &rates.en_any),
                &self.en_recall,
                &table.en_translatable,
                weak_weight,
                miss_weight,
            ),
            length_ratio: self.length_ratio,
            length_variance: self.length_variance,
            shape_log_prior: shapes
                .iter()
                .map(|shape| {
                    self.shape_log_prior
                        .iter()
                        .find(|(s, _)| s == shape)
                        .map_or(f32::NEG_INFINITY, |(_, p)| *p)
                })
                .collect(),
        }
    }

    /// Learns from a pass: each token's recall in matched beads, the length ratio and
    /// its variance from confident beads, and the shape prior from the shapes found.
    fn update(
        &mut self,
        table: &LinkTable,
        cells: &Cells,
        found: &[Found],
        (zh_lengths, en_lengths): (&[usize], &[usize]),
        pass_shapes: &[(usize, usize)],
        config: &AlignConfig,
    ) {
        const PSEUDO: f32 = 3.0;
        let mut zh = Sightings::new(table.zh_tokens.len());
        let mut en = Sightings::new(table.en_tokens.len());
        for bead in found
            .iter()
            .filter(|b| !b.zh.is_empty() && !b.en.is_empty())
        {
            for s in bead.zh.clone() {
                zh.record(
                    &table.zh_sets[s],
                    bead.en.clone().flat_map(|e| cells.zh_hits(s, e)),
                );
            }
            for e in bead.en.clone() {
                en.record(
                    &table.en_sets[e],
                    bead.zh.clone().flat_map(|s| cells.en_hits(s, e)),
                );
            }
        }
        let (zh_seen, zh_hit, en_seen, en_hit) = (zh.seen, zh.hit, en.seen, en.hit);
        let smooth = |seen: &[f32], hit: &[f32], out: &mut Vec<f32>| {
            let (total_seen, total_hit): (f32, f32) = seen
                .iter()
                .zip(hit)
                .filter(|(s, _)| **s > 0.0)
                .fold((0.0, 0.0), |acc, (s, h)| (acc.0 + s, acc.1 + h));
            let overall = if total_seen > 0.0 {
                (total_hit / total_seen).clamp(0.05, 0.9)
            } else {
                config.initial_recall
            };
            for (k, slot) in out.iter_mut().enumerate() {
                *slot = (hit[k] + PSEUDO * overall) / (seen[k] + PSEUDO);
            }
        };
        smooth(&zh_seen, &zh_hit, &mut self.zh_recall);
        smooth(&en_seen, &en_hit, &mut self.en_recall);

        let mut confident: Vec<&Found> = found
            .iter()
            .filter(|b| !b.zh.is_empty() && !b.en.is_empty())
            .collect();
        confident.sort_by(|a, b| per_sentence(b).total_cmp(&per_sentence(a)));
        confident.truncate(confident.len().div_ceil(2));
        let lengths = |b: &Found| -> (f32, f32) {
            (
                zh_lengths[b.zh.clone()].iter().sum::<usize>() as f32,
                en_lengths[b.en.clone()].iter().sum::<usize>() as f32,
            )
        };
        if confident.len() >= 5 {
            let (sum_zh, sum_en) = confident
                .iter()
                .map(|b| lengths(b))
                .fold((0.0, 0.0), |acc, (z, e)| (acc.0 + z, acc.1 + e));
            let ratio = (sum_en.max(1.0) / sum_zh.max(1.0)).clamp(0.2, 20.0);
            let variance = confident
                .iter()
                .map(|b| {
                    let (z, e) = lengths(b);
                    (e - ratio * z).powi(2) / ((ratio * z + e) / 2.0 + 1.0)
                })
                .sum::<f32>()
                / confident.len() as f32;
            self.length_ratio = ratio;
            self.length_variance = variance.clamp(0.5 * ratio, 20.0 * ratio);
        }

        // Only the shapes the pass could produce are re-estimated, sharing the prior
        // mass they had; the others keep their default share.
        let shapes = config.shapes();
        let prior_total: f32 = shapes
            .iter()
            .map(|&(a, b)| default_shape_prior(a, b, config.null_prior))
            .sum();
        let prior = |a: usize, b: usize| default_shape_prior(a, b, config.null_prior) / prior_total;
        let available_mass: f32 = pass_shapes.iter().map(|&(a, b)| prior(a, b)).sum();
        let mut counts = vec![0f32; pass_shapes.len()];
        for bead in found {
            if let Some(k) = pass_shapes
                .iter()
                .position(|&s| s == (bead.zh.len(), bead.en.len()))
            {
                counts[k] += 1.0;
            }
        }
        let weight = config.shape_prior_weight;
        let total: f32 = counts.iter().sum::<f32>() + weight * available_mass;
        for (shape, log_prior) in self.shape_log_prior.iter_mut() {
            let (a, b) = *shape;
            *log_prior = match pass_shapes.iter().position(|s| s == shape) {
                Some(k) => ((counts[k] + weight * prior(a, b)) / total * available_mass).ln(),
                None => prior(a, b).ln(),
            };
        }
    }
}

/// How often each token was seen in a non-null bead, and how much of that it found a
/// counterpart (a weak link counting half).
struct Sightings {
    seen: Vec<f32>,
    hit: Vec<f32>,
}

impl Sightings {
    fn new(tokens: usize) -> Sightings {
        Sightings {
            seen: vec![0.0; tokens],
            hit: vec![0.0; tokens],
        }
    }

    /// Records one sentence (its token set) and the matches its tokens found.
    fn record<'a>(&mut self, set: &[u32], hits: impl Iterator<Item = &'a (u32, Tier)>) {
        let mut best = vec![0u8; set.len()];
        for &(p, tier) in hits {
            best[p as usize] = best[p as usize].max(tier as u8);
        }
        for (p, &id) in set.iter().enumerate() {
            self.seen[id as usize] += 1.0;
            self.hit[id as usize] += tier_credit(best[p]);
        }
    }
}

fn tier_credit(tier: u8) -> f32 {
    match tier {
        2 => 1.0,
        1 => 0.5,
        _ => 0.0,
    }
}

fn per_sentence(bead: &Found) -> f64 {
    (bead.evidence.lexical + bead.evidence.length) / (bead.zh.len() + bead.en.len()) as f64
}

/// Adds IBM-1 links learned from the more confident half of the beads found.
fn learn_links(table: &mut LinkTable, found: &[Found]) {
    let mut confident: Vec<&Found> = found
        .iter()
        .filter(|b| !b.zh.is_empty() && !b.en.is_empty())
        .collect();
    confident.sort_by(|a, b| per_sentence(b).total_cmp(&per_sentence(a)));
    confident.truncate(confident.len().div_ceil(2));
    let words = |sets: &[Vec<u32>], tokens: &[Token], range: Range<usize>| {
        let mut ids: Vec<u32> = range
            .flat_map(|k| sets[k].iter().copied())
            .filter(|&id| tokens[id as usize].kind == TokenKind::Word)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let beads: Vec<(Vec<u32>, Vec<u32>)> = confident
        .iter()
        .map(|b| {
            (
                words(&table.zh_sets, &table.zh_tokens, b.zh.clone()),
                words(&table.en_sets, &table.en_tokens, b.en.clone()),
            )
        })
        .collect();
    for (t, u, p) in ibm1::learn(&beads, 3, 0.2, 5) {
        let tier = if p >= 0.5 { Tier::Strong } else { Tier::Weak };
        table.add_link(t, u, tier);
    }
}

#[cfg(test)]
mod tests;
