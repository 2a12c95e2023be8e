//! Go's `text/template`, as Helm uses it: parse templates into a shared set, execute them.
//!
//! ```
//! use chart_render::template::TemplateSet;
//! use chart_render::Val;
//!
//! let mut set = TemplateSet::new();
//! set.parse("greeting", r#"{{ define "name" }}{{ .who | upper }}{{ end }}hello {{ include "name" . }}"#).unwrap();
//! let data = Val::from_value(&chart_core::yaml::parse_values("who: world").unwrap());
//! assert_eq!(set.execute("greeting", data).unwrap(), "hello WORLD");
//! ```

use std::fmt;
use std::sync::Arc;

pub(crate) mod ast;
pub(crate) mod batch;
pub(crate) mod exec;
pub(crate) mod lex;
pub(crate) mod parse;

pub use batch::{ParseQueue, Preparsed};
pub use parse::ParseError;

use crate::funcs::{Clock, Env, FnError, OsRandom, RandomSource, SystemClock};
use crate::value::Val;
use ast::Tree;
use exec::{Dot, Host, State};

/// Bounds that make hostile templates end in an error instead of exhausting the machine.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Limits {
    /// Deepest nesting of `template`/`include` calls (Go allows 100000; the Rust stack does not).
    pub max_depth: usize,
    /// How often one name may be `include`d inside itself (Helm stops at 1000).
    pub max_include_recursion: usize,
    /// Largest output of one template execution, in bytes.
    pub max_output: usize,
    /// Most evaluation steps (nodes and commands) of one execution.
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 1500,
            max_include_recursion: 1000,
            max_output: 256 << 20,
            max_steps: 200_000_000,
        }
    }
}

/// A failure while executing a template, with Go's location and context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// The template being executed (`conf/templates/x.yaml` or a defined name).
    pub template: String,
    /// The file it was parsed from.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 0-based byte column, as Go reports it.
    pub column: usize,
    /// The source of the node being evaluated (`.Values.a.b`).
    pub context: String,
    /// The message (`nil pointer evaluating interface {}.b`).
    pub message: String,
    /// The source line the error points into.
    pub excerpt: String,
    /// The error inside an `include` or `tpl` that caused this one.
    pub cause: Option<Box<ExecError>>,
}

impl fmt::Display for ExecError {
    /// Go's `ExecError` text: `template: FILE:LINE:COL: executing "NAME" at <CTX>: MESSAGE`.
    ///
    /// The alternate form (`{:#}`) is for people: Helm's wording, then the source line with a
    /// caret under the column, and the chain of `include`s that led there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return self.fmt_report(f);
        }
        write!(
            f,
            "template: {}:{}:{}: executing {} at <{}>: {}",
            self.file,
            self.line,
            self.column,
            chart_core::gofmt::go_quote(&self.template),
            self.context,
            self.message
        )
    }
}

impl ExecError {
    fn fmt_report(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The innermost error says what went wrong; the outer ones say how it was reached.
        let mut chain = vec![self];
        while let Some(c) = &chain[chain.len() - 1].cause {
            chain.push(c);
        }
        let inner = chain[chain.len() - 1];
        writeln!(f, "{}", self.helm_message())?;
        let width = inner.line.to_string().len();
        writeln!(f, "{:width$}--> {}:{}:{}", "", inner.file, inner.line, inner.column)?;
        writeln!(f, "{:width$} |", "")?;
        writeln!(f, "{} | {}", inner.line, inner.excerpt)?;
        let caret_pad: String = inner
            .excerpt
            .chars()
            .take(inner.column)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "{:width$} | {caret_pad}^", "")?;
        for outer in chain[..chain.len() - 1].iter().rev() {
            write!(
                f,
                "\n  included from {}:{}:{} ({})",
                outer.file, outer.line, outer.column, outer.template
            )?;
        }
        Ok(())
    }

    /// The templates from the outermost to the one that failed, following `include`s.
    pub fn include_chain(&self) -> Vec<&str> {
        let mut out = vec![self.template.as_str()];
        let mut e = self;
        while let Some(c) = &e.cause {
            out.push(c.template.as_str());
            e = c;
        }
        out
    }

    /// The message a `fail` or `required` call carried, if this error comes from one (possibly
    /// through `include`s).
    pub fn failure_message(&self) -> Option<&str> {
        let start = self.message.find(WARN_START)? + WARN_START.len();
        let end = self.message[start..].rfind(WARN_END)? + start;
        Some(&self.message[start..end])
    }

    /// The message as Helm 4 prints it: `execution error at (FILE:LINE:COL): MSG` for `fail` and
    /// `required`; otherwise, when every error in Go's chain of wrapped errors reads as a template
    /// error, each one's location, the executing template and its message on separate lines
    /// (an error inside an `include` adds its own three lines); otherwise (a function's own
    /// error, such as `error calling eq: incompatible types ...`, or one from `tpl`) Go's text
    /// unchanged.
    pub fn helm_message(&self) -> String {
        if let Some(m) = self.failure_message() {
            return format!(
                "execution error at ({}:{}:{}): {m}",
                self.file, self.line, self.column
            );
        }
        let go = self.to_string();
        helm_trace(&go).unwrap_or(go)
    }
}

/// Helm 4's rewriting of a Go execution error (`reformatExecErrorMsg`), on the error's text.
///
/// Go's chain is: the `ExecError`, then (for a function's failure, `error calling NAME: %w`) the
/// error the function returned, and so on. Each must read as a template error
/// (`template: LOC: executing "T" at <CTX>: MSG`, where MSG stops before a nested
/// ` template:`), or as `template: no template ... associated with template ...`; any other
/// error in the chain leaves the whole text as it is (`None`).
fn helm_trace(go: &str) -> Option<String> {
    use std::fmt::Write as _;
    // Each step: its location, `executing ... at <...>:` and message, on lines of their own.
    let mut out = String::new();
    let mut cur = go;
    loop {
        if let Some((location, executing, rest)) = split_exec(cur) {
            let message = match rest.find(" template:") {
                Some(i) if i > 0 => &rest[..i],
                _ => rest,
            };
            let _ = write!(out, "{location}\n  executing {executing}:\n    {message}\n");
            // Only a function's failure wraps another error.
            match strip_error_calling(rest) {
                Some(inner) => cur = inner,
                None => break,
            }
        } else if cur.starts_with("template: no template ")
            && cur.contains(" associated with template ")
        {
            out.push_str(cur);
            break;
        } else {
            return None;
        }
    }
    Some(out.trim().to_string())
}

/// `template: LOC: executing NAME at <CTX>: REST` → (`LOC`, `NAME at <CTX>`, `REST`), each part
/// ending at the first separator that can end it, as Helm's lazy pattern reads it.
fn split_exec(text: &str) -> Option<(&str, &str, &str)> {
    let body = text.strip_prefix("template: ")?;
    let loc_end = body.get(1..)?.find(": executing ")? + 1;
    let location = &body[..loc_end];
    let after = &body[loc_end + ": executing ".len()..];
    let name_end = after.get(1..)?.find(" at ")? + 1;
    let ctx_start = name_end + " at ".len();
    let ctx_end = ctx_start + after.get(ctx_start + 1..)?.find(": ")? + 1;
    let rest = &after[ctx_end + 2..];
    if rest.is_empty() {
        return None;
    }
    Some((location, &after[..ctx_end], rest))
}

/// The error a function returned, from `error calling NAME: ERR`.
fn strip_error_calling(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("error calling ")?;
    let end = rest.find(": ")?;
    let name = &rest[..end];
    let ident =
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    ident.then(|| &rest[end + 2..])
}

impl std::error::Error for ExecError {}

/// Helm's markers around `fail`/`required` messages.
pub(crate) const WARN_START: &str = "HELM_ERR_START";
pub(crate) const WARN_END: &str = "HELM_ERR_END";

/// A set of parsed templates sharing `define`d names, as Go's associated templates do.
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    trees: crate::fxhash::FxHashMap<String, Arc<Tree>>,
}

impl TemplateSet {
    /// An empty set.
    pub fn new() -> TemplateSet {
        TemplateSet::default()
    }

    /// Parses `text` as the template `name` and adds it and its `define`s to the set. A later
    /// definition of a name replaces an earlier one unless it is empty, as in Go.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        let trees = parse::parse(name, text, &crate::funcs::has_function)?;
        for t in trees {
            self.add(t);
        }
        Ok(())
    }

    pub(crate) fn add(&mut self, t: Tree) {
        if t.is_empty() && self.trees.contains_key(&t.name) {
            return;
        }
        self.trees.insert(t.name.clone(), Arc::new(t));
    }

    pub(crate) fn get(&self, name: &str) -> Option<Arc<Tree>> {
        self.trees.get(name).cloned()
    }

    /// Whether a template of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// Executes template `name` with `data` as dot, with default options.
    pub fn execute(&self, name: &str, data: Val) -> Result<String, ExecError> {
        self.execute_with(name, data, &mut ExecOptions::default())
    }

    /// Executes template `name` with `data` as dot.
    pub fn execute_with(
        &self,
        name: &str,
        data: Val,
        opts: &mut ExecOptions,
    ) -> Result<String, ExecError> {
        let Some(tree) = self.get(name) else {
            return Err(ExecError {
                template: name.to_string(),
                file: name.to_string(),
                line: 0,
                column: 0,
                context: String::new(),
                message: format!(
                    "template: no template {} associated with template \"gotpl\"",
                    chart_core::gofmt::go_quote(name)
                ),
                excerpt: String::new(),
                cause: None,
            });
        };
        let limits = opts.limits.clone();
        let mut host = OptsHost { opts };
        run(&Arc::new(self.clone()), tree, data, &limits, &mut host)
    }
}

/// Executes `tree` of `set` with `data` as dot.
pub(crate) fn run(
    set: &Arc<TemplateSet>,
    tree: Arc<Tree>,
    data: Val,
    limits: &Limits,
    host: &mut dyn Host,
) -> Result<String, ExecError> {
    let mut st = State {
        set: set.clone(),
        tree,
        vars: Vec::new(),
        out: String::new(),
        depth: 0,
        limits,
        host,
        pos: 0,
        steps: 0,
        include_counts: Default::default(),
    };
    st.execute(Dot { val: data, wrapped: false }).map_err(|e| *e)?;
    Ok(st.out)
}

/// Answers Helm's `lookup` function. The default answers every query with an empty map, as
/// `helm template` does without a cluster.
pub trait Lookup {
    /// `lookup API_VERSION KIND NAMESPACE NAME`: the object (or list) as a map; an empty map when
    /// nothing is found.
    fn lookup(
        &mut self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<chart_core::Value, String>;
}

/// The default [`Lookup`]: nothing exists.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoCluster;

impl Lookup for NoCluster {
    fn lookup(&mut self, _: &str, _: &str, _: &str, _: &str) -> Result<chart_core::Value, String> {
        Ok(chart_core::Value::Map(Default::default()))
    }
}

/// What an execution uses besides the templates and data.
#[non_exhaustive]
pub struct ExecOptions {
    /// The limits.
    pub limits: Limits,
    /// The random source.
    pub random: Box<dyn RandomSource + Send>,
    /// The clock.
    pub clock: Box<dyn Clock + Send>,
    /// The answer to `lookup`.
    pub lookup: Box<dyn Lookup + Send>,
    /// Helm's lint mode: `required` and `fail` do not stop rendering; they return an empty
    /// string and record what they would have failed with in [`ExecOptions::lint_notes`].
    pub lint_mode: bool,
    /// What `required` and `fail` reported in lint mode, in call order.
    pub lint_notes: Vec<crate::lint::LintNote>,
    /// Templates parsed ahead of time (see [`Preparsed`]); texts not found there are parsed
    /// when rendering.
    pub preparsed: Option<std::sync::Arc<Preparsed>>,
}

impl Default for ExecOptions {
    fn default() -> ExecOptions {
        ExecOptions {
            limits: Limits::default(),
            random: Box::new(OsRandom),
            clock: Box::new(SystemClock),
            lookup: Box::new(NoCluster),
            lint_mode: false,
            lint_notes: Vec::new(),
            preparsed: None,
        }
    }
}

impl fmt::Debug for ExecOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecOptions").field("limits", &self.limits).finish_non_exhaustive()
    }
}

pub(crate) struct OptsHost<'a> {
    pub(crate) opts: &'a mut ExecOptions,
}

impl Host for OptsHost<'_> {
    fn lookup(&mut self, args: &[Val]) -> Result<Val, FnError> {
        let s = |i: usize| args.get(i).and_then(Val::as_str).unwrap_or("").to_string();
        match self.opts.lookup.lookup(&s(0), &s(1), &s(2), &s(3)) {
            Ok(v) => Ok(Val::from_value(&v)),
            Err(e) => Err(FnError::new(e)),
        }
    }

    fn env(&mut self) -> Env<'_> {
        let lint = if self.opts.lint_mode { Some(&mut self.opts.lint_notes) } else { None };
        Env { random: &mut *self.opts.random, clock: &*self.opts.clock, lint }
    }
}
