//! `.helmignore` rules with Helm's exact matching semantics (Helm's `pkg/ignore`).
//!
//! A rule is a Go `filepath.Match` glob (`*`, `?`, `[a-z]`, `[^a-z]`, `\` escapes; `*` and `?`
//! never match `/`). Rules are tried in order and the first that decides wins:
//! - `#` starts a comment; blank lines are skipped; lines are trimmed.
//! - `**` anywhere is an error, as in Helm.
//! - A trailing `/` makes the rule match directories only.
//! - A leading `/` anchors the rule at the chart root; a rule with a `/` elsewhere is matched
//!   against the whole relative path; a rule without `/` is matched against the base name.
//! - `!rule` is Helm's negation, which is *not* gitignore's: a path that does **not** match
//!   `rule` (or a non-directory, for `!dir/`) is ignored right there, a path that matches goes
//!   on to the next rule. So `!foo.txt` alone ignores everything but `foo.txt`.
//!
//! When reading a directory Helm appends the default rule `templates/.?*` (dotfiles in
//! `templates/`) after the file's rules; see [`IgnoreRules::add_defaults`].

use super::files::ReadError;

/// The name of the ignore file in a chart directory.
pub const HELMIGNORE: &str = ".helmignore";

/// The rules Helm always adds after the `.helmignore` file's rules.
pub const DEFAULT_IGNORE_RULES: &[&str] = &["templates/.?*"];

/// Go's `bufio.Scanner` refuses lines of this many bytes or more (`MaxScanTokenSize`).
const MAX_LINE: usize = 64 * 1024;

/// Parsed `.helmignore` rules with Helm's exact matching semantics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreRules {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    /// The rule with `!`, trailing `/` and leading `/` removed.
    glob: String,
    negate: bool,
    must_dir: bool,
    anchor: Anchor,
    /// A shortcut for the common shapes of `glob`.
    shape: Shape,
}

/// Shapes of a glob that can be matched without the general matcher (same answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// No `*`, `?`, `[` or `\`: matches only itself.
    Literal,
    /// Stars and then such a literal without `/` (`*.swp`, `*~`): matches a name without `/`
    /// that ends with the literal.
    StarSuffix,
    /// Anything else.
    General,
}

impl Shape {
    fn of(glob: &str) -> Shape {
        let meta = |c: char| matches!(c, '*' | '?' | '[' | '\\');
        if !glob.contains(meta) {
            return Shape::Literal;
        }
        let suffix = glob.trim_start_matches('*');
        if suffix.len() < glob.len() && !suffix.contains(meta) && !suffix.contains('/') {
            return Shape::StarSuffix;
        }
        Shape::General
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// Leading `/`: matched against the whole relative path.
    Root,
    /// Contains `/`: matched against the whole relative path.
    Path,
    /// No `/`: matched against the base name only.
    Base,
}

impl IgnoreRules {
    /// No rules: nothing is ignored.
    pub fn empty() -> Self {
        IgnoreRules::default()
    }

    /// Parses the text of a `.helmignore` file (without Helm's default rules; see
    /// [`IgnoreRules::add_defaults`]).
    ///
    /// Fails like Helm on a rule containing `**`, on a malformed glob, and on a line of 64 KiB
    /// or more; the error names the line.
    pub fn parse(text: &str) -> Result<Self, ReadError> {
        let mut rules = IgnoreRules::empty();
        for (i, line) in text.split('\n').enumerate() {
            if line.len() >= MAX_LINE {
                return Err(ReadError::IgnoreRule {
                    line: i + 1,
                    rule: line.chars().take(40).collect::<String>() + "...",
                    message: "bufio.Scanner: token too long",
                });
            }
            rules.push_rule(line).map_err(|message| ReadError::IgnoreRule {
                line: i + 1,
                rule: line.trim().to_owned(),
                message,
            })?;
        }
        Ok(rules)
    }

    /// Appends Helm's default rules ([`DEFAULT_IGNORE_RULES`]), as Helm does after reading a
    /// chart directory's `.helmignore`.
    pub fn add_defaults(&mut self) {
        for rule in DEFAULT_IGNORE_RULES {
            // The default rules are valid globs.
            let _ = self.push_rule(rule);
        }
    }

    /// Helm's default rules alone: what applies to a chart directory without `.helmignore`.
    pub fn helm_defaults() -> Self {
        let mut rules = IgnoreRules::empty();
        rules.add_defaults();
        rules
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `rel_path` (relative to the chart root, `/`-separated, no trailing `/`) is
    /// ignored. `is_dir` tells whether it is a directory (a symlink counts as what it points
    /// to). The chart root itself (`""`, `.`, `./`) is never ignored.
    pub fn ignored(&self, rel_path: &str, is_dir: bool) -> bool {
        if rel_path.is_empty() || rel_path == "." || rel_path == "./" {
            return false;
        }
        for p in &self.patterns {
            if p.negate {
                // Helm's negation: a non-match (or a file for a directory rule) is ignored.
                if (p.must_dir && !is_dir) || !p.matches(rel_path) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if p.matches(rel_path) {
                return true;
            }
        }
        false
    }

    /// Parses one line; `Err` carries Helm's message.
    fn push_rule(&mut self, line: &str) -> Result<(), &'static str> {
        let rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported");
        }
        // Helm checks the raw rule, `!` and `/` included.
        if go_match(rule.as_bytes(), b"abc").is_err() {
            return Err("syntax error in pattern");
        }
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (anchor, glob) = if let Some(r) = rule.strip_prefix('/') {
            (Anchor::Root, r)
        } else if rule.contains('/') {
            (Anchor::Path, rule)
        } else {
            (Anchor::Base, rule)
        };
        let shape = Shape::of(glob);
        self.patterns.push(Pattern { glob: glob.to_owned(), negate, must_dir, anchor, shape });
        Ok(())
    }
}

impl Pattern {
    /// A glob that became malformed once `!`/`/` were stripped never matches (Helm logs and
    /// returns false).
    fn matches(&self, path: &str) -> bool {
        let subject = match self.anchor {
            Anchor::Root | Anchor::Path => path,
            Anchor::Base => go_base(path),
        };
        match self.shape {
            Shape::Literal => self.glob == subject,
            Shape::StarSuffix => {
                !subject.contains('/') && subject.ends_with(self.glob.trim_start_matches('*'))
            }
            Shape::General => go_match(self.glob.as_bytes(), subject.as_bytes()).unwrap_or(false),
        }
    }
}

/// Go's `filepath.Base` for `/`-separated paths.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// A malformed glob (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// Go's `filepath.Match` on a Unix system: whether `name` matches the shell glob `pattern`.
///
/// Like Go, it reports a malformed pattern even when the match fails early, so a pattern is
/// either always or never an error, whatever the name.
pub(crate) fn go_match(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it has a `/`.
            return Ok(!name.contains(&b'/'));
        }
        // Match at the current position; if this is the last chunk it must use up the name.
        match match_chunk(chunk, name)? {
            Some(t) if t.is_empty() || !pattern.is_empty() => {
                name = t;
                continue;
            }
            _ => {}
        }
        if star {
            // Let the star eat 1, 2, ... bytes, never a `/`.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // Before failing, check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the leading stars and the chunk up to the next star outside a class.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches a star-free chunk at the start of `s`: `Ok(Some(rest))` on a match, `Ok(None)`
/// otherwise. Goes through the whole chunk even after a mismatch, to report bad syntax.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<Option<&'s [u8]>, BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (rune, n) = decode_rune(s);
                    r = rune;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if ranges > 0 && chunk.first() == Some(&b']') {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                let lit = if c == b'\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or(BadPattern)?
                } else {
                    c
                };
                if !failed {
                    if lit != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(s) })
}

/// One possibly escaped character of a class, and the rest of the chunk (which must not be
/// empty: a class needs its `]`).
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut chunk = match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(_) => chunk,
    };
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(BadPattern);
        }
    }
    let (r, n) = decode_rune(chunk);
    if r == REPLACEMENT && n == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

const REPLACEMENT: u32 = 0xFFFD;

/// Go's `utf8.DecodeRune`: the first rune and its length; `(U+FFFD, 1)` for an invalid byte,
/// `(U+FFFD, 0)` for empty input.
fn decode_rune(s: &[u8]) -> (u32, usize) {
    let Some(&b0) = s.first() else {
        return (REPLACEMENT, 0);
    };
    let len = match b0 {
        0x00..=0x7F => return (u32::from(b0), 1),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (REPLACEMENT, 1),
    };
    match s.get(..len).and_then(|b| std::str::from_utf8(b).ok()).and_then(|t| t.chars().next()) {
        Some(c) => (u32::from(c), len),
        None => (REPLACEMENT, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> Result<bool, BadPattern> {
        go_match(p.as_bytes(), n.as_bytes())
    }

    #[test]
    fn go_match_basics() {
        let yes = [
            ("abc", "abc"),
            ("*", "abc"),
            ("*c", "abc"),
            ("a*", "a"),
            ("a*/b", "abc/b"),
            ("a*b*c*d*e*/f", "axbxcxdxe/f"),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f"),
            ("ab[c]", "abc"),
            ("ab[b-d]", "abc"),
            ("ab[^c]", "abd"),
            ("a\\*b", "a*b"),
            ("a?b", "a☺b"),
            ("a[^a]b", "a☺b"),
            ("[a-ζ]*", "α"),
            ("[\\]a]", "]"),
            ("[\\-]", "-"),
            ("[x\\-]", "-"),
            ("*x", "xxx"),
            ("[/]", "/"),
            ("", ""),
        ];
        for (p, n) in yes {
            assert_eq!(m(p, n), Ok(true), "{p:?} ~ {n:?}");
        }
        let no = [
            ("abc", "abd"),
            ("*c", "abcd"),
            ("a*", "ab/c"),
            ("a*/b", "a/c/b"),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff"),
            ("ab[^b-d]", "abc"),
            ("a\\*b", "ab"),
            ("a?b", "a/b"),
            ("a*b", "a/b"),
            ("a???b", "a☺b"),
            ("*[a-ζ]*", "A"),
            ("a[", "x"),
            ("", "x"),
        ];
        for (p, n) in no {
            assert_ne!(m(p, n), Ok(true), "{p:?} !~ {n:?}");
        }
    }

    #[test]
    fn go_match_bad_patterns_whatever_the_name() {
        for p in ["[", "[^", "[^bc", "a[", "[]a]", "[-]", "[x-]", "[\\", "a\\", "*x\\", "[a-b-c]"] {
            assert_eq!(m(p, "abc"), Err(BadPattern), "{p:?}");
            assert_eq!(m(p, "zzz/q"), Err(BadPattern), "{p:?}");
        }
        // A mismatch in the first chunk still checks the rest.
        assert_eq!(m("x*[", "abc"), Err(BadPattern));
        assert_eq!(m("a*b*[", "xyz"), Err(BadPattern));
    }

    fn rules(text: &str) -> IgnoreRules {
        IgnoreRules::parse(text).expect("rules parse")
    }

    #[test]
    fn parse_skips_comments_and_blanks_and_trims() {
        let r = rules("#c\n\n   # indented comment\nfoo\r\n  bar/*  \n\tbaz/bar/foo.txt\n");
        assert_eq!(r.len(), 3);
        assert!(!r.ignored("x/bar/q", false));
        assert!(r.ignored("bar/q", false));
        assert!(r.ignored("deep/foo", true));
    }

    #[test]
    fn parse_errors_name_the_line() {
        let e = IgnoreRules::parse("ok\nfoo/**/bar\n").expect_err("** refused");
        assert_eq!(
            e.to_string(),
            ".helmignore line 2: double-star (**) syntax is not supported: \"foo/**/bar\""
        );
        let e = IgnoreRules::parse("\n\n[z-\n").expect_err("bad glob");
        assert!(matches!(
            e,
            ReadError::IgnoreRule { line: 3, message: "syntax error in pattern", .. }
        ));
        let long = "a".repeat(MAX_LINE);
        assert!(IgnoreRules::parse(&long).is_err());
        assert!(IgnoreRules::parse(&"a".repeat(MAX_LINE - 1)).is_ok());
    }

    #[test]
    fn base_name_and_path_matching() {
        let r = rules("*.txt");
        assert!(r.ignored("a.txt", false));
        assert!(r.ignored("deep/er/a.txt", false));
        assert!(!r.ignored("a.txt.bak", false));
        let r = rules("cargo/*.txt");
        assert!(r.ignored("cargo/a.txt", false));
        assert!(!r.ignored("x/cargo/a.txt", false));
        assert!(!r.ignored("cargo/sub/a.txt", false));
        let r = rules("ru[c-e]?er.txt");
        assert!(r.ignored("rudder.txt", false));
        assert!(!r.ignored("rubber.txt", false));
    }

    #[test]
    fn root_anchor() {
        let r = rules("/a.txt");
        assert!(r.ignored("a.txt", false));
        assert!(!r.ignored("cargo/a.txt", false));
        let r = rules("/cargo/a.txt");
        assert!(r.ignored("cargo/a.txt", false));
    }

    #[test]
    fn directory_rules() {
        let r = rules("cargo/");
        assert!(r.ignored("cargo", true));
        assert!(r.ignored("x/cargo", true));
        assert!(!r.ignored("cargo", false));
        let r = rules("helm.txt/");
        assert!(!r.ignored("helm.txt", false));
        let r = rules("a/b/");
        assert!(r.ignored("a/b", true));
        assert!(!r.ignored("x/a/b", true));
    }

    #[test]
    fn dot_and_empty_are_never_ignored() {
        let r = rules(".*\n*");
        assert!(!r.ignored("", true));
        assert!(!r.ignored(".", true));
        assert!(!r.ignored("./", true));
        assert!(r.ignored(".joonix", false));
    }

    #[test]
    fn helm_negation_is_not_gitignore_negation() {
        let r = rules("!helm.txt");
        assert!(!r.ignored("helm.txt", false));
        assert!(r.ignored("tiller.txt", false));
        assert!(r.ignored("Chart.yaml", false));
        let r = rules("!*.txt");
        assert!(r.ignored("cargo", true));
        let r = rules("!cargo/");
        assert!(r.ignored("mast", true));
        assert!(r.ignored("cargo", false), "a file never satisfies a negated dir rule");
        assert!(!r.ignored("cargo", true));
        // A positive rule before the negation decides first.
        let r = rules("*.txt\n!foo.txt");
        assert!(r.ignored("foo.txt", false));
        assert!(r.ignored("Chart.yaml", false));
    }

    #[test]
    fn defaults_hide_template_dotfiles_only() {
        let r = IgnoreRules::helm_defaults();
        assert!(r.ignored("templates/.dotfile", false));
        assert!(r.ignored("templates/.git", true));
        assert!(!r.ignored("templates/.", false));
        assert!(!r.ignored("templates/x.yaml", false));
        assert!(!r.ignored(".hidden", false));
        assert!(!r.ignored("templates/sub/.dot", false));
        assert!(!r.ignored("charts/x/templates/.dot", false));
    }

    #[test]
    fn star_matches_a_leading_dot() {
        // Go's `*` is not the shell's: `*.txt` takes `.txt` (checked with helm package).
        assert!(rules("*.txt").ignored(".txt", false));
        assert!(IgnoreRules::helm_defaults().ignored("templates/.d", true));
    }

    #[test]
    fn rule_broken_by_stripping_never_matches() {
        // `foo\/` is valid; without its `/` it ends in a lone backslash and matches nothing.
        let r = rules("foo\\/");
        assert!(!r.ignored("foo", true));
        assert!(!r.ignored("foo\\", true));
        // ...and as a negation it therefore ignores everything.
        let r = rules("!foo\\/");
        assert!(r.ignored("foo", true));
    }

    #[test]
    fn go_base_like_go() {
        assert_eq!(go_base(""), ".");
        assert_eq!(go_base("/"), "/");
        assert_eq!(go_base("a/b/"), "b");
        assert_eq!(go_base("a"), "a");
    }
}

#[cfg(test)]
mod shape_props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcuts give the general matcher's answer for every glob they accept.
        #[test]
        fn shapes_agree_with_go_match(glob in "[*a.~/]{0,6}", name in "[a.~/]{0,8}") {
            let p = Pattern {
                glob: glob.clone(),
                negate: false,
                must_dir: false,
                anchor: Anchor::Path,
                shape: Shape::of(&glob),
            };
            let general = go_match(glob.as_bytes(), name.as_bytes()).unwrap_or(false);
            prop_assert_eq!(p.matches(&name), general, "glob {:?} name {:?}", glob, name);
        }
    }
}
