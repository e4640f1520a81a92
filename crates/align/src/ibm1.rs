//! IBM Model 1 translation probabilities learned from the document's own confident
//! beads, to link words the dictionary misses (transliterated names, set phrases).

use rustc_hash::FxHashMap as HashMap;

/// Learns p(en | zh) by expectation–maximization over `beads` (Chinese ids, English
/// ids) and returns the pairs that co-occur in at least `min_count` beads with
/// probability at least `min_probability`, each with its probability.
pub(crate) fn learn(
    beads: &[(Vec<u32>, Vec<u32>)],
    min_count: u32,
    min_probability: f32,
    iterations: usize,
) -> Vec<(u32, u32, f32)> {
    let mut cooccurrence: HashMap<(u32, u32), u32> = HashMap::default();
    for (zh, en) in beads {
        for &t in zh {
            for &u in en {
                *cooccurrence.entry((t, u)).or_default() += 1;
            }
        }
    }
    cooccurrence.retain(|_, count| *count >= min_count);
    if cooccurrence.is_empty() {
        return Vec::new();
    }
    // Uniform start over the surviving pairs; a NULL word with a fixed share absorbs
    // what no pair explains.
    let mut probability: HashMap<(u32, u32), f64> =
        cooccurrence.keys().map(|&k| (k, 1.0)).collect();
    let null_probability = 0.2;
    for _ in 0..iterations {
        let mut counts: HashMap<(u32, u32), f64> = HashMap::default();
        let mut totals: HashMap<u32, f64> = HashMap::default();
        for (zh, en) in beads {
            for &u in en {
                let mut denominator = null_probability;
                for &t in zh {
                    denominator += probability.get(&(t, u)).copied().unwrap_or(0.0);
                }
                for &t in zh {
                    if let Some(&p) = probability.get(&(t, u)) {
                        let share = p / denominator;
                        *counts.entry((t, u)).or_default() += share;
                        *totals.entry(t).or_default() += share;
                    }
                }
            }
        }
        for (key, p) in probability.iter_mut() {
            let total = totals.get(&key.0).copied().unwrap_or(0.0);
            *p = if total > 0.0 {
                counts.get(key).copied().unwrap_or(0.0) / total
            } else {
                0.0
            };
        }
    }
    let mut learned: Vec<(u32, u32, f32)> = probability
        .into_iter()
        .filter(|(_, p)| *p >= f64::from(min_probability))
        .map(|((t, u), p)| (t, u, p as f32))
        .collect();
    learned.sort_by_key(|&(t, u, _)| (t, u));
    learned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_recurring_pair() {
        // zh 7 always appears with en 70; the other words vary.
        let beads: Vec<(Vec<u32>, Vec<u32>)> = (0..6u32)
            .map(|k| (vec![7, 100 + k], vec![70, 200 + k]))
            .collect();
        let learned = learn(&beads, 3, 0.5, 5);
        assert_eq!(
            learned.iter().map(|&(t, u, _)| (t, u)).collect::<Vec<_>>(),
            vec![(7, 70)]
        );
    }
}
