//! The YAML reader: go-yaml v2 + sigs.k8s.io/yaml + Helm's values loader, on `saphyr-parser`.
//!
//! The pipeline, one step per section below:
//!
//! 1. [`split_documents`]: k8s `YAMLReader` cuts the text at `---` lines (values files only).
//! 2. `compose`: saphyr's events of the *first* document become a node graph with anchors and
//!    aliases resolved, as go-yaml's parser builds it. saphyr's error messages are mapped to
//!    libyaml's wording and line convention.
//! 3. `Decoder`: go-yaml v2's decoder into `interface{}`: YAML 1.1 scalar resolution, explicit
//!    tags, merge keys, duplicate keys, the "excessive aliasing" guard.
//! 4. `to_string_keys`: sigs.k8s.io/yaml's conversion of map keys to strings.
//! 5. The JSON round trip (`encoding/json`): NaN and infinities are refused, every number becomes
//!    a `float64`.
//!
//! # go-yaml's line numbers
//!
//! go-yaml prints `line N: ` before a syntax error only when the problem is not on the first line.
//! For scanner errors (bad characters, unterminated quotes, `mapping values are not allowed`) `N`
//! is the 1-based line; for parser errors (`did not find expected key`, `did not find expected
//! ',' or ']'`) it is the *0-based* line, one less than the real line. The numbers count from the
//! start of the document being parsed (values files are split at `---` first).
//! [`YamlError::line`] / [`YamlError::column`] always hold the real 1-based position in the text
//! given to the reader.

use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use crate::gofmt::{format_float_g, format_float_g32};
use crate::{Map, Value};

mod fast;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// A YAML document Helm would refuse, with go-yaml's / sigs.k8s.io's message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct YamlError {
    /// The message as Helm prints it after `cannot unmarshal yaml document: ` (for
    /// [`YamlStage::Unmarshal`]) or after `error reading yaml document: ` (for
    /// [`YamlStage::SplitDocuments`]), e.g.
    /// `error converting YAML to JSON: yaml: line 2: did not find expected key`.
    pub message: String,
    /// 1-based line of the problem in the text given to the reader, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the problem, when known.
    pub column: Option<usize>,
}

/// The start of k8s `YAMLReader`'s only error.
const SEPARATOR_ERROR: &str = "invalid Yaml document separator: ";

/// The step of Helm's values loader ([`parse_values`]) an error comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum YamlStage {
    /// Cutting the text into documents at `---` lines (k8s `YAMLReader`); Helm prints
    /// `error reading yaml document: <message>`.
    SplitDocuments,
    /// Parsing, decoding or converting one document; Helm prints
    /// `cannot unmarshal yaml document: <message>`.
    Unmarshal,
}

impl YamlError {
    /// Which step of the values loader failed; it decides Helm's prefix, see
    /// [`YamlError::helm_message`].
    pub fn stage(&self) -> YamlStage {
        if self.message.starts_with(SEPARATOR_ERROR) {
            YamlStage::SplitDocuments
        } else {
            YamlStage::Unmarshal
        }
    }

    /// The error as Helm's values loader words it, without the file context:
    /// `cannot unmarshal yaml document: error converting YAML to JSON: yaml: ...` or
    /// `error reading yaml document: invalid Yaml document separator: ...`.
    pub fn helm_message(&self) -> String {
        match self.stage() {
            YamlStage::SplitDocuments => format!("error reading yaml document: {}", self.message),
            YamlStage::Unmarshal => format!("cannot unmarshal yaml document: {}", self.message),
        }
    }

    fn new(message: String, line: Option<usize>, column: Option<usize>) -> YamlError {
        YamlError { message, line, column }
    }

    /// An error of the YAML-to-JSON step (`error converting YAML to JSON: ...`).
    fn convert(text: impl std::fmt::Display, pos: Option<Pos>) -> YamlError {
        YamlError::new(
            format!("error converting YAML to JSON: {text}"),
            pos.map(|p| p.line),
            pos.map(|p| p.column),
        )
    }

    /// A go-yaml error raised outside the scanner and parser (`yaml: <text>`, no line).
    fn yaml(text: impl std::fmt::Display, pos: Option<Pos>) -> YamlError {
        YamlError::convert(format_args!("yaml: {text}"), pos)
    }

    /// A libyaml scanner error: go-yaml prints the 1-based line, unless it is the first one.
    fn scanner(problem: &str, pos: Pos) -> YamlError {
        let prefix = if pos.line > 1 { format!("line {}: ", pos.line) } else { String::new() };
        YamlError::yaml(format_args!("{prefix}{problem}"), Some(pos))
    }

    /// A libyaml parser error: go-yaml prints the 0-based line, unless it is the first one.
    fn parser(problem: &str, pos: Pos) -> YamlError {
        let prefix = if pos.line > 1 { format!("line {}: ", pos.line - 1) } else { String::new() };
        YamlError::yaml(format_args!("{prefix}{problem}"), Some(pos))
    }

    /// An `encoding/json` decoding error (`error unmarshaling JSON: while decoding JSON: ...`).
    fn json_decode(text: impl std::fmt::Display) -> YamlError {
        YamlError::new(format!("error unmarshaling JSON: while decoding JSON: {text}"), None, None)
    }

    /// Moves the position by the line offset of the document inside the whole text.
    fn shifted(mut self, lines: usize) -> YamlError {
        if let Some(l) = self.line.as_mut() {
            *l += lines;
        }
        self
    }
}

/// Limits that keep the reader's time and memory bounded on hostile input, with safe defaults.
///
/// ```
/// let mut opts = chart_core::yaml::ReadOptions::default();
/// opts.max_depth = 10;
/// let deep = "a: ".to_string() + &"[".repeat(20) + &"]".repeat(20);
/// assert!(opts.parse_values(&deep).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Deepest nesting of sequences and maps, counting alias expansions (default 1000). Helm
    /// itself stops at 10000 (Go's JSON decoder); the reader recurses, so values far above the
    /// default risk exhausting the stack.
    pub max_depth: usize,
    /// Most bytes of scalar text that alias expansion may copy (default 128 MiB), on top of
    /// go-yaml's own node-count check. Go shares strings between copies; we cannot.
    pub max_alias_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_depth: 1000, max_alias_bytes: 128 << 20 }
    }
}

impl ReadOptions {
    /// [`parse_document`] with these limits.
    pub fn parse_document(&self, src: &str) -> Result<Value, YamlError> {
        if let Some(v) = fast::read(src, false) {
            return Ok(v);
        }
        let go = unmarshal(src, self)?;
        to_string_keys(go, false)
    }

    /// [`yaml_to_json`] with these limits.
    pub fn yaml_to_json(&self, src: &str) -> Result<Value, YamlError> {
        // Plain block YAML (nearly every values file and rendered manifest) is read directly;
        // the full reader below decides everything else.
        if let Some(v) = fast::read(src, true) {
            return Ok(v);
        }
        let go = unmarshal(src, self)?;
        // Integers become floats in the same pass (JSON numbers); they are never NaN or
        // infinite, so the check below sees what it would see before that step.
        let v = to_string_keys(go, true)?;
        if let Some(f) = first_non_finite(&v) {
            return Err(YamlError::convert(
                format_args!("json: unsupported value: {}", format_float_g(f)),
                None,
            ));
        }
        Ok(v)
    }

    /// [`parse_values`] with these limits.
    pub fn parse_values(&self, src: &str) -> Result<Value, YamlError> {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let mut values = Map::new();
        for doc in split_documents(src)? {
            let v = self.yaml_to_json(&doc.text).map_err(|e| e.shifted(doc.first_line - 1))?;
            match v {
                Value::Map(m) => crate::coalesce::merge_maps(&mut values, m),
                Value::Null => {}
                other => {
                    return Err(YamlError {
                        line: Some(doc.first_line),
                        column: Some(1),
                        ..YamlError::json_decode(format_args!(
                            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                            other.json_kind()
                        ))
                    });
                }
            }
        }
        Ok(Value::Map(values))
    }
}

/// go-yaml v2 `Unmarshal` into `interface{}` (first document only) plus sigs.k8s.io/yaml's
/// conversion of map keys to strings, *without* the JSON number step: integers stay
/// [`Value::Int`] (integers that only fit a `uint64` become [`Value::Float`]), floats are
/// [`Value::Float`] (NaN and infinities allowed), and booleans, null and strings are kept.
/// An empty document is [`Value::Null`].
///
/// Used for typed files such as Chart.yaml, where sigs.k8s.io/yaml turns a number into the text
/// a string field receives.
///
/// ```
/// use chart_core::{yaml, Value};
/// let v = yaml::parse_document("version: 1.10\nreplicas: 3\n").unwrap();
/// assert_eq!(v.get("version"), Some(&Value::Float(1.1)));
/// assert_eq!(v.get("replicas"), Some(&Value::Int(3)));
/// ```
pub fn parse_document(src: &str) -> Result<Value, YamlError> {
    ReadOptions::default().parse_document(src)
}

/// sigs.k8s.io/yaml `YAMLToJSON` followed by `json.Unmarshal` into `interface{}`: like
/// [`parse_document`], but every number is a [`Value::Float`] and NaN or an infinity is the error
/// `error converting YAML to JSON: json: unsupported value: NaN` (`+Inf`, `-Inf`). Any top-level
/// type is accepted. Helm's `fromYaml` and `fromJson` read text this way.
///
/// ```
/// use chart_core::{yaml, Value};
/// assert_eq!(yaml::yaml_to_json("[1, yes]").unwrap(),
///            Value::List(vec![Value::Float(1.0), Value::Bool(true)]));
/// assert!(yaml::yaml_to_json("v: .nan").is_err());
/// ```
pub fn yaml_to_json(src: &str) -> Result<Value, YamlError> {
    ReadOptions::default().yaml_to_json(src)
}

/// Helm 4's values loader (`LoadValues`): ignores a UTF-8 BOM, splits the text into documents at
/// `---` lines as k8s `YAMLReader` does, reads each with sigs.k8s.io/yaml into a
/// `map[string]interface{}` (see [`yaml_to_json`]), and deep-merges the documents in order
/// (`MergeMaps`: nested maps merge, anything else is replaced). Always returns a [`Value::Map`].
///
/// ```
/// use chart_core::{yaml, Value};
/// let v = yaml::parse_values("a: {x: 1}\n---\na: {z: 2}\n").unwrap();
/// assert_eq!(v.get_path("a.x"), Some(&Value::Float(1.0)));
/// assert_eq!(v.get_path("a.z"), Some(&Value::Float(2.0)));
/// let err = yaml::parse_values("- a\n").unwrap_err();
/// assert!(err.message.ends_with("cannot unmarshal array into Go value of type map[string]interface {}"));
/// ```
pub fn parse_values(src: &str) -> Result<Value, YamlError> {
    ReadOptions::default().parse_values(src)
}

/// For the fuzz target: `Err` with both answers when the fast block-YAML reader answers
/// something other than the full reader would for `src`. Not part of the API.
#[doc(hidden)]
pub fn fast_reader_disagreement(src: &str) -> Result<(), String> {
    fast::compare(src).map(|_| ())
}

/// One document of a values file, as k8s `YAMLReader` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument {
    /// The document's lines, each ended by `\n` (a `\r\n` ending becomes `\n`).
    pub text: String,
    /// 1-based line of the document's first line in the whole text.
    pub first_line: usize,
}

/// Splits a values file into documents the way k8s `YAMLReader` does: a line starting with `---`
/// ends the current document when the rest of the line is blank or a comment (any other text
/// after `---` is the error `invalid Yaml document separator: <text>`). The separator that ends a
/// document is dropped; one that would start an empty document stays in the next one (so a
/// leading `---` reaches the YAML parser). Every line gets a `\n` ending, and `\r\n` endings
/// become `\n`.
///
/// ```
/// let docs = chart_core::yaml::split_documents("a: 1\n--- # two\nb: 2").unwrap();
/// assert_eq!(docs.len(), 2);
/// assert_eq!(docs[1].text, "b: 2\n");
/// assert_eq!(docs[1].first_line, 3);
/// ```
pub fn split_documents(src: &str) -> Result<Vec<RawDocument>, YamlError> {
    let mut docs = Vec::new();
    let mut buf = String::new();
    let mut first_line = 1;
    let mut lines = src.split('\n').peekable();
    let mut lineno = 0;
    while let Some(raw) = lines.next() {
        lineno += 1;
        let is_last = lines.peek().is_none();
        if is_last && raw.is_empty() {
            break; // the text ended with a newline
        }
        // bufio.ReadLine drops "\n" or "\r\n"; a final line without "\n" keeps its "\r".
        let line = if is_last { raw } else { raw.strip_suffix('\r').unwrap_or(raw) };
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(YamlError {
                    message: format!("{SEPARATOR_ERROR}{trimmed}"),
                    line: Some(lineno),
                    column: Some(4),
                });
            }
            if !buf.is_empty() {
                docs.push(RawDocument { text: std::mem::take(&mut buf), first_line });
                first_line = lineno + 1;
                continue;
            }
            // A separator that starts a document stays in it (YAMLReader only drops the one that
            // ends a document).
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        docs.push(RawDocument { text: buf, first_line });
    }
    Ok(docs)
}

/// The first NaN or infinity in the order `encoding/json` would write the value (sorted keys).
fn first_non_finite(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) if !f.is_finite() => Some(*f),
        Value::List(l) => l.iter().find_map(first_non_finite),
        Value::Map(m) => m.values().find_map(first_non_finite),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: usize,
    column: usize,
}

impl Pos {
    fn of(m: &saphyr_parser::Marker) -> Pos {
        Pos { line: m.line(), column: m.col() + 1 }
    }
}

/// The source text, addressable by saphyr's character indexes.
struct Source<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of every character, built on first use when the text is not ASCII.
    offsets: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        Source { text, ascii: text.is_ascii(), offsets: std::cell::OnceCell::new() }
    }

    /// The text from character index `idx` on.
    fn at_char(&self, idx: usize) -> &'a str {
        let byte = if self.ascii {
            idx
        } else {
            let offsets =
                self.offsets.get_or_init(|| self.text.char_indices().map(|(b, _)| b).collect());
            offsets.get(idx).copied().unwrap_or(self.text.len())
        };
        self.text.get(byte..).unwrap_or("")
    }

    /// Byte offset of character index `idx`.
    fn byte_of(&self, idx: usize) -> usize {
        self.text.len() - self.at_char(idx).len()
    }

    /// Character index of byte offset `byte` (a character boundary).
    fn char_of(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let offsets =
            self.offsets.get_or_init(|| self.text.char_indices().map(|(b, _)| b).collect());
        offsets.partition_point(|&b| b < byte)
    }

    /// Line and column of byte offset `byte`.
    fn pos_of_byte(&self, byte: usize) -> Pos {
        let before = self.text.get(..byte).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Pos { line, column }
    }

    /// Position of the end of the text.
    fn end(&self) -> Pos {
        let line = self.text.matches('\n').count() + 1;
        let last = self.text.rsplit('\n').next().unwrap_or("");
        Pos { line, column: last.chars().count() + 1 }
    }
}

/// A name after `&` or `*` as saphyr reads it: up to a blank or a flow indicator.
fn anchor_name(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .unwrap_or(text.len());
    &text[..end]
}

/// libyaml accepts only ASCII letters, digits, `_` and `-` in anchor names.
fn libyaml_anchor_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

// ---------------------------------------------------------------------------------------------
// Composition: saphyr events -> node graph of the first document
// ---------------------------------------------------------------------------------------------

type NodeId = usize;

#[derive(Debug)]
enum NodeKind {
    Scalar { value: String, style: ScalarStyle, tag: Option<String> },
    Seq(Vec<NodeId>),
    Map(Vec<(NodeId, NodeId)>),
    Alias { target: NodeId, name_at: usize },
}

#[derive(Debug)]
struct Node {
    kind: NodeKind,
    pos: Pos,
}

/// The first document of a YAML stream as a graph; `root` is `None` for an empty stream.
struct Document {
    nodes: Vec<Node>,
    root: Option<NodeId>,
    /// Column of the root node when it is a block collection.
    root_block_column: Option<usize>,
    /// The text the graph was read from (after any retry patches).
    text: String,
    /// Character ranges of quoted and block scalars, sorted.
    literals: Vec<(usize, usize)>,
}

/// An open collection while composing.
struct Frame {
    node: NodeId,
    key: Option<NodeId>,
    flow: bool,
    /// The bracket before a flow collection's first entry (`[` for a single-pair mapping in a
    /// flow sequence).
    bracket: char,
    /// Whether the collection has a bracket of its own.
    opened: bool,
    /// 0-based column of a block collection's entries.
    column: usize,
    /// 1-based line where the collection starts.
    line: usize,
}

/// Where libyaml's scanner would see tabs differently from saphyr's (see [`tab_error`]).
#[derive(Default)]
struct TabContext {
    /// Character ranges of outermost flow collections (tabs are blanks there).
    flows: Vec<(usize, usize)>,
    /// Character ranges of quoted and block scalars.
    scalars: Vec<(usize, usize)>,
    /// Plain scalars in block context: character range and libyaml's indent for them.
    plains: Vec<(usize, usize, usize)>,
    /// Block scalars: character range (from the first content character to the start of the
    /// line that ends them) and their content indentation.
    blocks: Vec<(usize, usize, usize)>,
}

/// How one composition attempt ended without a document.
enum Failure {
    /// The text is refused, with go-yaml's message.
    Error(YamlError),
    /// saphyr refused text libyaml accepts; the same YAML, rewritten so saphyr takes it.
    Retry(String),
}

/// Most rewrites of one document for saphyr (each re-reads the whole document), and the most
/// text all re-reads together may cover.
const MAX_RETRIES: usize = 1000;
const MAX_RETRY_BYTES: usize = 64 << 20;
/// How often a misplaced-bracket check may re-compose the text before the bracket inside
/// another such check. Each level runs its own retry loop, so the bound keeps the work linear;
/// without it a patched prefix can bring the same error back and recurse until the stack ends.
const MAX_BRACKET_NESTING: usize = 1;

fn compose(text: &str, opts: &ReadOptions) -> Result<Document, YamlError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    if text.contains('\u{85}') {
        // NEL is a line break in YAML 1.1 (libyaml reads it as `\n`), plain text in YAML 1.2.
        text = std::borrow::Cow::Owned(text.replace('\u{85}', "\n"));
    }
    if text.contains(":\t") {
        // `key:<TAB>value`: libyaml takes the tab as the blank after ':', saphyr refuses it.
        // Patching them all at once beats one retry per line; the patch stands only if no
        // patched tab was inside a quoted or block scalar, where it is text.
        let (candidate, spots) = space_after_colons(&text);
        if let Ok(doc) = compose_patched(&candidate, opts) {
            if doc.text == candidate && !spots.iter().any(|&i| inside(&doc.literals, i)) {
                return Ok(doc);
            }
        }
    }
    compose_patched(&text, opts)
}

/// The text with the tab after each `key:` replaced by a space, and the character indexes of the
/// replaced tabs.
fn space_after_colons(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut spots = Vec::new();
    let mut chars = 0;
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let mut prev = None;
        for (i, c) in line.char_indices() {
            let after_key =
                prev == Some(':') && i >= lead + 2 && !line[..i - 1].ends_with(char::is_whitespace);
            if c == '\t' && after_key {
                out.push(' ');
                spots.push(chars);
            } else {
                out.push(c);
            }
            prev = Some(c);
            chars += 1;
        }
    }
    (out, spots)
}

/// Composes `text`, rewriting it for saphyr where libyaml reads it differently.
fn compose_patched(text: &str, opts: &ReadOptions) -> Result<Document, YamlError> {
    compose_patched_nested(text, opts, 0)
}

/// [`compose_patched`] from inside `nesting` misplaced-bracket checks.
fn compose_patched_nested(
    text: &str,
    opts: &ReadOptions,
    nesting: usize,
) -> Result<Document, YamlError> {
    let max_retries = (MAX_RETRY_BYTES / text.len().max(1)).clamp(4, MAX_RETRIES);
    // Patches only add a little text; far more means they do not converge.
    let max_len = text.len() * 2 + 4096;
    let mut text = std::borrow::Cow::Borrowed(text);
    for attempt in 0..=max_retries {
        let may_patch = attempt < max_retries && text.len() <= max_len;
        match Composer::new(&text, opts, may_patch, nesting).run() {
            Ok(doc) => return Ok(doc),
            Err(Failure::Error(e)) => return Err(e),
            Err(Failure::Retry(patched)) => text = std::borrow::Cow::Owned(patched),
        }
    }
    Err(YamlError::yaml("unknown problem parsing YAML content", None))
}

struct Composer<'a> {
    src: Source<'a>,
    opts: &'a ReadOptions,
    may_patch: bool,
    /// How many misplaced-bracket checks this composition runs inside.
    nesting: usize,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    nodes: Vec<Node>,
    anchors: HashMap<usize, NodeId>,
    stack: Vec<Frame>,
    root: Option<NodeId>,
    tabs: TabContext,
    /// 1-based line where the last event read ends.
    last_line: usize,
    /// Character index where the last event read ends.
    last_end: usize,
    /// How many frames of `stack` are flow collections.
    flow_frames: usize,
    /// Column of the root node when it is a block collection.
    root_block_column: Option<usize>,
}

impl<'a> Composer<'a> {
    fn new(text: &'a str, opts: &'a ReadOptions, may_patch: bool, nesting: usize) -> Composer<'a> {
        Composer {
            src: Source::new(text),
            opts,
            may_patch,
            nesting,
            parser: Parser::new_from_str(text),
            nodes: Vec::new(),
            anchors: HashMap::new(),
            stack: Vec::new(),
            root: None,
            tabs: TabContext::default(),
            last_line: 1,
            last_end: 0,
            flow_frames: 0,
            root_block_column: None,
        }
    }

    /// Reads the first document.
    fn run(mut self) -> Result<Document, Failure> {
        check_stream_start(&self.src).map_err(Failure::Error)?;
        loop {
            let (event, span) = match self.parser.next_event() {
                None => break,
                Some(Ok(ev)) => ev,
                Some(Err(e)) => return Err(self.fail(&e)),
            };
            self.last_line = span.end.line();
            self.last_end = span.end.index();
            if self.event(event, span)? {
                break;
            }
        }
        let limit = self.src.text.split('\n').take(self.last_line).map(|l| l.len() + 1).sum();
        if let Some(e) = tab_error(&self.src, &self.tabs, limit) {
            return Err(Failure::Error(e));
        }
        let mut literals = self.tabs.scalars;
        literals.extend(self.tabs.blocks.iter().map(|&(s, e, _)| (s, e)));
        literals.sort_unstable();
        Ok(Document {
            nodes: self.nodes,
            root: self.root,
            root_block_column: self.root_block_column,
            text: self.src.text.to_owned(),
            literals,
        })
    }

    /// Adds one event to the graph; `true` once the first document is complete.
    fn event(&mut self, event: Event<'a>, span: Span) -> Result<bool, Failure> {
        let pos = Pos::of(&span.start);
        let (kind, anchor) = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => return Ok(false),
            Event::StreamEnd | Event::DocumentEnd => return Ok(true),
            Event::Alias(id) => {
                check_anchor_name(&self.src, span.start.index(), '*')
                    .map_err(|issue| self.anchor_failure(issue))?;
                match self.anchors.get(&id) {
                    Some(&target) => (NodeKind::Alias { target, name_at: span.start.index() }, 0),
                    // saphyr resolves names itself; an id without a node cannot happen.
                    None => return Err(Failure::Error(unknown_anchor(&self.src, span.start))),
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let (start, end) = (span.start.index(), span.end.index());
                if value.is_empty() && anchor == 0 && tag.is_none() && self.is_block_key_slot() {
                    self.check_empty_key(start).map_err(Failure::Error)?;
                }
                match style {
                    ScalarStyle::Plain if self.in_flow() => {
                        self.check_flow_plain(start, end).map_err(Failure::Error)?;
                    }
                    ScalarStyle::Plain => {
                        let indent = self.block_column().map_or(0, |c| c + 1);
                        self.tabs.plains.push((start, end, indent));
                    }
                    ScalarStyle::DoubleQuoted => {
                        check_escapes(&self.src, start, end).map_err(Failure::Error)?;
                        self.tabs.scalars.push((start, end));
                    }
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        self.tabs.blocks.push((start, end, span.start.col()));
                    }
                    _ => self.tabs.scalars.push((start, end)),
                }
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                (NodeKind::Scalar { value: value.into_owned(), style, tag }, anchor)
            }
            Event::SequenceStart(anchor, _) => (NodeKind::Seq(Vec::new()), anchor),
            Event::MappingStart(anchor, _) => (NodeKind::Map(Vec::new()), anchor),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    if frame.flow {
                        self.flow_frames -= 1;
                        if !self.in_flow() {
                            if let Some(last) = self.tabs.flows.last_mut() {
                                last.1 = span.end.index();
                            }
                        }
                    }
                }
                return if self.stack.is_empty() {
                    self.finish().map(|()| true)
                } else {
                    Ok(false)
                };
            }
        };
        if anchor > 0 {
            check_anchor_name(&self.src, span.start.index(), '&')
                .map_err(|issue| self.anchor_failure(issue))?;
        }
        let id = self.nodes.len();
        let is_collection = matches!(kind, NodeKind::Seq(_) | NodeKind::Map(_));
        self.nodes.push(Node { kind, pos });
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
        match self.stack.last_mut() {
            None => self.root = Some(id),
            Some(frame) => match &mut self.nodes[frame.node].kind {
                NodeKind::Seq(items) => items.push(id),
                NodeKind::Map(pairs) => match frame.key.take() {
                    None => frame.key = Some(id),
                    Some(k) => pairs.push((k, id)),
                },
                _ => {}
            },
        }
        if is_collection {
            if self.stack.len() >= self.opts.max_depth {
                return Err(Failure::Error(too_deep(self.opts, pos)));
            }
            let opened = flow_bracket(&self.src, &span);
            let mut bracket = opened.unwrap_or(' ');
            let flow = matches!(bracket, '[' | '{') || self.in_flow();
            if flow && !matches!(bracket, '[' | '{') {
                // A single-pair mapping inside `[...]` has no bracket of its own.
                bracket = self.stack.last().map_or(' ', |f| f.bracket);
            }
            if flow && !self.in_flow() {
                self.tabs.flows.push((span.start.index(), usize::MAX));
            }
            if flow {
                self.flow_frames += 1;
            }
            let column = span.end.col();
            let opened = opened.is_some();
            if self.stack.is_empty() && !flow {
                self.root_block_column = Some(column);
            }
            let frame =
                Frame { node: id, key: None, flow, bracket, opened, column, line: pos.line };
            self.stack.push(frame);
            Ok(false)
        } else if self.stack.is_empty() {
            self.finish().map(|()| true)
        } else {
            Ok(false)
        }
    }

    /// Whether the next node is a key of a block mapping.
    fn is_block_key_slot(&self) -> bool {
        self.stack.last().is_some_and(|f| {
            !f.flow && f.key.is_none() && matches!(self.nodes[f.node].kind, NodeKind::Map(_))
        })
    }

    /// go-yaml's parser has no empty implicit key: `: value` in a block mapping is "did not find
    /// expected key" (`? ` followed by nothing is fine).
    fn check_empty_key(&self, at: usize) -> Result<(), YamlError> {
        let rest = self.src.at_char(at);
        if !rest.starts_with(':') {
            return Ok(());
        }
        let before = &self.src.text[..self.src.text.len() - rest.len()];
        if before.trim_end().ends_with('?') {
            return Ok(());
        }
        Err(YamlError::parser("did not find expected key", self.src.pos_of_byte(before.len())))
    }

    /// In flow context libyaml ends a plain scalar at `?`, which then starts a key where none
    /// may be; saphyr reads the `?` as part of the scalar.
    fn check_flow_plain(&self, start: usize, end: usize) -> Result<(), YamlError> {
        let text = self.src.at_char(start);
        let len = self.src.byte_of(end) - self.src.byte_of(start);
        let Some(q) = text.get(1..len).and_then(|t| t.find('?')) else { return Ok(()) };
        let at = self.src.text.len() - text.len() + 1 + q;
        let in_seq = self.stack.last().is_some_and(|f| f.bracket == '[');
        let problem = if in_seq {
            "did not find expected ',' or ']'"
        } else {
            "did not find expected ',' or '}'"
        };
        Err(YamlError::parser(problem, self.src.pos_of_byte(at)))
    }

    fn in_flow(&self) -> bool {
        self.flow_frames > 0
    }

    /// Column of the innermost block collection.
    fn block_column(&self) -> Option<usize> {
        self.stack.last().map(|f| f.column)
    }

    /// After the root node, libyaml still reads the next token to end the document; errors there
    /// count, except a stray closing bracket, which libyaml takes as a token of the next document.
    fn finish(&mut self) -> Result<(), Failure> {
        match self.parser.next_event() {
            Some(Err(e)) if e.info() != "misplaced bracket" => Err(self.fail(&e)),
            Some(Ok((_, span))) => {
                self.last_line = span.end.line();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Turns a saphyr error into a retry with patched text, or into go-yaml's error.
    fn fail(&self, e: &ScanError) -> Failure {
        // libyaml would have stopped at a tab earlier in the text.
        if let Some(err) = tab_error(&self.src, &self.tabs, self.src.byte_of(e.marker().index())) {
            return Failure::Error(err);
        }
        // An anchor or alias libyaml reads differently, which saphyr scanned ahead but never
        // reported.
        if let Some(failure) = self.bad_anchor_before(e) {
            return failure;
        }
        if e.info() == "misplaced bracket" && self.may_patch && self.nesting < MAX_BRACKET_NESTING {
            return self.misplaced_bracket(e);
        }
        if self.may_patch {
            if let Some(text) = self.patch(e) {
                return Failure::Retry(text);
            }
        }
        Failure::Error(self.map_error(e))
    }

    /// A `]` or `}` outside any flow collection: a token libyaml's parser meets after the
    /// document's root (then go-yaml stops reading there) or inside a block collection (then it
    /// is an error). saphyr may refuse it before reporting the root, so read the text before it
    /// on its own to know which.
    fn misplaced_bracket(&self, e: &ScanError) -> Failure {
        let at = self.src.byte_of(e.marker().index());
        let before = &self.src.text[..at];
        let pos = Pos::of(e.marker());
        if !self.stack.is_empty() {
            // Block collections indented deeper than the bracket end before it.
            let open = self.stack.iter().rev().find(|f| f.column <= e.marker().col());
            return match open {
                Some(f) => {
                    let problem = match self.nodes[f.node].kind {
                        NodeKind::Seq(_) => "did not find expected '-' indicator",
                        _ => "did not find expected key",
                    };
                    Failure::Error(YamlError::parser(problem, pos))
                }
                None => Failure::Retry(before.to_owned()),
            };
        }
        match compose_patched_nested(before, self.opts, self.nesting + 1) {
            Ok(doc) => match (doc.root, doc.root_block_column) {
                (Some(root), Some(column)) if column <= e.marker().col() => {
                    let problem = match doc.nodes[root].kind {
                        NodeKind::Seq(_) => "did not find expected '-' indicator",
                        _ => "did not find expected key",
                    };
                    Failure::Error(YamlError::parser(problem, pos))
                }
                (None, _) => {
                    Failure::Error(YamlError::parser("did not find expected node content", pos))
                }
                _ => Failure::Retry(doc.text),
            },
            Err(err) => Failure::Error(err),
        }
    }

    /// An `&anchor` or `*alias` with a name libyaml reads differently, between the last event and
    /// the error.
    fn bad_anchor_before(&self, e: &ScanError) -> Option<Failure> {
        // Up to and including the character at the error (an unknown alias starts there).
        let end = self.src.byte_of(e.marker().index() + 1);
        let start = self.src.byte_of(self.last_end).min(end);
        let region = &self.src.text[start..end];
        let mut prev = None;
        for (i, c) in region.char_indices() {
            let opens =
                prev.is_none_or(|p: char| p.is_whitespace() || matches!(p, '[' | '{' | ','));
            if matches!(c, '&' | '*') && opens {
                let at = self.src.char_of(start + i);
                if let Err(issue) = check_anchor_name(&self.src, at, c) {
                    return Some(self.anchor_failure(issue));
                }
            }
            prev = Some(c);
        }
        None
    }

    /// An error, or a retry with a blank where libyaml ends an anchor name.
    fn anchor_failure(&self, issue: AnchorIssue) -> Failure {
        match issue {
            AnchorIssue::Error(e) => Failure::Error(e),
            AnchorIssue::Split(at) if self.may_patch => {
                let text = self.src.text;
                Failure::Retry(format!("{} {}", &text[..at], &text[at..]))
            }
            AnchorIssue::Split(at) => Failure::Error(YamlError::scanner(
                "did not find expected alphabetic or numeric character",
                self.src.pos_of_byte(at),
            )),
        }
    }

    /// Rewrites text that saphyr refuses but libyaml reads, keeping its meaning for libyaml.
    fn patch(&self, e: &ScanError) -> Option<String> {
        let text = self.src.text;
        let at = self.src.byte_of(e.marker().index());
        let splice = |range: std::ops::Range<usize>, with: &str| {
            let mut out = String::with_capacity(text.len() + with.len());
            out.push_str(&text[..range.start]);
            out.push_str(with);
            out.push_str(&text[range.end..]);
            out
        };
        // The rewrites below find lines by '\n'; a lone '\r' is a line break too.
        if text.replace("\r\n", "").contains('\r') {
            return None;
        }
        match e.info() {
            // `key:<TAB>value`: libyaml eats the tab after a simple key's ':'.
            "':' must be followed by a valid YAML whitespace" => {
                let colon = text[..at].trim_end_matches([' ', '\t']);
                let line_start = colon.rfind('\n').map_or(0, |i| i + 1);
                let complex = colon[line_start..].trim_start_matches([' ', '\t']) == ":";
                (colon.ends_with(':') && !complex)
                    .then(|| splice(colon.len()..colon.len() + 1, " "))
            }
            // `"x"#c`: libyaml starts a comment at any '#' between tokens.
            "comments must be separated from other tokens by whitespace" => {
                text[at..].starts_with('#').then(|| splice(at..at, " "))
            }
            // A tab in the indentation of a quoted scalar's continuation line.
            "tab cannot be used as indentation" => {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let lead = text[line_start..].len()
                    - text[line_start..].trim_start_matches([' ', '\t']).len();
                let spaces = " ".repeat(lead);
                Some(splice(line_start..line_start + lead, &spaces))
            }
            // libyaml does not check the indentation of a quoted scalar's continuation lines.
            "invalid indentation in quoted scalar" => {
                let want = self.stack.iter().filter(|f| !f.flow).map(|f| f.column + 1).max()?;
                let len = quoted_len(&text[at..]);
                let mut out = String::with_capacity(text.len() + 64);
                out.push_str(&text[..at]);
                let mut changed = false;
                for (i, line) in text[at..at + len].split('\n').enumerate() {
                    if i > 0 {
                        out.push('\n');
                        let have = line.len() - line.trim_start_matches(' ').len();
                        let marker = line.starts_with("---") || line.starts_with("...");
                        if have < want && !marker && !line.trim().is_empty() {
                            out.push_str(&" ".repeat(want - have));
                            changed = true;
                        }
                    }
                    out.push_str(line);
                }
                out.push_str(&text[at + len..]);
                changed.then_some(out)
            }
            // libyaml ignores indentation inside flow collections: indent the line more.
            "invalid indentation" | "invalid indentation in flow construct" => {
                let flow = self.stack.iter().find(|f| f.flow)?;
                let flow_line = text.split('\n').nth(flow.line - 1)?;
                let want = flow_line.len() - flow_line.trim_start_matches(' ').len() + 1;
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let depth = self.stack.iter().filter(|f| f.opened).count();
                indent_flow_lines(text, line_start, depth, want)
            }
            // `\'` is an escape in YAML 1.1 only.
            "while parsing a quoted scalar, found unknown escape character" => {
                let (i, c) = first_bad_escape(&text[at..], |c| c == '/')?;
                (c == '\'').then(|| splice(at + i..at + i + 2, "\\x27"))
            }
            _ => None,
        }
    }

    /// Maps a saphyr error to libyaml's problem text and line convention.
    fn map_error(&self, e: &ScanError) -> YamlError {
        let src = &self.src;
        let pos = Pos::of(e.marker());
        let info = e.info();
        let scanner = |problem: &str| YamlError::scanner(problem, pos);
        let parser = |problem: &str| YamlError::parser(problem, pos);
        // What libyaml's parser expects next in the innermost block collection.
        let expected_in_block = || match self.stack.last() {
            Some(Frame { node, .. }) if matches!(self.nodes[*node].kind, NodeKind::Seq(_)) => {
                "did not find expected '-' indicator"
            }
            Some(_) => "did not find expected key",
            None if self.root.is_none() => "did not find expected node content",
            None => "did not find expected key",
        };
        match info {
            "while parsing node, found unknown anchor" => {
                match check_anchor_name(src, e.marker().index(), '*') {
                    Err(AnchorIssue::Error(err)) => err,
                    _ => unknown_anchor(src, *e.marker()),
                }
            }
            "while parsing a block mapping, did not find expected key" => {
                parser("did not find expected key")
            }
            "while parsing a block collection, did not find expected '-' indicator" => {
                parser("did not find expected '-' indicator")
            }
            "while parsing a flow sequence, expected ',' or ']'" => {
                parser("did not find expected ',' or ']'")
            }
            "while parsing a flow mapping, did not find expected ',' or '}'" => {
                // libyaml reports a single-pair mapping inside `[...]` as the sequence's error.
                match self.stack.last() {
                    Some(f) if f.bracket == '[' => parser("did not find expected ',' or ']'"),
                    _ => parser("did not find expected ',' or '}'"),
                }
            }
            "while parsing a node, did not find expected node content" => {
                parser("did not find expected node content")
            }
            "did not find expected <document start>" => {
                parser("did not find expected <document start>")
            }
            "the handle wasn't declared" => parser("found undefined tag handle"),
            // libyaml ends the plain scalar at the bracket, leaving a key without ':'.
            "':' may not precede any of `[{` in flow mapping" => {
                parser("did not find expected ',' or '}'")
            }
            "misplaced bracket" => parser(expected_in_block()),
            "invalid trailing content after double-quoted scalar" => {
                if src.at_char(e.marker().index()).starts_with(':') {
                    scanner("mapping values are not allowed in this context")
                } else {
                    parser(expected_in_block())
                }
            }
            "mapping values are not allowed in this context"
            | "block sequence entries are not allowed in this context"
            | "mapping keys are not allowed in this context" => scanner(info),
            "while scanning a quoted scalar, found unexpected end of stream" => {
                YamlError::scanner("found unexpected end of stream", src.end())
            }
            "while scanning a quoted scalar, found unexpected document indicator" => {
                let from = src.byte_of(e.marker().index());
                let rest = &src.text[from..];
                let at = ["\n---", "\n..."]
                    .iter()
                    .filter_map(|m| rest.find(m))
                    .min()
                    .map_or(pos, |i| src.pos_of_byte(from + i + 1));
                YamlError::scanner("found unexpected document indicator", at)
            }
            "while parsing a quoted scalar, found unknown escape character" => {
                let rest = src.at_char(e.marker().index());
                match first_bad_escape(rest, |c| c == '/') {
                    Some((i, _)) => {
                        let at = src.text.len() - rest.len() + i;
                        YamlError::scanner("found unknown escape character", src.pos_of_byte(at))
                    }
                    None => scanner("found unknown escape character"),
                }
            }
            "while parsing a quoted scalar, did not find expected hexadecimal number" => {
                scanner("did not find expected hexdecimal number")
            }
            "while parsing a quoted scalar, found invalid Unicode character escape code" => {
                scanner("found invalid Unicode character escape code")
            }
            "while scanning an anchor or alias, did not find expected alphabetic or numeric character" => {
                scanner("did not find expected alphabetic or numeric character")
            }
            "while scanning a block scalar, did not find expected comment or line break" => {
                scanner("did not find expected comment or line break")
            }
            "while scanning a block scalar, found an indentation indicator equal to 0" => {
                scanner("found an indentation indicator equal to 0")
            }
            // libyaml ends the block scalar at the less indented line.
            "wrongly indented line in block scalar" => parser(expected_in_block()),
            "a block scalar content cannot start with a tab" => YamlError::scanner(
                "found a tab character where an indentation space is expected",
                next_leading_tab(src, e.marker().index()).unwrap_or(pos),
            ),
            "while scanning a plain scalar, found a tab" => YamlError::scanner(
                "found a tab character that violates indentation",
                next_leading_tab(src, e.marker().index()).unwrap_or(pos),
            ),
            "simple key expect ':'" | "simple key expected" => {
                scanner("could not find expected ':'")
            }
            "recursion limit exceeded" => too_deep(self.opts, pos),
            "':' must be followed by a valid YAML whitespace"
            | "'-' must be followed by a valid YAML whitespace" => {
                // A tab right after an indicator where libyaml allows a new key.
                let before = src.text[..src.byte_of(e.marker().index())].trim_end_matches(' ');
                let tab = before.trim_end_matches('\t');
                let tab_pos = src.pos_of_byte(tab.len());
                YamlError::scanner("found character that cannot start any token", tab_pos)
            }
            "invalid indentation" | "invalid indentation in flow construct" => {
                // Only reached when the retry budget ran out.
                parser("did not find expected node content")
            }
            _ if info.starts_with("unexpected character")
                || info.starts_with("tabs disallowed")
                || info == "found unprintable character" =>
            {
                scanner("found character that cannot start any token")
            }
            // "while scanning X, <problem>": go-yaml prints the problem only.
            _ => match info.split_once(", ") {
                Some((context, problem)) if context.starts_with("while ") => scanner(problem),
                _ => scanner(info),
            },
        }
    }
}

/// Indents to `want` columns every line from byte `line_start` on while `depth` flow collections
/// are open (libyaml ignores indentation inside flow collections; saphyr wants it deeper than the
/// enclosing block). Brackets inside quotes and comments do not count.
fn indent_flow_lines(
    text: &str,
    line_start: usize,
    mut depth: usize,
    want: usize,
) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(&text[..line_start]);
    let mut quote: Option<char> = None;
    let mut changed = false;
    let mut rest = &text[line_start..];
    while depth > 0 && !rest.is_empty() {
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..=i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let have = line.len() - line.trim_start_matches(' ').len();
        if have < want && !line.trim().is_empty() {
            out.push_str(&" ".repeat(want - have));
            changed = true;
        }
        let mut prev = ' ';
        let mut chars = line.char_indices();
        while let Some((i, c)) = chars.next() {
            match (quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => {
                    if q == '\'' && line[i + 1..].starts_with('\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
                (Some(_), _) => {}
                (None, '#') if prev.is_whitespace() => break,
                (None, '\'' | '"') if prev.is_whitespace() || "[{,:".contains(prev) => {
                    quote = Some(c);
                }
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            prev = c;
        }
        out.push_str(line);
        rest = next;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The bracket that opens a flow collection, from its start event's span (which covers the
/// node's properties and the bracket; a block collection's span ends where its first entry
/// starts).
fn flow_bracket(src: &Source<'_>, span: &Span) -> Option<char> {
    let (start, end) = (src.byte_of(span.start.index()), src.byte_of(span.end.index()));
    let mut text = src.text.get(start..end)?;
    loop {
        text = text.trim_start();
        if text.starts_with(['&', '!']) {
            text = &text[text.find(char::is_whitespace).unwrap_or(text.len())..];
        } else {
            return text.chars().next().filter(|c| matches!(c, '[' | '{'));
        }
    }
}

/// Length in bytes of the quoted scalar at the start of `text` (through its closing quote, or to
/// the end of the text when it has none).
fn quoted_len(text: &str) -> usize {
    let mut chars = text.char_indices();
    let Some((_, quote)) = chars.next() else { return 0 };
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && text[i + 1..].starts_with('\'') {
                chars.next();
            } else {
                return i + 1;
            }
        }
    }
    text.len()
}

/// The first escape in a double-quoted scalar starting at `text` (which begins with `"`) that
/// saphyr refuses, with the character after the backslash; `extra_bad` marks escapes saphyr takes
/// but libyaml refuses.
fn first_bad_escape(text: &str, extra_bad: impl Fn(char) -> bool) -> Option<(usize, char)> {
    let body = text.strip_prefix('"')?;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                let ok = matches!(
                    e,
                    '0' | 'a'
                        | 'b'
                        | 't'
                        | '\t'
                        | 'n'
                        | 'v'
                        | 'f'
                        | 'r'
                        | 'e'
                        | ' '
                        | '"'
                        | '/'
                        | '\\'
                        | 'N'
                        | '_'
                        | 'L'
                        | 'P'
                        | 'x'
                        | 'u'
                        | 'U'
                        | '\n'
                        | '\r'
                );
                if !ok || extra_bad(e) {
                    return Some((i + 1, e));
                }
            }
            _ => {}
        }
    }
    None
}

/// libyaml has no `\/` escape (YAML 1.2 added it); saphyr accepts it.
fn check_escapes(src: &Source<'_>, start: usize, end: usize) -> Result<(), YamlError> {
    let text = src.at_char(start);
    let len = src.byte_of(end) - src.byte_of(start);
    let Some(scalar) = text.get(..len) else { return Ok(()) };
    if !scalar.contains("\\/") {
        return Ok(());
    }
    match first_bad_escape(scalar, |c| c == '/') {
        Some((i, '/')) => {
            let at = src.text.len() - text.len() + i;
            Err(YamlError::scanner("found unknown escape character", src.pos_of_byte(at)))
        }
        _ => Ok(()),
    }
}

/// Whether libyaml's reader accepts the character (`control characters are not allowed`).
fn libyaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// What libyaml refuses at the start of a stream but saphyr accepts: control characters
/// anywhere, directives other than `%YAML 1.1` and `%TAG`, and a document end marker before any
/// document.
fn check_stream_start(src: &Source<'_>) -> Result<(), YamlError> {
    if src.text.chars().any(|c| !libyaml_printable(c)) {
        return Err(YamlError::yaml("control characters are not allowed", None));
    }
    for (i, line) in src.text.split('\n').enumerate() {
        let trimmed = line.trim_start_matches('\u{feff}');
        let pos = || Pos { line: i + 1, column: 1 };
        if let Some(rest) = trimmed.strip_prefix("...") {
            if rest.is_empty() || rest.starts_with([' ', '\t', '\r']) {
                return Err(YamlError::parser("did not find expected node content", pos()));
            }
            break;
        }
        if let Some(rest) = trimmed.strip_prefix('%') {
            let mut words = rest.split([' ', '\t']).filter(|w| !w.is_empty());
            match words.next() {
                Some("YAML") => {
                    if words.next().map(|v| v.trim_end_matches('\r')) != Some("1.1") {
                        return Err(YamlError::parser("found incompatible YAML document", pos()));
                    }
                }
                Some("TAG") => {}
                _ => return Err(YamlError::scanner("found unknown directive name", pos())),
            }
        } else if !(trimmed.trim().is_empty() || trimmed.trim_start().starts_with('#')) {
            break;
        }
    }
    Ok(())
}

fn too_deep(opts: &ReadOptions, pos: Pos) -> YamlError {
    YamlError::yaml(format_args!("exceeded max depth of {}", opts.max_depth), Some(pos))
}

fn unknown_anchor(src: &Source<'_>, at: saphyr_parser::Marker) -> YamlError {
    let text = src.at_char(at.index());
    let name = anchor_name(text.strip_prefix('*').unwrap_or(text));
    YamlError::yaml(format_args!("unknown anchor '{name}' referenced"), Some(Pos::of(&at)))
}

/// Rejects anchor and alias names libyaml would not scan (saphyr accepts more characters).
/// `at` is the character index where the node's properties (or the alias) start.
fn check_anchor_name(src: &Source<'_>, at: usize, sigil: char) -> Result<(), AnchorIssue> {
    let mut text = src.at_char(at);
    if sigil == '&' && text.starts_with('!') {
        // A tag comes first: skip it and the blanks after it.
        let tag_end = text.find(char::is_whitespace).unwrap_or(text.len());
        text = text[tag_end..].trim_start();
    }
    let Some(rest) = text.strip_prefix(sigil) else { return Ok(()) };
    let name = anchor_name(rest);
    match name.char_indices().find(|&(_, c)| !libyaml_anchor_char(c)) {
        None if !name.is_empty() => Ok(()),
        // libyaml ends the name at ':' or '?' and reads on from there.
        Some((i, ':' | '?')) if i > 0 => Err(AnchorIssue::Split(src.text.len() - rest.len() + i)),
        found => {
            let i = found.map_or(0, |(i, _)| i);
            let at = src.text.len() - rest.len() + i;
            Err(AnchorIssue::Error(YamlError::scanner(
                "did not find expected alphabetic or numeric character",
                src.pos_of_byte(at),
            )))
        }
    }
}

/// An anchor or alias name that libyaml scans differently from saphyr.
enum AnchorIssue {
    /// libyaml refuses it.
    Error(YamlError),
    /// libyaml's name ends at this byte offset, before a character saphyr takes into the name.
    Split(usize),
}

/// The first tab libyaml's scanner refuses before byte offset `limit`, which saphyr accepted: tabs in the indentation of block content, and tabs right after a `-`, `?` or `:`
/// indicator that starts a line.
///
/// libyaml eats tabs as blanks only in flow context or where no simple key may start. At the
/// start of a line (and after those indicators) a tab is "found character that cannot start any
/// token", unless the blanks belong to a plain scalar still being scanned: then a tab left of the
/// scalar's indentation "violates indentation".
fn tab_error(src: &Source<'_>, ctx: &TabContext, limit: usize) -> Option<YamlError> {
    if !src.text.contains('\t') {
        return None;
    }
    // Plain scalar whose trailing blanks were checked, and up to which byte.
    let mut blank_checked: Option<(usize, usize)> = None;
    let mut line_start = 0; // byte offset
    for line in src.text.split('\n') {
        let this_start = line_start;
        if this_start >= limit {
            break;
        }
        line_start += line.len() + 1;
        if !line.contains('\t') {
            continue;
        }
        // The blanks and block indicators that open the line.
        let bytes = line.as_bytes();
        let mut after_indicator = false;
        for (i, &b) in bytes.iter().enumerate() {
            let at = this_start + i;
            match b {
                b' ' => {}
                b'\t' => {
                    if at >= limit {
                        break;
                    }
                    let idx = src.char_of(at);
                    let error = |problem| Some(YamlError::scanner(problem, src.pos_of_byte(at)));
                    // Blanks still scanned as part of a block scalar's line breaks?
                    let block = last_starting_before(&ctx.blocks, idx, |b| b.0).filter(|b| {
                        b.1 > idx
                            || src.text[src.byte_of(b.1)..at]
                                .bytes()
                                .all(|c| c == b' ' || c == b'\t')
                    });
                    if let Some(&(_, _, indent)) = block {
                        if i >= indent && !after_indicator {
                            break;
                        }
                        return error(
                            "found a tab character where an indentation space is expected",
                        );
                    }
                    if inside(&ctx.flows, idx) || inside(&ctx.scalars, idx) {
                        break;
                    }
                    if after_indicator {
                        return error("found character that cannot start any token");
                    }
                    // Blanks still scanned as part of the plain scalar before them?
                    let plain = last_starting_before(&ctx.plains, idx, |p| p.0).filter(|p| {
                        if p.1 >= idx {
                            return true;
                        }
                        let from = match blank_checked {
                            Some((start, until)) if start == p.0 => until,
                            _ => src.byte_of(p.1),
                        };
                        let blank = src.text[from.min(at)..at]
                            .bytes()
                            .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
                        if blank {
                            blank_checked = Some((p.0, at));
                        }
                        blank
                    });
                    match plain {
                        Some(&(_, _, indent)) if i >= indent => break,
                        Some(_) => return error("found a tab character that violates indentation"),
                        None => return error("found character that cannot start any token"),
                    }
                }
                b'-' | b'?' | b':' if matches!(bytes.get(i + 1), Some(b' ' | b'\t') | None) => {
                    let idx = src.char_of(at);
                    let in_plain =
                        last_starting_before(&ctx.plains, idx, |p| p.0).is_some_and(|p| idx < p.1);
                    if inside(&ctx.flows, idx) || inside(&ctx.scalars, idx) || in_plain {
                        break;
                    }
                    after_indicator = true;
                }
                _ => break,
            }
        }
    }
    None
}

/// The last of `items` (sorted by start) that starts before character index `idx`.
fn last_starting_before<T>(items: &[T], idx: usize, start: impl Fn(&T) -> usize) -> Option<&T> {
    let n = items.partition_point(|t| start(t) < idx);
    n.checked_sub(1).map(|i| &items[i])
}

/// Whether character index `idx` is strictly inside one of the sorted, disjoint `ranges`.
fn inside(ranges: &[(usize, usize)], idx: usize) -> bool {
    last_starting_before(ranges, idx, |r| r.0).is_some_and(|r| idx < r.1)
}

/// Position of the first tab after character index `from` that is preceded on its line by
/// blanks only.
fn next_leading_tab(src: &Source<'_>, from: usize) -> Option<Pos> {
    let start = src.byte_of(from);
    let rest = &src.text[start..];
    let mut at_line_start = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\n' => at_line_start = true,
            '\t' if at_line_start => return Some(src.pos_of_byte(start + i)),
            ' ' | '\r' => {}
            _ => at_line_start = false,
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Decoding: go-yaml v2 `Unmarshal` into interface{}
// ---------------------------------------------------------------------------------------------

/// A value as go-yaml v2 decodes it into `interface{}`.
#[derive(Debug, Clone)]
enum GoValue {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<GoValue>),
    Map(GoMap),
}

/// A Go `map[interface{}]interface{}`: keys compare by dynamic type and value; insertion order
/// is kept so that conversion is deterministic.
#[derive(Debug, Clone, Default)]
struct GoMap {
    entries: Vec<(GoValue, GoValue)>,
    index: HashMap<KeyRepr, usize>,
}

/// The identity of a scalar map key in Go (`int 1`, `float64 1` and `"1"` are different keys).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyRepr {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
}

/// Maps up to this size find a key by comparing entries; larger ones keep a hash index.
const GO_MAP_SCAN: usize = 16;

/// Whether two scalar keys are the same Go map key (same dynamic type and value; `0.0` and
/// `-0.0` are equal, NaN never is).
fn same_go_key(a: &GoValue, b: &GoValue) -> bool {
    match (a, b) {
        (GoValue::Null, GoValue::Null) => true,
        (GoValue::Bool(x), GoValue::Bool(y)) => x == y,
        (GoValue::Int(x), GoValue::Int(y)) => x == y,
        (GoValue::Uint(x), GoValue::Uint(y)) => x == y,
        (GoValue::Float(x), GoValue::Float(y)) => x == y,
        (GoValue::Str(x), GoValue::Str(y)) => x == y,
        _ => false,
    }
}

impl GoMap {
    fn insert(&mut self, k: GoValue, v: GoValue) {
        if matches!(k, GoValue::Seq(_) | GoValue::Map(_)) {
            return; // rejected before insertion
        }
        if self.index.is_empty() && self.entries.len() < GO_MAP_SCAN {
            match self.entries.iter().position(|(e, _)| same_go_key(e, &k)) {
                Some(i) => self.entries[i].1 = v,
                None => {
                    self.entries.push((k, v));
                    if self.entries.len() == GO_MAP_SCAN {
                        let entries = std::mem::take(&mut self.entries);
                        for (k, v) in entries {
                            self.insert_indexed(k, v);
                        }
                    }
                }
            }
            return;
        }
        self.insert_indexed(k, v);
    }

    fn insert_indexed(&mut self, k: GoValue, v: GoValue) {
        let repr = match &k {
            GoValue::Null => KeyRepr::Null,
            GoValue::Bool(b) => KeyRepr::Bool(*b),
            GoValue::Int(i) => KeyRepr::Int(*i),
            GoValue::Uint(u) => KeyRepr::Uint(*u),
            // NaN never equals itself: every NaN key is a new entry.
            GoValue::Float(f) if f.is_nan() => {
                self.entries.push((k, v));
                return;
            }
            GoValue::Float(f) => KeyRepr::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
            GoValue::Str(s) => KeyRepr::Str(s.clone()),
            GoValue::Seq(_) | GoValue::Map(_) => return, // rejected before insertion
        };
        match self.index.get(&repr) {
            Some(&i) => self.entries[i].1 = v,
            None => {
                self.index.insert(repr, self.entries.len());
                self.entries.push((k, v));
            }
        }
    }
}

fn unmarshal(src: &str, opts: &ReadOptions) -> Result<GoValue, YamlError> {
    let doc = compose(src, opts)?;
    let Some(root) = doc.root else { return Ok(GoValue::Null) };
    let source = Source::new(&doc.text);
    let mut d = Decoder {
        doc: &doc,
        src: &source,
        opts,
        active_aliases: vec![false; doc.nodes.len()],
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
        alias_bytes: 0,
        depth: 0,
    };
    d.unmarshal(root)
}

const MERGE_TAG: &str = "tag:yaml.org,2002:merge";
const STR_TAG: &str = "tag:yaml.org,2002:str";
const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
const INT_TAG: &str = "tag:yaml.org,2002:int";
const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
const NULL_TAG: &str = "tag:yaml.org,2002:null";
const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";

struct Decoder<'a> {
    doc: &'a Document,
    src: &'a Source<'a>,
    opts: &'a ReadOptions,
    /// Alias nodes being expanded (go-yaml's `d.aliases`), by node id.
    active_aliases: Vec<bool>,
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    alias_bytes: usize,
    depth: usize,
}

/// go-yaml v2's allowed share of alias-driven decodes, by document size.
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

impl<'a> Decoder<'a> {
    fn node(&self, id: NodeId) -> &'a Node {
        let doc: &'a Document = self.doc;
        &doc.nodes[id]
    }

    /// go-yaml's bookkeeping on every `d.unmarshal` call.
    fn count(&mut self, id: NodeId) -> Result<(), YamlError> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(self.excessive_aliasing(id));
        }
        Ok(())
    }

    fn excessive_aliasing(&self, id: NodeId) -> YamlError {
        YamlError::yaml("document contains excessive aliasing", Some(self.node(id).pos))
    }

    fn unmarshal(&mut self, id: NodeId) -> Result<GoValue, YamlError> {
        self.count(id)?;
        let node = self.node(id);
        match &node.kind {
            NodeKind::Alias { target, name_at } => {
                let target = *target;
                let name_at = *name_at;
                self.enter_alias(id, name_at)?;
                let v = self.unmarshal(target);
                self.leave_alias(id);
                v
            }
            NodeKind::Scalar { value, style, tag } => {
                let v = self.scalar(value, *style, tag.as_deref(), node.pos)?;
                if self.alias_depth > 0 {
                    if let GoValue::Str(s) = &v {
                        self.alias_bytes += s.len();
                        if self.alias_bytes > self.opts.max_alias_bytes {
                            return Err(self.excessive_aliasing(id));
                        }
                    }
                }
                Ok(v)
            }
            NodeKind::Seq(items) => {
                self.descend(id)?;
                let mut out = Vec::with_capacity(items.len());
                for &item in items {
                    out.push(self.unmarshal(item)?);
                }
                self.depth -= 1;
                Ok(GoValue::Seq(out))
            }
            NodeKind::Map(_) => {
                self.descend(id)?;
                let mut out = GoMap::default();
                self.mapping_into(id, &mut out)?;
                self.depth -= 1;
                Ok(GoValue::Map(out))
            }
        }
    }

    fn descend(&mut self, id: NodeId) -> Result<(), YamlError> {
        self.depth += 1;
        if self.depth > self.opts.max_depth {
            return Err(too_deep(self.opts, self.node(id).pos));
        }
        Ok(())
    }

    fn enter_alias(&mut self, id: NodeId, name_at: usize) -> Result<(), YamlError> {
        if self.active_aliases[id] {
            let text = self.src.at_char(name_at);
            let name = anchor_name(text.strip_prefix('*').unwrap_or(text));
            return Err(YamlError::yaml(
                format_args!("anchor '{name}' value contains itself"),
                Some(self.node(id).pos),
            ));
        }
        self.active_aliases[id] = true;
        self.alias_depth += 1;
        Ok(())
    }

    fn leave_alias(&mut self, id: NodeId) {
        self.active_aliases[id] = false;
        self.alias_depth -= 1;
    }

    /// Decodes the pairs of mapping node `id` into `out` (go-yaml's `d.mapping` with a map
    /// target): merge keys first merge their value into `out`, later keys replace earlier ones.
    fn mapping_into(&mut self, id: NodeId, out: &mut GoMap) -> Result<(), YamlError> {
        let NodeKind::Map(pairs) = &self.node(id).kind else { return Ok(()) };
        for &(k, v) in pairs {
            if self.is_merge(k) {
                self.merge(v, out)?;
                continue;
            }
            let key = self.unmarshal(k)?;
            if matches!(key, GoValue::Seq(_) | GoValue::Map(_)) {
                return Err(YamlError::yaml(
                    format_args!("invalid map key: {}", go_sharp_v(&key)),
                    Some(self.node(k).pos),
                ));
            }
            let value = self.unmarshal(v)?;
            out.insert(key, value);
        }
        Ok(())
    }

    fn is_merge(&self, id: NodeId) -> bool {
        match &self.node(id).kind {
            NodeKind::Scalar { value, style, tag } => {
                value == "<<"
                    && match tag.as_deref() {
                        None => *style == ScalarStyle::Plain,
                        Some(t) => t == "!" && *style == ScalarStyle::Plain || t == MERGE_TAG,
                    }
            }
            _ => false,
        }
    }

    /// go-yaml's `d.unmarshal(n, out)` with `out` an existing map: counts, follows aliases, and
    /// decodes a mapping into `out`.
    fn unmarshal_into(&mut self, id: NodeId, out: &mut GoMap) -> Result<(), YamlError> {
        self.count(id)?;
        match &self.node(id).kind {
            NodeKind::Alias { target, name_at } => {
                let (target, name_at) = (*target, *name_at);
                self.enter_alias(id, name_at)?;
                let r = self.unmarshal_into(target, out);
                self.leave_alias(id);
                r
            }
            NodeKind::Map(_) => {
                self.descend(id)?;
                self.mapping_into(id, out)?;
                self.depth -= 1;
                Ok(())
            }
            // Only maps and aliases of maps get here (checked by `merge`).
            _ => Ok(()),
        }
    }

    fn merge(&mut self, id: NodeId, out: &mut GoMap) -> Result<(), YamlError> {
        let doc: &Document = self.doc;
        let pos = doc.nodes[id].pos;
        let want_map = || {
            YamlError::yaml("map merge requires map or sequence of maps as the value", Some(pos))
        };
        let is_map_or_alias_of_map = |n: NodeId| match &doc.nodes[n].kind {
            NodeKind::Map(_) => true,
            NodeKind::Alias { target, .. } => matches!(doc.nodes[*target].kind, NodeKind::Map(_)),
            _ => false,
        };
        match &self.node(id).kind {
            NodeKind::Map(_) | NodeKind::Alias { .. } => {
                if !is_map_or_alias_of_map(id) {
                    return Err(want_map());
                }
                self.unmarshal_into(id, out)
            }
            NodeKind::Seq(items) => {
                // Earlier maps take precedence: go-yaml applies them last to first.
                for &item in items.iter().rev() {
                    if !is_map_or_alias_of_map(item) {
                        return Err(want_map());
                    }
                    self.unmarshal_into(item, out)?;
                }
                Ok(())
            }
            NodeKind::Scalar { .. } => Err(want_map()),
        }
    }

    /// go-yaml's `d.scalar` into `interface{}`.
    fn scalar(
        &self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&str>,
        pos: Pos,
    ) -> Result<GoValue, YamlError> {
        // libyaml's "plain implicit": untagged plain scalars and the non-specific tag `!`.
        let implicit = match tag {
            None => style == ScalarStyle::Plain,
            Some(t) => t == "!",
        };
        if tag.is_none() && !implicit {
            return Ok(GoValue::Str(value.to_owned()));
        }
        let tag = tag.unwrap_or("");
        match resolve(tag, value) {
            Ok(Resolved::Binary) => match decode_base64(value) {
                Some(bytes) => Ok(GoValue::Str(go_lossy_utf8(&bytes))),
                None => {
                    Err(YamlError::yaml("!!binary value contains invalid base64 data", Some(pos)))
                }
            },
            // A timestamp decodes into interface{} as its text.
            Ok(Resolved::Timestamp) => Ok(GoValue::Str(value.to_owned())),
            Ok(Resolved::Value(v)) => Ok(v),
            Err(msg) => Err(YamlError::yaml(msg, Some(pos))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scalar resolution (go-yaml v2 resolve.go, YAML 1.1)
// ---------------------------------------------------------------------------------------------

enum Resolved {
    Value(GoValue),
    Binary,
    Timestamp,
}

/// The resolved tag of a value, for go-yaml's "cannot decode" message.
fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_owned(),
    }
}

/// go-yaml v2's `resolve(tag, in)` for the tags that decode into `interface{}`.
fn resolve(tag: &str, input: &str) -> Result<Resolved, String> {
    if tag == BINARY_TAG {
        return Ok(Resolved::Binary);
    }
    if !matches!(tag, "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG) {
        // Unknown or non-scalar tags (`!foo`, `!`, `!!map` on a scalar) keep the text.
        return Ok(Resolved::Value(GoValue::Str(input.to_owned())));
    }
    let (rtag, out) = resolve_implicit(tag, input);
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok(out);
    }
    // `!!float` takes an int (go-yaml converts int and int64 only, so a uint64 still fails).
    if let (FLOAT_TAG, Resolved::Value(GoValue::Int(i))) = (tag, &out) {
        return Ok(Resolved::Value(GoValue::Float(*i as f64)));
    }
    Err(format!("cannot decode {} `{}` as a {}", short_tag(rtag), input, short_tag(tag)))
}

/// What go-yaml v2 resolves an untagged plain scalar to. Shared with the writer, which quotes
/// every string that would not come back as [`Plain::Str`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Plain {
    Str,
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Merge,
    Timestamp,
}

/// go-yaml v2's implicit resolution of a plain scalar; `timestamps` says whether a
/// timestamp-looking text resolves to a timestamp (it does unless a tag says otherwise).
pub(crate) fn resolve_plain(input: &str, timestamps: bool) -> Plain {
    let hint = match input.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return Plain::Str,
    };
    match input {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Plain::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Plain::Bool(false);
        }
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        "<<" => return Plain::Merge,
        _ => {}
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(input) {
                return Plain::Float(f);
            }
        }
        b'D' | b'S' => {
            if timestamps && is_timestamp(input) {
                return Plain::Timestamp;
            }
            let plain: std::borrow::Cow<'_, str> =
                if input.contains('_') { input.replace('_', "").into() } else { input.into() };
            if let Ok(i) = go_parse_int(&plain, 0) {
                return Plain::Int(i);
            }
            if let Ok(u) = go_parse_uint(&plain, 0) {
                return Plain::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return Plain::Float(f);
                }
            }
            // go-yaml's own binary branches: `ParseInt(s[2:], 2)` then `ParseUint`, and
            // `ParseInt("-" + s[3:], 2)`; a sign after the prefix (`0b-101`) is accepted.
            if let Some(bin) = plain.strip_prefix("0b") {
                if let Ok(i) = go_parse_int(bin, 2) {
                    return Plain::Int(i);
                }
                if let Ok(u) = go_parse_uint(bin, 2) {
                    return Plain::Uint(u);
                }
            } else if let Some(bin) = plain.strip_prefix("-0b") {
                if let Ok(i) = go_parse_int(&format!("-{bin}"), 2) {
                    return Plain::Int(i);
                }
            }
        }
        _ => {}
    }
    Plain::Str
}

/// The tag and value go-yaml infers for `input` (`tag` only steers str and timestamp).
fn resolve_implicit(tag: &str, input: &str) -> (&'static str, Resolved) {
    let s = |t: &'static str, v: GoValue| (t, Resolved::Value(v));
    if tag == STR_TAG {
        return s(STR_TAG, GoValue::Str(input.to_owned()));
    }
    match resolve_plain(input, tag.is_empty() || tag == TIMESTAMP_TAG) {
        Plain::Str => s(STR_TAG, GoValue::Str(input.to_owned())),
        Plain::Null => s(NULL_TAG, GoValue::Null),
        Plain::Bool(b) => s(BOOL_TAG, GoValue::Bool(b)),
        Plain::Int(i) => s(INT_TAG, GoValue::Int(i)),
        Plain::Uint(u) => s(INT_TAG, GoValue::Uint(u)),
        Plain::Float(f) => s(FLOAT_TAG, GoValue::Float(f)),
        Plain::Merge => (MERGE_TAG, Resolved::Value(GoValue::Str(input.to_owned()))),
        Plain::Timestamp => (TIMESTAMP_TAG, Resolved::Timestamp),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum NumError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseUint(s, base, 64)` for base 0 (prefixes `0x`, `0o`, `0b`, leading `0` for
/// octal) or a fixed base; `s` has no underscores.
fn go_parse_uint(s: &str, base: u32) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let (digits, base) = if base == 0 {
        let b = s.as_bytes();
        if b[0] == b'0' && b.len() >= 3 && matches!(b[1], b'x' | b'X') {
            (&s[2..], 16)
        } else if b[0] == b'0' && b.len() >= 3 && matches!(b[1], b'o' | b'O') {
            (&s[2..], 8)
        } else if b[0] == b'0' && b.len() >= 3 && matches!(b[1], b'b' | b'B') {
            (&s[2..], 2)
        } else if b[0] == b'0' {
            (&s[1..], 8)
        } else {
            (s, 10)
        }
    } else {
        (s, base)
    };
    let mut n: u64 = 0;
    let mut overflow = false;
    for c in digits.chars() {
        let d = c.to_digit(base).ok_or(NumError::Syntax)?;
        match n.checked_mul(u64::from(base)).and_then(|m| m.checked_add(u64::from(d))) {
            Some(m) => n = m,
            None => overflow = true,
        }
    }
    if overflow { Err(NumError::Range) } else { Ok(n) }
}

/// Go's `strconv.ParseInt(s, base, 64)` (base 0 reads the prefixes, as [`go_parse_uint`]).
fn go_parse_int(s: &str, base: u32) -> Result<i64, NumError> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint(rest, base)?;
    if neg {
        if u > 1 << 63 { Err(NumError::Range) } else { Ok((u as i64).wrapping_neg()) }
    } else {
        i64::try_from(u).map_err(|_| NumError::Range)
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal text: `None` on bad syntax or overflow.
/// Underscores are allowed between digits, as in Go literals.
fn go_parse_float(s: &str) -> Option<f64> {
    let owned;
    let s = if s.contains('_') {
        if !go_underscores_ok(s) {
            return None;
        }
        owned = s.replace('_', "");
        owned.as_str()
    } else {
        s
    };
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    // Rust also reads "inf" and "nan"; for the inputs that reach here Go would not.
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() { None } else { Some(f) }
}

/// Go's `underscoreOK` for a decimal number: each `_` sits between two digits.
fn go_underscores_ok(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    body.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || i > 0
                && body[i - 1].is_ascii_digit()
                && body.get(i + 1).is_some_and(u8::is_ascii_digit)
    })
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether go-yaml v2 reads `s` as a timestamp: Go's `time.Parse` with one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999`, `2006-1-2`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    // Quick check: all date formats start with YYYY-.
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = b[..4].iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
    let mut i = 5;
    let Some(month) = getnum(b, &mut i).filter(|m| (1..=12).contains(m)) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = getnum(b, &mut i) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days_in_month {
        return false;
    }
    if i == b.len() {
        return true; // 2006-1-2
    }
    let zoned = match b[i] {
        b'T' | b't' => {
            i += 1;
            true
        }
        b' ' => {
            // A space in a layout matches any run of spaces.
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            false
        }
        _ => return false,
    };
    // 15:4:5
    for (limit, sep) in [(24, Some(b':')), (60, Some(b':')), (60, None)] {
        if getnum(b, &mut i).is_none_or(|n| n >= limit) {
            return false;
        }
        if let Some(sep) = sep {
            if b.get(i) != Some(&sep) {
                return false;
            }
            i += 1;
        }
    }
    // .999999999: optional fraction, any number of digits, after '.' or ','.
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if zoned {
        // Z07:00
        if b.get(i) == Some(&b'Z') {
            i += 1;
        } else {
            let Some(tz) = b.get(i..i + 6) else {
                return false;
            };
            if tz[3] != b':' || !matches!(tz[0], b'+' | b'-') {
                return false;
            }
            let two = |p: &[u8]| {
                (p[0].is_ascii_digit() && p[1].is_ascii_digit())
                    .then(|| u32::from(p[0] - b'0') * 10 + u32::from(p[1] - b'0'))
            };
            match (two(&tz[1..3]), two(&tz[4..6])) {
                (Some(h), Some(m)) if h <= 24 && m <= 60 => i += 6,
                _ => return false,
            }
        }
    }
    i == b.len()
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut n = u32::from(d0 - b'0');
    if let Some(&d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        *i += 1;
        n = n * 10 + u32::from(d1 - b'0');
    }
    Some(n)
}

/// Go's `base64.StdEncoding.DecodeString`: padded standard alphabet, `\r` and `\n` ignored.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let chars: Vec<u8> = s.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if chars.len() % 4 != 0 {
        return None;
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let quads = chars.len() / 4;
    for (qi, q) in chars.chunks(4).enumerate() {
        let pad = q.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && qi + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &q[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Bytes to text the way Go's `encoding/json` writes them: each invalid byte becomes U+FFFD.
fn go_lossy_utf8(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                bytes = &bad[1..];
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// sigs.k8s.io/yaml: map keys to strings
// ---------------------------------------------------------------------------------------------

/// sigs.k8s.io/yaml's key conversion; with `json_numbers`, also the JSON round trip's turning
/// of every integer into a float.
fn to_string_keys(v: GoValue, json_numbers: bool) -> Result<Value, YamlError> {
    Ok(match v {
        GoValue::Null => Value::Null,
        GoValue::Bool(b) => Value::Bool(b),
        GoValue::Int(i) if json_numbers => Value::Float(i as f64),
        GoValue::Int(i) => Value::Int(i),
        GoValue::Uint(u) => Value::Float(u as f64),
        GoValue::Float(f) => Value::Float(f),
        GoValue::Str(s) => Value::String(s),
        GoValue::Seq(items) => Value::List(
            items.into_iter().map(|v| to_string_keys(v, json_numbers)).collect::<Result<_, _>>()?,
        ),
        GoValue::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m.entries {
                if let GoValue::Str(s) = k {
                    out.insert(s, to_string_keys(v, json_numbers)?);
                    continue;
                }
                let key = match &k {
                    GoValue::Str(s) => s.clone(),
                    GoValue::Int(i) => i.to_string(),
                    GoValue::Float(f) => match format_float_g32(*f).as_str() {
                        "+Inf" => ".inf".to_owned(),
                        "-Inf" => "-.inf".to_owned(),
                        "NaN" => ".nan".to_owned(),
                        s => s.to_owned(),
                    },
                    GoValue::Bool(b) => b.to_string(),
                    GoValue::Null | GoValue::Uint(_) | GoValue::Seq(_) | GoValue::Map(_) => {
                        let ty = match k {
                            GoValue::Null => "%!s(<nil>)",
                            _ => "uint64",
                        };
                        return Err(YamlError::convert(
                            format_args!(
                                "unsupported map key of type: {ty}, key: {}, value: {}",
                                go_sharp_v_top(&k),
                                go_sharp_v_top(&v)
                            ),
                            None,
                        ));
                    }
                };
                out.insert(key, to_string_keys(v, json_numbers)?);
            }
            Value::Map(out)
        }
    })
}

/// Go's `%#v` of a value held in an `interface{}` at the top level (`nil` prints `<nil>`).
fn go_sharp_v_top(v: &GoValue) -> String {
    match v {
        GoValue::Null => "<nil>".to_owned(),
        other => go_sharp_v(other),
    }
}

/// Go's `%#v` of a value nested in a Go `[]interface{}` / `map[interface{}]interface{}`.
fn go_sharp_v(v: &GoValue) -> String {
    let mut out = String::new();
    write_sharp_v(v, &mut out);
    out
}

fn write_sharp_v(v: &GoValue, out: &mut String) {
    match v {
        GoValue::Null => out.push_str("interface {}(nil)"),
        GoValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        GoValue::Int(i) => out.push_str(&i.to_string()),
        GoValue::Uint(u) => {
            let _ = write!(out, "{u:#x}");
        }
        GoValue::Float(f) => out.push_str(&format_float_g(*f)),
        GoValue::Str(s) => out.push_str(&crate::gofmt::go_quote(s)),
        GoValue::Seq(items) => {
            out.push_str("[]interface {}{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_sharp_v(item, out);
            }
            out.push('}');
        }
        GoValue::Map(m) => {
            out.push_str("map[interface {}]interface {}{");
            let mut entries: Vec<&(GoValue, GoValue)> = m.entries.iter().collect();
            entries.sort_by(|a, b| go_key_order(&a.0, &b.0));
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_sharp_v(k, out);
                out.push(':');
                write_sharp_v(v, out);
            }
            out.push('}');
        }
    }
}

/// `fmt`'s order of map keys: by type, then by value.
fn go_key_order(a: &GoValue, b: &GoValue) -> std::cmp::Ordering {
    fn rank(v: &GoValue) -> u8 {
        match v {
            GoValue::Null => 0,
            GoValue::Bool(_) => 1,
            GoValue::Int(_) => 2,
            GoValue::Uint(_) => 3,
            GoValue::Float(_) => 4,
            GoValue::Str(_) => 5,
            GoValue::Seq(_) => 6,
            GoValue::Map(_) => 7,
        }
    }
    match (a, b) {
        (GoValue::Bool(x), GoValue::Bool(y)) => x.cmp(y),
        (GoValue::Int(x), GoValue::Int(y)) => x.cmp(y),
        (GoValue::Uint(x), GoValue::Uint(y)) => x.cmp(y),
        (GoValue::Float(x), GoValue::Float(y)) => x.total_cmp(y),
        (GoValue::Str(x), GoValue::Str(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64) -> Value {
        Value::Float(v)
    }

    fn values(src: &str) -> Value {
        match parse_values(src) {
            Ok(v) => v,
            Err(e) => panic!("{src:?}: {}", e.message),
        }
    }

    fn err(src: &str) -> String {
        match parse_values(src) {
            Ok(v) => panic!("{src:?}: expected an error, got {v:?}"),
            Err(e) => e.message,
        }
    }

    fn doc(src: &str) -> Value {
        match parse_document(src) {
            Ok(v) => v,
            Err(e) => panic!("{src:?}: {}", e.message),
        }
    }

    #[test]
    fn scalars_resolve_with_yaml_1_1_rules() {
        let v = doc(
            "a: yes\nb: Off\nc: ~\nd: 0755\ne: 0x1F\nf: 1_000\ng: .5\nh: 1e3\ni: tRUE\nj: 08\n",
        );
        assert_eq!(v.get("a"), Some(&Value::Bool(true)));
        assert_eq!(v.get("b"), Some(&Value::Bool(false)));
        assert_eq!(v.get("c"), Some(&Value::Null));
        assert_eq!(v.get("d"), Some(&Value::Int(493)));
        assert_eq!(v.get("e"), Some(&Value::Int(31)));
        assert_eq!(v.get("f"), Some(&Value::Int(1000)));
        assert_eq!(v.get("g"), Some(&f(0.5)));
        assert_eq!(v.get("h"), Some(&f(1000.0)));
        assert_eq!(v.get("i"), Some(&Value::String("tRUE".into())));
        assert_eq!(v.get("j"), Some(&f(8.0)));
    }

    #[test]
    fn big_integers_become_floats() {
        let v = doc("a: 18446744073709551615\nb: 18446744073709551616\nc: -9223372036854775808\n");
        assert_eq!(v.get("a"), Some(&f(18446744073709551615u64 as f64)));
        assert_eq!(v.get("b"), Some(&f(18446744073709551616.0)));
        assert_eq!(v.get("c"), Some(&Value::Int(i64::MIN)));
    }

    #[test]
    fn strings_that_look_like_numbers_stay_strings() {
        let v = doc("a: 1.2.3\nb: 190:20:30\nc: 1e\nd: 0x\ne: 2001-12-14\nf: '1'\ng: 1e400\n");
        for k in ["a", "b", "c", "d", "e", "f"] {
            assert!(matches!(v.get(k), Some(Value::String(_))), "{k}: {:?}", v.get(k));
        }
        assert_eq!(v.get("g"), Some(&Value::String("1e400".into())));
    }

    #[test]
    fn tags() {
        let v = doc(
            "a: !!str 1\nb: !!int '2'\nc: !!float 3\nd: !!binary aGVsbG8=\ne: !foo 4\nf: !!set {x}\n",
        );
        assert_eq!(v.get("a"), Some(&Value::String("1".into())));
        assert_eq!(v.get("b"), Some(&Value::Int(2)));
        assert_eq!(v.get("c"), Some(&f(3.0)));
        assert_eq!(v.get("d"), Some(&Value::String("hello".into())));
        assert_eq!(v.get("e"), Some(&Value::String("4".into())));
        assert_eq!(v.get_path("f.x"), Some(&Value::Null));
        assert_eq!(
            err("a: !!int 1.5\n"),
            "error converting YAML to JSON: yaml: cannot decode !!float `1.5` as a !!int"
        );
    }

    #[test]
    fn keys_become_strings() {
        let v = values("1: a\n1.5: b\ny: c\nfalse: d\n.inf: e\n");
        let keys: Vec<&String> = v.as_map().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, [".inf", "1", "1.5", "false", "true"]);
        assert_eq!(
            err("~: 1\n"),
            "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: 1"
        );
        assert_eq!(
            err("? {a: 1, b: [x, ~]}\n: 1\n"),
            "error converting YAML to JSON: yaml: invalid map key: map[interface {}]interface {}{\"a\":1, \"b\":[]interface {}{\"x\", interface {}(nil)}}"
        );
        assert_eq!(
            err("0xffffffffffffffff: 1\n"),
            "error converting YAML to JSON: unsupported map key of type: uint64, key: 0xffffffffffffffff, value: 1"
        );
    }

    #[test]
    fn merge_keys_apply_in_order() {
        let v = values("b: &b {x: 1, z: 1}\nc: &c {x: 2, w: 2}\nd: {x: 0, <<: [*b, *c], w: 3}\n");
        assert_eq!(v.get_path("d.x"), Some(&f(1.0)));
        assert_eq!(v.get_path("d.z"), Some(&f(1.0)));
        assert_eq!(v.get_path("d.w"), Some(&f(3.0)));
        assert_eq!(
            err("a: &a 1\nb: {<<: *a}\n"),
            "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value"
        );
    }

    #[test]
    fn aliases() {
        assert_eq!(
            err("a: &a [*a]\n"),
            "error converting YAML to JSON: yaml: anchor 'a' value contains itself"
        );
        assert_eq!(
            err("a: *nope\n"),
            "error converting YAML to JSON: yaml: unknown anchor 'nope' referenced"
        );
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        assert_eq!(
            err(&s),
            "error converting YAML to JSON: yaml: document contains excessive aliasing"
        );
    }

    #[test]
    fn long_alias_strings_are_bounded() {
        let opts = ReadOptions { max_alias_bytes: 1000, ..ReadOptions::default() };
        let src = format!("a: &a {}\nb: [{}]\n", "x".repeat(100), vec!["*a"; 20].join(", "));
        assert!(opts.parse_values(&src).is_err());
        assert!(parse_values(&src).is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_values(&deep).is_err());
        let deep_alias = format!(
            "a: &a {}{}\nb: {}*a{}\n",
            "[".repeat(900),
            "]".repeat(900),
            "[".repeat(900),
            "]".repeat(900)
        );
        assert!(parse_values(&deep_alias).is_err());
    }

    #[test]
    fn documents_merge() {
        let v = values("a: {x: 1}\nb: 1\n---\na: {w: 2}\nb: [1]\n---\n");
        assert_eq!(v.get_path("a.x"), Some(&f(1.0)));
        assert_eq!(v.get_path("a.w"), Some(&f(2.0)));
        assert_eq!(v.get("b"), Some(&Value::List(vec![f(1.0)])));
        let e = parse_values("a: 1\n--- b\n").unwrap_err();
        assert_eq!(e.stage(), YamlStage::SplitDocuments);
        assert_eq!(
            e.helm_message(),
            "error reading yaml document: invalid Yaml document separator: b"
        );
    }

    #[test]
    fn syntax_error_lines_follow_go_yaml() {
        assert_eq!(
            err("a:\n  b: 1\n c: 2\n"),
            "error converting YAML to JSON: yaml: line 2: did not find expected key"
        );
        assert_eq!(
            err("v: 'abc\n"),
            "error converting YAML to JSON: yaml: line 2: found unexpected end of stream"
        );
        let e = parse_values("x: 1\n---\na:\n  b: 1\n c: 2\n").unwrap_err();
        assert_eq!(e.line, Some(5));
    }

    #[test]
    fn non_finite_numbers_fail_json() {
        assert_eq!(err("v: .nan\n"), "error converting YAML to JSON: json: unsupported value: NaN");
        assert_eq!(doc("v: -.inf\n").get("v"), Some(&f(f64::NEG_INFINITY)));
    }

    /// Behaviours checked against helm v4.1.4 while writing the reader (values text, then the
    /// JSON helm printed or the error after `cannot unmarshal yaml document: `).
    #[test]
    fn helm_verified_cases() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            // Tabs: libyaml eats them after a simple key's ':' and inside flow collections and
            // quoted scalars, but not in indentation or after '-'.
            ("a:\tb\nc: [1,\t2]\nd: \"x\n\ty\"\n", Ok(r#"{"a":"b","c":[1,2],"d":"x y"}"#)),
            ("a: x\n  \ty\n", Ok(r#"{"a":"x y"}"#)),
            ("a: 1\n\t\nb: 2\n", Err("line 2: found a tab character that violates indentation")),
            ("a:\n- \tb\n", Err("line 2: found character that cannot start any token")),
            ("\t\na: 1\n", Err("found character that cannot start any token")),
            (
                "a: |\n  x\n\ty\n",
                Err("line 3: found a tab character where an indentation space is expected"),
            ),
            ("? a\n:\tb\n", Err("line 2: found character that cannot start any token")),
            // YAML 1.1 text that saphyr (YAML 1.2) refuses.
            ("args: [\n  \"a\",\n\"b\"]\n", Ok(r#"{"args":["a","b"]}"#)),
            ("a: \"it\\'s\"\nb: \"x\"#c\n", Ok(r#"{"a":"it's","b":"x"}"#)),
            ("a:\n  - \"8\n.5\"\n", Ok(r#"{"a":["8 .5"]}"#)),
            ("v: .5_5\n", Ok(r#"{"v":0.55}"#)),
            ("a: [1]]\n", Err("did not find expected key")),
            ("[a]]\n", Err("into Go value of type map[string]interface {}")),
            ("a: 1\n...\nignored: [\n", Ok(r#"{"a":1}"#)),
            // YAML 1.2 text that libyaml refuses.
            ("a: \"\\/\"\n", Err("found unknown escape character")),
            (
                "hosts:\n  - *.example.com\n",
                Err("line 2: did not find expected alphabetic or numeric character"),
            ),
            ("a: \u{1}\n", Err("control characters are not allowed")),
            ("...\na: 1\n", Err("did not find expected node content")),
            (": b\n", Err("did not find expected key")),
            ("{url: http://x/?a=b}\n", Err("did not find expected ',' or '}'")),
            ("a: {b: 1, c:[x]}\n", Err("did not find expected ',' or '}'")),
            ("%YAML 1.2\n---\na: 1\n", Err("found incompatible YAML document")),
            ("%FOO x\na: 1\n", Err("found unknown directive name")),
            // Messages and lines.
            ("---\na: 1\nb:\n  c: 1\n d: 2\n", Err("line 4: did not find expected key")),
            ("a: [b: c: d]\n", Err("did not find expected ',' or ']'")),
            ("a: \"x\n...\n\"\n", Err("line 2: found unexpected document indicator")),
            ("\"a\n b\": 1\n", Err("line 2: mapping values are not allowed in this context")),
            ("a: 'x' y\n", Err("did not find expected key")),
            ("- \"a\" b\n", Err("did not find expected '-' indicator")),
            ("a: !!\n", Err("did not find expected tag URI")),
            ("a: x\u{85}y\n", Err("line 3: could not find expected ':'")),
        ];
        for (src, want) in cases {
            match (parse_values(src), want) {
                (Ok(v), Ok(json)) => {
                    assert_eq!(v.to_json(false).ok().as_deref(), Some(*json), "{src:?}")
                }
                (Err(e), Err(msg)) => assert!(e.message.ends_with(msg), "{src:?}: {}", e.message),
                (got, _) => panic!("{src:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn tabs_after_colons_are_patched_at_once() {
        let text: String = (0..3000).map(|i| format!("key{i}:\tvalue\n")).collect();
        assert_eq!(values(&text).as_map().map(Map::len), Some(3000));
        // A tab after ':' inside a quoted or block scalar is text.
        let v = values("a: \"x:\ty\"\nb:\tc\nd: |\n  k:\tv\n");
        assert_eq!(v.get("a"), Some(&Value::String("x:\ty".into())));
        assert_eq!(v.get("b"), Some(&Value::String("c".into())));
        assert_eq!(v.get("d"), Some(&Value::String("k:\tv\n".into())));
    }

    /// Fuzz finding: a lone CR made the flow-indentation rewrite indent the wrong line forever.
    #[test]
    fn fuzz_lone_cr_in_flow_does_not_loop() {
        let t = std::time::Instant::now();
        assert!(parse_values("-r:\t{\r5").is_err());
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVsbG8"), None);
        assert_eq!(decode_base64("aG=sbG8="), None);
        assert_eq!(go_lossy_utf8(&[0x61, 0xe2, 0x82, 0x62]), "a\u{fffd}\u{fffd}b");
    }

    #[test]
    fn timestamps() {
        for ok in
            ["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-1-2 3:4:5", "2002-12-14T21:59:43Z"]
        {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in ["2001-02-30", "2001-12-14 21:59:43.10 -5", "01-12-14", "2001-12-14x"] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
#[cfg(test)]
mod fuzz_regressions {
    /// Found by `cargo fuzz run yaml_read` in CI: a misplaced `}` whose patched prefix
    /// reproduced the same error made the bracket check recurse until the stack overflowed.
    #[test]
    fn misplaced_bracket_recheck_is_bounded() {
        let input = "\r%\u{499}#\r\t}";
        assert!(super::parse_values(input).is_err());
        let _ = super::parse_document(input);
    }
}

#[cfg(test)]
mod binary_prefix {
    /// Observed with helm 4.1.4: `{"a":-5,"b":-5,"c":3,"d":"-0b-1"}` (go-yaml's `0b` branch uses
    /// ParseInt, so a sign after the prefix is accepted; the reader used to return a string).
    #[test]
    fn sign_after_binary_prefix_reads_as_int() {
        let v = super::parse_values("a: 0b-101\nb: -0b101\nc: 0b+11\nd: -0b-1\n").expect("parses");
        assert_eq!(v.to_json(true).expect("json"), r#"{"a":-5,"b":-5,"c":3,"d":"-0b-1"}"#);
    }
}

#[cfg(test)]
mod go_map_tests {
    use super::*;

    fn doc(n: usize, dup: usize) -> String {
        let mut s: String = (0..n).map(|i| format!("k{i}: {i}\n")).collect();
        s.push_str(&format!("k{dup}: again\n"));
        s
    }

    /// A repeated key replaces the earlier value in place, whether the map is still scanned
    /// (few keys) or already indexed (many keys), and Go's distinct key types stay distinct.
    #[test]
    fn later_keys_replace_earlier_ones_at_every_size() {
        for n in [3, GO_MAP_SCAN - 1, GO_MAP_SCAN, GO_MAP_SCAN + 5] {
            for dup in [0, n / 2, n - 1] {
                let v = parse_document(&doc(n, dup)).unwrap();
                let Value::Map(m) = v else { panic!("not a map") };
                assert_eq!(m.len(), n, "n={n} dup={dup}");
                assert_eq!(m.get(&format!("k{dup}")), Some(&Value::String("again".into())));
            }
        }
        let mut go = GoMap::default();
        for i in 0..(GO_MAP_SCAN as i64 + 4) {
            go.insert(GoValue::Int(i), GoValue::Int(i));
            go.insert(GoValue::Str(i.to_string()), GoValue::Int(-i));
            go.insert(GoValue::Float(f64::NAN), GoValue::Null);
        }
        go.insert(GoValue::Int(3), GoValue::Bool(true));
        go.insert(GoValue::Float(-0.0), GoValue::Null);
        go.insert(GoValue::Float(0.0), GoValue::Bool(false));
        let n = GO_MAP_SCAN + 4;
        // ints, strings, one NaN entry per round, and one float zero.
        assert_eq!(go.entries.len(), 3 * n + 1);
        assert!(
            go.entries
                .iter()
                .any(|(k, v)| matches!((k, v), (GoValue::Int(3), GoValue::Bool(true))))
        );
        assert!(
            go.entries
                .iter()
                .any(|(k, v)| matches!((k, v), (GoValue::Float(_), GoValue::Bool(false))))
        );
    }
}
