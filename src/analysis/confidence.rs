//! How sure an extraction is that a mention means the node: `Go`, `Rust`, `Swift`, `Spring`
//! and `Express` are technologies and everyday words, and `SQL` is both a language and a
//! skill's alias.
//!
//! A label is **ambiguous** when it is a common English word ([`COMMON_WORDS`], matched
//! folded, English labels only) or when it names nodes of several kinds. A mention of any other
//! label has confidence 1. An ambiguous mention starts low and gains from each cue of its
//! context:
//!
//! - **casing**: it is written with a capital where the catalog writes one (`Go`, not `go`),
//!   and does not begin a sentence (where every word has a capital);
//! - **a preposition**: the word before it is `in`, `with`, `using`, `on`, `via`, `and`, `or`
//!   or `like` ("written in Go", "with Spring");
//! - **a list**: a `,`, `/`, `;` or bracket stands right before or after it ("Go, Rust");
//! - **company**: another mention within [`NEAR`] bytes is sure on its own (of a label that
//!   is not ambiguous, or one whose other cues pass the threshold): "Kubernetes and Go".
//!
//! A common word starts at 0.2 and gains 0.25 a cue (two cues pass the default threshold of
//! 0.5, one does not); a label of several kinds, which is a technology either way, starts at
//! 0.6 and gains 0.2 a cue. Confidences are at most 1. Everyday words whose other meaning is
//! rare in a job posting (Python, Java, React) are not on the list.

/// What a pattern of the vocabulary is, for confidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ambiguity {
    /// An English label that is a common word.
    pub common_word: bool,
    /// Labels of nodes of more than one kind.
    pub several_kinds: bool,
    /// Some label of the pattern is written with a capital letter.
    pub cased: bool,
}

impl Ambiguity {
    pub fn is_ambiguous(self) -> bool {
        self.common_word || self.several_kinds
    }
}

/// The default threshold of `extractSkills(minConfidence:)` and of the mentions a posting's
/// analysis reads.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// How far, in bytes of the text, a mention keeps another company.
pub const NEAR: usize = 60;

/// The words before a mention that make it a technology ("in Go", "with Spring").
const PREPOSITIONS: [&str; 8] = ["in", "with", "using", "on", "via", "and", "or", "like"];

/// What is known of a mention's context.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// The mention as written.
    pub written: &'a str,
    /// The word before it, folded (empty if none).
    pub word_before: &'a str,
    /// Whether it begins a sentence (the text's start, or after `.`, `!`, `?`, `:` or a line
    /// break, spaces aside).
    pub sentence_start: bool,
    /// Whether a list's punctuation stands right before or after it.
    pub in_list: bool,
    /// Whether a mention sure on its own is near.
    pub near_technology: bool,
}

/// The confidence of a mention of a label with `ambiguity` in `context`.
pub fn confidence(ambiguity: Ambiguity, context: &Context) -> f64 {
    if !ambiguity.is_ambiguous() {
        return 1.0;
    }
    let capital = context
        .written
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    let cues = [
        ambiguity.cased && capital && !context.sentence_start,
        PREPOSITIONS.contains(&context.word_before),
        context.in_list,
        context.near_technology,
    ]
    .into_iter()
    .filter(|cue| *cue)
    .count() as f64;
    let (start, gain) = if ambiguity.common_word {
        (0.2, 0.25)
    } else {
        (0.6, 0.2)
    };
    f64::min(1.0, start + gain * cues)
}

/// Whether the folded `label` is a common English word.
pub fn is_common_word(label: &str) -> bool {
    COMMON_WORDS.binary_search(&label).is_ok()
}

/// Everyday English words, sorted: nouns, verbs and adjectives of ordinary speech that
/// technologies have taken as names, so that a label spelled like one is read with care.
pub const COMMON_WORDS: &[&str] = &[
    "act", "air", "amber", "anchor", "ant", "apple", "arc", "arrow", "ash", "atom", "axe", "back",
    "badge", "balance", "ball", "bamboo", "bank", "bar", "base", "basic", "beam", "bear", "bee",
    "bell", "birch", "bird", "blaze", "block", "bloom", "blue", "board", "bolt", "bone", "boot",
    "bottle", "box", "branch", "brick", "bridge", "broker", "brush", "bucket", "buffer", "bug",
    "build", "bundle", "butter", "button", "cable", "cactus", "cake", "camel", "camp", "candle",
    "canvas", "capital", "cargo", "carpet", "cart", "castle", "cat", "cedar", "chain", "chalk",
    "chart", "check", "cheese", "chef", "cherry", "chest", "chrome", "circle", "clay", "cliff",
    "clock", "cloud", "clover", "coal", "coast", "cobra", "coffee", "coin", "comet", "compass",
    "cone", "copper", "coral", "cotton", "crane", "crate", "crow", "crown", "crystal", "cube",
    "cup", "dart", "dash", "dawn", "deer", "delta", "desk", "dial", "diamond", "dock", "dolphin",
    "door", "dot", "dove", "dragon", "drill", "drop", "drum", "dust", "eagle", "earth", "echo",
    "edge", "elm", "ember", "engine", "express", "fabric", "falcon", "fast", "feather", "fern",
    "field", "fire", "fish", "flag", "flame", "flash", "flask", "fleet", "flint", "flow", "flower",
    "flute", "fly", "fog", "forge", "fork", "fox", "frame", "frost", "fruit", "fuel", "galaxy",
    "garden", "gate", "gear", "gem", "giant", "gin", "glacier", "glass", "globe", "glue", "go",
    "gold", "grain", "grape", "graph", "grass", "gravity", "grid", "guard", "guide", "hammer",
    "harbor", "harvest", "hat", "hawk", "heart", "helm", "hero", "hive", "honey", "hook",
    "horizon", "horn", "horse", "house", "hub", "ice", "ink", "iron", "island", "ivy", "jade",
    "jar", "jest", "jet", "jewel", "joy", "jungle", "key", "kite", "knife", "knot", "lab",
    "ladder", "lake", "lamp", "lantern", "lark", "laser", "lava", "leaf", "lemon", "lens", "level",
    "light", "lily", "lime", "link", "lion", "lock", "log", "loop", "lotus", "lynx", "magnet",
    "maple", "marble", "mask", "matrix", "maven", "meadow", "mercury", "mesh", "meteor", "mint",
    "mirror", "mist", "mocha", "moon", "moss", "mountain", "mouse", "mule", "nail", "needle",
    "nest", "net", "next", "night", "node", "north", "nova", "oak", "ocean", "olive", "onion",
    "opal", "orange", "orbit", "orchid", "otter", "owl", "paint", "palm", "panda", "paper",
    "parrot", "path", "peach", "pearl", "pebble", "pen", "pepper", "piano", "pike", "pilot",
    "pine", "pipe", "pixel", "planet", "plate", "plum", "pocket", "polar", "pond", "pool", "poppy",
    "port", "prism", "pulse", "pump", "puppet", "puzzle", "quartz", "quest", "rabbit", "radar",
    "rail", "rails", "rain", "rainbow", "raven", "ray", "reed", "reef", "rest", "ribbon", "ridge",
    "ring", "river", "road", "robin", "rock", "rocket", "roof", "root", "rope", "rose", "ruby",
    "rust", "sage", "sail", "salt", "sand", "saturn", "scale", "scope", "seed", "shade", "shadow",
    "shark", "sheep", "shell", "shield", "ship", "shore", "signal", "silk", "silver", "sky",
    "slate", "sled", "slice", "snake", "snow", "solar", "spark", "spider", "spike", "spin",
    "spoon", "spring", "spruce", "square", "stack", "stage", "star", "steam", "steel", "stem",
    "stone", "storm", "stream", "string", "sugar", "summit", "sun", "swan", "swift", "sword",
    "table", "tag", "tail", "tango", "tea", "thread", "thunder", "tide", "tiger", "timber", "tin",
    "torch", "tower", "trail", "train", "tree", "tulip", "tunnel", "turtle", "twig", "umbrella",
    "unity", "valley", "velvet", "violet", "vision", "volt", "wagon", "wall", "wave", "wax", "web",
    "whale", "wheat", "wheel", "willow", "wind", "window", "wing", "winter", "wolf", "wood",
    "wool", "yarn", "zebra", "zero", "zinc",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_binary_search() {
        assert!(COMMON_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(is_common_word("go") && is_common_word("spring") && !is_common_word("golang"));
    }

    #[test]
    fn cues_raise_a_common_word() {
        let word = Ambiguity {
            common_word: true,
            several_kinds: false,
            cased: true,
        };
        let at = |written, word_before, sentence_start, in_list, near_technology| {
            confidence(
                word,
                &Context {
                    written,
                    word_before,
                    sentence_start,
                    in_list,
                    near_technology,
                },
            )
        };
        assert!(at("go", "we", false, false, false) < DEFAULT_THRESHOLD);
        assert!(
            at("Go", "", true, false, false) < DEFAULT_THRESHOLD,
            "a capital begins a sentence"
        );
        assert!(at("spring", "", false, true, false) < DEFAULT_THRESHOLD);
        assert!(at("Go", "in", false, false, false) >= DEFAULT_THRESHOLD);
        assert!(at("go", "and", false, false, true) >= DEFAULT_THRESHOLD);
        assert_eq!(at("Go", "in", false, false, true), 0.95);
        assert_eq!(at("Go", "in", false, true, true), 1.0);
        assert_eq!(confidence(Ambiguity::default(), &Context::default()), 1.0);
        let kinds = Ambiguity {
            several_kinds: true,
            ..Ambiguity::default()
        };
        assert_eq!(confidence(kinds, &Context::default()), 0.6);
    }
}
