//! The scoring model: what a bead is worth, as a log-likelihood ratio of "these
//! sentences translate each other" against "they met by chance".
//!
//! A linkable token (one with some possible counterpart in the other document) that
//! finds a counterpart inside the bead gains `ln(r / (q (1 - r))) - ln n`, where `r` is
//! how often the token finds its counterpart in a true bead, `q` how often it would in
//! a random sentence, and `n` the size of the other side in average sentences (the
//! chance correction that keeps merged beads honest). Every linkable token also
//! contributes `ln(1 - r)`, so a sentence full of unmatched content costs more to
//! merge than to leave as a 1–0 bead. A Gale–Church length term and a prior over bead
//! shapes complete the score; null beads score their prior only.

use crate::links::{LinkTable, Tier};

/// What each token id of one side is worth.
#[derive(Debug, Clone)]
pub(crate) struct TokenValues {
    /// Match value through a strong link.
    pub strong: Vec<f32>,
    /// Match value through a weak link.
    pub weak: Vec<f32>,
    /// Tempered `ln(1 - r)`; 0 for tokens nothing can translate.
    pub miss: Vec<f32>,
}

/// Per-document parameters, re-estimated after each pass.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub zh: TokenValues,
    pub en: TokenValues,
    /// English characters per Chinese character.
    pub length_ratio: f32,
    /// Variance of the length difference per unit of length.
    pub length_variance: f32,
    /// Log prior of each bead shape, in the order of the search's shape list.
    pub shape_log_prior: Vec<f32>,
}

/// How often each token of one side finds a counterpart in a random sentence of the
/// other side, for strong links and for all links.
pub(crate) struct ChanceRates {
    pub zh_strong: Vec<f32>,
    pub zh_any: Vec<f32>,
    pub en_strong: Vec<f32>,
    pub en_any: Vec<f32>,
}

/// Weight, in sentences, of the background rate in every chance estimate.
const CHANCE_PSEUDO_SENTENCES: f32 = 2.0;
/// Chance that a content word's translation occurs in a random sentence.
const BACKGROUND_CHANCE: f32 = 0.02;

impl ChanceRates {
    pub fn estimate(table: &LinkTable) -> ChanceRates {
        let df = |sets: &[Vec<u32>], size: usize| {
            let mut df = vec![0u32; size];
            for set in sets {
                for &id in set {
                    df[id as usize] += 1;
                }
            }
            df
        };
        let zh_df = df(&table.zh_sets, table.zh_tokens.len());
        let en_df = df(&table.en_sets, table.en_tokens.len());
        let (n, m) = (
            table.zh_sets.len().max(1) as f32,
            table.en_sets.len().max(1) as f32,
        );
        let mut rates = ChanceRates {
            zh_strong: vec![0.0; table.zh_tokens.len()],
            zh_any: vec![0.0; table.zh_tokens.len()],
            en_strong: vec![0.0; table.en_tokens.len()],
            en_any: vec![0.0; table.en_tokens.len()],
        };
        for (t, links) in table.links.iter().enumerate() {
            for &(u, tier) in links {
                let u = u as usize;
                let (zh_weight, en_weight) = (en_df[u] as f32, zh_df[t] as f32);
                rates.zh_any[t] += zh_weight;
                rates.en_any[u] += en_weight;
                if tier == Tier::Strong {
                    rates.zh_strong[t] += zh_weight;
                    rates.en_strong[u] += en_weight;
                }
            }
        }
        // Occurrence counts become rates smoothed towards a background rate, so that a
        // document of a handful of sentences does not make every match look certain to
        // happen by chance.
        let smooth = |rate: &mut Vec<f32>, sentences: f32| {
            for q in rate.iter_mut() {
                if *q > 0.0 {
                    *q = ((*q + CHANCE_PSEUDO_SENTENCES * BACKGROUND_CHANCE)
                        / (sentences + CHANCE_PSEUDO_SENTENCES))
                        .min(0.95);
                }
            }
        };
        smooth(&mut rates.zh_strong, m);
        smooth(&mut rates.zh_any, m);
        smooth(&mut rates.en_strong, n);
        smooth(&mut rates.en_any, n);
        rates
    }
}

/// Match value `ln(r / (q (1 - r)))` with `w` for weak links, clipped to stay a gain.
pub(crate) fn match_value(recall: f32, chance: f32, weight: f32) -> f32 {
    if chance <= 0.0 {
        return 0.0;
    }
    let recall = recall.clamp(0.02, 0.95);
    (weight * ((recall / (chance.max(1e-4) * (1.0 - recall))).ln())).clamp(0.0, 12.0)
}

impl TokenValues {
    /// Values of one side's tokens from their chance rates (strong links, all links),
    /// their recall and whether anything can translate them.
    pub fn new(
        chance: (&[f32], &[f32]),
        recall: &[f32],
        translatable: &[bool],
        weak_weight: f32,
        miss_weight: f32,
    ) -> TokenValues {
        let (strong, any) = chance;
        let mut values = TokenValues {
            strong: Vec::with_capacity(strong.len()),
            weak: Vec::with_capacity(strong.len()),
            miss: Vec::with_capacity(strong.len()),
        };
        for k in 0..strong.len() {
            let r = recall[k];
            values.strong.push(match_value(r, strong[k], 1.0));
            values.weak.push(match_value(r, any[k], weak_weight));
            let counts = translatable[k] || any[k] > 0.0;
            values.miss.push(if counts {
                miss_weight * (1.0 - r.clamp(0.0, 0.95)).ln()
            } else {
                0.0
            });
        }
        values
    }
}
