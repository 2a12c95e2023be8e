//! Release names: Helm's validation rule, and readable generated names.
//!
//! Helm 4 accepts a release name when it is a DNS-1123 subdomain of at most 53 bytes
//! ([`validate_release_name`]): dot-separated labels of lowercase letters, digits and `-`, each
//! starting and ending with a letter or digit. The limit is 53 rather than Kubernetes' 63 so that
//! charts can append a suffix to the release name in their object names.
//!
//! [`generate_name`] makes names such as `wonky-panda` from chartkit's own word lists (Helm's
//! `--generate-name` uses `<chart>-<unix time>` instead).
//!
//! ```
//! use chart_core::names::{generate_name, validate_release_name};
//!
//! assert!(validate_release_name("my-app.v2").is_ok());
//! assert!(validate_release_name("My_App").is_err());
//!
//! let mut seed = 7u64;
//! let mut random = move || {
//!     seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
//!     seed >> 11
//! };
//! let name = generate_name(&mut random, &|_| false).unwrap();
//! assert!(validate_release_name(&name).is_ok());
//! ```

/// The longest release name Helm accepts, in bytes.
pub const MAX_RELEASE_NAME_LEN: usize = 53;

/// The regular expression Helm checks release names against (a full match is required).
pub const RELEASE_NAME_PATTERN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/// How many plain `adjective-animal` candidates [`generate_name`] tries.
pub const PLAIN_ATTEMPTS: usize = 10;

/// How many `adjective-animal-xxxxx` candidates [`generate_name`] tries after the plain ones.
pub const SUFFIXED_ATTEMPTS: usize = 10;

/// A release name Helm would refuse, or no free generated name.
///
/// The `Display` text of [`NameError::Missing`] and [`NameError::Invalid`] is what Helm 4.1.4
/// prints for `helm install` / `helm template` after `release name check failed: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The name is empty.
    #[error("release name \"\": no name provided")]
    Missing,
    /// The name is not a DNS-1123 subdomain or is longer than 53 bytes.
    #[error(
        "release name {}: invalid release name, must match regex {RELEASE_NAME_PATTERN} and the length must not be longer than {MAX_RELEASE_NAME_LEN}",
        crate::gofmt::go_quote(.0)
    )]
    Invalid(String),
    /// Every candidate [`generate_name`] tried was taken.
    #[error("cannot generate a release name: all {attempts} candidates are in use")]
    Exhausted {
        /// How many candidates were tried.
        attempts: usize,
    },
}

/// Checks a release name with Helm 4's rule: not empty, at most [`MAX_RELEASE_NAME_LEN`] bytes,
/// and a full match of [`RELEASE_NAME_PATTERN`] (so no trailing newline, no uppercase, no `_`).
///
/// ```
/// use chart_core::names::validate_release_name;
/// assert!(validate_release_name("web-1").is_ok());
/// assert_eq!(
///     validate_release_name("").unwrap_err().to_string(),
///     "release name \"\": no name provided"
/// );
/// assert!(validate_release_name(&"a".repeat(54)).is_err());
/// ```
pub fn validate_release_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Missing);
    }
    if name.len() > MAX_RELEASE_NAME_LEN || !is_dns1123_subdomain(name) {
        return Err(NameError::Invalid(name.to_owned()));
    }
    Ok(())
}

/// Whether every dot-separated label is `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn is_dns1123_subdomain(name: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    name.split('.').all(|label| {
        let b = label.as_bytes();
        match (b.first(), b.last()) {
            (Some(&first), Some(&last)) => {
                alnum(first) && alnum(last) && b.iter().all(|&c| alnum(c) || c == b'-')
            }
            _ => false,
        }
    })
}

/// Generates a readable release name such as `wonky-panda`.
///
/// `random` supplies randomness (any `u64`s; they are reduced modulo the list sizes) and `taken`
/// says whether a name is already in use. [`PLAIN_ATTEMPTS`] `adjective-animal` names are tried
/// first, then [`SUFFIXED_ATTEMPTS`] names with a five-character `[a-z0-9]` suffix
/// (`wonky-panda-x7k2q`); if all are taken the result is [`NameError::Exhausted`]. Every name
/// returned passes [`validate_release_name`].
pub fn generate_name(
    random: &mut dyn FnMut() -> u64,
    taken: &dyn Fn(&str) -> bool,
) -> Result<String, NameError> {
    for attempt in 0..PLAIN_ATTEMPTS + SUFFIXED_ATTEMPTS {
        let adjective = ADJECTIVES[index(random(), ADJECTIVES.len())];
        let animal = ANIMALS[index(random(), ANIMALS.len())];
        let mut name = format!("{adjective}-{animal}");
        if attempt >= PLAIN_ATTEMPTS {
            name.push('-');
            name.push_str(&suffix(random()));
        }
        if !taken(&name) {
            debug_assert!(validate_release_name(&name).is_ok(), "{name}");
            return Ok(name);
        }
    }
    Err(NameError::Exhausted { attempts: PLAIN_ATTEMPTS + SUFFIXED_ATTEMPTS })
}

/// Reduces a random number to an index below `len` (`len` is never zero here).
fn index(r: u64, len: usize) -> usize {
    // `len` is a small list length, so the remainder always fits in usize.
    (r % len.max(1) as u64) as usize
}

/// Five base-36 characters taken from a random number.
fn suffix(mut r: u64) -> String {
    const DIGITS: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::with_capacity(5);
    for _ in 0..5 {
        s.push(char::from(DIGITS[(r % 36) as usize]));
        r /= 36;
    }
    s
}

/// Adjectives for generated names: lowercase ASCII letters only.
const ADJECTIVES: &[&str] = &[
    "able", "agile", "amber", "ample", "arctic", "azure", "bold", "brave", "breezy", "bright",
    "brisk", "bubbly", "calm", "candid", "cheery", "chilly", "clever", "cosmic", "cozy", "crisp",
    "curious", "dapper", "daring", "dazzling", "eager", "early", "earnest", "easy", "elated",
    "epic", "fancy", "fearless", "feisty", "fluffy", "fond", "frank", "fresh", "friendly",
    "frosty", "funky", "gentle", "giddy", "glad", "gleaming", "golden", "grand", "happy", "hardy",
    "hasty", "hearty", "honest", "humble", "icy", "jolly", "jovial", "keen", "kind", "lively",
    "lucky", "lunar", "merry", "mighty", "misty", "modest", "nimble", "noble", "polite", "proud",
    "quick", "quiet", "quirky", "radiant", "rapid", "rosy", "rugged", "rustic", "shiny", "silent",
    "silly", "sleepy", "smooth", "snappy", "snowy", "solar", "spry", "steady", "sturdy", "sunny",
    "swift", "tidy", "tiny", "upbeat", "vivid", "wacky", "warm", "witty", "wonky", "zany", "zesty",
    "zippy",
];

/// Animals for generated names: lowercase ASCII letters only.
const ANIMALS: &[&str] = &[
    "aardvark",
    "albatross",
    "alpaca",
    "antelope",
    "badger",
    "beaver",
    "bison",
    "bobcat",
    "buffalo",
    "camel",
    "caribou",
    "cheetah",
    "chipmunk",
    "cobra",
    "condor",
    "corgi",
    "cougar",
    "coyote",
    "crane",
    "cricket",
    "dingo",
    "dolphin",
    "donkey",
    "dove",
    "eagle",
    "egret",
    "elk",
    "emu",
    "falcon",
    "ferret",
    "finch",
    "flamingo",
    "fox",
    "gazelle",
    "gecko",
    "gerbil",
    "gibbon",
    "giraffe",
    "gopher",
    "gorilla",
    "grouse",
    "hamster",
    "hare",
    "hawk",
    "hedgehog",
    "heron",
    "hippo",
    "hyena",
    "ibis",
    "iguana",
    "impala",
    "jackal",
    "jaguar",
    "kangaroo",
    "kestrel",
    "koala",
    "lemur",
    "leopard",
    "lion",
    "llama",
    "lobster",
    "lynx",
    "macaw",
    "magpie",
    "manatee",
    "marmot",
    "meerkat",
    "mink",
    "moose",
    "narwhal",
    "newt",
    "ocelot",
    "octopus",
    "orca",
    "osprey",
    "otter",
    "owl",
    "panda",
    "panther",
    "parrot",
    "pelican",
    "penguin",
    "puffin",
    "quail",
    "rabbit",
    "raccoon",
    "raven",
    "salmon",
    "seal",
    "shark",
    "sloth",
    "sparrow",
    "squid",
    "swan",
    "tapir",
    "tiger",
    "toucan",
    "turtle",
    "walrus",
    "weasel",
    "whale",
    "wombat",
    "yak",
    "zebra",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn helm_rule() {
        let ok = ["a", "1abc", "a.b", "a-b", "a--b", "web.v1.x-2", &"a".repeat(53)];
        for n in ok {
            assert_eq!(validate_release_name(n), Ok(()), "{n}");
        }
        let bad = [
            "Bad_Name",
            "-a",
            "a-",
            "a..b",
            ".a",
            "a.",
            "UPPER",
            "a b",
            "ä",
            "a_b",
            "a.-b",
            "a\n",
            &"a".repeat(54),
        ];
        for n in bad {
            assert_eq!(validate_release_name(n), Err(NameError::Invalid(n.to_owned())), "{n:?}");
        }
        assert_eq!(validate_release_name(""), Err(NameError::Missing));
    }

    #[test]
    fn messages_match_helm() {
        assert_eq!(
            validate_release_name("Bad_Name").expect_err("invalid").to_string(),
            r#"release name "Bad_Name": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"#
        );
        let e = validate_release_name("a\nb").expect_err("invalid").to_string();
        assert!(e.starts_with(r#"release name "a\nb": invalid"#), "{e}");
    }

    #[test]
    fn word_lists_are_clean() {
        for list in [ADJECTIVES, ANIMALS] {
            assert!(list.len() >= 100, "{}", list.len());
            for w in list {
                assert!(!w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()), "{w}");
            }
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "duplicate words");
        }
    }

    #[test]
    fn retries_then_suffixes_then_gives_up() {
        let mut n = 0u64;
        let mut random = || {
            n += 1;
            n
        };
        // The first plain candidates are all taken: a suffixed name comes back.
        let name = generate_name(&mut random, &|s: &str| s.matches('-').count() == 1)
            .expect("a suffixed name");
        assert_eq!(name.matches('-').count(), 2, "{name}");
        assert_eq!(name.rsplit('-').next().map(str::len), Some(5));
        // Everything taken: an error after a bounded number of tries.
        assert_eq!(
            generate_name(&mut random, &|_| true),
            Err(NameError::Exhausted { attempts: PLAIN_ATTEMPTS + SUFFIXED_ATTEMPTS })
        );
        // Nothing taken: a plain name.
        let plain = generate_name(&mut random, &|_| false).expect("a name");
        assert_eq!(plain.matches('-').count(), 1, "{plain}");
    }

    proptest! {
        #[test]
        fn generated_names_are_valid(
            seeds in proptest::collection::vec(any::<u64>(), 1..64),
            taken_mod in 1u64..5,
        ) {
            let mut i = 0usize;
            let mut random = || {
                let v = seeds[i % seeds.len()].rotate_left(i as u32);
                i += 1;
                v
            };
            // Take a pseudo-random share of the names so retries and suffixes get exercised.
            let taken = |s: &str| {
                s.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
                    % taken_mod
                    != 0
            };
            if let Ok(name) = generate_name(&mut random, &taken) {
                prop_assert!(validate_release_name(&name).is_ok(), "{}", name);
                prop_assert!(!taken(&name));
            }
        }
    }
}
