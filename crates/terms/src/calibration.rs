//! A mined pair's score: the estimated probability that a terminologist accepts it as
//! listed, from its evidence ([`PairSignals`]) and its shape, by logistic regression.
//!
//! The weights are fitted by `scripts/fit_calibration.py` on the hand-built gold lists
//! and judgements in `tests/data/mining` (see BENCHMARKS.md for the reliability table:
//! score bins against the precision observed in them). The script reads the feature
//! list and the weights from this file and checks that it reproduces the scores `mine`
//! printed before fitting, so the two cannot drift apart.

use crate::{PairSignals, TermPair};

/// The features, in the order of [`WEIGHTS`]; `fit_calibration.py` mirrors them.
fn features(pair: &TermPair) -> [f32; FEATURES] {
    let signals: &PairSignals = &pair.signals;
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let chars = pair.zh.chars().count() as f32;
    let english_words = pair.en.split_whitespace().count() as f32;
    [
        1.0,
        signals.agreement,
        flag(signals.agreement >= WHOLE_AGREEMENT),
        flag(signals.from_gap),
        signals.consistency,
        signals.support.max(0.0).ln_1p(),
        signals.share.min(1.0),
        flag(signals.spelled),
        flag(signals.dictionary_word),
        flag(pair.name),
        pair.termhood.max(0.0).ln_1p(),
        chars.ln(),
        english_words.max(1.0).ln(),
    ]
}

const FEATURES: usize = 13;

/// Agreement from which the lexicon explains the whole of both sides: a pair below
/// it leaves a word on one side unexplained, which is what most wrong pairs do.
const WHOLE_AGREEMENT: f32 = 0.999;

/// Fitted weights: intercept, agreement, whole agreement, read off a gap,
/// consistency, ln(1 + support), share, spelled, dictionary word, name,
/// ln(1 + termhood), ln(Chinese characters), ln(English words). Doubtful alignment
/// enters through the support (each bead weighed by its confidence) and the ceiling
/// below, not as a feature: the gold corpora hold too few flagged beads to fit one.
const WEIGHTS: [f32; FEATURES] = [
    -3.400, 0.228, 1.284, 1.510, 0.861, 0.839, 0.237, -0.083, 0.591, 1.004, -0.067, -0.298, 0.509,
];

/// Highest score of a pair seen only in beads flagged for review: the alignment
/// itself is in doubt, so its evidence cannot make the pair likely.
const FLAGGED_ONLY_CEILING: f32 = 0.5;

/// The score is kept inside (LOWEST, HIGHEST): no mined pair is certain, and none is
/// so hopeless that it must vanish from the list.
const LOWEST: f32 = 0.01;
const HIGHEST: f32 = 0.99;

/// The estimated probability that a terminologist accepts `pair`.
pub(crate) fn acceptance(pair: &TermPair) -> f32 {
    let z: f32 = features(pair).iter().zip(WEIGHTS).map(|(x, w)| x * w).sum();
    let mut p = 1.0 / (1.0 + (-z).exp());
    if pair.signals.flagged_share >= 1.0 {
        p = p.min(FLAGGED_ONLY_CEILING);
    }
    p.clamp(LOWEST, HIGHEST)
}
