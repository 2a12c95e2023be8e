//! The parser: items → trees, with Go's grammar, variable scoping and error messages.

use std::sync::Arc;

use super::ast::{Arg, Branch, Command, ListNode, Node, Number, Pipe, Span, Tree, Variable};
use super::lex::{Item, ItemType, lex, line_at};
use crate::fxhash::FxHashMap;

/// A parse failure: `template: NAME:LINE: MESSAGE` in Go's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file the template came from.
    pub name: String,
    /// 1-based line.
    pub line: usize,
    /// Go's message.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

/// Most nesting of control structures and parentheses accepted, so hostile input cannot exhaust
/// the stack (Go has no limit; real templates nest a few levels).
const MAX_NESTING: usize = 200;

type PResult<T> = Result<T, ParseError>;

/// Parses one file's text. Returns the file's own tree (named `name`) followed by the trees of its
/// `define`s and `block`s, in source order.
pub(crate) fn parse(
    name: &str,
    text: &str,
    has_function: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    parse_shared(name, &Arc::from(text), has_function)
}

/// [`parse`] of a text already shared: the trees keep `text_rc` itself rather than a copy.
pub(crate) fn parse_shared(
    name: &str,
    text_rc: &Arc<str>,
    has_function: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    let text: &str = text_rc;
    let parse_name: Arc<str> = Arc::from(name);
    let lexed = lex(text);
    let mut p = Parser {
        text,
        src: text_rc.clone(),
        items: lexed.items,
        lex_error: lexed.error,
        idx: 0,
        max_idx: 0,
        parse_name: parse_name.clone(),
        names: FxHashMap::default(),
        vars: vec!["$"],
        range_depth: 0,
        action_pos: None,
        depth: 0,
        has_function,
        defined: Vec::new(),
    };
    let root = p.parse_top()?;
    let mut out = vec![Tree {
        name: name.to_string(),
        parse_name: parse_name.clone(),
        text: text_rc.clone(),
        root: Arc::new(root),
    }];
    for (n, list) in p.defined {
        out.push(Tree {
            name: n,
            parse_name: parse_name.clone(),
            text: text_rc.clone(),
            root: Arc::new(list),
        });
    }
    Ok(out)
}

struct Parser<'a> {
    /// The file's text (lines are counted from item offsets when an error needs them).
    text: &'a str,
    /// The same text, shared with the text nodes.
    src: Arc<str>,
    /// The lexer's items (unpacked with `text` by [`Parser::item`]).
    items: Vec<crate::template::lex::Packed>,
    /// The message of the lexer's `Error` item, if it ended with one.
    lex_error: String,
    idx: usize,
    max_idx: usize,
    parse_name: Arc<str>,
    /// One shared copy of each field, variable and function name of the file.
    names: FxHashMap<&'a str, Arc<str>>,
    vars: Vec<&'a str>,
    range_depth: usize,
    /// Where the action being parsed started.
    action_pos: Option<usize>,
    depth: usize,
    has_function: &'a dyn Fn(&str) -> bool,
    defined: Vec<(String, ListNode)>,
}

enum Listed {
    End,
    Else,
}

impl<'a> Parser<'a> {
    fn item(&self, i: usize) -> Item<'a> {
        match self.items.get(i) {
            Some(it) => it.unpack(self.text),
            None => {
                let last = self.items.last().map(|l| l.unpack(self.text));
                Item { typ: ItemType::Eof, pos: last.map_or(0, |l| l.pos), val: "" }
            }
        }
    }

    /// The source text of an item (its `val` is a slice of the parsed text).
    fn span(&self, tok: &Item<'a>) -> Span {
        // The lexer refuses texts of 4 GiB or more, so the range always fits; a copy otherwise.
        Span::new(&self.src, tok.pos, tok.pos + tok.val.len())
            .unwrap_or_else(|| Span::copy(tok.val))
    }

    fn intern(&mut self, name: &'a str) -> Arc<str> {
        self.names.entry(name).or_insert_with(|| Arc::from(name)).clone()
    }

    fn next(&mut self) -> Item<'a> {
        let it = self.item(self.idx);
        if self.idx < self.items.len() {
            self.idx += 1;
        }
        self.max_idx = self.max_idx.max(self.idx);
        it
    }

    fn backup(&mut self) {
        self.idx -= 1;
    }

    fn peek(&mut self) -> Item<'a> {
        self.max_idx = self.max_idx.max(self.idx + 1);
        self.item(self.idx)
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let it = self.next();
            if it.typ != ItemType::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let it = self.next_non_space();
        self.backup();
        it
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> PResult<T> {
        let line = line_at(self.text, self.item(self.max_idx.saturating_sub(1)).pos);
        Err(ParseError { name: self.parse_name.to_string(), line, message: msg.into() })
    }

    fn unexpected<T>(&self, item: &Item<'_>, context: &str) -> PResult<T> {
        if item.typ == ItemType::Error {
            let mut extra = String::new();
            let action_line = self.action_pos.map(|p| line_at(self.text, p));
            if let Some(action_line) = action_line
                && action_line != line_at(self.text, item.pos)
            {
                extra = format!(" in action started at {}:{}", self.parse_name, action_line);
                if self.lex_error.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", item.describe(&self.lex_error), extra));
        }
        self.errorf(format!("unexpected {} in {}", item.describe(&self.lex_error), context))
    }

    fn expect(&mut self, typ: ItemType, context: &str) -> PResult<Item<'a>> {
        let it = self.next_non_space();
        if it.typ != typ {
            return self.unexpected(&it, context);
        }
        Ok(it)
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.errorf(format!("template nests deeper than {MAX_NESTING} levels"));
        }
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<ListNode> {
        let mut root = ListNode::default();
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim_idx = self.idx;
                self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.idx = delim_idx;
            }
            match self.text_or_action()? {
                Some(Ok(n)) => root.nodes.push(n),
                Some(Err(Listed::End)) => return self.errorf("unexpected {{end}}"),
                Some(Err(Listed::Else)) => return self.errorf("unexpected {{else}}"),
                None => {}
            }
        }
        let eof = self.next();
        if eof.typ == ItemType::Error {
            return self.unexpected(&eof, "input");
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let tok = self.next_non_space();
        if tok.typ != ItemType::String && tok.typ != ItemType::RawString {
            return self.unexpected(&tok, CONTEXT);
        }
        let name = self.unquote(tok.val)?;
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$"]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if let Listed::Else = end {
            return self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.add_definition(name, list)
    }

    fn add_definition(&mut self, name: String, list: ListNode) -> PResult<()> {
        let empty = |l: &ListNode| {
            l.nodes.iter().all(|n| matches!(n, Node::Text { text } if text.trim().is_empty()))
        };
        if let Some(i) = self.defined.iter().position(|(n, _)| *n == name) {
            if empty(&self.defined[i].1) {
                self.defined[i].1 = list;
                return Ok(());
            }
            if !empty(&list) {
                return self.errorf(format!(
                    "template: multiple definition of template {}",
                    chart_core::gofmt::go_quote(&name)
                ));
            }
            return Ok(());
        }
        self.defined.push((name, list));
        Ok(())
    }

    /// `Ok(None)` for a comment.
    fn text_or_action(&mut self) -> PResult<Option<Result<Node, Listed>>> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Text => Ok(Some(Ok(Node::Text { text: self.span(&tok) }))),
            ItemType::LeftDelim => {
                self.action_pos = Some(tok.pos);
                let r = self.action();
                self.action_pos = None;
                r.map(Some)
            }
            ItemType::Comment => Ok(None),
            _ => self.unexpected(&tok, "input"),
        }
    }

    fn item_list(&mut self) -> PResult<(ListNode, Listed)> {
        let mut list = ListNode::default();
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Some(Ok(n)) => list.nodes.push(n),
                Some(Err(l)) => return Ok((list, l)),
                None => {}
            }
        }
        let eof = self.next_non_space();
        if eof.typ == ItemType::Error {
            return self.unexpected(&eof, "input");
        }
        self.errorf("unexpected EOF")
    }

    fn action(&mut self) -> PResult<Result<Node, Listed>> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Block => return self.block_control().map(Ok),
            ItemType::Break => return self.break_control(tok.pos, true).map(Ok),
            ItemType::Continue => return self.break_control(tok.pos, false).map(Ok),
            ItemType::Else => return self.else_control().map(|_| Err(Listed::Else)),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Err(Listed::End));
            }
            ItemType::If => return self.control("if").map(|b| Ok(Node::If(Box::new(b)))),
            ItemType::Range => return self.control("range").map(|b| Ok(Node::Range(Box::new(b)))),
            ItemType::Template => return self.template_control().map(Ok),
            ItemType::With => return self.control("with").map(|b| Ok(Node::With(Box::new(b)))),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Ok(Node::Action { pos, pipe }))
    }

    fn break_control(&mut self, pos: usize, is_break: bool) -> PResult<Node> {
        let word = if is_break { "break" } else { "continue" };
        let tok = self.next_non_space();
        if tok.typ != ItemType::RightDelim {
            return self.unexpected(&tok, &format!("{{{{{word}}}}}"));
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}"));
        }
        let _ = pos;
        Ok(if is_break { Node::Break } else { Node::Continue })
    }

    fn else_control(&mut self) -> PResult<()> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            // "else if" / "else with": leave the keyword for the caller.
            return Ok(());
        }
        self.expect(ItemType::RightDelim, "else")?;
        Ok(())
    }

    fn control(&mut self, context: &str) -> PResult<Branch> {
        self.enter()?;
        let vars_len = self.vars.len();
        let r = self.control_inner(context);
        self.vars.truncate(vars_len);
        self.depth -= 1;
        r
    }

    fn control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let Listed::Else = next {
            let peek = self.peek().typ;
            if (context == "if" && peek == ItemType::If)
                || (context == "with" && peek == ItemType::With)
            {
                let kw = self.next();
                let pos = kw.pos;
                let inner = self.control(context)?;
                let node = if context == "if" {
                    Node::If(Box::new(inner))
                } else {
                    Node::With(Box::new(inner))
                };
                let _ = pos;
                else_list = Some(ListNode { nodes: vec![node] });
            } else {
                let (l, n) = self.item_list()?;
                if let Listed::Else = n {
                    return self.errorf("expected end; found {{else}}");
                }
                else_list = Some(l);
            }
        }
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn template_name(&mut self, tok: &Item<'_>, context: &str) -> PResult<String> {
        match tok.typ {
            ItemType::String | ItemType::RawString => self.unquote(tok.val),
            _ => self.unexpected(tok, context),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Node::Template { pos: tok.pos, name, pipe })
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$"]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        self.enter()?;
        let listed = self.item_list();
        self.depth -= 1;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        let (list, end) = listed?;
        if let Listed::Else = end {
            return self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.add_definition(name.clone(), list)?;
        Ok(Node::Template { pos: tok.pos, name, pipe: Some(pipe) })
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::with_capacity(2),
        };
        // Declarations.
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            let v_idx = {
                // Position of v in items (after skipping spaces).
                self.next_non_space();
                self.idx - 1
            };
            let after_var = self.peek();
            let next = self.peek_non_space();
            match next.typ {
                ItemType::Assign | ItemType::Declare => {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    let name = self.intern(v.val);
                    pipe.decl.push(Variable { pos: v.pos, ident: vec![name] });
                    self.vars.push(v.val);
                }
                ItemType::Char if next.val == "," => {
                    self.next_non_space();
                    let name = self.intern(v.val);
                    pipe.decl.push(Variable { pos: v.pos, ident: vec![name] });
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                continue;
                            }
                            _ => return self.errorf("range can only initialize variables"),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = after_var;
                    self.idx = v_idx;
                }
            }
            break;
        }
        loop {
            let tok = self.next_non_space();
            if tok.typ == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match tok.typ {
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&tok, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool { .. }
                        | Arg::Dot { .. }
                        | Arg::Nil { .. }
                        | Arg::Number { .. }
                        | Arg::String { .. }
                )
            ) {
                return self.errorf(format!("non executable command in pipeline stage {}", i + 1));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let _ = pos;
        let mut cmd = Command { args: Vec::with_capacity(3) };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let tok = self.next();
            match tok.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&tok, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else { return Ok(None) };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            fields.push(self.intern(&f.val[1..]));
        }
        Ok(Some(match node {
            // Go rebuilds these from the chain, which starts at the first chained field.
            Arg::Field { mut ident, .. } => {
                ident.extend(fields);
                Arg::Field { pos: chain_pos, ident }
            }
            Arg::Variable { mut ident, .. } => {
                ident.extend(fields);
                Arg::Variable { pos: chain_pos, ident }
            }
            Arg::Bool { .. }
            | Arg::String { .. }
            | Arg::Number { .. }
            | Arg::Nil { .. }
            | Arg::Dot { .. } => {
                return self.errorf(format!(
                    "unexpected . after term {}",
                    chart_core::gofmt::go_quote(&node.to_string())
                ));
            }
            other => Arg::Chain { pos: chain_pos, node: Box::new(other), field: fields },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let tok = self.next_non_space();
        Ok(Some(match tok.typ {
            ItemType::Identifier => {
                if !(self.has_function)(tok.val) {
                    return self.errorf(format!(
                        "function {} not defined",
                        chart_core::gofmt::go_quote(tok.val)
                    ));
                }
                Arg::Identifier { pos: tok.pos, name: self.intern(tok.val) }
            }
            ItemType::Dot => Arg::Dot { pos: tok.pos },
            ItemType::Nil => Arg::Nil { pos: tok.pos },
            ItemType::Variable => {
                let first = tok.val.split('.').next().unwrap_or_default();
                if !self.vars.contains(&first) {
                    return self.errorf(format!(
                        "undefined variable {}",
                        chart_core::gofmt::go_quote(first)
                    ));
                }
                let ident = tok.val.split('.').map(|n| self.intern(n)).collect();
                Arg::Variable { pos: tok.pos, ident }
            }
            ItemType::Field => Arg::Field {
                pos: tok.pos,
                ident: tok.val[1..].split('.').map(|n| self.intern(n)).collect(),
            },
            ItemType::Bool => Arg::Bool { pos: tok.pos, val: tok.val == "true" },
            ItemType::CharConstant | ItemType::Number => {
                let num = self.number(&tok)?;
                Arg::Number { pos: tok.pos, num: Arc::new(num) }
            }
            ItemType::LeftParen => {
                self.enter()?;
                let p = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.depth -= 1;
                Arg::Pipe(Box::new(p?))
            }
            ItemType::String | ItemType::RawString => {
                let inner = &tok.val[1..tok.val.len().max(1) - 1];
                // Without escapes (most strings), the text is what is between the quotes.
                let text: Arc<str> = if tok.typ == ItemType::String && !inner.contains('\\') {
                    Arc::from(inner)
                } else {
                    Arc::from(self.unquote(tok.val)?.as_str())
                };
                Arg::String { pos: tok.pos, quoted: self.span(&tok), text }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    fn unquote(&self, s: &str) -> PResult<String> {
        match go_unquote(s) {
            Some(u) => Ok(u),
            None => self.errorf("invalid syntax"),
        }
    }

    fn number(&self, tok: &Item<'_>) -> PResult<Number> {
        match parse_number(tok.val, tok.typ == ItemType::CharConstant) {
            Ok(n) => Ok(n),
            Err(msg) => self.errorf(msg),
        }
    }
}

/// Go's `strconv.Unquote` for `"..."`, `` `...` `` and `'x'`.
pub(crate) fn go_unquote(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let q = b[0];
    if b[b.len() - 1] != q {
        return None;
    }
    let inner = &s[1..s.len() - 1];
    if q == b'`' {
        if inner.contains('`') {
            return None;
        }
        return Some(inner.replace('\r', ""));
    }
    if q != b'"' && q != b'\'' {
        return None;
    }
    if q == b'"' && !inner.contains(['\\', '"', '\n']) {
        return Some(inner.to_string());
    }
    let mut out = String::new();
    let mut bytes_out: Vec<u8> = Vec::new();
    let mut chars = inner.chars().peekable();
    // Work in bytes to allow \x escapes producing arbitrary bytes.
    while let Some(c) = chars.next() {
        if c == q as char {
            return None;
        }
        if c == '\n' {
            return None;
        }
        if c != '\\' {
            let mut buf = [0u8; 4];
            bytes_out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let e = chars.next()?;
        match e {
            'a' => bytes_out.push(7),
            'b' => bytes_out.push(8),
            'f' => bytes_out.push(12),
            'n' => bytes_out.push(b'\n'),
            'r' => bytes_out.push(b'\r'),
            't' => bytes_out.push(b'\t'),
            'v' => bytes_out.push(11),
            '\\' => bytes_out.push(b'\\'),
            '\'' if q == b'\'' => bytes_out.push(b'\''),
            '"' if q == b'"' => bytes_out.push(b'"'),
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    v = v * 8 + chars.next()?.to_digit(8)?;
                }
                if v > 255 {
                    return None;
                }
                bytes_out.push(v as u8);
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v = 0u32;
                for _ in 0..n {
                    v = v * 16 + chars.next()?.to_digit(16)?;
                }
                if e == 'x' {
                    bytes_out.push(v as u8);
                } else {
                    let c = char::from_u32(v)?;
                    let mut buf = [0u8; 4];
                    bytes_out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            _ => return None,
        }
    }
    if q == b'\'' {
        // A character literal holds exactly one rune.
        let s = String::from_utf8(bytes_out).ok()?;
        if s.chars().count() != 1 {
            return None;
        }
        return Some(s);
    }
    match String::from_utf8(bytes_out) {
        Ok(s) => out.push_str(&s),
        Err(e) => out.push_str(&String::from_utf8_lossy(e.as_bytes())),
    }
    Some(out)
}

/// Go's `parse.newNumber`: every interpretation of a number literal.
pub(crate) fn parse_number(text: &str, is_char: bool) -> Result<Number, String> {
    let mut n = Number {
        is_int: false,
        is_uint: false,
        is_float: false,
        int: 0,
        uint: 0,
        float: 0.0,
        text: text.to_string(),
    };
    if is_char {
        let Some(s) = go_unquote(text) else {
            return Err(format!("malformed character constant: {text}"));
        };
        let r = s.chars().next().map_or(0, |c| c as u32);
        n.int = i64::from(r);
        n.is_int = true;
        n.uint = u64::from(r);
        n.is_uint = true;
        n.float = f64::from(r);
        n.is_float = true;
        return Ok(n);
    }
    if text.ends_with('i') {
        return Err(format!("illegal number syntax: {}", chart_core::gofmt::go_quote(text)));
    }
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(u) = parse_go_uint(&clean) {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = parse_go_int(&clean) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = 0;
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else {
        let is_hex = clean.trim_start_matches(['+', '-']).starts_with("0x")
            || clean.trim_start_matches(['+', '-']).starts_with("0X");
        let f = if is_hex {
            parse_hex_float(&clean)
        } else {
            clean.parse::<f64>().ok().filter(|_| valid_decimal_float(&clean))
        };
        if let Some(f) = f {
            if !text.contains(['.', 'e', 'E', 'p', 'P']) && !is_hex {
                // An integer that overflows both int64 and uint64.
                return Err(format!(
                    "illegal number syntax: {}",
                    chart_core::gofmt::go_quote(text)
                ));
            }
            if f.is_infinite() {
                return Err(format!(
                    "illegal number syntax: {}",
                    chart_core::gofmt::go_quote(text)
                ));
            }
            n.is_float = true;
            n.float = f;
            if !n.is_int && f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 {
                n.is_int = true;
                n.int = f as i64;
            }
            if !n.is_uint && f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f) {
                n.is_uint = true;
                n.uint = f as u64;
            }
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", chart_core::gofmt::go_quote(text)));
    }
    Ok(n)
}

fn valid_decimal_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && s.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.')
        && !s.eq_ignore_ascii_case("inf")
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let s = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => return None,
    };
    let (int_part, frac_part) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    let mut v = 0f64;
    for c in int_part.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    let v = v * 2f64.powi(exp);
    Some(if neg { -v } else { v })
}

fn split_base(s: &str) -> (bool, u32, &str) {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("0x") {
        (neg, 16, &s[2..])
    } else if lower.starts_with("0o") {
        (neg, 8, &s[2..])
    } else if lower.starts_with("0b") {
        (neg, 2, &s[2..])
    } else if s.len() > 1 && s.starts_with('0') {
        (neg, 8, &s[1..])
    } else {
        (neg, 10, s)
    }
}

fn parse_go_uint(s: &str) -> Option<u64> {
    let (neg, base, digits) = split_base(s);
    if neg || digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, base).ok()
}

fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, base, digits) = split_base(s);
    if digits.is_empty() {
        return None;
    }
    let mag = u64::from_str_radix(digits, base).ok()?;
    if neg {
        if mag <= 1u64 << 63 { Some((mag as i64).wrapping_neg()) } else { None }
    } else {
        i64::try_from(mag).ok()
    }
}
