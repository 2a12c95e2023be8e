//! Sprig's path and URL functions: `base dir clean ext isAbs` (Go's `path`), `osBase osClean osDir
//! osExt osIsAbs` (Go's `path/filepath`, which on Unix behaves like `path`), `urlParse` and
//! `urlJoin` (sprig's `url.go` over Go's `net/url`).
//!
//! URL parsing follows Go's `net/url.Parse` as Helm 4.1.4 was built with it, error messages
//! included (`parse "http://[::1": missing ']' in host`), and validates bracketed hosts with
//! `net/netip`'s rules and messages.

use std::collections::BTreeMap;

use chart_core::gofmt::go_quote;

use super::{FnError, FnResult, Registry, Ty};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    // path/filepath on Unix behaves as path: the os* names share the bodies.
    for name in ["base", "osBase"] {
        r.add(name, &[Ty::Str], |_, a| Ok(Val::str(base(arg_str(&a)))));
    }
    for name in ["dir", "osDir"] {
        r.add(name, &[Ty::Str], |_, a| Ok(Val::str(dir(arg_str(&a)))));
    }
    for name in ["clean", "osClean"] {
        r.add(name, &[Ty::Str], |_, a| Ok(Val::str(clean(arg_str(&a)))));
    }
    for name in ["ext", "osExt"] {
        r.add(name, &[Ty::Str], |_, a| Ok(Val::str(ext(arg_str(&a)))));
    }
    for name in ["isAbs", "osIsAbs"] {
        r.add(name, &[Ty::Str], |_, a| Ok(Val::Bool(arg_str(&a).starts_with('/'))));
    }
    r.add("urlParse", &[Ty::Str], url_parse);
    r.add("urlJoin", &[Ty::Map], url_join);
}

fn arg_str(a: &[Val]) -> &str {
    match a.first() {
        Some(Val::Str(s)) => s,
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------------
// Go's `path` package.

/// Go's `path.Clean`: the shortest equivalent path (`a//b/../c/` → `a/c`, `""` → `.`).
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let p = path.as_bytes();
    let n = p.len();
    let rooted = p[0] == b'/';
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        if p[r] == b'/' || (p[r] == b'.' && (r + 1 == n || p[r + 1] == b'/')) {
            r += 1;
        } else if p[r] == b'.' && p[r + 1] == b'.' && (r + 2 == n || p[r + 2] == b'/') {
            r += 2;
            if out.len() > dotdot {
                out.pop();
                while out.len() > dotdot && out.last() != Some(&b'/') {
                    out.pop();
                }
                // Drop the separator too (Go's writer index stops on it).
                if out.len() > dotdot && out.last() == Some(&b'/') {
                    out.pop();
                }
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && p[r] != b'/' {
                out.push(p[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".into();
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Go's `path.Base`: the last element (`a/b/` → `b`, `""` → `.`, `/` → `/`).
pub(crate) fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    let last = match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    if last.is_empty() { "/".into() } else { last.into() }
}

/// Go's `path.Dir`: everything but the last element, cleaned.
pub(crate) fn dir(path: &str) -> String {
    let head = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    clean(head)
}

/// Go's `path.Ext`: the extension of the last element, dot included.
pub(crate) fn ext(path: &str) -> String {
    for (i, b) in path.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return path[i..].into(),
            _ => {}
        }
    }
    String::new()
}

// ---------------------------------------------------------------------------------------------
// sprig's url.go.

fn url_parse(_: &mut super::Env<'_>, a: Vec<Val>) -> FnResult {
    let u =
        parse_url(arg_str(&a)).map_err(|e| FnError::new(format!("unable to parse url: {e}")))?;
    let s = |b: &[u8]| Val::str(String::from_utf8_lossy(b).into_owned());
    let mut m = BTreeMap::new();
    m.insert("scheme".to_owned(), s(u.scheme.as_bytes()));
    m.insert("host".to_owned(), s(&u.host));
    m.insert("hostname".to_owned(), s(&u.hostname()));
    m.insert("path".to_owned(), s(&u.path));
    m.insert("query".to_owned(), s(u.raw_query.as_bytes()));
    m.insert("opaque".to_owned(), s(u.opaque.as_bytes()));
    m.insert("fragment".to_owned(), s(&u.fragment));
    m.insert(
        "userinfo".to_owned(),
        Val::str(u.user.as_ref().map(Userinfo::string).unwrap_or_default()),
    );
    Ok(Val::map(m))
}

/// sprig's `dictGetOrEmpty`: a string entry, `""` when absent, a panic otherwise.
fn dict_get_or_empty(d: &BTreeMap<String, Val>, key: &str) -> Result<String, FnError> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Val::Str(s)) => Ok(s.to_string()),
        Some(v) if v.is_nil() => {
            Err(FnError::new("runtime error: invalid memory address or nil pointer dereference"))
        }
        Some(Val::Obj(o)) if o.kind() == "string" => Ok(o.fmt_v()),
        Some(v) => Err(FnError::new(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            v.kind_name()
        ))),
    }
}

fn url_join(_: &mut super::Env<'_>, a: Vec<Val>) -> FnResult {
    let Some(Val::Map(m)) = a.first() else {
        return Ok(Val::str(""));
    };
    let d = m.map.borrow();
    let mut u = Url {
        scheme: dict_get_or_empty(&d, "scheme")?,
        host: dict_get_or_empty(&d, "host")?.into_bytes(),
        path: dict_get_or_empty(&d, "path")?.into_bytes(),
        raw_query: dict_get_or_empty(&d, "query")?,
        opaque: dict_get_or_empty(&d, "opaque")?,
        fragment: dict_get_or_empty(&d, "fragment")?.into_bytes(),
        ..Url::default()
    };
    let userinfo = dict_get_or_empty(&d, "userinfo")?;
    if !userinfo.is_empty() {
        let parsed = parse_url(&format!("proto://{userinfo}@host"))
            .map_err(|e| FnError::new(format!("unable to parse userinfo in dict: {e}")))?;
        u.user = parsed.user;
    }
    Ok(Val::str(u.string()))
}

// ---------------------------------------------------------------------------------------------
// Go's net/url.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::QueryComponent => return true,
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

/// Go's `escape`.
fn escape(s: &[u8], mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push('+');
        } else if should_escape(c, mode) {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(c >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(c & 15)]));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Go's `unescape`, returning bytes (an escape may produce bytes that are not UTF-8).
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let escape_error = |e: &[u8]| format!("invalid URL escape {}", go_quote_bytes(e));
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len()
                    || !s[i + 1].is_ascii_hexdigit()
                    || !s[i + 2].is_ascii_hexdigit()
                {
                    let end = (i + 3).min(s.len());
                    return Err(escape_error(&s[i..end]));
                }
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && &s[i..i + 3] != b"%25" {
                    return Err(escape_error(&s[i..i + 3]));
                }
                if mode == Mode::Zone {
                    let v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                    if &s[i..i + 3] != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(escape_error(&s[i..i + 3]));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        go_quote_bytes(&s[i..i + 1])
                    ));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                out.push((unhex(s[i + 1]) << 4) | unhex(s[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn go_quote_bytes(b: &[u8]) -> String {
    chart_core::gofmt::go_quote_bytes(b)
}

/// Go's `url.Userinfo`.
#[derive(Clone, Default)]
struct Userinfo {
    username: Vec<u8>,
    password: Option<Vec<u8>>,
}

impl Userinfo {
    fn string(&self) -> String {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(':');
            s.push_str(&escape(p, Mode::UserPassword));
        }
        s
    }
}

/// The fields of Go's `url.URL` that sprig reads or sets. Decoded fields are bytes.
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<Userinfo>,
    host: Vec<u8>,
    path: Vec<u8>,
    raw_path: String,
    force_query: bool,
    raw_query: String,
    fragment: Vec<u8>,
    raw_fragment: String,
}

/// Go's `url.Parse`, with its `*url.Error` text as the error.
fn parse_url(raw: &str) -> Result<Url, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = parse(u).map_err(|e| format!("parse {}: {e}", go_quote(u)))?;
    if frag.is_empty() {
        return Ok(url);
    }
    let f = unescape(frag.as_bytes(), Mode::Fragment)
        .map_err(|e| format!("parse {}: {e}", go_quote(raw)))?;
    url.raw_fragment =
        if escape(&f, Mode::Fragment) == frag { String::new() } else { frag.to_owned() };
    url.fragment = f;
    Ok(url)
}

/// Go's `getScheme`: `(scheme, rest)`.
fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `parse(rawURL, viaRequest=false)`.
fn parse(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        rest = r;
        url.raw_query = q.to_owned();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_owned();
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let authority_and_path = &rest[2..];
        let (authority, path) = match authority_and_path.find('/') {
            Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
            None => (authority_and_path, ""),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    }
    let path = unescape(rest.as_bytes(), Mode::Path)?;
    url.raw_path = if escape(&path, Mode::Path) == rest { String::new() } else { rest.to_owned() };
    url.path = path;
    Ok(url)
}

/// Go's `validUserinfo`.
fn valid_userinfo(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | ':'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
                    | '@'
            )
    })
}

/// Go's `parseAuthority`.
fn parse_authority(authority: &str) -> Result<(Option<Userinfo>, Vec<u8>), String> {
    let at = authority.rfind('@');
    let host = parse_host(at.map_or(authority, |i| &authority[i + 1..]))?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match userinfo.split_once(':') {
        None => Userinfo {
            username: unescape(userinfo.as_bytes(), Mode::UserPassword)?,
            password: None,
        },
        Some((name, pass)) => Userinfo {
            username: unescape(name.as_bytes(), Mode::UserPassword)?,
            password: Some(unescape(pass.as_bytes(), Mode::UserPassword)?),
        },
    };
    Ok((Some(user), host))
}

/// Go's `validOptionalPort`: empty or `:` followed by digits.
fn valid_optional_port(port: &str) -> bool {
    port.is_empty() || (port.starts_with(':') && port[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// Go's `parseHost`: `host[:port]`, with IP literals checked by `netip.ParseAddr`.
fn parse_host(host: &str) -> Result<Vec<u8>, String> {
    if host.starts_with('[') {
        let i = host.rfind(']').ok_or_else(|| "missing ']' in host".to_owned())?;
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
        let b = host.as_bytes();
        let unescaped = match host[..i].find("%25") {
            Some(zone) => {
                let mut out = unescape(&b[..zone], Mode::Host)?;
                out.extend(unescape(&b[zone..i], Mode::Zone)?);
                out.extend(unescape(&b[i..], Mode::Host)?);
                out
            }
            None => unescape(b, Mode::Host)?,
        };
        let close = unescaped.iter().rposition(|&c| c == b']').unwrap_or(unescaped.len());
        let inner =
            String::from_utf8_lossy(unescaped.get(1..close).unwrap_or_default()).into_owned();
        match parse_addr(&inner) {
            Err(e) => return Err(format!("invalid host: {e}")),
            Ok(true) => return Err("invalid IP-literal".into()),
            Ok(false) => {}
        }
        return Ok(unescaped);
    }
    if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    }
    unescape(host.as_bytes(), Mode::Host)
}

impl Url {
    /// Go's `URL.Hostname`: the host without a valid port and without IPv6 brackets.
    fn hostname(&self) -> Vec<u8> {
        let mut host: &[u8] = &self.host;
        if let Some(colon) = host.iter().rposition(|&c| c == b':') {
            let port = &host[colon + 1..];
            if port.iter().all(u8::is_ascii_digit) {
                host = &host[..colon];
            }
        }
        if host.len() >= 2 && host[0] == b'[' && host[host.len() - 1] == b']' {
            host = &host[1..host.len() - 1];
        }
        host.to_vec()
    }

    /// Go's `URL.EscapedPath`.
    fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(self.raw_path.as_bytes(), Mode::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == b"*" {
            return "*".into();
        }
        escape(&self.path, Mode::Path)
    }

    /// Go's `URL.EscapedFragment`.
    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(self.raw_fragment.as_bytes(), Mode::Fragment)
                .is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// Go's `URL.String`.
    fn string(&self) -> String {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(u) = &self.user {
                    buf.push_str(&u.string());
                    buf.push('@');
                }
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().unwrap_or("").contains(':') {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.escaped_fragment());
        }
        buf
    }
}

/// Go's `validEncoded`.
fn valid_encoded(s: &str, mode: Mode) -> bool {
    s.bytes().all(|c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

// ---------------------------------------------------------------------------------------------
// Go's net/netip.ParseAddr, for its validation and error messages only.

fn addr_error(input: &str, msg: &str, at: Option<&str>) -> String {
    match at {
        Some(at) if !at.is_empty() => {
            format!("ParseAddr({}): {msg} (at {})", go_quote(input), go_quote(at))
        }
        _ => format!("ParseAddr({}): {msg}", go_quote(input)),
    }
}

/// `netip.ParseAddr`: `Ok(true)` for an IPv4 address, `Ok(false)` for IPv6.
fn parse_addr(s: &str) -> Result<bool, String> {
    for c in s.bytes() {
        match c {
            b'.' => return parse_ipv4_fields(s, 0, s.len()).map(|()| true),
            b':' => return parse_ipv6(s).map(|()| false),
            b'%' => return Err(addr_error(s, "missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(addr_error(s, "unable to parse IP", None))
}

/// `netip.parseIPv4Fields` over `input[off..end]`.
fn parse_ipv4_fields(input: &str, off: usize, end: usize) -> Result<(), String> {
    let s = &input.as_bytes()[off..end];
    let (mut val, mut pos, mut dig_len) = (0u32, 0, 0);
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(addr_error(input, "IPv4 field has octet with leading zero", None));
            }
            val = val * 10 + u32::from(c - b'0');
            dig_len += 1;
            if val > 255 {
                return Err(addr_error(input, "IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' {
                let at = String::from_utf8_lossy(&s[i..]);
                return Err(addr_error(
                    input,
                    "IPv4 field must have at least one digit",
                    Some(&at),
                ));
            }
            if pos == 3 {
                return Err(addr_error(input, "IPv4 address too long", None));
            }
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            let at = String::from_utf8_lossy(&s[i..]);
            return Err(addr_error(input, "unexpected character", Some(&at)));
        }
    }
    if pos < 3 {
        return Err(addr_error(input, "IPv4 address too short", None));
    }
    Ok(())
}

/// `netip.parseIPv6` (validation only).
fn parse_ipv6(input: &str) -> Result<(), String> {
    let mut s = input;
    let mut zone = "";
    if let Some(i) = s.find('%') {
        (s, zone) = (&s[..i], &s[i + 1..]);
        if zone.is_empty() {
            return Err(addr_error(input, "zone must be a non-empty string", None));
        }
    }
    let mut ellipsis: i32 = -1;
    if s.len() >= 2 && s.starts_with("::") {
        ellipsis = 0;
        s = &s[2..];
        if s.is_empty() {
            return Ok(());
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = char::from(b[off]).to_digit(16) else { break };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(addr_error(input, "each group must have 4 or less digits", Some(s)));
            }
            if acc > 0xffff {
                return Err(addr_error(input, "IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(addr_error(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if off < b.len() && b[off] == b'.' {
            if ellipsis < 0 && i != 12 {
                return Err(addr_error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(addr_error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let end = input.len() - if zone.is_empty() { 0 } else { zone.len() + 1 };
            parse_ipv4_fields(input, end - s.len(), end)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(addr_error(input, "unexpected character, want colon", Some(s)));
        } else if s.len() == 1 {
            return Err(addr_error(input, "colon must be followed by more characters", Some(s)));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis >= 0 {
                return Err(addr_error(input, "multiple :: in address", Some(s)));
            }
            ellipsis = i;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(addr_error(input, "trailing garbage after address", Some(s)));
    }
    if i < 16 {
        if ellipsis < 0 {
            return Err(addr_error(input, "address string too short", None));
        }
    } else if ellipsis >= 0 {
        return Err(addr_error(input, "the :: must expand to at least one field of zeros", None));
    }
    Ok(())
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

    fn ok1(name: &str, arg: &str) -> String {
        call(name, vec![Val::str(arg)]).unwrap().fmt_v()
    }

    fn dict(entries: &[(&str, Val)]) -> Val {
        Val::map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    fn join(entries: &[(&str, &str)]) -> String {
        let d = dict(&entries.iter().map(|(k, v)| (*k, Val::str(*v))).collect::<Vec<_>>());
        call("urlJoin", vec![d]).unwrap().fmt_v()
    }

    // Expectations printed by helm v4.1.4.

    #[test]
    fn path_functions() {
        let dirs: Vec<String> =
            ["a/b/c.txt", "c.txt", "/a", ""].iter().map(|p| ok1("dir", p)).collect();
        assert_eq!(dirs, ["a/b", ".", "/", "."]);
        let cleaned: Vec<String> =
            ["a//b/../c/./d/", "", "/../x"].iter().map(|p| ok1("clean", p)).collect();
        assert_eq!(cleaned, ["a/c/d", ".", "/x"]);
        assert_eq!(ok1("osBase", "a/b/c"), "c");
        assert_eq!(ok1("osDir", "a/b/c"), "a/b");
        assert_eq!(ok1("osExt", "x.y"), ".y");
        assert_eq!(ok1("osClean", "a/../b"), "b");
        assert_eq!(ok1("osIsAbs", "/x"), "true");
        assert_eq!(ok1("base", "a\\b\\c"), "a\\b\\c");
    }

    #[test]
    fn url_parse_fields() {
        assert_eq!(
            ok1("urlParse", "https://u:p%40@Host.com:8080/a%2Fb/c%20d?q=1&x#fr%20ag"),
            "map[fragment:fr ag host:Host.com:8080 hostname:Host.com opaque: path:/a/b/c d \
             query:q=1&x scheme:https userinfo:u:p%40]"
        );
        assert_eq!(
            ok1("urlParse", "mailto:joe@x.com"),
            "map[fragment: host: hostname: opaque:joe@x.com path: query: scheme:mailto userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "HTTP://[::1]:80/x"),
            "map[fragment: host:[::1]:80 hostname:::1 opaque: path:/x query: scheme:http userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "//host/x"),
            "map[fragment: host:host hostname:host opaque: path:/x query: scheme: userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "http://a:1:2/"),
            "map[fragment: host:a:1:2 hostname:a:1 opaque: path:/ query: scheme:http userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "http://[fe80::1%25en0]:8080/"),
            "map[fragment: host:[fe80::1%en0]:8080 hostname:fe80::1%en0 opaque: path:/ query: \
             scheme:http userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "http://x/a?b?"),
            "map[fragment: host:x hostname:x opaque: path:/a query:b? scheme:http userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "*"),
            "map[fragment: host: hostname: opaque: path:* query: scheme: userinfo:]"
        );
        assert_eq!(
            ok1("urlParse", "http://h%c3%bc/"),
            "map[fragment: host:hü hostname:hü opaque: path:/ query: scheme:http userinfo:]"
        );
    }

    #[test]
    fn url_parse_errors() {
        let cases = [
            ("http://a:b:c/", "invalid port \":c\" after host"),
            ("http://[::1", "missing ']' in host"),
            ("1http://x", "first path segment in URL cannot contain colon"),
            (":x", "missing protocol scheme"),
            ("http://x/%zz", "invalid URL escape \"%zz\""),
            ("http://x y/", "invalid character \" \" in host name"),
            ("http://h:port/", "invalid port \":port\" after host"),
            ("http://a b@h/", "net/url: invalid userinfo"),
            ("http://[1.2.3.4]/", "invalid IP-literal"),
            ("http://[xyz%25en0]/", "invalid host: ParseAddr(\"xyz%en0\"): missing IPv6 address"),
            (
                "http://[::1%25]/",
                "invalid host: ParseAddr(\"::1%\"): zone must be a non-empty string",
            ),
            ("http://[]/", "invalid host: ParseAddr(\"\"): unable to parse IP"),
            (
                "http://[1::2::3]/",
                "invalid host: ParseAddr(\"1::2::3\"): multiple :: in address (at \":3\")",
            ),
            ("http://[%3A%3A1]/", "invalid URL escape \"%3A\""),
            (
                "http://[v1.x]/",
                "invalid host: ParseAddr(\"v1.x\"): unexpected character (at \"v1.x\")",
            ),
            ("http://[::1]%41/", "invalid port \"%41\" after host"),
            (
                "http://[12345::]/",
                "invalid host: ParseAddr(\"12345::\"): each group must have 4 or less digits \
                 (at \"12345::\")",
            ),
            ("http://[::1.2.3]/", "invalid host: ParseAddr(\"::1.2.3\"): IPv4 address too short"),
            ("http://[fe80::1%eth0]/", "invalid URL escape \"%et\""),
            ("http://h%41/", "invalid URL escape \"%41\""),
        ];
        for (input, want) in cases {
            let got = call("urlParse", vec![Val::str(input)]).unwrap_err().message;
            assert_eq!(got, format!("unable to parse url: parse {}: {want}", go_quote(input)));
        }
        let ctl = call("urlParse", vec![Val::str("http://x/\u{1}")]).unwrap_err().message;
        assert_eq!(
            ctl,
            "unable to parse url: parse \"http://x/\\x01\": net/url: invalid control character in URL"
        );
        let frag = call("urlParse", vec![Val::str("http://x/#%zz")]).unwrap_err().message;
        assert_eq!(
            frag,
            "unable to parse url: parse \"http://x/#%zz\": invalid URL escape \"%zz\""
        );
    }

    #[test]
    fn url_join() {
        assert_eq!(
            join(&[
                ("scheme", "https"),
                ("host", "example.com"),
                ("path", "/a b"),
                ("query", "x=1")
            ]),
            "https://example.com/a%20b?x=1"
        );
        assert_eq!(
            join(&[("scheme", "http"), ("userinfo", "u:p"), ("host", "h:1"), ("fragment", "f")]),
            "http://u:p@h:1#f"
        );
        assert_eq!(join(&[("path", "a/b c")]), "a/b%20c");
        assert_eq!(join(&[("path", "//x")]), "//x");
        assert_eq!(join(&[("path", "a:b")]), "./a:b");
        assert_eq!(join(&[("host", "ü.com"), ("path", "x y?#")]), "//%C3%BC.com/x%20y%3F%23");
        assert_eq!(
            join(&[("scheme", "s"), ("opaque", "o"), ("query", "q"), ("fragment", "f g")]),
            "s:o?q#f%20g"
        );
        assert_eq!(join(&[("userinfo", "u:p@x"), ("host", "h")]), "//u:p%40x@h");
        assert_eq!(join(&[("userinfo", "u%41")]), "//uA@");
        assert_eq!(join(&[]), "");
        assert_eq!(join(&[("scheme", "http")]), "http:");
        assert_eq!(join(&[("scheme", "http"), ("path", "x")]), "http://x");
        assert_eq!(join(&[("fragment", "a#b!()*'")]), "#a%23b!()*%27");
    }

    #[test]
    fn url_join_errors() {
        let err = |d: Val| call("urlJoin", vec![d]).unwrap_err().message;
        assert_eq!(
            err(dict(&[("host", Val::Nil)])),
            "runtime error: invalid memory address or nil pointer dereference"
        );
        assert_eq!(
            err(dict(&[("host", Val::Int(1))])),
            "unable to parse host key, must be of type string, but int found"
        );
        assert_eq!(
            err(dict(&[("host", Val::list(vec![]))])),
            "unable to parse host key, must be of type string, but slice found"
        );
        assert_eq!(
            err(dict(&[("userinfo", Val::str("a b"))])),
            "unable to parse userinfo in dict: parse \"proto://a b@host\": net/url: invalid userinfo"
        );
        assert_eq!(
            err(dict(&[("userinfo", Val::str("u:p/x"))])),
            "unable to parse userinfo in dict: parse \"proto://u:p/x@host\": invalid port \":p\" \
             after host"
        );
    }
    /// `base`, `dir`, `clean` and `ext` of the same inputs, as helm printed them.
    #[test]
    fn path_functions_match_helm_table() {
        let inputs = [
            "",
            "/",
            "//",
            "a",
            "a/",
            "/a/",
            "a/b/c",
            "../a",
            "a/../..",
            "/../../a",
            "./a/./b/",
            "a/b/../../..",
            "..",
            "../..",
            "/..",
            "a/./../b",
            "abc/def/../../../ghi",
            "x.tar.gz",
            "a.b/c",
            ".hidden",
            "a/.",
            "a/..",
            "///a//b//",
            "a.",
            "./",
            ".",
            "..a/b..",
            "a/b/c/../../d/e/..",
            "/a/b/../../../c",
        ];
        let want: [(&str, [&str; 29]); 4] = [
            (
                "base",
                [
                    ".", "/", "/", "a", "a", "a", "c", "a", "..", "a", "b", "..", "..", "..", "..",
                    "b", "ghi", "x.tar.gz", "c", ".hidden", ".", "..", "b", "a.", ".", ".", "b..",
                    "..", "c",
                ],
            ),
            (
                "dir",
                [
                    ".", "/", "/", ".", "a", "/a", "a/b", "..", ".", "/", "a/b", ".", ".", "..",
                    "/", ".", "..", ".", "a.b", ".", "a", "a", "/a/b", ".", ".", ".", "..a",
                    "a/d/e", "/",
                ],
            ),
            (
                "clean",
                [
                    ".", "/", "/", "a", "a", "/a", "a/b/c", "../a", "..", "/a", "a/b", "..", "..",
                    "../..", "/", "b", "../ghi", "x.tar.gz", "a.b/c", ".hidden", "a", ".", "/a/b",
                    "a.", ".", ".", "..a/b..", "a/d", "/c",
                ],
            ),
            (
                "ext",
                [
                    "", "", "", "", "", "", "", "", ".", "", "", ".", ".", ".", ".", "", "", ".gz",
                    "", ".hidden", ".", ".", "", ".", "", ".", ".", ".", "",
                ],
            ),
        ];
        for (f, expected) in want {
            for (input, expected) in inputs.iter().zip(expected) {
                assert_eq!(ok1(f, input), expected, "{f} {input:?}");
            }
        }
    }
    proptest::proptest! {
        /// URL parsing and joining never panic.
        #[test]
        fn urls_never_panic(raw in "[a-z:/@\\[\\]%0-9.?#é ]{0,20}") {
            let _ = call("urlParse", vec![Val::str(raw.as_str())]);
            let _ = call("urlJoin", vec![dict(&[("host", Val::str(raw.as_str())), ("userinfo", Val::str(raw.as_str()))])]);
            let _ = call("clean", vec![Val::str(raw.as_str())]);
        }
    }
}
