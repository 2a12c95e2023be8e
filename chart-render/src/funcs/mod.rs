//! The function library: Go's builtins, sprig v3 as Helm registers it, and Helm's own functions.
//!
//! Every function declares its Go parameter types ([`Ty`]); the evaluator converts arguments to
//! them exactly as Go's `text/template` does (`wrong type for value; expected int; got float64`,
//! `expected string; found 12`), so a function body receives values of the declared type.
//! Functions whose Go version returns an error or panics return [`FnError`]; the evaluator prints
//! it as `error calling NAME: MESSAGE`.

use std::sync::OnceLock;
use std::time::SystemTime;

use crate::value::Val;

pub(crate) mod conv;
pub(crate) mod crypto;
pub(crate) mod date;
pub(crate) mod defaults;
pub(crate) mod dicts;
pub(crate) mod encoding;
pub(crate) mod lists;
pub(crate) mod math;
pub(crate) mod net;
pub(crate) mod paths;
pub(crate) mod reflect;
pub(crate) mod regex;
pub(crate) mod semver;
pub(crate) mod strings;

/// A Go parameter type, as the evaluator converts arguments to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ty {
    /// `interface {}`: anything; no value becomes a nil interface.
    Any,
    /// `string`.
    Str,
    /// `int`.
    Int,
    /// `int64`.
    Int64,
    /// `float64`.
    Float64,
    /// `bool`.
    Bool,
    /// `map[string]interface {}` (Helm's `common.Values` is assignable to it).
    Map,
    /// `[]interface {}`.
    List,
    /// `[]string`.
    StrList,
    /// `reflect.Value` (Go's builtins): the value as it is, no value included.
    Value,
}

impl Ty {
    /// Go's name of the type, as error messages print it.
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::Map => "map[string]interface {}",
            Ty::List => "[]interface {}",
            Ty::StrList => "[]string",
            Ty::Value => "reflect.Value",
        }
    }
}

/// Go's `validateType` for a value that exists: the value itself when it has the parameter's
/// type (Helm's `common.Values` passes for a map), otherwise Go's `wrong type for value` message.
pub(crate) fn check_arg(v: Val, ty: Ty) -> Result<Val, String> {
    use crate::value::{Elem, MapKind};
    let ok = match (ty, &v) {
        (Ty::Any | Ty::Value, _) => true,
        (Ty::Str, Val::Str(_))
        | (Ty::Int, Val::Int(_))
        | (Ty::Int64, Val::Int64(_))
        | (Ty::Float64, Val::Float(_))
        | (Ty::Bool, Val::Bool(_)) => true,
        (Ty::Map, Val::Map(m)) => m.kind != MapKind::Str,
        (Ty::List, Val::List(l)) => l.elem == Elem::Any,
        (Ty::StrList, Val::List(l)) => l.elem == Elem::Str,
        _ => false,
    };
    if ok {
        return Ok(v);
    }
    let got = if v.is_nil() { "interface {}".to_string() } else { v.type_name() };
    Err(format!("wrong type for value; expected {}; got {got}", ty.go_name()))
}

/// A function's or method's parameters: fixed ones, then optionally a variadic tail.
#[derive(Debug, Clone, Copy)]
pub struct Sig {
    /// The fixed parameters.
    pub params: &'static [Ty],
    /// The type of the variadic tail (`...T`), if any.
    pub variadic: Option<Ty>,
}

/// The failure of a function: what Go's function returned as its error, or the text of its panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnError {
    /// The message (without the `error calling NAME: ` prefix the evaluator adds).
    pub message: String,
    /// The template error this one wraps (`include` and `tpl` failures).
    pub(crate) cause: Option<Box<crate::template::ExecError>>,
}

impl FnError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> FnError {
        FnError { message: message.into(), cause: None }
    }
}

impl std::fmt::Display for FnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a function body returns.
pub type FnResult = Result<Val, FnError>;

/// A source of random bytes for `randAlphaNum`, `uuidv4`, key generation and friends.
pub trait RandomSource {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]);
    /// A random `u64`.
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        u64::from_le_bytes(b)
    }
}

/// The clock `now`, `ago`, `date` and certificate validity read.
pub trait Clock {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one instant, for deterministic tests.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// The operating system's random source (through the `getrandom` crate).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        // The OS source only fails when the platform has none; fall back to a time-seeded
        // generator rather than panic.
        if getrandom::fill(buf).is_err() {
            let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ buf.len() as u64;
            for b in buf.iter_mut() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                *b = (state >> 33) as u8;
            }
        }
    }
}

/// A deterministic random source (xorshift) seeded by the caller, for tests.
#[derive(Debug, Clone, Copy)]
pub struct SeededRandom(pub u64);

impl RandomSource for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf.iter_mut() {
            let mut x = self.0 | 1;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            *b = (x >> 24) as u8;
        }
    }
}

/// What a function body may use besides its arguments.
pub struct Env<'a> {
    /// The random source.
    pub random: &'a mut dyn RandomSource,
    /// The clock.
    pub clock: &'a dyn Clock,
    /// In Helm's lint mode, where `required` and `fail` record their message instead of failing.
    pub lint: Option<&'a mut Vec<crate::lint::LintNote>>,
}

/// A function body.
pub type FnBody = fn(&mut Env<'_>, Vec<Val>) -> FnResult;

/// A registered function.
#[derive(Clone, Copy)]
pub struct Func {
    /// Its name in templates.
    pub name: &'static str,
    /// Its parameters.
    pub sig: Sig,
    /// Its body.
    pub body: FnBody,
}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Func").field("name", &self.name).field("sig", &self.sig).finish()
    }
}

/// Collects functions while the registry is built.
#[derive(Default)]
pub struct Registry {
    map: crate::fxhash::FxHashMap<&'static str, Func>,
}

impl Registry {
    /// Registers `name` with fixed parameters.
    pub fn add(&mut self, name: &'static str, params: &'static [Ty], body: FnBody) {
        self.map.insert(name, Func { name, sig: Sig { params, variadic: None }, body });
    }

    /// Registers `name` with fixed parameters and a variadic tail.
    pub fn add_variadic(
        &mut self,
        name: &'static str,
        params: &'static [Ty],
        variadic: Ty,
        body: FnBody,
    ) {
        self.map.insert(name, Func { name, sig: Sig { params, variadic: Some(variadic) }, body });
    }

    /// Looks a function up.
    pub fn get(&self, name: &str) -> Option<&Func> {
        self.map.get(name)
    }
}

/// Whether templates may call function `name`: the parser rejects calls of unknown functions,
/// as Go's does.
pub(crate) fn has_function(name: &str) -> bool {
    registry().get(name).is_some()
}

/// The registry of every function Helm's engine has, except the ones the evaluator implements
/// itself (`include`, `tpl`, `template`-aware and control builtins).
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let mut r = Registry::default();
        conv::register(&mut r);
        crypto::register(&mut r);
        date::register(&mut r);
        defaults::register(&mut r);
        dicts::register(&mut r);
        encoding::register(&mut r);
        lists::register(&mut r);
        math::register(&mut r);
        net::register(&mut r);
        paths::register(&mut r);
        reflect::register(&mut r);
        regex::register(&mut r);
        semver::register(&mut r);
        strings::register(&mut r);
        crate::helmfuncs::register(&mut r);
        crate::builtins::register(&mut r);
        r
    })
}

/// Standard base64 of bytes (how `encoding/json` writes `[]byte`).
pub fn base64_std(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = match chunk.len() {
            3 => (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]),
            2 => (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8),
            _ => u32::from(chunk[0]) << 16,
        };
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 { A[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if chunk.len() > 2 { A[n as usize & 63] as char } else { '=' });
    }
    out
}

/// Calling function bodies directly in unit tests, with a seeded random source and a clock
/// stopped at the Unix epoch.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Env, FixedClock, FnResult, SeededRandom};
    use crate::value::Val;

    /// A function body.
    pub(crate) type Body = fn(&mut Env<'_>, Vec<Val>) -> FnResult;

    /// Runs `f` on `args`.
    pub(crate) fn run(f: Body, args: Vec<Val>) -> FnResult {
        let mut random = SeededRandom(1);
        let clock = FixedClock(std::time::UNIX_EPOCH);
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, args)
    }

    /// The `%v` of `f`'s result, which must not be an error.
    pub(crate) fn out(f: Body, args: Vec<Val>) -> String {
        run(f, args).expect("no error").fmt_v()
    }

    /// The message of `f`'s error.
    pub(crate) fn err(f: Body, args: Vec<Val>) -> String {
        run(f, args).expect_err("an error").message
    }
}
