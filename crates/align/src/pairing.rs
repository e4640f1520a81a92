//! Document pairing: which English document is the version of which Chinese one.
//!
//! Every document becomes a vector over English-side keys — stems, numbers, name keys
//! — the Chinese side through the same link targets the aligner uses (strong links
//! only, each token's weight shared among its targets). Keys are weighted by
//! sublinear frequency and inverse document frequency over both sides, vectors are
//! compared by cosine through an inverted index. A candidate pair's standing is how
//! far its similarity rises above each document's similarities to all the others
//! (in standard deviations); pairs are accepted greedily from the most outstanding
//! down, each document at most once, above minimum similarity and standing. (Raw
//! similarity is no guide to which candidate wins: a long "hub" document is close to
//! everything.) Candidates are meant to be verified by aligning them
//! (see `tongwen-app`), which tells a version from a look-alike.

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use tongwen_lexicon::Lexicon;
use tongwen_text::{Token, TokenKind};

use crate::links::{for_each_target, Tier};

/// Thresholds of [`pair_documents`].
#[derive(Debug, Clone, PartialEq)]
pub struct PairingConfig {
    /// Least cosine similarity of a pair.
    pub min_similarity: f32,
    /// Least standing of a pair: how many standard deviations its similarity lies above
    /// each document's similarities to the other documents.
    pub min_standing: f32,
    /// Least number of keys the two documents share: one rare word in common makes
    /// two short texts look alike without making them versions of each other.
    pub min_shared_keys: u32,
}

impl PairingConfig {
    /// The configuration measured in `BENCHMARKS.md`.
    pub fn standard() -> PairingConfig {
        PairingConfig {
            min_similarity: 0.05,
            min_standing: 1.5,
            min_shared_keys: 4,
        }
    }
}

/// A pair found: indices into the Chinese and English document lists.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FoundPair {
    /// Chinese document index.
    pub zh: usize,
    /// English document index.
    pub en: usize,
    /// Cosine similarity in [0, 1].
    pub score: f32,
}

type Vector = Vec<(u32, f32)>;

/// Answers, for a batch of candidate pairs (Chinese index, English index), which are
/// really versions of each other.
pub type Verifier<'a> = dyn FnMut(&[(usize, usize)]) -> Vec<bool> + 'a;

/// Candidates verified at a time: enough to keep every core busy.
const VERIFY_BATCH: usize = 32;

struct Keys {
    ids: HashMap<Token, u32>,
}

impl Keys {
    fn id(&mut self, token: Token) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(token).or_insert(next)
    }
}

/// Pairs Chinese documents with English documents, each given as all its tokens.
/// `verify` receives batches of candidate pairs (Chinese index, English index) in
/// rank order and answers for each whether it really is a pair; only verified pairs
/// take their documents.
pub fn pair_documents(
    zh: &[Vec<Token>],
    en: &[Vec<Token>],
    config: &PairingConfig,
    verify: &mut Verifier,
) -> Vec<FoundPair> {
    if zh.is_empty() || en.is_empty() {
        return Vec::new();
    }
    let lexicon = Lexicon::get();
    let mut keys = Keys {
        ids: HashMap::default(),
    };
    let en_counts: Vec<HashMap<u32, f32>> = en
        .iter()
        .map(|tokens| {
            let mut counts = HashMap::default();
            for token in tokens.iter().filter(|t| t.kind != TokenKind::Mark) {
                *counts.entry(keys.id(token.clone())).or_insert(0.0) += 1.0;
            }
            counts
        })
        .collect();
    // Each distinct Chinese token's targets among the English keys, computed once.
    let mut targets: HashMap<Token, Vec<u32>> = HashMap::default();
    let zh_counts: Vec<HashMap<u32, f32>> = zh
        .iter()
        .map(|tokens| {
            let mut counts = HashMap::default();
            for token in tokens.iter().filter(|t| t.kind != TokenKind::Mark) {
                let found = targets.entry(token.clone()).or_insert_with(|| {
                    let mut found = Vec::new();
                    for_each_target(token, lexicon, |kind, text, tier| {
                        if tier == Tier::Strong {
                            if let Some(&id) = keys.ids.get(&Token {
                                kind,
                                text: text.to_string(),
                            }) {
                                found.push(id);
                            }
                        }
                    });
                    found.sort_unstable();
                    found.dedup();
                    found
                });
                let share = 1.0 / found.len().max(1) as f32;
                for &id in found.iter() {
                    *counts.entry(id).or_insert(0.0) += share;
                }
            }
            counts
        })
        .collect();
    let key_count = keys.ids.len();
    let mut document_frequency = vec![0u32; key_count];
    for counts in en_counts.iter().chain(&zh_counts) {
        for &id in counts.keys() {
            document_frequency[id as usize] += 1;
        }
    }
    let documents = (zh.len() + en.len()) as f32;
    let idf: Vec<f32> = document_frequency
        .iter()
        .map(|&df| (1.0 + documents / df.max(1) as f32).ln())
        .collect();
    // Keys in more than half the documents of a real collection say nothing about
    // which goes with which; a handful of documents is too few to tell.
    let useful =
        |id: u32| documents < 10.0 || (document_frequency[id as usize] as f32) < documents / 2.0;
    let vectorize = |counts: &HashMap<u32, f32>| -> Vector {
        let mut vector: Vector = counts
            .iter()
            .filter(|(id, _)| useful(**id))
            .map(|(&id, &tf)| (id, tf.sqrt() * idf[id as usize]))
            .collect();
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        vector
    };
    let en_vectors: Vec<Vector> = en_counts.iter().map(vectorize).collect();
    let zh_vectors: Vec<Vector> = zh_counts.iter().map(vectorize).collect();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); key_count];
    for (e, vector) in en_vectors.iter().enumerate() {
        for &(id, w) in vector {
            postings[id as usize].push((e as u32, w));
        }
    }
    // Similarities of every Chinese document with its best English candidates.
    const CANDIDATES: usize = 8;
    let mut candidates: Vec<(usize, usize, f32)> = Vec::new();
    let mut scores = vec![0f32; en.len()];
    let mut shared = vec![0u32; en.len()];
    // Each document's similarities to all others it shares keys with, as sum, sum of
    // squares and count: the background a true pair must stand out from.
    let mut zh_stats = vec![(0f32, 0f32, 0f32); zh.len()];
    let mut en_stats = vec![(0f32, 0f32, 0f32); en.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (z, vector) in zh_vectors.iter().enumerate() {
        for &(id, w) in vector {
            for &(e, we) in &postings[id as usize] {
                let e = e as usize;
                if scores[e] == 0.0 {
                    touched.push(e);
                }
                scores[e] += w * we;
                shared[e] += 1;
            }
        }
        touched.retain(|&e| {
            let keep = shared[e] >= config.min_shared_keys;
            if !keep {
                scores[e] = 0.0;
            }
            shared[e] = 0;
            keep
        });
        for &e in &touched {
            let v = scores[e];
            for stats in [&mut zh_stats[z], &mut en_stats[e]] {
                stats.0 += v;
                stats.1 += v * v;
                stats.2 += 1.0;
            }
        }
        touched.sort_unstable_by(|a, b| scores[*b].total_cmp(&scores[*a]));
        for &e in touched.iter().take(CANDIDATES) {
            candidates.push((z, e, scores[e]));
        }
        for &e in &touched {
            scores[e] = 0.0;
        }
        touched.clear();
    }
    let standing = |stats: (f32, f32, f32), s: f32| {
        // Leave the pair's own similarity out of its background.
        let (sum, squares, n) = (stats.0 - s, stats.1 - s * s, stats.2 - 1.0);
        if n < 2.0 {
            return f32::INFINITY;
        }
        let mean = sum / n;
        let spread = (squares / n - mean * mean).max(1e-6).sqrt();
        (s - mean) / spread
    };
    // Most outstanding first: a pair's standing is the lesser of how far it rises above
    // each document's similarities to everything else.
    let mut ranked: Vec<(usize, usize, f32, f32)> = candidates
        .iter()
        .map(|&(z, e, s)| {
            (
                z,
                e,
                s,
                standing(zh_stats[z], s).min(standing(en_stats[e], s)),
            )
        })
        .collect();
    ranked.sort_by(|a, b| b.3.total_cmp(&a.3).then(b.2.total_cmp(&a.2)));
    let eligible: Vec<(usize, usize, f32)> = ranked
        .into_iter()
        .filter(|&(_, _, s, standing)| {
            s >= config.min_similarity && standing >= config.min_standing
        })
        .map(|(z, e, s, _)| (z, e, s))
        .collect();
    let (mut zh_taken, mut en_taken) = (vec![false; zh.len()], vec![false; en.len()]);
    let mut pairs = Vec::new();
    let mut next = 0;
    while next < eligible.len() {
        // The next candidates whose documents are still free, verified together.
        let mut batch = Vec::new();
        while next < eligible.len() && batch.len() < VERIFY_BATCH {
            let (z, e, _) = eligible[next];
            if !zh_taken[z] && !en_taken[e] {
                batch.push(next);
            }
            next += 1;
        }
        let pairs_to_verify: Vec<(usize, usize)> = batch
            .iter()
            .map(|&k| (eligible[k].0, eligible[k].1))
            .collect();
        let verdicts = verify(&pairs_to_verify);
        for (&k, verified) in batch.iter().zip(verdicts) {
            let (z, e, s) = eligible[k];
            if verified && !zh_taken[z] && !en_taken[e] {
                zh_taken[z] = true;
                en_taken[e] = true;
                pairs.push(FoundPair {
                    zh: z,
                    en: e,
                    score: s.min(1.0),
                });
            }
        }
    }
    pairs.sort_by_key(|p| (p.zh, p.en));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongwen_text::{EnTokenizer, ZhTokenizer};

    #[test]
    fn pairs_versions_and_leaves_strays() {
        let (zt, et) = (ZhTokenizer::new(), EnTokenizer::new());
        let zh: Vec<Vec<Token>> = [
            "大运河文化节在杭州开幕,运河全长三千二百公里。",
            "何立峰在天津出席国家级经济技术开发区座谈会。",
            "今天北京下了大雪,气温很低。",
        ]
        .iter()
        .map(|t| zt.tokenize(t))
        .collect();
        let en: Vec<Vec<Token>> = [
            "He Lifeng attended a symposium on state-level economic and technological development zones in Tianjin.",
            "The Grand Canal culture festival opened in Hangzhou; the canal is 3,200 km long.",
            "A football match ended in a draw after extra time.",
        ]
        .iter()
        .map(|t| et.tokenize(t))
        .collect();
        let pairs = pair_documents(&zh, &en, &PairingConfig::standard(), &mut |batch| {
            vec![true; batch.len()]
        });
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.zh, p.en)).collect();
        assert_eq!(found, vec![(0, 1), (1, 0)]);
    }
}
