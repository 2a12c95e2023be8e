//! The helpers `.hbs` templates get: chart-render's Go template functions of the same name, Helm's
//! `include`, and two internal ones (printing values, guarding blocks).

use std::fmt;
use std::io;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonValue as Json, Output, PathAndJson,
    RenderContext, RenderError, RenderErrorReason, Renderable, ScopedJson,
};

use super::convert::{from_json, to_json};
use super::{HbsError, HbsErrorKind, session};
use crate::funcs::{Env, FnError, OsRandom, SystemClock, Ty, registry as functions};
use crate::template::{WARN_END, WARN_START};
use crate::value::Val;

/// The Go template functions offered as helpers, under their Go names.
pub(super) const FUNCTIONS: &[&str] = &[
    "b64enc", "default", "indent", "lower", "nindent", "quote", "required", "toJson", "toYaml",
    "trim", "upper",
];

/// Handlebars' built-in helpers.
const BUILTINS: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len",
];

/// Whether `name` is a helper of [`registry`] (a name-only `{{name}}` then calls it).
pub(super) fn is_helper(name: &str) -> bool {
    BUILTINS.contains(&name) || FUNCTIONS.contains(&name) || name == "include"
}

/// The helper a value expression is rewritten to call (a name no template can write).
pub(super) const PRINT: &str = "chartkit print";
/// The helper every template and block body is wrapped in.
pub(super) const GUARD: &str = "chartkit guard";

/// A registry with every helper, no HTML escaping and no templates.
pub(super) fn registry() -> Handlebars<'static> {
    let mut r = Handlebars::new();
    r.register_escape_fn(handlebars::no_escape);
    for &name in FUNCTIONS {
        r.register_helper(name, Box::new(GoFunction(name)));
    }
    r.register_helper("include", Box::new(Include));
    r.register_helper(PRINT, Box::new(Print));
    r.register_helper(GUARD, Box::new(Guard));
    r
}

/// A failure a helper reports; becomes an [`HbsError`] located where the helper was called.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) kind: HbsErrorKind,
    pub(super) message: String,
    pub(super) cause: Option<Box<HbsError>>,
}

impl Failure {
    fn new(message: impl Into<String>) -> Failure {
        Failure { kind: HbsErrorKind::Render, message: message.into(), cause: None }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl From<Failure> for RenderError {
    fn from(f: Failure) -> RenderError {
        RenderErrorReason::NestedError(Box::new(f)).into()
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::new(message)
    }
}

/// The [`Failure`] a helper reported, if this error is one.
fn failure_of(e: &RenderError) -> Option<&Failure> {
    match e.reason() {
        RenderErrorReason::NestedError(inner) => inner.downcast_ref::<Failure>(),
        _ => None,
    }
}

/// Handlebars' error as an [`HbsError`] (without excerpts), named `fallback` when handlebars did
/// not say which template failed.
pub(super) fn error_of(e: &RenderError, fallback: &str) -> HbsError {
    let (kind, message, cause) = match failure_of(e) {
        Some(f) => (f.kind, f.message.clone(), f.cause.clone()),
        None => match e.reason() {
            RenderErrorReason::IOError(io) => (HbsErrorKind::Render, io.to_string(), None),
            other => (HbsErrorKind::Render, other.to_string(), None),
        },
    };
    HbsError {
        kind,
        template: e.template_name.clone().unwrap_or_else(|| fallback.to_string()),
        line: e.line_no.unwrap_or(0),
        column: e.column_no.unwrap_or(0),
        message,
        excerpt: String::new(),
        cause,
    }
}

/// The value of an argument: the exact value when it came from the template's data, else the
/// value handlebars computed (a literal, a subexpression, a partial's context).
fn arg_of(p: &PathAndJson<'_>) -> Val {
    if p.is_value_missing() {
        // A missing map key: Go's nil interface.
        return Val::Nil;
    }
    if let Some(v) = p.context_path().and_then(|path| session::resolve(path)) {
        return v;
    }
    from_json(p.value(), p.try_get_constant_value().is_some())
}

/// Go's conversion of an argument to a parameter type (`validateType`).
fn convert(v: Val, ty: Ty) -> Result<Val, String> {
    crate::funcs::check_arg(v, ty)
}

/// How a value prints: Go's `%v`, nothing for nil.
fn print(v: &Val) -> String {
    match v {
        Val::NoValue | Val::Nil => String::new(),
        Val::Str(s) => s.to_string(),
        other => other.fmt_v(),
    }
}

/// Writes `text` the way handlebars writes a helper's value (indented inside a standalone
/// partial).
fn write_text<'reg: 'rc, 'rc>(
    text: String,
    h: &Helper<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> HelperResult {
    Text(text).call(h, r, ctx, rc, out)
}

/// A helper whose value is fixed text: lets handlebars' default `call` write it.
struct Text(String);

impl HelperDef for Text {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        Ok(ScopedJson::Derived(Json::String(self.0.clone())))
    }
}

/// A Go template function of chart-render's registry.
struct GoFunction(&'static str);

impl GoFunction {
    fn eval(&self, h: &Helper<'_>) -> Result<Val, Failure> {
        session::tick()?;
        let name = self.0;
        let Some(f) = functions().get(name) else {
            return Err(Failure::new(format!("function {name:?} not defined")));
        };
        if !h.hash().is_empty() {
            return Err(Failure::new(format!("{name} takes no named arguments")));
        }
        let params = h.params();
        let fixed = f.sig.params.len();
        match f.sig.variadic {
            Some(_) if params.len() < fixed => {
                return Err(Failure::new(format!(
                    "wrong number of args for {name}: want at least {fixed} got {}",
                    params.len()
                )));
            }
            None if params.len() != fixed => {
                return Err(Failure::new(format!(
                    "wrong number of args for {name}: want {fixed} got {}",
                    params.len()
                )));
            }
            _ => {}
        }
        let mut argv = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            let ty = f.sig.params.get(i).copied().or(f.sig.variadic).unwrap_or(Ty::Any);
            argv.push(convert(arg_of(p), ty)?);
        }
        // None of the functions offered reads the clock or the random source.
        let mut env = Env { random: &mut OsRandom, clock: &SystemClock, lint: None };
        (f.body)(&mut env, argv).map_err(|e| call_failure(name, &e))
    }
}

/// A function's error: `required`'s message as a failure, others as Go words them.
fn call_failure(name: &str, e: &FnError) -> Failure {
    let m = &e.message;
    if let Some(start) = m.find(WARN_START) {
        let rest = &m[start + WARN_START.len()..];
        let msg = rest.rfind(WARN_END).map_or(rest, |end| &rest[..end]);
        return Failure { kind: HbsErrorKind::Fail, message: msg.to_string(), cause: None };
    }
    Failure::new(format!("error calling {name}: {m}"))
}

impl HelperDef for GoFunction {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let v = self.eval(h)?;
        Ok(ScopedJson::Derived(to_json(&v).map_err(Failure::new)?))
    }

    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let v = self.eval(h)?;
        write_text(print(&v), h, r, ctx, rc, out)
    }
}

/// Helm's `include NAME DATA`: renders a partial (or template) with `DATA` and returns the text.
struct Include;

impl Include {
    fn eval<'reg>(&self, h: &Helper<'_>, r: &'reg Handlebars<'reg>) -> Result<String, Failure> {
        session::tick()?;
        let params = h.params();
        if params.len() != 2 {
            return Err(Failure::new(format!(
                "wrong number of args for include: want 2 got {}",
                params.len()
            )));
        }
        let name = convert(arg_of(&params[0]), Ty::Str)?;
        let name = name.as_str().unwrap_or_default();
        if !r.has_template(name) {
            return Err(Failure::new(format!("error calling include: no partial named {name:?}")));
        }
        // Handlebars already holds the data as JSON; the exact value serves the helpers inside.
        let json = params[1].value().clone();
        let _root = session::with_root(arg_of(&params[1]));
        let mut out = CappedWriter::new(session::max_output().unwrap_or(usize::MAX));
        match r.render_with_context_to_write(name, &Context::from(json), &mut out) {
            Ok(()) => Ok(out.into_string()),
            Err(e) => {
                let inner = error_of(&e, name);
                // Name the innermost error only: a chain of includes keeps its links in `cause`
                // rather than repeating every message at every level.
                let mut innermost = &inner;
                while let Some(c) = &innermost.cause {
                    innermost = c;
                }
                let message = match inner.kind {
                    HbsErrorKind::Fail => innermost.message.clone(),
                    _ => format!("error calling include: {innermost}"),
                };
                Err(Failure { kind: inner.kind, message, cause: Some(Box::new(inner)) })
            }
        }
    }
}

impl HelperDef for Include {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        Ok(ScopedJson::Derived(Json::String(self.eval(h, r)?)))
    }

    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let text = self.eval(h, r)?;
        write_text(text, h, r, ctx, rc, out)
    }
}

/// Prints the value of a value expression as Go does.
struct Print;

impl HelperDef for Print {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        Ok(ScopedJson::Derived(h.param(0).map(|p| p.value().clone()).unwrap_or(Json::Null)))
    }

    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        session::tick().map_err(Failure::new)?;
        let text = h.param(0).map(|p| print(&arg_of(p))).unwrap_or_default();
        write_text(text, h, r, ctx, rc, out)
    }
}

/// Renders its block one level deeper, counting the work.
struct Guard;

impl HelperDef for Guard {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        session::tick().map_err(Failure::new)?;
        let _depth = session::descend().map_err(Failure::new)?;
        match h.template() {
            Some(t) => t.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

/// Output that fails once it would grow past a limit.
pub(super) struct CappedWriter {
    buf: Vec<u8>,
    cap: usize,
}

impl CappedWriter {
    pub(super) fn new(cap: usize) -> CappedWriter {
        CappedWriter { buf: Vec::new(), cap }
    }

    pub(super) fn into_string(self) -> String {
        // Handlebars writes only `str`s, so this never replaces anything.
        String::from_utf8(self.buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }
}

impl io::Write for &mut CappedWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len().saturating_add(data.len()) > self.cap {
            return Err(io::Error::other(format!(
                "rendered output exceeds the limit of {} bytes",
                self.cap
            )));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_function_exists_in_the_registry() {
        for name in FUNCTIONS {
            assert!(functions().get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn arguments_convert_as_go_converts_them() {
        assert!(convert(Val::str("x"), Ty::Str).is_ok());
        // helm: `upper .Values.count` with `count: 3`, and with `count` missing.
        assert_eq!(
            convert(Val::Float(3.0), Ty::Str).err().as_deref(),
            Some("wrong type for value; expected string; got float64")
        );
        assert_eq!(
            convert(Val::Nil, Ty::Str).err().as_deref(),
            Some("wrong type for value; expected string; got interface {}")
        );
        assert!(matches!(convert(Val::Nil, Ty::Any), Ok(Val::Nil)));
    }

    #[test]
    fn required_failures_keep_their_message() {
        let f = call_failure("required", &FnError::new(format!("{WARN_START}need x{WARN_END}")));
        assert_eq!((f.kind, f.message.as_str()), (HbsErrorKind::Fail, "need x"));
        let f = call_failure("indent", &FnError::new("boom"));
        assert_eq!(f.message, "error calling indent: boom");
    }
}
