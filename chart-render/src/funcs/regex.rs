//! Sprig's regular-expression functions (`regexMatch`, `regexFindAll`, `regexFind`,
//! `regexReplaceAll`, `regexReplaceAllLiteral`, `regexSplit`, `regexQuoteMeta` and their `must*`
//! variants) with Go's `regexp` semantics.
//!
//! Patterns are read by a port of Go's `regexp/syntax` parser, so what Go accepts, rejects and
//! says about it (`error parsing regexp: missing closing ]: `[``) is reproduced exactly. The
//! parsed tree is then written out in the `regex` crate's syntax with Go's meanings made explicit
//! (ASCII-only `\d \s \w \b`, octal and `\Q...\E` escapes resolved, captures numbered as Go
//! numbers them), and matching, `FindAll`, `Split` and `$name` expansion follow Go's loops.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::strings::{go_is_digit, go_is_letter};
use super::{FnError, FnResult, Registry, Ty};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    use Ty::{Int, Str};
    r.add("regexMatch", &[Str, Str], |_, a| {
        Ok(Val::Bool(compile(arg_str(&a, 0)).is_ok_and(|re| re.is_match(arg_str(&a, 1)))))
    });
    r.add("mustRegexMatch", &[Str, Str], |_, a| {
        Ok(Val::Bool(must(arg_str(&a, 0))?.is_match(arg_str(&a, 1))))
    });
    r.add("regexFindAll", &[Str, Str, Int], |_, a| {
        Ok(find_all(&*panicking(arg_str(&a, 0))?, arg_str(&a, 1), arg_int(&a, 2)))
    });
    r.add("mustRegexFindAll", &[Str, Str, Int], |_, a| {
        Ok(find_all(&*must(arg_str(&a, 0))?, arg_str(&a, 1), arg_int(&a, 2)))
    });
    r.add("regexFind", &[Str, Str], |_, a| {
        Ok(Val::str(panicking(arg_str(&a, 0))?.find(arg_str(&a, 1))))
    });
    r.add("mustRegexFind", &[Str, Str], |_, a| {
        Ok(Val::str(must(arg_str(&a, 0))?.find(arg_str(&a, 1))))
    });
    r.add("regexReplaceAll", &[Str, Str, Str], |_, a| {
        panicking(arg_str(&a, 0))?.replace_all(arg_str(&a, 1), arg_str(&a, 2), true)
    });
    r.add("mustRegexReplaceAll", &[Str, Str, Str], |_, a| {
        must(arg_str(&a, 0))?.replace_all(arg_str(&a, 1), arg_str(&a, 2), true)
    });
    r.add("regexReplaceAllLiteral", &[Str, Str, Str], |_, a| {
        panicking(arg_str(&a, 0))?.replace_all(arg_str(&a, 1), arg_str(&a, 2), false)
    });
    r.add("mustRegexReplaceAllLiteral", &[Str, Str, Str], |_, a| {
        must(arg_str(&a, 0))?.replace_all(arg_str(&a, 1), arg_str(&a, 2), false)
    });
    r.add("regexSplit", &[Str, Str, Int], |_, a| {
        Ok(Val::str_list(panicking(arg_str(&a, 0))?.split(arg_str(&a, 1), arg_int(&a, 2))))
    });
    r.add("mustRegexSplit", &[Str, Str, Int], |_, a| {
        Ok(Val::str_list(must(arg_str(&a, 0))?.split(arg_str(&a, 1), arg_int(&a, 2))))
    });
    r.add("regexQuoteMeta", &[Str], |_, a| Ok(Val::str(quote_meta(arg_str(&a, 0)))));
}

fn arg_str(a: &[Val], i: usize) -> &str {
    match a.get(i) {
        Some(Val::Str(s)) => s,
        _ => "",
    }
}

fn arg_int(a: &[Val], i: usize) -> i64 {
    match a.get(i) {
        Some(Val::Int(n) | Val::Int64(n)) => *n,
        _ => 0,
    }
}

/// `regexp.Compile`'s error, as the `must*` functions return it.
fn must(expr: &str) -> Result<Rc<GoRegex>, FnError> {
    compile(expr).map_err(FnError::new)
}

/// `regexp.MustCompile`'s panic, as the plain functions report it.
fn panicking(expr: &str) -> Result<Rc<GoRegex>, FnError> {
    compile(expr).map_err(|e| {
        let quoted = if can_backquote(expr) {
            format!("`{expr}`")
        } else {
            chart_core::gofmt::go_quote(expr)
        };
        FnError::new(format!("regexp: Compile({quoted}): {e}"))
    })
}

/// Go's `strconv.CanBackquote`.
fn can_backquote(s: &str) -> bool {
    s.chars().all(|c| {
        if c.len_utf8() > 1 {
            c != '\u{feff}'
        } else {
            !((c < ' ' && c != '\t') || c == '`' || c == '\u{7f}')
        }
    })
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Compiled patterns.

/// A compiled Go pattern: the `regex` translation and Go's capture names.
#[derive(Debug)]
struct GoRegex {
    re: Engine,
    /// Capture names by index (index 0 is the whole match), as Go's `SubexpNames`.
    names: Vec<Option<String>>,
    /// Whether the source pattern was empty (Go's `Split` looks at it).
    empty_expr: bool,
}

thread_local! {
    static CACHE: RefCell<HashMap<String, Result<Rc<GoRegex>, String>>> =
        RefCell::new(HashMap::new());
}

/// The largest number of patterns kept compiled per thread.
const CACHE_LIMIT: usize = 256;

/// Go's `regexp.Compile`, cached per thread.
fn compile(expr: &str) -> Result<Rc<GoRegex>, String> {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(expr).cloned()) {
        return hit;
    }
    let result = compile_uncached(expr).map(Rc::new);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(expr.to_owned(), result.clone());
    });
    result
}

fn compile_uncached(expr: &str) -> Result<GoRegex, String> {
    let parsed = Parser::parse(expr).map_err(|e| e.to_string())?;
    if height(&parsed.node) > MAX_HEIGHT {
        return Err(GoError::new(NESTING_DEPTH, expr).to_string());
    }
    let mut pattern = String::with_capacity(expr.len() * 4);
    emit(&parsed.node, &mut pattern);
    let re = Engine::new(&pattern, !folds(&parsed.node) && !big_repeat(&parsed.node))
        .map_err(|()| GoError::new(LARGE, expr).to_string())?;
    Ok(GoRegex { re, names: parsed.names, empty_expr: expr.is_empty() })
}

/// Whether a pattern uses case folding (`(?i)`), which `regex_lite` does for ASCII only.
fn folds(node: &Node) -> bool {
    match node {
        Node::Literal(_, fold) | Node::Class(_, _, fold) => *fold,
        Node::Capture(sub) | Node::Repeat { sub, .. } => folds(sub),
        Node::Concat(v) | Node::Alternate(v) => v.iter().any(folds),
        Node::Empty | Node::AnyChar | Node::AnyCharNotNl | Node::Assert(_) => false,
    }
}

/// Whether a pattern has a counted repetition above 16: only `regex` decides whether such a
/// pattern is too large (Go's `expression too large`).
fn big_repeat(node: &Node) -> bool {
    match node {
        Node::Repeat { sub, min, max, counted, .. } => {
            *counted && (*min > 16 || max.is_some_and(|m| m > 16)) || big_repeat(sub)
        }
        Node::Capture(sub) => big_repeat(sub),
        Node::Concat(v) | Node::Alternate(v) => v.iter().any(big_repeat),
        _ => false,
    }
}

/// The translated pattern, compiled by `regex_lite` when that gives Go's meaning (no case
/// folding) and the translation is short: it compiles in a fraction of the time, which is most
/// of the cost for the small texts templates match. Haystacks above [`LITE_HAYSTACK`] bytes are
/// matched by a `regex` compiled on first need, whose matching is faster.
#[derive(Debug)]
struct Engine {
    pattern: String,
    lite: Option<::regex_lite::Regex>,
    full: std::cell::OnceCell<Result<::regex::Regex, ()>>,
}

/// Patterns longer than this (after translation) go straight to `regex`.
const LITE_PATTERN: usize = 512;
/// Haystacks longer than this are matched with `regex`.
const LITE_HAYSTACK: usize = 4096;

/// A match's capture group offsets, from either engine.
enum Locs {
    Full(::regex::CaptureLocations),
    Lite(::regex_lite::CaptureLocations),
}

impl Locs {
    fn get(&self, i: usize) -> Option<(usize, usize)> {
        match self {
            Locs::Full(l) => l.get(i),
            Locs::Lite(l) => l.get(i),
        }
    }
}

impl Engine {
    fn new(pattern: &str, lite_ok: bool) -> Result<Engine, ()> {
        let lite = (lite_ok && pattern.len() <= LITE_PATTERN)
            .then(|| {
                ::regex_lite::RegexBuilder::new(pattern)
                    .size_limit(1 << 26)
                    .nest_limit(4 * MAX_HEIGHT as u32)
                    .build()
                    .ok()
            })
            .flatten();
        let engine = Engine { pattern: pattern.to_owned(), lite, full: std::cell::OnceCell::new() };
        if engine.lite.is_none() {
            engine.full()?;
        }
        Ok(engine)
    }

    fn full(&self) -> Result<&::regex::Regex, ()> {
        self.full
            .get_or_init(|| {
                ::regex::RegexBuilder::new(&self.pattern)
                    .size_limit(1 << 26)
                    .nest_limit(4 * MAX_HEIGHT as u32)
                    .build()
                    .map_err(|_| ())
            })
            .as_ref()
            .map_err(|&()| ())
    }

    /// The lite engine, when it should match `haystack`.
    fn lite_for(&self, haystack: &str) -> Option<&::regex_lite::Regex> {
        self.lite.as_ref().filter(|_| haystack.len() <= LITE_HAYSTACK)
    }

    fn is_match(&self, s: &str) -> bool {
        match self.lite_for(s) {
            Some(re) => re.is_match(s),
            None => self.full().is_ok_and(|re| re.is_match(s)),
        }
    }

    fn find_at(&self, s: &str, at: usize) -> Option<(usize, usize)> {
        match self.lite_for(s) {
            Some(re) => re.find_at(s, at).map(|m| (m.start(), m.end())),
            None => self.full().ok()?.find_at(s, at).map(|m| (m.start(), m.end())),
        }
    }

    fn capture_locations(&self, s: &str) -> Option<Locs> {
        match self.lite_for(s) {
            Some(re) => Some(Locs::Lite(re.capture_locations())),
            None => self.full().ok().map(|re| Locs::Full(re.capture_locations())),
        }
    }

    fn captures_read_at(&self, locs: &mut Locs, s: &str, at: usize) -> Option<(usize, usize)> {
        match locs {
            Locs::Lite(l) => {
                self.lite.as_ref()?.captures_read_at(l, s, at).map(|m| (m.start(), m.end()))
            }
            Locs::Full(l) => {
                self.full().ok()?.captures_read_at(l, s, at).map(|m| (m.start(), m.end()))
            }
        }
    }
}

impl GoRegex {
    fn is_match(&self, s: &str) -> bool {
        self.re.is_match(s)
    }

    fn find(&self, s: &str) -> String {
        self.re.find_at(s, 0).map(|(a, b)| s[a..b].to_owned()).unwrap_or_default()
    }

    /// Go's `allMatches`: successive matches, an empty match right after a match skipped;
    /// at most `n` (all when `n < 0`).
    fn all_matches(&self, s: &str, n: i64) -> Vec<(usize, usize)> {
        let limit = if n < 0 { s.len() as u64 + 1 } else { n as u64 };
        let mut out = Vec::new();
        let mut pos = 0usize;
        let mut prev_end: Option<usize> = None;
        while (out.len() as u64) < limit && pos <= s.len() {
            let Some((m_start, m_end)) = self.re.find_at(s, pos) else { break };
            let mut accept = true;
            if m_end == pos {
                // An empty match at `pos`: not right after the previous match.
                if Some(m_start) == prev_end {
                    accept = false;
                }
                pos += s[pos..].chars().next().map_or(1, char::len_utf8);
            } else {
                pos = m_end;
            }
            prev_end = Some(m_end);
            if accept {
                out.push((m_start, m_end));
            }
        }
        out
    }

    fn split(&self, s: &str, n: i64) -> Vec<String> {
        if n == 0 {
            return Vec::new();
        }
        if !self.empty_expr && s.is_empty() {
            return vec![String::new()];
        }
        let mut out: Vec<String> = Vec::new();
        let (mut beg, mut end) = (0usize, 0usize);
        for (start, stop) in self.all_matches(s, n) {
            if n > 0 && out.len() as i64 == n - 1 {
                break;
            }
            end = start;
            if stop != 0 {
                out.push(s[beg..end].to_owned());
            }
            beg = stop;
        }
        if end != s.len() {
            out.push(s[beg..].to_owned());
        }
        out
    }

    /// Go's `ReplaceAllString` (`expand`: `$1`, `${name}`) or `ReplaceAllLiteralString`.
    fn replace_all(&self, src: &str, repl: &str, expand: bool) -> FnResult {
        let expand = expand && repl.contains('$');
        let mut out = String::with_capacity(src.len());
        let mut last_end = 0usize;
        let mut search = 0usize;
        let Some(mut locs) = self.re.capture_locations(src) else {
            return Ok(Val::str(src));
        };
        while search <= src.len() {
            let Some((start, end)) = self.re.captures_read_at(&mut locs, src, search) else {
                break;
            };
            out.push_str(&src[last_end..start]);
            // No replacement for an empty match right after another match.
            if end > last_end || start == 0 {
                if expand {
                    self.expand(&mut out, repl, src, &locs);
                } else {
                    out.push_str(repl);
                }
                if out.len() > super::strings::MAX_LEN {
                    return Err(FnError::new(format!(
                        "regexReplaceAll: result exceeds the limit of {} bytes",
                        super::strings::MAX_LEN
                    )));
                }
            }
            last_end = end;
            let width = src[search..].chars().next().map_or(0, char::len_utf8);
            if search + width > end {
                search += width;
            } else if search + 1 > end {
                search += 1;
            } else {
                search = end;
            }
        }
        out.push_str(&src[last_end..]);
        Ok(Val::str(out))
    }

    /// Go's `Regexp.expand`: `$$`, `$name`, `${name}`; names are the longest run of letters,
    /// digits and `_`; numbers select groups, other names the first matching named group;
    /// malformed references stay literal.
    fn expand(&self, out: &mut String, template: &str, src: &str, locs: &Locs) {
        let mut t = template;
        while let Some(i) = t.find('$') {
            out.push_str(&t[..i]);
            t = &t[i + 1..];
            if let Some(rest) = t.strip_prefix('$') {
                out.push('$');
                t = rest;
                continue;
            }
            let Some((name, num, rest)) = extract(t) else {
                out.push('$');
                continue;
            };
            t = rest;
            let group = match num {
                Some(n) => Some(n),
                None => self
                    .names
                    .iter()
                    .enumerate()
                    .find(|(i, n)| n.as_deref() == Some(name) && locs.get(*i).is_some())
                    .map(|(i, _)| i),
            };
            if let Some((a, b)) = group.and_then(|g| locs.get(g)) {
                out.push_str(&src[a..b]);
            }
        }
        out.push_str(t);
    }
}

/// Go's `extract`: a `name` or `{name}` at the start of `s`, its group number when it is a
/// number without a leading zero, and the rest.
fn extract(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| go_is_letter(c) || go_is_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => {
                num = Some(n * 10 + usize::from(b - b'0'));
            }
            _ => {
                num = None;
                break;
            }
        }
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

fn find_all(re: &GoRegex, s: &str, n: i64) -> Val {
    Val::str_list(re.all_matches(s, n).into_iter().map(|(a, b)| s[a..b].to_owned()))
}

// ---------------------------------------------------------------------------------------------
// Go's regexp/syntax parser (Perl flags), producing a tree with Go's meanings resolved.

const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_BRACKET: &str = "missing closing ]";
const MISSING_PAREN: &str = "missing closing )";
const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const UNEXPECTED_PAREN: &str = "unexpected )";
const NESTING_DEPTH: &str = "expression nests too deeply";
const LARGE: &str = "expression too large";

/// Go's bound on repetition counts (`maxRepeat`).
const MAX_REPEAT: i64 = 1000;
/// Go's bound on the height of the parse tree (`maxHeight`).
const MAX_HEIGHT: usize = 1000;

/// Go's `syntax.Error`.
#[derive(Debug)]
struct GoError {
    code: &'static str,
    expr: String,
}

impl GoError {
    fn new(code: &'static str, expr: &str) -> GoError {
        GoError { code, expr: expr.to_owned() }
    }
}

impl std::fmt::Display for GoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

/// The parser flags that change meaning (Go's `FoldCase`, `DotNL`, `OneLine`, `NonGreedy`).
#[derive(Debug, Clone, Copy)]
struct Flags {
    fold: bool,
    dot_nl: bool,
    one_line: bool,
    non_greedy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assertion {
    BeginText,
    EndText,
    BeginLine,
    EndLine,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, Copy)]
enum Perl {
    Digit,
    Space,
    Word,
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Perl(Perl, bool),
    /// A POSIX class name (`alpha`) and whether it is negated.
    Posix(&'static str, bool),
    /// A `regex`-crate Unicode class name and whether it is negated.
    Unicode(&'static str, bool),
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Literal(char, bool),
    Class(Vec<ClassItem>, bool, bool),
    AnyChar,
    AnyCharNotNl,
    Assert(Assertion),
    Capture(Box<Node>),
    Concat(Vec<Node>),
    Alternate(Vec<Node>),
    Repeat { sub: Box<Node>, min: u32, max: Option<u32>, greedy: bool, counted: bool },
}

/// One open group of the parse: its alternatives so far and the current concatenation.
struct Frame {
    capture: bool,
    saved: Flags,
    alts: Vec<Node>,
    cur: Vec<Node>,
}

impl Frame {
    fn finish(mut self) -> Node {
        let last = concat(std::mem::take(&mut self.cur));
        if self.alts.is_empty() {
            return last;
        }
        self.alts.push(last);
        Node::Alternate(self.alts)
    }
}

fn concat(mut nodes: Vec<Node>) -> Node {
    match nodes.len() {
        0 => Node::Empty,
        1 => nodes.pop().unwrap_or(Node::Empty),
        _ => Node::Concat(nodes),
    }
}

struct Parsed {
    node: Node,
    names: Vec<Option<String>>,
}

struct Parser<'a> {
    whole: &'a str,
    flags: Flags,
    frames: Vec<Frame>,
    names: Vec<Option<String>>,
}

impl<'a> Parser<'a> {
    fn parse(expr: &'a str) -> Result<Parsed, GoError> {
        let flags = Flags { fold: false, dot_nl: false, one_line: true, non_greedy: false };
        let mut p = Parser {
            whole: expr,
            flags,
            frames: vec![Frame { capture: false, saved: flags, alts: vec![], cur: vec![] }],
            names: vec![None],
        };
        let mut t = expr;
        let mut last_repeat: &str = "";
        while let Some(&b) = t.as_bytes().first() {
            let mut repeat: &str = "";
            match b {
                b'(' => {
                    if t.as_bytes().get(1) == Some(&b'?') {
                        t = p.parse_perl_flags(t)?;
                    } else {
                        p.names.push(None);
                        p.open_group(true);
                        t = &t[1..];
                    }
                }
                b'|' => {
                    p.vertical_bar();
                    t = &t[1..];
                }
                b')' => {
                    p.right_paren()?;
                    t = &t[1..];
                }
                b'^' => {
                    let a =
                        if p.flags.one_line { Assertion::BeginText } else { Assertion::BeginLine };
                    p.push(Node::Assert(a));
                    t = &t[1..];
                }
                b'$' => {
                    let a = if p.flags.one_line { Assertion::EndText } else { Assertion::EndLine };
                    p.push(Node::Assert(a));
                    t = &t[1..];
                }
                b'.' => {
                    p.push(if p.flags.dot_nl { Node::AnyChar } else { Node::AnyCharNotNl });
                    t = &t[1..];
                }
                b'[' => t = p.parse_class(t)?,
                b'*' | b'+' | b'?' => {
                    let (min, max) = match b {
                        b'*' => (0, None),
                        b'+' => (1, None),
                        _ => (0, Some(1)),
                    };
                    let after = p.repeat(min, max, false, t, &t[1..], last_repeat)?;
                    repeat = t;
                    t = after;
                }
                b'{' => match parse_repeat(t) {
                    None => {
                        p.literal('{');
                        t = &t[1..];
                    }
                    Some((min, max, after)) => {
                        if !(0..=MAX_REPEAT).contains(&min)
                            || max > MAX_REPEAT
                            || max >= 0 && min > max
                        {
                            return Err(GoError::new(
                                INVALID_REPEAT_SIZE,
                                &t[..t.len() - after.len()],
                            ));
                        }
                        let max = u32::try_from(max).ok();
                        let after = p.repeat(min as u32, max, true, t, after, last_repeat)?;
                        repeat = t;
                        t = after;
                    }
                },
                b'\\' => t = p.parse_backslash(t)?,
                _ => {
                    let c = t.chars().next().unwrap_or('\0');
                    p.literal(c);
                    t = &t[c.len_utf8()..];
                }
            }
            last_repeat = repeat;
        }
        if p.frames.len() != 1 {
            return Err(GoError::new(MISSING_PAREN, expr));
        }
        let top = p.frames.pop().map(Frame::finish).unwrap_or(Node::Empty);
        Ok(Parsed { node: top, names: p.names })
    }

    fn frame(&mut self) -> &mut Frame {
        if self.frames.is_empty() {
            self.frames.push(Frame {
                capture: false,
                saved: self.flags,
                alts: vec![],
                cur: vec![],
            });
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn push(&mut self, n: Node) {
        self.frame().cur.push(n);
    }

    fn literal(&mut self, c: char) {
        let fold = self.flags.fold;
        self.push(Node::Literal(c, fold));
    }

    fn open_group(&mut self, capture: bool) {
        let saved = self.flags;
        self.frames.push(Frame { capture, saved, alts: vec![], cur: vec![] });
    }

    fn vertical_bar(&mut self) {
        let f = self.frame();
        let c = concat(std::mem::take(&mut f.cur));
        f.alts.push(c);
    }

    fn right_paren(&mut self) -> Result<(), GoError> {
        if self.frames.len() < 2 {
            return Err(GoError::new(UNEXPECTED_PAREN, self.whole));
        }
        let Some(f) = self.frames.pop() else {
            return Err(GoError::new(UNEXPECTED_PAREN, self.whole));
        };
        self.flags = f.saved;
        let capture = f.capture;
        let node = f.finish();
        self.push(if capture { Node::Capture(Box::new(node)) } else { node });
        Ok(())
    }

    /// Go's `parser.repeat`: applies a repetition to the last item. `before` starts at the
    /// operator, `after` follows it; `last_repeat` is the previous item if it was a repetition.
    fn repeat(
        &mut self,
        min: u32,
        max: Option<u32>,
        counted: bool,
        before: &'a str,
        mut after: &'a str,
        last_repeat: &str,
    ) -> Result<&'a str, GoError> {
        let mut non_greedy = self.flags.non_greedy;
        if let Some(rest) = after.strip_prefix('?') {
            after = rest;
            non_greedy = !non_greedy;
        }
        if !last_repeat.is_empty() {
            let expr = &last_repeat[..last_repeat.len() - after.len()];
            return Err(GoError::new(INVALID_REPEAT_OP, expr));
        }
        let Some(sub) = self.frame().cur.pop() else {
            return Err(GoError::new(
                MISSING_REPEAT_ARGUMENT,
                &before[..before.len() - after.len()],
            ));
        };
        let node = Node::Repeat { sub: Box::new(sub), min, max, greedy: !non_greedy, counted };
        if counted && (min >= 2 || max.is_some_and(|m| m >= 2)) && !repeat_is_valid(&node, 1000) {
            return Err(GoError::new(INVALID_REPEAT_SIZE, &before[..before.len() - after.len()]));
        }
        self.push(node);
        Ok(after)
    }

    /// Go's `parsePerlFlags` for a `t` starting with `(?`.
    fn parse_perl_flags(&mut self, t: &'a str) -> Result<&'a str, GoError> {
        let b = t.as_bytes();
        let starts_with_p = t.len() > 4 && b[2] == b'P' && b[3] == b'<';
        let starts_with_name = t.len() > 3 && b[2] == b'<';
        if starts_with_p || starts_with_name {
            let start = if starts_with_p { 4 } else { 3 };
            let Some(end) = t.find('>') else {
                return Err(GoError::new(INVALID_NAMED_CAPTURE, t));
            };
            let capture = &t[..=end];
            let name = t.get(start..end).unwrap_or("");
            if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
                return Err(GoError::new(INVALID_NAMED_CAPTURE, capture));
            }
            self.names.push(Some(name.to_owned()));
            self.open_group(true);
            return Ok(&t[end + 1..]);
        }
        let mut rest = &t[2..];
        let mut flags = self.flags;
        let mut negate = false;
        let mut saw_flag = false;
        while let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
            match c {
                'i' => flags.fold = !negate,
                'm' => flags.one_line = negate,
                's' => flags.dot_nl = !negate,
                'U' => flags.non_greedy = !negate,
                '-' => {
                    if negate {
                        break;
                    }
                    negate = true;
                    saw_flag = false;
                    continue;
                }
                ':' | ')' => {
                    if negate && !saw_flag {
                        break;
                    }
                    if c == ':' {
                        self.open_group(false);
                    }
                    self.flags = flags;
                    return Ok(rest);
                }
                _ => break,
            }
            saw_flag = true;
        }
        Err(GoError::new(INVALID_PERL_OP, &t[..t.len() - rest.len()]))
    }

    /// A `\` outside a class: assertions, `\Q...\E`, classes, or an escaped character.
    fn parse_backslash(&mut self, t: &'a str) -> Result<&'a str, GoError> {
        if let Some(&c) = t.as_bytes().get(1) {
            let assertion = match c {
                b'A' => Some(Assertion::BeginText),
                b'b' => Some(Assertion::WordBoundary),
                b'B' => Some(Assertion::NotWordBoundary),
                b'z' => Some(Assertion::EndText),
                _ => None,
            };
            if let Some(a) = assertion {
                self.push(Node::Assert(a));
                return Ok(&t[2..]);
            }
            match c {
                b'C' => return Err(GoError::new(INVALID_ESCAPE, &t[..2])),
                b'Q' => {
                    let body = &t[2..];
                    let (lit, rest) = match body.find("\\E") {
                        Some(i) => (&body[..i], &body[i + 2..]),
                        None => (body, ""),
                    };
                    for ch in lit.chars() {
                        self.literal(ch);
                    }
                    return Ok(rest);
                }
                b'p' | b'P' => {
                    let (item, rest) = parse_unicode_class(t)?;
                    let fold = self.flags.fold;
                    self.push(Node::Class(vec![item], false, fold));
                    return Ok(rest);
                }
                _ => {}
            }
        }
        if let Some((item, rest)) = parse_perl_class(t) {
            let fold = self.flags.fold;
            self.push(Node::Class(vec![item], false, fold));
            return Ok(rest);
        }
        let (c, rest) = parse_escape(t)?;
        self.literal(c);
        Ok(rest)
    }

    /// Go's `parseClass` for a `t` starting with `[`.
    fn parse_class(&mut self, t: &'a str) -> Result<&'a str, GoError> {
        let whole = t;
        let mut rest = &t[1..];
        let mut negated = false;
        if let Some(r) = rest.strip_prefix('^') {
            negated = true;
            rest = r;
        }
        let mut items = Vec::new();
        let mut first = true;
        while rest.is_empty() || !rest.starts_with(']') || first {
            first = false;
            if rest.len() > 2 && rest.starts_with("[:") {
                if let Some(i) = rest[2..].find(":]") {
                    let name = &rest[..i + 4];
                    let item =
                        posix_class(name).ok_or_else(|| GoError::new(INVALID_CHAR_RANGE, name))?;
                    items.push(item);
                    rest = &rest[i + 4..];
                    continue;
                }
            }
            if rest.len() >= 2
                && rest.starts_with('\\')
                && matches!(rest.as_bytes()[1], b'p' | b'P')
            {
                let (item, r) = parse_unicode_class(rest)?;
                items.push(item);
                rest = r;
                continue;
            }
            if let Some((item, r)) = parse_perl_class(rest) {
                items.push(item);
                rest = r;
                continue;
            }
            let range_start = rest;
            let (lo, r) = parse_class_char(rest, whole)?;
            rest = r;
            let mut hi = lo;
            if rest.len() >= 2 && rest.starts_with('-') && rest.as_bytes()[1] != b']' {
                let (h, r) = parse_class_char(&rest[1..], whole)?;
                rest = r;
                hi = h;
                if hi < lo {
                    let expr = &range_start[..range_start.len() - rest.len()];
                    return Err(GoError::new(INVALID_CHAR_RANGE, expr));
                }
            }
            items.push(ClassItem::Range(lo, hi));
        }
        let fold = self.flags.fold;
        self.push(Node::Class(items, negated, fold));
        Ok(&rest[1..])
    }
}

/// Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` → `(min, max, rest)` with `max = -1` for no
/// bound and `min = -1` for a number too large; `None` when `{` is a literal.
fn parse_repeat(s: &str) -> Option<(i64, i64, &str)> {
    let s = s.strip_prefix('{')?;
    let (mut min, mut s) = parse_int(s)?;
    let max;
    if let Some(r) = s.strip_prefix(',') {
        s = r;
        if s.starts_with('}') {
            max = -1;
        } else {
            let (m, r) = parse_int(s)?;
            s = r;
            max = m;
            if m < 0 {
                min = -1;
            }
        }
    } else {
        max = min;
    }
    let rest = s.strip_prefix('}')?;
    Some((min, max, rest))
}

/// Go's `parseInt`: digits without a leading zero; `-1` for a value of 10^8 or more.
fn parse_int(s: &str) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits >= 2 && s.starts_with('0')) {
        return None;
    }
    let mut n: i64 = 0;
    for b in s[..digits].bytes() {
        if n >= 100_000_000 {
            n = -1;
            break;
        }
        n = n * 10 + i64::from(b - b'0');
    }
    Some((n, &s[digits..]))
}

/// Go's `repeatIsValid`: nested counted repetitions may not multiply beyond `n` copies.
fn repeat_is_valid(node: &Node, mut n: i64) -> bool {
    if let Node::Repeat { min, max, counted: true, .. } = node {
        let m = match max {
            Some(0) => return true,
            Some(m) => i64::from(*m),
            None => i64::from(*min),
        };
        if m > n {
            return false;
        }
        if m > 0 {
            n /= m;
        }
    }
    match node {
        Node::Capture(s) | Node::Repeat { sub: s, .. } => repeat_is_valid(s, n),
        Node::Concat(v) | Node::Alternate(v) => v.iter().all(|s| repeat_is_valid(s, n)),
        _ => true,
    }
}

/// The height of Go's parse tree for the node (literal runs are one node in Go).
fn height(node: &Node) -> usize {
    match node {
        Node::Capture(s) | Node::Repeat { sub: s, .. } => 1 + height(s),
        Node::Concat(v) if v.iter().all(|n| matches!(n, Node::Literal(..))) => 1,
        Node::Concat(v) | Node::Alternate(v) => 1 + v.iter().map(height).max().unwrap_or(0),
        _ => 1,
    }
}

/// Go's `parseEscape` for an `s` starting with `\`.
fn parse_escape(s: &str) -> Result<(char, &str), GoError> {
    let t = &s[1..];
    let Some(c) = t.chars().next() else {
        return Err(GoError::new(TRAILING_BACKSLASH, ""));
    };
    let mut t = &t[c.len_utf8()..];
    let invalid = |t: &str| GoError::new(INVALID_ESCAPE, &s[..s.len() - t.len()]);
    let octal = |b: Option<&u8>| b.is_some_and(|d| (b'0'..=b'7').contains(d));
    match c {
        '1'..='7' if !octal(t.as_bytes().first()) => Err(invalid(t)),
        '0'..='7' => {
            let mut r = c as u32 - '0' as u32;
            for _ in 1..3 {
                match t.as_bytes().first() {
                    Some(&d) if (b'0'..=b'7').contains(&d) => {
                        r = r * 8 + u32::from(d - b'0');
                        t = &t[1..];
                    }
                    _ => break,
                }
            }
            Ok((char::from_u32(r).unwrap_or('\u{fffd}'), t))
        }
        'x' => {
            let Some(c) = t.chars().next() else { return Err(invalid(t)) };
            t = &t[c.len_utf8()..];
            if c == '{' {
                let mut r: u32 = 0;
                let mut nhex = 0;
                loop {
                    let Some(c) = t.chars().next() else { return Err(invalid(t)) };
                    t = &t[c.len_utf8()..];
                    if c == '}' {
                        break;
                    }
                    let Some(v) = c.to_digit(16) else { return Err(invalid(t)) };
                    r = r * 16 + v;
                    if r > 0x10ffff {
                        return Err(invalid(t));
                    }
                    nhex += 1;
                }
                if nhex == 0 {
                    return Err(invalid(t));
                }
                return Ok((char::from_u32(r).unwrap_or('\u{fffd}'), t));
            }
            let x = c.to_digit(16);
            let y = t.chars().next();
            if let Some(y) = y {
                t = &t[y.len_utf8()..];
            }
            match (x, y.and_then(|y| y.to_digit(16))) {
                (Some(x), Some(y)) => Ok((char::from_u32(x * 16 + y).unwrap_or('\u{fffd}'), t)),
                _ => Err(invalid(t)),
            }
        }
        'a' => Ok(('\u{7}', t)),
        'f' => Ok(('\u{c}', t)),
        'n' => Ok(('\n', t)),
        'r' => Ok(('\r', t)),
        't' => Ok(('\t', t)),
        'v' => Ok(('\u{b}', t)),
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((c, t)),
        _ => Err(invalid(t)),
    }
}

/// Go's `parseClassChar`.
fn parse_class_char<'s>(s: &'s str, whole: &str) -> Result<(char, &'s str), GoError> {
    match s.chars().next() {
        None => Err(GoError::new(MISSING_BRACKET, whole)),
        Some('\\') => parse_escape(s),
        Some(c) => Ok((c, &s[c.len_utf8()..])),
    }
}

/// Go's `parsePerlClassEscape`: `\d \D \s \S \w \W`.
fn parse_perl_class(s: &str) -> Option<(ClassItem, &str)> {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b'\\' {
        return None;
    }
    let item = match b[1] {
        b'd' => ClassItem::Perl(Perl::Digit, false),
        b'D' => ClassItem::Perl(Perl::Digit, true),
        b's' => ClassItem::Perl(Perl::Space, false),
        b'S' => ClassItem::Perl(Perl::Space, true),
        b'w' => ClassItem::Perl(Perl::Word, false),
        b'W' => ClassItem::Perl(Perl::Word, true),
        _ => return None,
    };
    Some((item, &s[2..]))
}

/// Go's POSIX classes (`[:alpha:]`, `[:^alpha:]`).
fn posix_class(name: &str) -> Option<ClassItem> {
    const NAMES: [&str; 14] = [
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
        "space", "upper", "word", "xdigit",
    ];
    let inner = name.strip_prefix("[:")?.strip_suffix(":]")?;
    let (negated, inner) = match inner.strip_prefix('^') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    NAMES.iter().find(|&&n| n == inner).map(|&n| ClassItem::Posix(n, negated))
}

/// Go's `parseUnicodeClass` for an `s` starting with `\p` or `\P`.
fn parse_unicode_class(s: &str) -> Result<(ClassItem, &str), GoError> {
    let mut negated = s.as_bytes().get(1) == Some(&b'P');
    let t = &s[2..];
    let (seq, mut name, rest) = match t.chars().next() {
        None => (s, "", ""),
        Some('{') => {
            let Some(end) = s.find('}') else {
                return Err(GoError::new(INVALID_CHAR_RANGE, s));
            };
            (&s[..=end], &s[3..end], &s[end + 1..])
        }
        Some(c) => {
            let seq = &s[..2 + c.len_utf8()];
            (seq, &seq[2..], &s[seq.len()..])
        }
    };
    if let Some(n) = name.strip_prefix('^') {
        negated = !negated;
        name = n;
    }
    let (table, table_negated) =
        unicode_table(name).ok_or_else(|| GoError::new(INVALID_CHAR_RANGE, seq))?;
    Ok((ClassItem::Unicode(table, negated != table_negated), rest))
}

/// Go's `canonicalName`: first letter upper-cased, the rest lower-cased, `_ - space` dropped.
fn canonical_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut first = true;
    for c in name.chars() {
        match c {
            '_' | '-' | ' ' => {}
            c if first => {
                out.push(c.to_ascii_uppercase());
                first = false;
            }
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Go's `unicodeTable`: the `regex` crate's name for a Go Unicode class and whether it is
/// inverted (`Assigned` is "not unassigned").
fn unicode_table(name: &str) -> Option<(&'static str, bool)> {
    const CATEGORIES: &[&str] = &[
        "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
        "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc",
        "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "LC",
    ];
    // Unicode 15 scripts whose Go name is already in canonical form (the lookup canonicalises
    // first, so `Old_Italic` or `SignWriting` never match: Go behaves so too).
    const SCRIPTS: &[&str] = &[
        "Adlam",
        "Ahom",
        "Arabic",
        "Armenian",
        "Avestan",
        "Balinese",
        "Bamum",
        "Batak",
        "Bengali",
        "Bhaiksuki",
        "Bopomofo",
        "Brahmi",
        "Braille",
        "Buginese",
        "Buhid",
        "Carian",
        "Chakma",
        "Cham",
        "Cherokee",
        "Chorasmian",
        "Common",
        "Coptic",
        "Cuneiform",
        "Cypriot",
        "Cyrillic",
        "Deseret",
        "Devanagari",
        "Dogra",
        "Duployan",
        "Elbasan",
        "Elymaic",
        "Ethiopic",
        "Georgian",
        "Glagolitic",
        "Gothic",
        "Grantha",
        "Greek",
        "Gujarati",
        "Gurmukhi",
        "Han",
        "Hangul",
        "Hanunoo",
        "Hatran",
        "Hebrew",
        "Hiragana",
        "Inherited",
        "Javanese",
        "Kaithi",
        "Kannada",
        "Katakana",
        "Kawi",
        "Kharoshthi",
        "Khmer",
        "Khojki",
        "Khudawadi",
        "Lao",
        "Latin",
        "Lepcha",
        "Limbu",
        "Lisu",
        "Lycian",
        "Lydian",
        "Mahajani",
        "Makasar",
        "Malayalam",
        "Mandaic",
        "Manichaean",
        "Marchen",
        "Medefaidrin",
        "Miao",
        "Modi",
        "Mongolian",
        "Mro",
        "Multani",
        "Myanmar",
        "Nabataean",
        "Nandinagari",
        "Newa",
        "Nko",
        "Nushu",
        "Ogham",
        "Oriya",
        "Osage",
        "Osmanya",
        "Palmyrene",
        "Phoenician",
        "Rejang",
        "Runic",
        "Samaritan",
        "Saurashtra",
        "Sharada",
        "Shavian",
        "Siddham",
        "Sinhala",
        "Sogdian",
        "Soyombo",
        "Sundanese",
        "Syriac",
        "Tagalog",
        "Tagbanwa",
        "Takri",
        "Tamil",
        "Tangsa",
        "Tangut",
        "Telugu",
        "Thaana",
        "Thai",
        "Tibetan",
        "Tifinagh",
        "Tirhuta",
        "Toto",
        "Ugaritic",
        "Vai",
        "Vithkuqi",
        "Wancho",
        "Yezidi",
        "Yi",
    ];
    // unicode.CategoryAliases, keyed by canonical name.
    const ALIASES: &[(&str, &str)] = &[
        ("Casedletter", "LC"),
        ("Closepunctuation", "Pe"),
        ("Combiningmark", "M"),
        ("Connectorpunctuation", "Pc"),
        ("Control", "Cc"),
        ("Currencysymbol", "Sc"),
        ("Dashpunctuation", "Pd"),
        ("Decimalnumber", "Nd"),
        ("Enclosingmark", "Me"),
        ("Finalpunctuation", "Pf"),
        ("Format", "Cf"),
        ("Initialpunctuation", "Pi"),
        ("Letter", "L"),
        ("Letternumber", "Nl"),
        ("Lineseparator", "Zl"),
        ("Lowercaseletter", "Ll"),
        ("Mark", "M"),
        ("Mathsymbol", "Sm"),
        ("Modifierletter", "Lm"),
        ("Modifiersymbol", "Sk"),
        ("Nonspacingmark", "Mn"),
        ("Number", "N"),
        ("Openpunctuation", "Ps"),
        ("Other", "C"),
        ("Otherletter", "Lo"),
        ("Othernumber", "No"),
        ("Otherpunctuation", "Po"),
        ("Othersymbol", "So"),
        ("Paragraphseparator", "Zp"),
        ("Privateuse", "Co"),
        ("Punctuation", "P"),
        ("Separator", "Z"),
        ("Spaceseparator", "Zs"),
        ("Spacingmark", "Mc"),
        ("Surrogate", "Cs"),
        ("Symbol", "S"),
        ("Titlecaseletter", "Lt"),
        ("Unassigned", "Cn"),
        ("Uppercaseletter", "Lu"),
        ("Cntrl", "Cc"),
        ("Digit", "Nd"),
        ("Punct", "P"),
    ];
    let name = canonical_name(name);
    match name.as_str() {
        "Any" => return Some(("Any", false)),
        "Assigned" => return Some(("Cn", true)),
        "Ascii" => return Some(("ASCII", false)),
        "Lc" => return Some(("LC", false)),
        _ => {}
    }
    if let Some(c) = CATEGORIES.iter().find(|&&c| c == name) {
        return Some((c, false));
    }
    if let Some(s) = SCRIPTS.iter().find(|&&s| s == name) {
        return Some((s, false));
    }
    ALIASES.iter().find(|(a, _)| *a == name).map(|(_, c)| (*c, false))
}

// ---------------------------------------------------------------------------------------------
// Writing the tree in the regex crate's syntax.

fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
    }
}

fn push_perl(out: &mut String, p: Perl) {
    out.push_str(match p {
        Perl::Digit => "0-9",
        Perl::Space => "\\x{9}\\x{A}\\x{C}\\x{D}\\x{20}",
        Perl::Word => "0-9A-Za-z_",
    });
}

fn emit_class(items: &[ClassItem], negated: bool, out: &mut String) {
    out.push('[');
    if negated {
        out.push('^');
    }
    for item in items {
        match item {
            ClassItem::Range(lo, hi) => {
                push_char(out, *lo);
                if lo != hi {
                    out.push('-');
                    push_char(out, *hi);
                }
            }
            ClassItem::Perl(p, neg) => {
                if *neg {
                    out.push_str("[^");
                    push_perl(out, *p);
                    out.push(']');
                } else {
                    push_perl(out, *p);
                }
            }
            ClassItem::Posix(name, neg) => {
                let _ = write!(out, "[:{}{name}:]", if *neg { "^" } else { "" });
            }
            ClassItem::Unicode(name, neg) => {
                let _ = write!(out, "\\{}{{{name}}}", if *neg { 'P' } else { 'p' });
            }
        }
    }
    if items.is_empty() && !negated {
        // Go's empty class matches nothing.
        out.push_str("^\\x{0}-\\x{10FFFF}");
    }
    out.push(']');
}

fn emit(node: &Node, out: &mut String) {
    match node {
        Node::Empty => out.push_str("(?:)"),
        Node::Literal(c, fold) => {
            if *fold {
                out.push_str("(?i:");
                push_char(out, *c);
                out.push(')');
            } else {
                push_char(out, *c);
            }
        }
        Node::Class(items, negated, fold) => {
            if *fold {
                out.push_str("(?i:");
            }
            emit_class(items, *negated, out);
            if *fold {
                out.push(')');
            }
        }
        Node::AnyChar => out.push_str("(?s:.)"),
        Node::AnyCharNotNl => out.push_str("[^\\n]"),
        Node::Assert(a) => out.push_str(match a {
            Assertion::BeginText => "\\A",
            Assertion::EndText => "\\z",
            Assertion::BeginLine => "(?m:^)",
            Assertion::EndLine => "(?m:$)",
            Assertion::WordBoundary => "(?-u:\\b)",
            Assertion::NotWordBoundary => "(?-u:\\B)",
        }),
        Node::Capture(sub) => {
            out.push('(');
            emit(sub, out);
            out.push(')');
        }
        Node::Concat(v) => {
            for n in v {
                emit(n, out);
            }
        }
        Node::Alternate(v) => {
            out.push_str("(?:");
            for (i, n) in v.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(n, out);
            }
            out.push(')');
        }
        Node::Repeat { sub, min, max, greedy, .. } => {
            out.push_str("(?:");
            emit(sub, out);
            out.push(')');
            match (min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (n, None) => {
                    let _ = write!(out, "{{{n},}}");
                }
                (n, Some(m)) if n == m => {
                    let _ = write!(out, "{{{n}}}");
                }
                (n, Some(m)) => {
                    let _ = write!(out, "{{{n},{m}}}");
                }
            }
            if !greedy {
                out.push('?');
            }
        }
    }
}

#[cfg(test)]
mod engines {
    use proptest::prelude::*;

    /// Go patterns over a small alphabet: atoms, classes, groups, alternation, repetition.
    fn pattern() -> impl Strategy<Value = String> {
        let atom = prop::sample::select(vec![
            "a", "b", "-", ".", "\\d", "\\w", "\\s", "\\b", "\\B", "^", "$", "[a-]", "[^b]",
            "[ab_]", "\\n", "(?s:.)", "(?m:^)", "(?m:$)",
        ])
        .prop_map(str::to_owned);
        atom.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}|{b}")),
                inner.clone().prop_map(|a| format!("({a})")),
                inner.clone().prop_map(|a| format!("(?:{a})")),
                (
                    inner,
                    prop::sample::select(vec!["*", "+", "?", "*?", "+?", "{2}", "{1,3}", "{0,}"])
                )
                    .prop_map(|(a, q)| format!("(?:{a}){q}")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        /// `regex_lite` and `regex` find the same matches and groups for translated patterns
        /// without case folding (the patterns the lite engine is used for).
        #[test]
        fn lite_and_full_agree(
            pat in pattern(),
            hay in "[ab \n_-]{0,16}",
        ) {
            let Ok(parsed) = super::Parser::parse(&pat) else { return Ok(()) };
            prop_assume!(!super::folds(&parsed.node) && !super::big_repeat(&parsed.node));
            let mut p = String::new();
            super::emit(&parsed.node, &mut p);
            let (Ok(lite), Ok(full)) = (regex_lite::Regex::new(&p), regex::Regex::new(&p)) else {
                return Ok(());
            };
            let (mut ll, mut fl) = (lite.capture_locations(), full.capture_locations());
            for at in 0..=hay.len() {
                let l = lite.captures_read_at(&mut ll, &hay, at).map(|m| m.range());
                let f = full.captures_read_at(&mut fl, &hay, at).map(|m| m.range());
                prop_assert_eq!(&l, &f, "{} on {:?} at {}", p, hay, at);
                if l.is_some() {
                    for g in 0..fl.len() {
                        prop_assert_eq!(ll.get(g), fl.get(g), "group {} of {} on {:?}", g, p, hay);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::funcs::{Env, FixedClock, SeededRandom, registry};

    fn call(name: &str, args: Vec<Val>) -> FnResult {
        let mut rnd = SeededRandom(1);
        let clock = FixedClock(SystemTime::UNIX_EPOCH);
        let mut env = Env { random: &mut rnd, clock: &clock, lint: None };
        (registry().get(name).unwrap().body)(&mut env, args)
    }

    fn s(x: &str) -> Val {
        Val::str(x)
    }

    fn ok(name: &str, args: Vec<Val>) -> String {
        call(name, args).unwrap().fmt_v()
    }

    /// `mustRegexMatch PATTERN "a"`: `Ok(matched)` or Go's error text.
    fn must_match(pattern: &str, input: &str) -> Result<bool, String> {
        match call("mustRegexMatch", vec![s(pattern), s(input)]) {
            Ok(Val::Bool(b)) => Ok(b),
            Ok(v) => Err(format!("unexpected {v:?}")),
            Err(e) => Err(e.message),
        }
    }

    // Expectations printed by helm v4.1.4.

    #[test]
    fn find_split_quote() {
        let n = Val::Int;
        assert_eq!(ok("regexFindAll", vec![s("[0-9]+"), s("a1b22c333"), n(-1)]), "[1 22 333]");
        assert_eq!(ok("regexFindAll", vec![s("[0-9]+"), s("a1b22c333"), n(2)]), "[1 22]");
        let none = call("regexFindAll", vec![s("z"), s("abc"), n(-1)]).unwrap();
        assert_eq!((none.fmt_v(), none.type_name()), ("[]".to_owned(), "[]string".to_owned()));
        assert_eq!(ok("regexSplit", vec![s("z+"), s("pizza"), n(-1)]), "[pi a]");
        assert_eq!(ok("regexSplit", vec![s(","), s("a,b,c"), n(2)]), "[a b,c]");
        assert_eq!(ok("regexSplit", vec![s(""), s("abc"), n(-1)]), "[a b c]");
        assert_eq!(
            ok("regexQuoteMeta", vec![s("1.5-2.0?[x]{y}^$|\\")]),
            "1\\.5-2\\.0\\?\\[x\\]\\{y\\}\\^\\$\\|\\\\"
        );
        assert_eq!(ok("regexMatch", vec![s("(?i)^ABC$"), s("abc")]), "true");
        assert_eq!(
            ok("regexFindAll", vec![s("\\p{Greek}+"), s("abc αβγ def δ"), n(-1)]),
            "[αβγ δ]"
        );
        assert_eq!(ok("regexMatch", vec![s("(a)\\1"), s("aa")]), "false");
        assert_eq!(ok("regexMatch", vec![s("["), s("x")]), "false");
    }

    #[test]
    fn replacing() {
        assert_eq!(
            ok("regexReplaceAllLiteral", vec![s("a(x*)b"), s("-ab-axxb-"), s("${1}")]),
            "-${1}-${1}-"
        );
        assert_eq!(
            ok("regexReplaceAll", vec![s("[^a-z0-9-]"), s("my_app.v2"), s("-")]),
            "my-app-v2"
        );
    }

    #[test]
    fn errors_match_go() {
        let e = call("mustRegexReplaceAll", vec![s("["), s("x"), s("y")]).unwrap_err();
        assert_eq!(e.message, "error parsing regexp: missing closing ]: `[`");
        let e = call("regexFind", vec![s("["), s("x")]).unwrap_err();
        assert_eq!(e.message, "regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`");
        let e = call("regexFindAll", vec![s("("), s("x"), Val::Int(-1)]).unwrap_err();
        assert_eq!(e.message, "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
        let e = call("regexSplit", vec![s("a**"), s("x"), Val::Int(-1)]).unwrap_err();
        assert_eq!(
            e.message,
            "regexp: Compile(`a**`): error parsing regexp: invalid nested repetition operator: `**`"
        );
    }

    #[test]
    fn syntax_table_matches_go() {
        // (pattern, Ok(matches "a") | Err(Go's message tail after "error parsing regexp: "))
        let cases: &[(&str, Result<bool, &str>)] = &[
            ("\\p{greek}", Ok(false)),
            ("\\p{Old_Italic}", Err("invalid character class range: `\\p{Old_Italic}`")),
            ("\\p{Letter}", Ok(true)),
            ("\\p{L}", Ok(true)),
            ("\\pL", Ok(true)),
            ("\\p{Lc}", Ok(true)),
            ("\\p{LC}", Ok(true)),
            ("\\p{Any}", Ok(true)),
            ("\\p{ascii}", Ok(true)),
            ("\\p{Assigned}", Ok(true)),
            ("\\p{^Greek}", Ok(true)),
            ("\\PL", Ok(false)),
            ("\\p{Latin", Err("invalid character class range: `\\p{Latin`")),
            ("\\p{Foo}", Err("invalid character class range: `\\p{Foo}`")),
            ("\\pZ", Ok(false)),
            ("[[:alpha:]]", Ok(true)),
            ("[[:foo:]]", Err("invalid character class range: `[:foo:]`")),
            ("\\Q.*\\E", Ok(false)),
            ("(?P<n>a)", Ok(true)),
            ("(?<n>a)", Ok(true)),
            ("(?'n'a)", Err("invalid or unsupported Perl syntax: `(?'`")),
            ("(?x)a", Err("invalid or unsupported Perl syntax: `(?x`")),
            ("(?i-i)a", Ok(true)),
            ("(?-)a", Err("invalid or unsupported Perl syntax: `(?-)`")),
            ("(?i:a", Err("missing closing ): `(?i:a`")),
            ("a{2,1}", Err("invalid repeat count: `{2,1}`")),
            ("a{1001}", Err("invalid repeat count: `{1001}`")),
            ("(a{500}){3}", Err("invalid repeat count: `{3}`")),
            ("a{,5}", Ok(false)),
            ("x{", Ok(false)),
            ("\\8", Err("invalid escape sequence: `\\8`")),
            ("\\18", Err("invalid escape sequence: `\\1`")),
            ("\\x{110000}", Err("invalid escape sequence: `\\x{110000`")),
            ("\\C", Err("invalid escape sequence: `\\C`")),
            ("\\z", Ok(true)),
            ("\\Z", Err("invalid escape sequence: `\\Z`")),
            ("\\<", Ok(false)),
            ("a**", Err("invalid nested repetition operator: `**`")),
            ("a*?*", Err("invalid nested repetition operator: `*?*`")),
            ("*", Err("missing argument to repetition operator: `*`")),
            ("(*)", Err("missing argument to repetition operator: `*`")),
            ("a|*", Err("missing argument to repetition operator: `*`")),
            ("[z-a]", Err("invalid character class range: `z-a`")),
            ("[a", Err("missing closing ]: `[a`")),
            (")", Err("unexpected ): `)`")),
            ("a)", Err("unexpected ): `a)`")),
            ("(a", Err("missing closing ): `(a`")),
            ("\\", Err("trailing backslash at end of expression: ``")),
            ("[]a]", Ok(true)),
            ("[^]a]", Ok(false)),
            ("\\pN", Ok(false)),
            ("(?P<a>x)(?P<a>y)", Ok(false)),
            ("(?P<1a>x)", Ok(false)),
            ("(?P<>x)", Err("invalid named capture: `(?P<>`")),
            ("(?P<a-b>x)", Err("invalid named capture: `(?P<a-b>`")),
            ("a{2}{3}", Err("invalid nested repetition operator: `{2}{3}`")),
            ("a{2}*", Err("invalid nested repetition operator: `{2}*`")),
            ("(?i)*", Err("missing argument to repetition operator: `*`")),
            ("a(?i)*", Ok(true)),
            ("[\\d-z]", Ok(false)),
            ("[a-\\d]", Err("invalid escape sequence: `\\d`")),
            ("\\b", Ok(true)),
            ("[\\b]", Err("invalid escape sequence: `\\b`")),
            ("\\p{Cased_letter}", Ok(true)),
            ("\\p{CASED-LETTER}", Ok(true)),
            ("\\p{l_u}", Ok(false)),
            ("\\p{Signwriting}", Err("invalid character class range: `\\p{Signwriting}`")),
            ("\\p{Latn}", Err("invalid character class range: `\\p{Latn}`")),
            ("\\p{White_Space}", Err("invalid character class range: `\\p{White_Space}`")),
            ("\\p{punct}", Ok(false)),
            ("\\p{Cn}", Ok(false)),
        ];
        for (pattern, want) in cases {
            let got = must_match(pattern, "a");
            let want = want.map_err(|e| format!("error parsing regexp: {e}"));
            assert_eq!(got, want, "{pattern:?}");
        }
    }
    enum Extra {
        None,
        N(i64),
        S(&'static str),
    }

    /// Matching, expansion and splitting corner cases, as helm printed them (`| toJson`; a nil
    /// slice, printed `null`, is compared as empty).
    #[test]
    fn semantics_table_matches_helm() {
        let cases: &[(&str, &str, &str, Extra, &[&str])] = &[
            ("regexFindAll", "a*", "baaac", Extra::N(-1), &["", "aaa", ""]),
            ("regexFindAll", "\\b", "ab cd", Extra::N(-1), &["", "", "", ""]),
            ("regexFindAll", "", "héllo", Extra::N(-1), &["", "", "", "", "", ""]),
            ("regexFindAll", "x*", "", Extra::N(-1), &[""]),
            ("regexFindAll", "(?i)ß|k", "SSKKkß", Extra::N(-1), &["K", "K", "k", "ß"]),
            ("regexFindAll", "\\w+", "héllo wörld_1", Extra::N(-1), &["h", "llo", "w", "rld_1"]),
            ("regexFindAll", "\\d+", "١٢٣ 456", Extra::N(-1), &["456"]),
            ("regexFindAll", "\\s+", "a\u{a0}b c\td", Extra::N(-1), &[" ", "\t"]),
            ("regexFindAll", "[[:upper:]]+", "ABcDÉ", Extra::N(-1), &["AB", "D"]),
            ("regexFindAll", "(?i)[[:upper:]]+", "ABcDé", Extra::N(-1), &["ABcD"]),
            ("regexFindAll", "(?U)a+", "aaa", Extra::N(-1), &["a", "a", "a"]),
            ("regexFindAll", "(?U)a+?", "aaa", Extra::N(-1), &["aaa"]),
            ("regexFindAll", "(?s).", "a\nb", Extra::N(-1), &["a", "\n", "b"]),
            ("regexFindAll", ".", "a\nb", Extra::N(-1), &["a", "b"]),
            ("regexFindAll", "(?m)^\\w", "ab\ncd", Extra::N(-1), &["a", "c"]),
            ("regexFindAll", "^\\w", "ab\ncd", Extra::N(-1), &["a"]),
            ("regexFindAll", "(?m)\\w$", "ab\ncd", Extra::N(-1), &["b", "d"]),
            ("regexFindAll", "\\101\\x41\\x{42}\\0", "AAB\u{0}", Extra::N(-1), &["AAB\u{0}"]),
            ("regexFindAll", "\\Qa.b\\E+", "a.bbb a.b axb", Extra::N(-1), &["a.bbb", "a.b"]),
            ("regexFindAll", "[^a-c]+", "abcxyzabc\n", Extra::N(-1), &["xyz", "\n"]),
            ("regexFindAll", "a|b|", "abc", Extra::N(-1), &["a", "b", ""]),
            ("regexFindAll", "é+", "ééé", Extra::N(2), &["ééé"]),
            ("regexFindAll", "(a)|b", "ab", Extra::N(0), &[]),
            ("regexFindAll", "\\Bb", "ab b", Extra::N(-1), &["b"]),
            ("regexFindAll", "\\bé", "é xé", Extra::N(-1), &["é"]),
            ("regexFindAll", "[\\d\\-z]+", "1-z2a", Extra::N(-1), &["1-z2"]),
            ("regexFindAll", "[\\W]+", "a!@b", Extra::N(-1), &["!@"]),
            ("regexFindAll", "x{2,3}?", "xxxxx", Extra::N(-1), &["xx", "xx"]),
            ("regexFindAll", "\\pL+", "abc δέ 12", Extra::N(-1), &["abc", "δέ"]),
            ("regexFindAll", "\\p{^L}+", "abc δέ 12", Extra::N(-1), &[" ", " 12"]),
            ("regexFindAll", "[\\p{Greek}\\d]+", "abc δέ12 3", Extra::N(-1), &["δέ12", "3"]),
            ("regexReplaceAll", "a(x*)b", "-ab-axxb-", Extra::S("$1W"), &["---"]),
            ("regexReplaceAll", "a(x*)b", "-ab-axxb-", Extra::S("${1}W"), &["-W-xxW-"]),
            (
                "regexReplaceAll",
                "(?P<first>\\w+) (?P<last>\\w+)",
                "john smith",
                Extra::S("$last, $first"),
                &["smith, john"],
            ),
            ("regexReplaceAll", "(\\w+)", "ab cd", Extra::S("<$1$$$>"), &["<ab$$> <cd$$>"]),
            (
                "regexReplaceAll",
                "(\\w+)",
                "ab cd",
                Extra::S("$01|$10|$2|${x|$ |$"),
                &["|||${x|$ |$ |||${x|$ |$"],
            ),
            ("regexReplaceAll", "a*", "baaac", Extra::S("-"), &["-b-c-"]),
            ("regexReplaceAll", "", "abc", Extra::S("-"), &["-a-b-c-"]),
            ("regexReplaceAll", "x*", "", Extra::S("-"), &["-"]),
            ("regexReplaceAll", "(a)|(b)", "ab", Extra::S("[$1|$2]"), &["[a|][|b]"]),
            ("regexReplaceAll", "(?P<n>a)|(?P<n>b)", "ab", Extra::S("[$n]"), &["[a][b]"]),
            ("regexReplaceAll", "é", "éaé", Extra::S("$0$0"), &["ééaéé"]),
            ("regexReplaceAll", "(\\w)(\\w)", "abcd", Extra::S("${2}${1}"), &["badc"]),
            ("regexReplaceAll", "b", "abc", Extra::S("${1}x$é"), &["axc"]),
            ("regexReplaceAllLiteral", "a*", "baaac", Extra::S("$1"), &["$1b$1c$1"]),
            ("regexSplit", "a*", "baaac", Extra::N(-1), &["b", "c"]),
            ("regexSplit", ",", "a,b,c", Extra::N(0), &[]),
            ("regexSplit", ",", "a,b,c", Extra::N(1), &["a,b,c"]),
            ("regexSplit", ",", "", Extra::N(-1), &[""]),
            ("regexSplit", "", "", Extra::N(-1), &[]),
            ("regexSplit", ",", ",a,", Extra::N(-1), &["", "a", ""]),
            ("regexSplit", "x*", "axbc", Extra::N(-1), &["a", "b", "c"]),
            ("regexSplit", "", "héllo", Extra::N(3), &["h", "é", "llo"]),
            ("regexFind", "b+", "abbbc", Extra::None, &["bbb"]),
            ("regexFind", "z", "abc", Extra::None, &[""]),
        ];
        for (f, pattern, input, extra, want) in cases {
            let mut args = vec![s(pattern), s(input)];
            match extra {
                Extra::None => {}
                Extra::N(n) => args.push(Val::Int(*n)),
                Extra::S(x) => args.push(s(x)),
            }
            let got: Vec<String> = match call(f, args).unwrap() {
                Val::List(l) => l.items.iter().map(|v| v.as_str().unwrap().to_owned()).collect(),
                v => vec![v.as_str().unwrap().to_owned()],
            };
            assert_eq!(got, *want, "{f} {pattern:?} {input:?}");
        }
    }
    proptest::proptest! {
        /// Any pattern compiles or fails with Go's error, and matching never panics.
        #[test]
        fn patterns_never_panic(
            pattern in "[\\\\()\\[\\]{}|*+?.^$:<>PpQEbBzdwsx=a-z0-9,\\-é]{0,16}",
            input in "[a-z0-9 é\\n]{0,12}",
        ) {
            let _ = call("regexMatch", vec![s(&pattern), s(&input)]);
            let _ = call("regexFindAll", vec![s(&pattern), s(&input), Val::Int(-1)]);
            let _ = call("regexReplaceAll", vec![s(&pattern), s(&input), s("<$1${x}>")]);
            let _ = call("regexSplit", vec![s(&pattern), s(&input), Val::Int(3)]);
        }
    }
}
