//! Where the alignment path may run: anchors from rare shared vocabulary, chained
//! monotonically, and a band around them.

use crate::links::{LinkTable, Tier};

/// For each DP row `i` (Chinese sentences consumed), the inclusive range of English
/// sentence counts `j` the path may take. Ranges never shrink from one row to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
}

impl Band {
    pub fn full(zh_len: usize, en_len: usize) -> Band {
        Band {
            lo: vec![0; zh_len + 1],
            hi: vec![en_len; zh_len + 1],
        }
    }

    pub fn contains(&self, i: usize, j: usize) -> bool {
        i < self.lo.len() && self.lo[i] <= j && j <= self.hi[i]
    }
}

/// Most English sentences searched on either side of the proportional diagonal.
const MAX_HALF_WINDOW: usize = 2_500;

/// Most DP cells the band may open between two consecutive anchors.
const MAX_STRETCH_CELLS: usize = 250_000;

/// Candidate 1–1 pairs: for each Chinese sentence, the English sentences sharing the
/// most informative links with it, found through an inverted index.
fn candidates(
    table: &LinkTable,
    token_value: &[f32],
    informative: &[bool],
    per_sentence: usize,
) -> Vec<(usize, usize, f32)> {
    let (n, m) = (table.zh_sets.len(), table.en_sets.len());
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); table.en_tokens.len()];
    for (e, set) in table.en_sets.iter().enumerate() {
        for &u in set {
            postings[u as usize].push(e as u32);
        }
    }
    // Wide enough for uneven omissions in condensed translations, bounded so that the
    // search stays linear in document length.
    let half_window = (m * 2 / 5).clamp(200, MAX_HALF_WINDOW);
    let mut accumulated = vec![0f32; m];
    let mut touched: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (s, set) in table.zh_sets.iter().enumerate() {
        let centre = (s * m).checked_div(n).unwrap_or(0);
        let (from, to) = (
            centre.saturating_sub(half_window),
            (centre + half_window).min(m),
        );
        for &t in set {
            if !informative[t as usize] {
                continue;
            }
            for &(u, tier) in &table.links[t as usize] {
                if tier != Tier::Strong {
                    continue;
                }
                let list = &postings[u as usize];
                let start = list.partition_point(|&e| (e as usize) < from);
                for &e in &list[start..] {
                    let e = e as usize;
                    if e >= to {
                        break;
                    }
                    if accumulated[e] == 0.0 {
                        touched.push(e);
                    }
                    accumulated[e] += token_value[t as usize];
                }
            }
        }
        if touched.len() > per_sentence {
            touched.select_nth_unstable_by(per_sentence, |a, b| {
                accumulated[*b].total_cmp(&accumulated[*a])
            });
        }
        for &e in touched.iter().take(per_sentence) {
            out.push((s, e, accumulated[e]));
        }
        for &e in &touched {
            accumulated[e] = 0.0;
        }
        touched.clear();
    }
    out
}

/// The heaviest chain of candidates increasing on both sides (a weighted longest
/// increasing subsequence, with a Fenwick tree of prefix maxima over English indices).
fn chain(candidates: &[(usize, usize, f32)], en_len: usize) -> Vec<(usize, usize)> {
    let mut tree: Vec<(f32, usize)> = vec![(0.0, usize::MAX); en_len + 1];
    let mut best_before: Vec<(f32, usize)> = vec![(0.0, usize::MAX); candidates.len()];
    let query = |tree: &Vec<(f32, usize)>, mut k: usize| {
        let mut best = (0.0f32, usize::MAX);
        while k > 0 {
            if tree[k].0 > best.0 {
                best = tree[k];
            }
            k &= k - 1;
        }
        best
    };
    let mut start = 0;
    while start < candidates.len() {
        let s = candidates[start].0;
        let end = candidates[start..]
            .iter()
            .position(|c| c.0 != s)
            .map_or(candidates.len(), |p| start + p);
        for k in start..end {
            let (_, e, score) = candidates[k];
            let prev = query(&tree, e);
            best_before[k] = (prev.0 + score, prev.1);
        }
        for (k, &(_, e, _)) in candidates.iter().enumerate().take(end).skip(start) {
            let mut pos = e + 1;
            while pos <= en_len {
                if best_before[k].0 > tree[pos].0 {
                    tree[pos] = (best_before[k].0, k);
                }
                pos += pos & pos.wrapping_neg();
            }
        }
        start = end;
    }
    let mut k =
        (0..candidates.len()).max_by(|a, b| best_before[*a].0.total_cmp(&best_before[*b].0));
    let mut path = Vec::new();
    while let Some(at) = k.filter(|&at| at != usize::MAX) {
        path.push((candidates[at].0, candidates[at].1));
        k = Some(best_before[at].1);
    }
    path.reverse();
    path
}

/// A band around the anchor chain: between two anchors the path may take any route
/// through their rectangle, widened by `margin` sentences on each side.
pub(crate) fn anchored_band(
    table: &LinkTable,
    token_value: &[f32],
    informative: &[bool],
    margin: usize,
) -> Band {
    let (n, m) = (table.zh_sets.len(), table.en_sets.len());
    let candidates = candidates(table, token_value, informative, 3);
    let anchors = chain(&candidates, m);
    let mut lo = vec![0usize; n + 1];
    let mut hi = vec![m; n + 1];
    // Anchor (s, e) means the path passes from (s, e) to (s + 1, e + 1).
    let mut points: Vec<(usize, usize)> = vec![(0, 0)];
    points.extend(anchors.iter().map(|&(s, e)| (s + 1, e + 1)));
    points.push((n, m));
    for pair in points.windows(2) {
        let ((i0, j0), (i1, j1)) = (pair[0], pair[1]);
        let (i0, i1) = (i0.saturating_sub(1), i1.min(n));
        // A long stretch without anchors (text the lexicon cannot tell apart, such as
        // the same sentence over and over) would make the whole rectangle searchable;
        // beyond a budget of cells the path is kept to a corridor along the
        // stretch's diagonal, so cost stays linear in the stretch's length.
        let (rows, columns) = (i1 - i0, j1.saturating_sub(j0));
        let corridor = ((rows + 1) * (columns + 1) > MAX_STRETCH_CELLS)
            .then(|| (MAX_STRETCH_CELLS / (rows + columns + 1)).max(margin));
        for i in i0..=i1 {
            let (mut low, mut high) = (j0.saturating_sub(1 + margin), (j1 + margin).min(m));
            if let Some(width) = corridor {
                let centre = j0 + (i - i0) * columns / rows.max(1);
                low = low.max(centre.saturating_sub(width));
                high = high.min(centre + width);
            }
            lo[i] = if i == i0 && i0 > 0 {
                lo[i].min(low)
            } else {
                low
            };
            hi[i] = high;
        }
    }
    for i in 1..=n {
        lo[i] = lo[i].max(lo[i - 1]).min(m);
    }
    for i in (0..n).rev() {
        hi[i] = hi[i].min(hi[i + 1]);
    }
    for i in 0..=n {
        if lo[i] > hi[i] {
            lo[i] = hi[i];
        }
    }
    lo[0] = 0;
    hi[n] = m;
    Band { lo, hi }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_is_increasing_and_heaviest() {
        let candidates = vec![
            (0, 0, 1.0),
            (0, 5, 0.5),
            (1, 1, 1.0),
            (2, 0, 5.0),
            (3, 3, 1.0),
            (4, 4, 1.0),
        ];
        // (2, 0) alone outweighs the two small pairs it excludes.
        assert_eq!(chain(&candidates, 6), vec![(2, 0), (3, 3), (4, 4)]);
    }

    #[test]
    fn a_stretch_without_anchors_opens_a_corridor_not_the_rectangle() {
        use tongwen_text::{EnTokenizer, ZhTokenizer};
        let (zh_tokenizer, en_tokenizer) = (ZhTokenizer::new(), EnTokenizer::new());
        let n = 3_000;
        let zh = vec![zh_tokenizer.tokenize("推动高质量发展。"); n];
        let en = vec![en_tokenizer.tokenize("Promote high-quality development."); n];
        let table = LinkTable::build(
            zh.iter().map(Vec::as_slice),
            en.iter().map(Vec::as_slice),
            tongwen_lexicon::Lexicon::get(),
        );
        // Every token is in every sentence: none is informative, so nothing anchors.
        let informative = vec![false; table.zh_tokens.len()];
        let values = vec![1.0; table.zh_tokens.len()];
        let band = anchored_band(&table, &values, &informative, 8);
        let cells: usize = (0..=n).map(|i| band.hi[i] + 1 - band.lo[i]).sum();
        assert!(cells <= 2 * MAX_STRETCH_CELLS, "{cells} cells");
        assert!(band.contains(n / 2, n / 2), "the diagonal stays open");
    }
}
