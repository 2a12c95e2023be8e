//! The syntax tree of a template, with Go's node printing (used in error messages).

use std::fmt;
use std::sync::Arc;

/// A byte offset into the template text.
pub(crate) type Pos = usize;

/// A piece of a template's source text: the file's shared text and a byte range of it, so
/// that text nodes (most of a template's bytes) cost no copy.
#[derive(Clone)]
pub(crate) struct Span {
    src: Arc<str>,
    start: u32,
    end: u32,
}

impl Span {
    /// `src[start..end]`; `None` when the range is not one of `src` (or does not fit 32 bits).
    pub fn new(src: &Arc<str>, start: usize, end: usize) -> Option<Span> {
        src.get(start..end)?;
        Some(Span { src: src.clone(), start: start.try_into().ok()?, end: end.try_into().ok()? })
    }

    /// A span of its own copy of `s` (cut at 4 GiB).
    pub fn copy(s: &str) -> Span {
        let mut end = s.len().min(u32::MAX as usize);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        Span { src: Arc::from(&s[..end]), start: 0, end: end as u32 }
    }
}

impl std::ops::Deref for Span {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        &self.src[self.start as usize..self.end as usize]
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A sequence of nodes.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListNode {
    pub nodes: Vec<Node>,
}

/// A statement-level node.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text { text: Span },
    Action { pos: Pos, pipe: Pipe },
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template { pos: Pos, name: String, pipe: Option<Pipe> },
    Break,
    Continue,
}

/// `if`, `range` and `with`: the pipeline, the body, the `else` part.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub pos: Pos,
    pub pipe: Pipe,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

/// A pipeline, with its variable declarations.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub pos: Pos,
    pub is_assign: bool,
    pub decl: Vec<Variable>,
    pub cmds: Vec<Command>,
}

/// A `$name` (with optional fields) in a declaration.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub pos: Pos,
    pub ident: Vec<Arc<str>>,
}

/// One command of a pipeline: a function or value with arguments.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub args: Vec<Arg>,
}

/// A parsed number literal, with every interpretation Go's parser computes.
#[derive(Debug, Clone)]
pub(crate) struct Number {
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
    pub text: String,
}

/// An operand.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Field { pos: Pos, ident: Vec<Arc<str>> },
    Chain { pos: Pos, node: Box<Arg>, field: Vec<Arc<str>> },
    Variable { pos: Pos, ident: Vec<Arc<str>> },
    Identifier { pos: Pos, name: Arc<str> },
    Dot { pos: Pos },
    Nil { pos: Pos },
    Bool { pos: Pos, val: bool },
    Number { pos: Pos, num: Arc<Number> },
    String { pos: Pos, quoted: Span, text: Arc<str> },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => {
                for i in ident {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Chain { node, field, .. } => {
                if let Arg::Pipe(_) = **node {
                    write!(f, "({node})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in field {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { ident, .. } => f.write_str(&ident.join(".")),
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => write!(f, "{val}"),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(_) = a {
                write!(f, "({a})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(&v.ident.join("."))?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn branch(f: &mut fmt::Formatter<'_>, name: &str, b: &Branch) -> fmt::Result {
            write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
            if let Some(e) = &b.else_list {
                write!(f, "{{{{else}}}}{e}")?;
            }
            f.write_str("{{end}}")
        }
        match self {
            Node::Text { text } => write!(f, "{}", chart_core::gofmt::go_quote(text)),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::Range(b) => branch(f, "range", b),
            Node::With(b) => branch(f, "with", b),
            Node::Template { name, pipe, .. } => match pipe {
                Some(p) => write!(f, "{{{{template {} {p}}}}}", chart_core::gofmt::go_quote(name)),
                None => write!(f, "{{{{template {}}}}}", chart_core::gofmt::go_quote(name)),
            },
            Node::Break => f.write_str("{{break}}"),
            Node::Continue => f.write_str("{{continue}}"),
        }
    }
}

/// One parsed template: a file or a `define`d block.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    /// The template's name (`conf/templates/x.yaml` or the defined name).
    pub name: String,
    /// The name of the file it was parsed from, for error locations.
    pub parse_name: Arc<str>,
    /// The whole source text of that file, for error locations.
    pub text: Arc<str>,
    /// The body.
    pub root: Arc<ListNode>,
}

impl Tree {
    /// Go's `ErrorContext` location: `file:line:col` with a 0-based byte column.
    pub fn location(&self, pos: Pos) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(i) => pos - i - 1,
            None => pos,
        };
        (line, col)
    }

    /// The same tree as parsed from the file `file` (a copy of a file with identical text);
    /// `is_file_tree` renames the file's own tree too, not only its location.
    pub fn renamed(&self, file: &str, is_file_tree: bool) -> Tree {
        Tree {
            name: if is_file_tree { file.to_string() } else { self.name.clone() },
            parse_name: Arc::from(file),
            text: self.text.clone(),
            root: self.root.clone(),
        }
    }

    /// Whether the body is empty (only whitespace text), as Go's `IsEmptyTree` decides.
    pub fn is_empty(&self) -> bool {
        is_empty_list(&self.root)
    }
}

fn is_empty_list(l: &ListNode) -> bool {
    l.nodes.iter().all(|n| match n {
        Node::Text { text } => text.trim_matches([' ', '\t', '\r', '\n']).is_empty(),
        _ => false,
    })
}
