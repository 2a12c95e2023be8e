//! The lexer: template text → items, with Go's `text/template/parse` rules for delimiters, trim
//! markers (`{{- ` and ` -}}`), comments, strings, numbers and error texts.

/// What kind of item the lexer produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords (after this point, printed as `<word>`).
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemType::Block
                | ItemType::Break
                | ItemType::Continue
                | ItemType::Dot
                | ItemType::Define
                | ItemType::Else
                | ItemType::End
                | ItemType::If
                | ItemType::Nil
                | ItemType::Range
                | ItemType::Template
                | ItemType::With
        )
    }
}

/// One lexed item: its type, byte offset and text (borrowed from the input); its line is worked
/// out from the offset when an error needs it ([`line_at`]). An `Error`
/// item has empty text; its message is [`Lexed::error`] (lexing stops at the first error).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    pub typ: ItemType,
    pub pos: usize,
    pub val: &'a str,
}

/// The 1-based line of byte offset `pos` in `text`, as Go's lexer counts it for an item that
/// starts there.
pub(crate) fn line_at(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..pos]).count()
}

/// An item as the lexer stores it: its text is `input[pos..pos + len]` (empty for `Error`).
/// A third of [`Item`]'s size: the items of a large file are the parser's largest
/// allocation, and on the machines this runs on, fresh memory is what costs (each new page is
/// a fault).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Packed {
    pos: u32,
    len: u32,
    typ: ItemType,
}

impl Packed {
    /// The item, with its text taken from `input` (the text that was lexed).
    #[inline]
    pub(crate) fn unpack(self, input: &str) -> Item<'_> {
        let (pos, len) = (self.pos as usize, self.len as usize);
        Item { typ: self.typ, pos, val: input.get(pos..pos + len).unwrap_or("") }
    }
}

/// Longest input the lexer accepts: positions are stored in 32 bits.
const MAX_INPUT: usize = u32::MAX as usize;

/// The lexer's output: the items, ending with `Eof` or `Error`, and the error's message.
pub(crate) struct Lexed {
    /// Unpack each with the lexed text ([`Packed::unpack`]).
    pub items: Vec<Packed>,
    pub error: String,
}

impl Item<'_> {
    /// Go's `item.String()`, used in parse error messages; `error` is the lexer's message.
    pub fn describe(&self, error: &str) -> String {
        match self.typ {
            ItemType::Eof => "EOF".into(),
            ItemType::Error => error.to_string(),
            t if t.is_keyword() => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    format!("{}...", chart_core::gofmt::go_quote(&head))
                } else {
                    chart_core::gofmt::go_quote(self.val)
                }
            }
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// ASCII letters, digits and `_`, by byte.
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c == b'_' as usize;
        c += 1;
    }
    t
};

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1])
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0]) && b[1] == b'-'
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

/// Lexes the whole input into items, ending with `Eof` or `Error`.
pub(crate) fn lex(input: &str) -> Lexed {
    if input.len() >= MAX_INPUT {
        return Lexed {
            items: vec![Packed { pos: 0, len: 0, typ: ItemType::Error }],
            error: format!("template text of {} bytes is too large", input.len()),
        };
    }
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        paren_depth: 0,
        // Real templates have about one item per 8 bytes.
        items: Vec::with_capacity(input.len() / 8 + 4),
        error: String::new(),
    };
    l.run();
    Lexed { items: l.items, error: l.error }
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: usize,
    items: Vec<Packed>,
    error: String,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Moves past a run of alphanumerics and `_` (Go's `isAlphaNumeric`).
    fn skip_alnum(&mut self) {
        let b = self.input.as_bytes();
        let mut i = self.pos;
        while let Some(&c) = b.get(i) {
            if ASCII_WORD[usize::from(c)] {
                i += 1;
                continue;
            }
            if c < 0x80 {
                break;
            }
            match self.input[i..].chars().next() {
                Some(ch) if is_alnum(ch) => i += ch.len_utf8(),
                _ => break,
            }
        }
        self.pos = i;
    }

    fn backup(&mut self, c: char) {
        self.pos -= c.len_utf8();
    }

    /// Stores an item of text `input[start..end]` (`lex` has checked that positions fit).
    fn push(&mut self, typ: ItemType, start: usize, end: usize) {
        self.items.push(Packed { pos: start as u32, len: (end - start) as u32, typ });
    }

    fn emit(&mut self, typ: ItemType) {
        self.push(typ, self.start, self.pos);
        self.ignore();
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    /// Moves `pos` forward by `n` bytes.
    fn skip(&mut self, n: usize) {
        self.pos += n;
    }

    fn error(&mut self, msg: String) {
        self.push(ItemType::Error, self.start, self.start);
        self.error = msg;
    }

    fn run(&mut self) {
        // Each state returns false when lexing is over (EOF or error).
        let mut in_action = false;
        loop {
            let ok = if in_action {
                self.lex_inside_action(&mut in_action)
            } else {
                self.lex_text(&mut in_action)
            };
            if !ok {
                return;
            }
        }
    }

    fn lex_text(&mut self, in_action: &mut bool) -> bool {
        match find_left_delim(self.rest()) {
            Some(x) => {
                if x > 0 {
                    let after = &self.input[self.pos + x + LEFT.len()..];
                    let mut text_end = self.pos + x;
                    if has_left_trim(after) {
                        let text = &self.input[self.start..text_end];
                        text_end =
                            self.start + text.trim_end_matches([' ', '\t', '\r', '\n']).len();
                    }
                    self.skip(x);
                    if text_end > self.start {
                        self.push(ItemType::Text, self.start, text_end);
                    }
                    // The trimmed whitespace is dropped with the text.
                    self.ignore();
                }
                self.lex_left_delim(in_action)
            }
            None => {
                self.pos = self.input.len();
                if self.pos > self.start {
                    self.emit(ItemType::Text);
                }
                self.emit(ItemType::Eof);
                false
            }
        }
    }

    fn lex_left_delim(&mut self, in_action: &mut bool) -> bool {
        self.skip(LEFT.len());
        let trim = has_left_trim(self.rest());
        let after_marker = if trim { 2 } else { 0 };
        if self.rest()[after_marker..].starts_with("/*") {
            self.skip(after_marker);
            self.ignore();
            return self.lex_comment();
        }
        self.emit(ItemType::LeftDelim);
        self.skip(if trim { 1 } else { 0 });
        self.ignore();
        *in_action = true;
        self.paren_depth = 0;
        true
    }

    fn lex_comment(&mut self) -> bool {
        self.skip(2);
        let Some(x) = self.rest().find("*/") else {
            self.error("unclosed comment".into());
            return false;
        };
        self.skip(x + 2);
        let (delim, trim) = self.at_right_delim();
        if !delim {
            self.error("comment ends before closing delimiter".into());
            return false;
        }
        self.emit(ItemType::Comment);
        if trim {
            self.skip(2);
        }
        self.skip(RIGHT.len());
        if trim {
            let n =
                self.rest().len() - self.rest().trim_start_matches([' ', '\t', '\r', '\n']).len();
            self.skip(n);
        }
        self.ignore();
        true
    }

    fn at_right_delim(&self) -> (bool, bool) {
        // Most calls are at a byte that starts neither `}}` nor ` -}}`.
        match self.input.as_bytes().get(self.pos) {
            Some(&c) if c == b'}' || is_space(c) => {}
            _ => return (false, false),
        }
        let r = self.rest();
        if has_right_trim(r) && r[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (r.starts_with(RIGHT), false)
    }

    fn lex_right_delim(&mut self, in_action: &mut bool) -> bool {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.skip(2);
            self.ignore();
        }
        self.skip(RIGHT.len());
        self.emit(ItemType::RightDelim);
        if trim {
            let n =
                self.rest().len() - self.rest().trim_start_matches([' ', '\t', '\r', '\n']).len();
            self.skip(n);
            self.ignore();
        }
        *in_action = false;
        true
    }

    fn lex_inside_action(&mut self, in_action: &mut bool) -> bool {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim(in_action);
            }
            self.error("unclosed left paren".into());
            return false;
        }
        let Some(c) = self.next() else {
            self.error("unclosed action".into());
            return false;
        };
        match c {
            c if c.is_ascii() && is_space(c as u8) => {
                self.backup(c);
                self.lex_space()
            }
            '=' => {
                self.emit(ItemType::Assign);
                true
            }
            ':' => {
                if self.next() != Some('=') {
                    self.error("expected :=".into());
                    return false;
                }
                self.emit(ItemType::Declare);
                true
            }
            '|' => {
                self.emit(ItemType::Pipe);
                true
            }
            '"' => self.lex_quoted('"', ItemType::String, "unterminated quoted string"),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_field_or_variable(ItemType::Variable),
            '\'' => {
                self.lex_quoted('\'', ItemType::CharConstant, "unterminated character constant")
            }
            '.' => {
                if let Some(d) = self.peek()
                    && d.is_ascii_digit()
                {
                    self.backup('.');
                    return self.lex_number();
                }
                self.lex_field_or_variable(ItemType::Field)
            }
            '+' | '-' | '0'..='9' => {
                self.backup(c);
                self.lex_number()
            }
            c if is_alnum(c) => {
                self.backup(c);
                self.lex_identifier()
            }
            '(' => {
                self.emit(ItemType::LeftParen);
                self.paren_depth += 1;
                true
            }
            ')' => {
                self.emit(ItemType::RightParen);
                if self.paren_depth == 0 {
                    self.error("unexpected right paren".into());
                    return false;
                }
                self.paren_depth -= 1;
                true
            }
            c if c.is_ascii() && !c.is_ascii_control() => {
                self.emit(ItemType::Char);
                true
            }
            c => {
                self.error(format!("unrecognized character in action: {}", go_unicode(c)));
                false
            }
        }
    }

    fn lex_space(&mut self) -> bool {
        let mut num_spaces = 0;
        loop {
            match self.peek() {
                Some(c) if c.is_ascii() && is_space(c as u8) => {
                    self.next();
                    num_spaces += 1;
                }
                _ => break,
            }
        }
        // Be careful about a trim-marked closing delimiter, which has a minus after a space.
        // We know there is a space, so check for the '-' that might follow.
        if has_right_trim(&self.input[self.pos - 1..])
            && self.input[self.pos + 1..].starts_with(RIGHT)
        {
            self.backup(self.input[self.pos - 1..].chars().next().unwrap_or(' '));
            if num_spaces == 1 {
                return true; // Space was only the trim marker's.
            }
        }
        self.emit(ItemType::Space);
        true
    }

    fn lex_identifier(&mut self) -> bool {
        self.skip_alnum();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            self.error(format!("bad character {}", go_unicode(c)));
            return false;
        }
        let word = &self.input[self.start..self.pos];
        let typ = if let Some(k) = keyword(word) {
            k
        } else if word == "true" || word == "false" {
            ItemType::Bool
        } else {
            ItemType::Identifier
        };
        self.emit(typ);
        true
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> bool {
        if self.at_terminator() {
            self.emit(if typ == ItemType::Variable { ItemType::Variable } else { ItemType::Dot });
            return true;
        }
        self.skip_alnum();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            self.error(format!("bad character {}", go_unicode(c)));
            return false;
        }
        self.emit(typ);
        true
    }

    fn at_terminator(&self) -> bool {
        let Some(c) = self.peek() else { return true };
        if c.is_ascii() && is_space(c as u8) {
            return true;
        }
        if matches!(c, '.' | ',' | '|' | ':' | ')' | '(') {
            return true;
        }
        self.rest().starts_with(RIGHT)
    }

    /// A quoted string or character constant up to the closing `quote`: a backslash escapes the
    /// next character, a newline or the end of input leaves it unterminated.
    fn lex_quoted(&mut self, quote: char, typ: ItemType, unterminated: &str) -> bool {
        loop {
            // Jump to the next byte that matters (the quote is ASCII, so a match is a character
            // boundary); what is between is plain text.
            let rest = &self.input.as_bytes()[self.pos..];
            match memchr::memchr3(quote as u8, b'\\', b'\n', rest) {
                Some(i) => self.pos += i,
                None => self.pos = self.input.len(),
            }
            match self.next() {
                Some('\\') => {
                    if let Some(c) = self.next()
                        && c != '\n'
                    {
                        continue;
                    }
                    self.error(unterminated.into());
                    return false;
                }
                None | Some('\n') => {
                    self.error(unterminated.into());
                    return false;
                }
                Some(c) if c == quote => break,
                Some(_) => {}
            }
        }
        self.emit(typ);
        true
    }

    fn lex_number(&mut self) -> bool {
        if !self.scan_number() {
            let s = &self.input[self.start..self.pos];
            self.error(format!("bad number syntax: {}", chart_core::gofmt::go_quote(s)));
            return false;
        }
        // Complex numbers (a trailing `i`) are scanned as numbers and refused by the parser.
        self.emit(ItemType::Number);
        true
    }

    fn accept(&mut self, valid: &str) -> bool {
        if let Some(c) = self.peek()
            && valid.contains(c)
        {
            self.next();
            return true;
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek()
            && is_alnum(c)
        {
            self.next();
            return false;
        }
        true
    }

    fn lex_raw_quote(&mut self) -> bool {
        match self.rest().find('`') {
            Some(x) => {
                self.skip(x + 1);
                self.emit(ItemType::RawString);
                true
            }
            None => {
                self.error("unterminated raw quoted string".into());
                false
            }
        }
    }
}

/// The first `{{` in `s` (a byte search for `{`, then a check of the next byte).
fn find_left_delim(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find('{') {
        let at = from + i;
        if b.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Go's `%#U` of a rune: `U+0041 'A'`.
pub(crate) fn go_unicode(c: char) -> String {
    if chart_core::gofmt::is_go_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}
