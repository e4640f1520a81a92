// Shared verbatim by `build.rs` (through `include!`) and the library, so that the
// lexicon is built and queried with the same list.

/// English function words that carry no translation evidence on their own. Personal
/// pronouns are not among them: 他/她/我们 translate them, and dialogue leans on them.
/// Sorted, so that lookups can binary-search.
pub const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "etc", "few", "for",
    "from", "further", "had", "has", "have", "having", "here", "how", "if", "in", "into", "is",
    "it", "its", "itself", "just", "more", "most", "no", "nor", "not", "of", "off", "on",
    "once", "one", "only", "or", "other", "out", "over", "own", "s", "same", "sb", "should",
    "so", "some", "something", "sth", "such", "than", "that", "the", "then", "there", "these",
    "this", "those", "through", "to", "too", "under", "until", "up", "upon", "very", "was",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would",
];
