//! A fast reader for the plain block YAML that values files and rendered manifests are almost
//! always written in: a block mapping at the root, block mappings and sequences, single-line
//! plain and quoted scalars, literal block scalars (`|`, `|-`), `[]`, `{}` and one-line flow
//! sequences of scalars, comments.
//!
//! It reads that subset straight into [`Value`]s, with the same scalar resolution as the full
//! reader, and answers `None` for anything else (other flow collections, anchors, tags, folded
//! or multi-line scalars, tabs, non-string or merge keys, errors of any kind), so that the full
//! reader, which knows every go-yaml rule and error message, decides those. It reads about 90%
//! of the shared corpus's documents, at a fraction of the full reader's cost. A differential
//! test over the corpus, a property test and the `yaml_read` fuzz target hold it to the full
//! reader's results.

use super::{GoValue, Resolved, libyaml_printable, resolve, to_string_keys};
use crate::{Map, Value};

/// Deeper documents go to the full reader (which applies the configured depth limit).
const MAX_DEPTH: usize = 100;
/// libyaml refuses simple keys longer than 1024 characters; longer ones go to the full reader.
const MAX_KEY: usize = 1000;

/// The document as go-yaml + sigs.k8s.io/yaml would read it, when it is in the subset; `None`
/// otherwise. `json_numbers` as in `to_string_keys`.
pub(super) fn read(src: &str, json_numbers: bool) -> Option<Value> {
    if !precheck(src) {
        return None;
    }
    let mut starts = Vec::with_capacity(src.len() / 24 + 2);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|p| p + 1));
    // Document markers and directives are left to the full reader.
    if starts.iter().any(|&i| {
        src[i..].starts_with('%') || src[i..].starts_with("---") || src[i..].starts_with("...")
    }) {
        return None;
    }
    let mut r = Reader { text: src, starts, i: 0, json_numbers, depth: 0 };
    r.skip_blank();
    if r.eof() || r.indent(r.i) != 0 {
        return None;
    }
    let map = r.block_map(0)?;
    r.skip_blank();
    r.eof().then_some(Value::Map(map))
}

/// Characters the subset leaves to the full reader: tabs, carriage returns, control and
/// non-printable characters, a BOM, Unicode line breaks.
fn precheck(src: &str) -> bool {
    if src.bytes().any(|b| b < 0x20 && b != b'\n' || b == 0x7f) {
        return false;
    }
    src.is_ascii()
        || src.chars().all(|c| {
            c.is_ascii()
                || libyaml_printable(c)
                    && !matches!(c, '\u{85}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A mapping value: a sequence may sit at the mapping's own indentation.
    Map,
    /// A sequence item: the item may be a compact mapping (`- key: value`).
    Seq,
}

/// What a line's text starts with, read as a mapping key.
enum KeySplit<'a> {
    /// `key:` and the text after the colon.
    Key(String, &'a str),
    /// Not a key (a scalar).
    NotKey,
    /// Something the subset does not read.
    Bad,
}

struct Reader<'a> {
    text: &'a str,
    /// Byte offset where each line starts (a final empty line when the text ends with `\n`).
    starts: Vec<usize>,
    /// The current line.
    i: usize,
    json_numbers: bool,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn eof(&self) -> bool {
        self.i >= self.starts.len()
    }

    /// Line `k` without its line break.
    fn line(&self, k: usize) -> &'a str {
        let start = self.starts[k];
        let end = self.starts.get(k + 1).map_or(self.text.len(), |&s| s - 1);
        &self.text[start..end]
    }

    fn indent(&self, k: usize) -> usize {
        let line = self.line(k);
        line.len() - line.trim_start_matches(' ').len()
    }

    /// Skips lines that are empty, spaces only, or comments.
    fn skip_blank(&mut self) {
        while !self.eof() {
            let rest = self.line(self.i).trim_start_matches(' ');
            if !(rest.is_empty() || rest.starts_with('#')) {
                break;
            }
            self.i += 1;
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A block mapping whose first key starts at column `m` of the current line; later keys
    /// are the lines indented by exactly `m`.
    fn block_map(&mut self, m: usize) -> Option<Map> {
        self.enter()?;
        let mut map = Map::new();
        loop {
            let line = self.line(self.i);
            let rest = line.get(m..)?;
            if is_dash(rest) {
                return None;
            }
            let KeySplit::Key(key, after) = split_key(rest) else { return None };
            let after_col = line.len() - after.len();
            let value = self.inline_value(m, Ctx::Map, after, after_col)?;
            map.insert(key, value);
            self.skip_blank();
            if self.eof() {
                break;
            }
            let ind = self.indent(self.i);
            if ind < m {
                break;
            }
            if ind > m {
                return None;
            }
        }
        self.depth -= 1;
        Some(map)
    }

    /// A block sequence whose dashes are at column `n`, starting on the current line.
    fn block_seq(&mut self, n: usize) -> Option<Value> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            let rest = self.line(self.i).get(n..)?;
            if !is_dash(rest) {
                break;
            }
            items.push(self.inline_value(n, Ctx::Seq, &rest[1..], n + 1)?);
            self.skip_blank();
            if self.eof() {
                break;
            }
            let ind = self.indent(self.i);
            if ind < n {
                break;
            }
            if ind > n {
                return None;
            }
        }
        self.depth -= 1;
        Some(Value::List(items))
    }

    /// The value after `key:` or `-`: `after` is the rest of the current line, starting at
    /// column `after_col`; `n` is the indentation of the enclosing collection. Leaves the
    /// current line after the value.
    fn inline_value(
        &mut self,
        n: usize,
        ctx: Ctx,
        after: &'a str,
        after_col: usize,
    ) -> Option<Value> {
        let t = after.trim_start_matches(' ');
        if t.is_empty() || t.starts_with('#') {
            self.i += 1;
            self.skip_blank();
            if self.eof() {
                return Some(Value::Null);
            }
            let ind = self.indent(self.i);
            let dash = is_dash(&self.line(self.i)[ind..]);
            if ind > n {
                let rest = &self.line(self.i)[ind..];
                if rest.starts_with(['[', '{']) {
                    return self.inline_value(n, ctx, rest, ind);
                }
                return if dash {
                    self.block_seq(ind)
                } else {
                    self.block_map(ind).map(Value::Map)
                };
            }
            if ind == n && dash && ctx == Ctx::Map {
                return self.block_seq(n);
            }
            return Some(Value::Null);
        }
        let col = after_col + (after.len() - t.len());
        // A sequence item may be a compact mapping: `- key: value`.
        if ctx == Ctx::Seq && (t.starts_with(['"', '\'']) || plain_start(t)) {
            match split_key(t) {
                KeySplit::Key(..) => return self.block_map(col).map(Value::Map),
                KeySplit::Bad => return None,
                KeySplit::NotKey => {}
            }
        }
        match t.as_bytes()[0] {
            b'|' => self.literal(n, t),
            // One-line flow sequences of scalars and empty flow maps are common enough to read
            // here; other flow text is not.
            b'[' | b'{' => {
                let (value, rest) = self.flow(t)?;
                if !is_comment_or_empty(rest) {
                    return None;
                }
                self.i += 1;
                self.after_scalar(n)?;
                Some(value)
            }
            b'"' | b'\'' => {
                let (s, rest) = quoted(t)?;
                if !is_comment_or_empty(rest) {
                    return None;
                }
                self.i += 1;
                self.after_scalar(n)?;
                Some(Value::String(s))
            }
            _ if !plain_start(t) => None,
            _ => {
                let s = plain_value(t)?;
                self.i += 1;
                self.after_scalar(n)?;
                self.scalar(s)
            }
        }
    }

    /// A one-line flow collection at the start of `t`: `{}`, or a sequence of plain and quoted
    /// scalars; and the text after it.
    fn flow(&self, t: &'a str) -> Option<(Value, &'a str)> {
        let b = t.as_bytes();
        let skip = |mut i: usize| {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            i
        };
        if b[0] == b'{' {
            let i = skip(1);
            return (b.get(i) == Some(&b'}')).then(|| (Value::Map(Map::new()), &t[i + 1..]));
        }
        let mut items = Vec::new();
        let mut i = skip(1);
        if b.get(i) == Some(&b']') {
            return Some((Value::List(items), &t[i + 1..]));
        }
        loop {
            match b.get(i)? {
                b'"' | b'\'' => {
                    let (s, rest) = quoted(&t[i..])?;
                    items.push(Value::String(s));
                    i = t.len() - rest.len();
                }
                _ => {
                    // A flow plain scalar: up to `,` or `]`, without anything that would need
                    // the flow rules (`:`, `#`, brackets, indicators at the start).
                    let start = i;
                    if !plain_start(&t[i..]) || matches!(b[i], b'-' | b'?') {
                        return None;
                    }
                    while i < b.len() && !matches!(b[i], b',' | b']') {
                        if matches!(b[i], b':' | b'#' | b'[' | b'{' | b'}') {
                            return None;
                        }
                        i += 1;
                    }
                    items.push(self.scalar(t[start..i].trim_end_matches(' '))?);
                }
            }
            i = skip(i);
            match b.get(i)? {
                b',' => {
                    i = skip(i + 1);
                    if matches!(b.get(i), Some(b']' | b',')) {
                        return None; // a trailing or empty entry
                    }
                }
                b']' => return Some((Value::List(items), &t[i + 1..])),
                _ => return None,
            }
        }
    }

    /// After a one-line scalar, the next content must not be indented under it (that would be
    /// a multi-line scalar or an error).
    fn after_scalar(&mut self, n: usize) -> Option<()> {
        self.skip_blank();
        (self.eof() || self.indent(self.i) <= n).then_some(())
    }

    /// A plain scalar resolved as go-yaml resolves an untagged one.
    fn scalar(&self, s: &str) -> Option<Value> {
        let go = match resolve("", s).ok()? {
            Resolved::Value(v) => v,
            Resolved::Timestamp => GoValue::Str(s.to_owned()),
            Resolved::Binary => return None,
        };
        if matches!(go, GoValue::Float(f) if !f.is_finite()) {
            return None;
        }
        to_string_keys(go, self.json_numbers).ok()
    }

    /// A literal block scalar (`|` or `|-`) whose header `t` is on the current line, inside a
    /// collection indented by `n`.
    fn literal(&mut self, n: usize, t: &str) -> Option<Value> {
        let header = &t[1..];
        let (strip, header) = match header.as_bytes().first() {
            Some(b'-') => (true, &header[1..]),
            Some(b'+' | b'0'..=b'9') => return None,
            _ => (false, header),
        };
        let after = header.trim_start_matches(' ');
        if !(after.is_empty() || after.starts_with('#') && after.len() < header.len()) {
            return None;
        }
        let all_spaces = |l: &str| l.bytes().all(|b| b == b' ');
        // The block's indentation: that of its first non-empty line, which no leading
        // whitespace-only line may exceed.
        let mut k = self.i + 1;
        let mut lead = 0;
        while k < self.starts.len() && all_spaces(self.line(k)) {
            lead = lead.max(self.line(k).len());
            k += 1;
        }
        if k == self.starts.len() {
            return None;
        }
        let bi = self.indent(k);
        if bi <= n || lead > bi {
            return None;
        }
        let mut out = String::new();
        let mut breaks = 0usize;
        let mut last_content = None;
        let mut k = self.i + 1;
        while k < self.starts.len() {
            let l = self.line(k);
            if all_spaces(l) {
                // Spaces up to the indentation make an empty line; more are content.
                if l.len() <= bi {
                    breaks += 1;
                    k += 1;
                    continue;
                }
            } else if self.indent(k) < bi {
                break;
            }
            if last_content.is_some() {
                out.push('\n');
            }
            for _ in 0..breaks {
                out.push('\n');
            }
            breaks = 0;
            out.push_str(&l[bi..]);
            last_content = Some(k);
            k += 1;
        }
        let last = last_content?;
        let n_lines = self.starts.len();
        if k == n_lines && last + 1 < n_lines && !self.line(n_lines - 1).is_empty() {
            // Whitespace on the last line of the text, after the content: left to the full
            // reader.
            return None;
        }
        // Clipping keeps one line break, also when the content ends the text without one.
        if !strip {
            out.push('\n');
        }
        self.i = k;
        Some(Value::String(out))
    }
}

/// `-` alone or followed by a space: a block sequence entry.
fn is_dash(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

fn is_comment_or_empty(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#') && t.len() < rest.len()
}

/// Whether a plain scalar may start here (not an indicator, or `-?:` before a non-space).
fn plain_start(t: &str) -> bool {
    let b = t.as_bytes();
    match b[0] {
        b'-' | b'?' | b':' => b.get(1).is_some_and(|&c| c != b' '),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b' ' => false,
        _ => true,
    }
}

/// Reads `t` as `key: ...` (a plain or quoted single-line key).
fn split_key(t: &str) -> KeySplit<'_> {
    let b = t.as_bytes();
    if matches!(b.first(), Some(b'"' | b'\'')) {
        let Some((key, rest)) = quoted(t) else { return KeySplit::Bad };
        return match rest.strip_prefix(':') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                if key.chars().count() > MAX_KEY {
                    KeySplit::Bad
                } else {
                    KeySplit::Key(key, after)
                }
            }
            _ if is_comment_or_empty(rest) => KeySplit::NotKey,
            _ => KeySplit::Bad,
        };
    }
    if b.is_empty() || !plain_start(t) {
        return KeySplit::Bad;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b':' if i + 1 == b.len() || b[i + 1] == b' ' => {
                let key = &t[..i];
                if key.ends_with(' ') || key.len() > MAX_KEY {
                    return KeySplit::Bad;
                }
                // `<<` is a merge key; other non-strings are converted by sigs.k8s.io/yaml.
                if key == "<<" || super::resolve_plain(key, true) != super::Plain::Str {
                    return KeySplit::Bad;
                }
                return KeySplit::Key(key.to_owned(), &t[i + 1..]);
            }
            b'#' if b[i - 1] == b' ' => return KeySplit::NotKey,
            _ => i += 1,
        }
    }
    KeySplit::NotKey
}

/// A plain scalar value running to the end of the line (or a comment), trimmed.
fn plain_value(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let mut end = b.len();
    for i in 0..b.len() {
        match b[i] {
            b':' if i + 1 == b.len() || b[i + 1] == b' ' => return None,
            b'#' if i > 0 && b[i - 1] == b' ' => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    Some(t[..end].trim_end_matches(' '))
}

/// A single-line quoted scalar at the start of `t`: its value and the text after the closing
/// quote.
fn quoted(t: &str) -> Option<(String, &str)> {
    let b = t.as_bytes();
    let q = b[0];
    let mut out = String::new();
    let mut i = 1;
    let mut run = 1;
    while i < b.len() {
        match b[i] {
            c if c == q && q == b'\'' => {
                out.push_str(&t[run..i]);
                if b.get(i + 1) == Some(&b'\'') {
                    out.push('\'');
                    i += 2;
                    run = i;
                    continue;
                }
                return Some((out, &t[i + 1..]));
            }
            b'"' if q == b'"' => {
                out.push_str(&t[run..i]);
                return Some((out, &t[i + 1..]));
            }
            b'\\' if q == b'"' => {
                out.push_str(&t[run..i]);
                let (c, len) = escape(&t[i + 1..])?;
                out.push(c);
                i += 1 + len;
                run = i;
            }
            _ => i += 1,
        }
    }
    None
}

/// A double-quoted escape (after the backslash): the character and how many bytes it took.
fn escape(t: &str) -> Option<(char, usize)> {
    let hex = |n: usize| {
        let digits = t.get(1..1 + n)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        char::from_u32(u32::from_str_radix(digits, 16).ok()?).map(|c| (c, 1 + n))
    };
    match t.as_bytes().first()? {
        b'\\' => Some(('\\', 1)),
        b'"' => Some(('"', 1)),
        b'n' => Some(('\n', 1)),
        b't' => Some(('\t', 1)),
        b'r' => Some(('\r', 1)),
        b'0' => Some(('\0', 1)),
        b'x' => hex(2),
        b'u' => hex(4),
        b'U' => hex(8),
        _ => None,
    }
}

/// The full reader alone (what `yaml_to_json` and `parse_document` do without this module).
fn full(src: &str, json: bool) -> Result<Value, super::YamlError> {
    let v = to_string_keys(super::unmarshal(src, &super::ReadOptions::default())?, json)?;
    if json && super::first_non_finite(&v).is_some() {
        return Err(super::YamlError::yaml("non-finite", None));
    }
    Ok(v)
}

/// Whether this reader answers for `src` (with and without JSON numbers), or how its answer
/// differs from the full reader's.
pub(super) fn compare(src: &str) -> Result<bool, String> {
    let mut handled = false;
    for json in [true, false] {
        if let Some(v) = read(src, json) {
            handled = true;
            match full(src, json) {
                Ok(w) if w == v => {}
                other => return Err(format!("{src:?} (json {json}): fast {v:?}, full {other:?}")),
            }
        }
    }
    Ok(handled)
}

#[cfg(test)]
mod tests {
    use super::compare as agrees;
    use super::read;
    use proptest::prelude::*;

    #[test]
    fn reads_the_subset_like_the_full_reader() {
        let subset = [
            "a: 1\nb: yes\nc: ~\nd: 1.5\ne: 0x1F\nf: 2001-12-14\ng: '007'\nh: \"x\\ty\\u00e9\"\n",
            "a:\n- 1\n- b: 2\n  c:\n  - x\n  -\n    k: z\nd: e # comment\n",
            "a: |\n  line1\n\n    more\n   \n  end\nb: |-\n    x\n  \nc: 1\n",
            "a: |\n  x",
            "a: |\n\n  x\n",
            "a: []\nb: {}\nc: [ ] # x\nd:\n- {}\ne: [1]\n",
            "a: [\"x\", 'y', z w, 1, yes]\nb:\n  []\n",
            "k: v:w\nk2: http://x/y#z\nk3: a #b\n'q k': 'it''s'\n\"d k\": \"\\\\\"\n",
            "a: 1\na: 2\n",
            "a:    \n    # c\n  b: 1\n",
            "r:\n- x: 1\n  k: 2\n- z\n",
        ];
        for c in subset {
            assert_eq!(agrees(c), Ok(true), "{c:?}");
        }
        let elsewhere = [
            "- a\n",
            "a: b: c\n",
            "a: &x 1\nb: *x\n",
            "a: >\n  folded\n",
            "a:\n  b\n",
            "a: 1\n  b: 2\n",
            "a:\n  - 1\n  b: 2\n",
            "a: 'x' y\n",
            "true: 1\n",
            "y: 1\n",
            "a: .inf\n",
            "a: \"\\/\"\n",
            "a: |\n      \n  x\n",
            "a: |\n  x\n  ",
            "a:\tb\n",
            "a: \"unterminated\n",
            "a: -\n",
            "<<: {a: 1}\n",
            "a: 1\n...\n",
            "key with spaces: v\n? complex\n",
            "c: [a,]\nd: [a, [b]]\ne: [a: b]\n",
            "a:\n  {}\n  b: 1\n",
            "f: {a: 1}\n",
            "a:\n  - - 1\n",
        ];
        for c in elsewhere {
            assert_eq!(agrees(c), Ok(false), "{c:?}");
        }
    }

    fn shared() -> Option<std::path::PathBuf> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        p.is_dir().then_some(p)
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    /// Every YAML file of the shared corpus (values files, Chart.yaml, templates' rendered
    /// goldens split into documents): the fast reader agrees with the full one wherever it
    /// answers, and answers for most documents.
    #[test]
    fn agrees_with_the_full_reader_on_the_shared_corpus() {
        let Some(root) = shared() else {
            eprintln!("../shared/corpus not found; skipped");
            return;
        };
        let mut paths = Vec::new();
        files(&root, &mut paths);
        paths.sort();
        let (mut docs, mut handled, mut failures) = (0usize, 0usize, Vec::new());
        for p in &paths {
            let name = p.to_string_lossy();
            let Ok(text) = std::fs::read_to_string(p) else { continue };
            if name.contains("/templates/") {
                continue; // templates, not YAML
            }
            let pieces: Vec<String> = if name.ends_with(".yaml") && name.contains("/golden/") {
                crate::manifest::split_manifests(&text).into_iter().map(str::to_owned).collect()
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                match crate::yaml::split_documents(&text) {
                    Ok(d) => d.into_iter().map(|d| d.text).collect(),
                    Err(_) => continue,
                }
            } else {
                continue;
            };
            for doc in pieces {
                docs += 1;
                match agrees(&doc) {
                    Ok(true) => handled += 1,
                    Ok(false) => {
                        if std::env::var_os("FAST_YAML_MISSES").is_some() {
                            // The longest prefix of lines still read, to see where reading stops.
                            let lines: Vec<&str> = doc.split('\n').collect();
                            let (mut lo, mut hi) = (0, lines.len());
                            while lo + 1 < hi {
                                let mid = (lo + hi) / 2;
                                if read(&lines[..mid].join("\n"), true).is_some() {
                                    lo = mid;
                                } else {
                                    hi = mid;
                                }
                            }
                            let n = lo;
                            eprintln!("MISS {name} line {}: {:?}", n + 1, lines.get(n));
                        }
                    }
                    Err(e) => failures.push(format!("{name}: {e}")),
                }
            }
        }
        eprintln!("fast YAML reader: {handled} of {docs} corpus documents");
        assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
        assert!(
            handled * 100 >= docs * 85,
            "the fast reader read only {handled} of {docs} documents"
        );
    }

    /// Lines that mix the subset with what it must leave to the full reader.
    fn line() -> impl Strategy<Value = String> {
        let bodies = prop::sample::select(vec![
            "a: 1",
            "b: x y",
            "c:",
            "- d",
            "-",
            "- e: f",
            "g: |",
            "h: |-",
            "i: |+",
            "j: >",
            "text",
            "more text",
            "k: 'q''s'",
            "l: \"e\\n\\x41\"",
            "m: v # c",
            "# comment",
            "",
            "n: o: p",
            "q: [1]",
            "r: &a s",
            "t: *a",
            "u: \"x",
            "v: 'y",
            "w: -",
            "x:y",
            "? z",
            "y: yes",
            "0: zero",
            "z: 0o17",
            "dup: 1",
            "dup: 2",
            "s: ~",
            "- - 1",
            "- 'q': 1",
            "- \"k\": v",
            "key : v",
            "a: 1.0e+3",
            "<<: x",
            "a: 2001-12-14t21:59:43.10-05:00",
            "   ",
            "a: é ü",
            "b: \"\\u00e9\"",
            "c: #x",
        ]);
        (0usize..7, bodies).prop_map(|(indent, body)| format!("{}{}", " ".repeat(indent), body))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn never_disagrees_with_the_full_reader(
            lines in prop::collection::vec(line(), 1..14),
            end in prop::sample::select(vec!["", "\n", "\n\n", "\n  "]),
        ) {
            let src = lines.join("\n") + end;
            if let Err(e) = agrees(&src) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
