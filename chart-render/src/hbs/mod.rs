//! The handlebars engine for `.hbs` templates: an opt-in alternative to Go templates, one file at
//! a time.
//!
//! A chart opts in per template by naming it `*.hbs` (`templates/config.yaml.hbs`). Such files are
//! rendered by [`render_chart`](crate::render_chart) with the [`handlebars`] crate instead of the
//! Go template engine, and are never given to the Go parser. Their output joins the other
//! templates' under the file's name (`mychart/templates/config.yaml.hbs`). Helm itself has no
//! such engine: it parses `.hbs` files as Go templates (see `COMPATIBILITY.md`).
//!
//! ```
//! use chart_core::load::BufferedFile;
//! use chart_render::{ExecOptions, ReleaseInfo, render_chart};
//!
//! let file = |name: &str, data: &str| BufferedFile { name: name.into(), data: data.into() };
//! let chart = chart_core::chart::from_files(
//!     vec![
//!         file("Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
//!         file("values.yaml", "labels: {tier: front}\nport: 8080\n"),
//!         file("templates/_labels.hbs", "app: {{Release.Name}}\n{{toYaml Values.labels}}\n"),
//!         file(
//!             "templates/cm.yaml.hbs",
//!             "kind: ConfigMap\nmetadata:\n  labels:\n    {{> labels}}\ndata:\n  port: {{quote Values.port}}\n",
//!         ),
//!     ],
//!     &Default::default(),
//! )
//! .unwrap();
//! let values = chart_core::compute_values(&chart, &Default::default(), &Default::default()).unwrap();
//! let out = render_chart(&values, &ReleaseInfo::new("rel", "ns"), &mut ExecOptions::default()).unwrap();
//! assert_eq!(
//!     out.templates["web/templates/cm.yaml.hbs"],
//!     "kind: ConfigMap\nmetadata:\n  labels:\n    app: rel\n    tier: front\ndata:\n  port: \"8080\"\n"
//! );
//! ```
//!
//! # Context
//! The data is the one a Go template gets as `.`, without the leading dot: `Values`, `Release`,
//! `Chart`, `Capabilities`, `Files`, `Subcharts` and `Template`, each with the same field names
//! (`{{Release.Name}}`, `{{Values.image.tag}}`, `{{Capabilities.KubeVersion.Version}}`). A subchart's
//! templates see its own scope, as in Go templates: `Values` is the subchart's values (with
//! `global`), `Chart` its Chart.yaml. `Files` is a map from each file's path to its text
//! (`{{lookup Files "config/app.ini"}}`). Handlebars' own paths work on it (`this`, `../`,
//! `@root`, `@index`, `@key`, block parameters), as do its built-in helpers (`if`, `unless`,
//! `each`, `with`, `lookup`, `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `and`, `or`, `not`, `len`).
//!
//! # Printing and escaping
//! `{{x}}` and `{{{x}}}` print the same thing: there is no HTML escaping. A value prints as the
//! same Go template expression prints under Helm (Go's `%v`): `3` for a YAML `3`, `1e+06` for
//! `1000000.0`, `[a b]` for a list, `map[k:v]` for a map, `v1.35.0` for
//! `Capabilities.KubeVersion`; a missing or null value prints nothing.
//!
//! # Helpers
//! `toYaml`, `toJson`, `indent`, `nindent`, `quote`, `default`, `upper`, `lower`, `trim`, `b64enc`
//! and `required` are the Go template functions of the same name, called with the same arguments
//! in the same order (`{{nindent 4 (toYaml Values.resources)}}`, `{{default "nginx" Values.image}}`,
//! `{{required "image.tag is required" Values.image.tag}}`), with Go's argument types and errors.
//! Handlebars has no pipelines: write `(f x)` subexpressions instead.
//!
//! # Partials
//! Files named `_*.hbs` are partials: never rendered on their own, they are named by their path
//! under `templates/` without the `_` and the extension (`templates/_labels.hbs` is `labels`,
//! `templates/parts/_env.hbs` is `parts/env`). Use them with `{{> labels}}` (handlebars: the
//! partial's output is indented like the line that calls it when the call stands alone on its
//! line, so end the file with a newline) or with `{{include "labels" this}}` (Helm's `include`:
//! returns the text, for `nindent`).
//! A chart sees its own partials and those of its subcharts (library charts), its own first; a
//! subchart does not see its parent's. Inline partials (`{{#*inline "x"}}`) work as usual.
//!
//! # Limits and errors
//! A file may hold at most 10,000 `{{` tags (handlebars' compile time grows with tags times file
//! size) and nest `(...)` subexpressions 1,000 deep. Partial and block nesting is bounded by [`Limits::max_depth`](crate::Limits::max_depth), the work
//! of one template by [`Limits::max_steps`](crate::Limits::max_steps) and its output by
//! [`Limits::max_output`](crate::Limits::max_output). Every failure is an [`HbsError`] (inside
//! [`RenderError::Handlebars`](crate::RenderError::Handlebars)) naming the file and line:
//! syntax errors when the chart is loaded into the engine, missing helpers, wrong arguments and
//! `required` while rendering.

use std::collections::HashMap;
use std::fmt;

use handlebars::{Handlebars, Template};

use crate::template::Limits;
use crate::value::Val;

mod convert;
mod helpers;
mod rewrite;
mod session;

/// Most `{{` tags in one file: handlebars' compile time grows with tags times file size (each
/// tag's line and column are counted from the start), about 3 s at this bound.
const MAX_TAGS: usize = 10_000;

/// Deepest nesting of `(...)` subexpressions in one tag: handlebars evaluates them recursively.
const MAX_NESTING: usize = 1_000;

/// The line where subexpressions first nest deeper than [`MAX_NESTING`], if they do.
fn too_deep(text: &str) -> Option<usize> {
    let (mut line, mut depth, mut in_tag, mut quote) = (1, 0usize, false, None);
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
        }
        if !in_tag {
            if b[i..].starts_with(b"{{") {
                (in_tag, depth, quote) = (true, 0, None);
                i += 1;
            }
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if b[i..].starts_with(b"}}") {
            in_tag = false;
            i += 1;
        } else {
            match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(line);
                    }
                }
                b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Whether the template named `name` is rendered by this engine.
pub(crate) fn is_hbs(name: &str) -> bool {
    name.ends_with(".hbs")
}

/// A handlebars failure, located in the `.hbs` file where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HbsError {
    /// What kind of failure.
    pub kind: HbsErrorKind,
    /// The template's name in Helm's form (`mychart/templates/cm.yaml.hbs`).
    pub template: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What went wrong (for [`HbsErrorKind::Fail`], the message given to `required`).
    pub message: String,
    /// The source line the error points into.
    pub excerpt: String,
    /// The error inside an `include` that caused this one.
    pub cause: Option<Box<HbsError>>,
}

/// The kinds of [`HbsError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HbsErrorKind {
    /// The template is not valid handlebars.
    Parse,
    /// Rendering failed: a missing helper or partial, wrong arguments, a limit.
    Render,
    /// `required` failed (Helm prints these as `execution error at ...`).
    Fail,
}

impl fmt::Display for HbsError {
    /// One line: `handlebars parse error at (FILE:LINE:COL): MSG`,
    /// `handlebars error at (FILE:LINE:COL): MSG`, or for `required` Helm's
    /// `execution error at (FILE:LINE:COL): MSG`.
    ///
    /// The alternate form (`{:#}`) adds the source line with a caret under the column and the
    /// chain of `include`s that led there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            HbsErrorKind::Parse => "handlebars parse error",
            HbsErrorKind::Render => "handlebars error",
            HbsErrorKind::Fail => "execution error",
        };
        write!(f, "{what} at ({}:{}:{}): {}", self.template, self.line, self.column, self.message)?;
        if f.alternate() {
            let mut chain = vec![self];
            while let Some(c) = &chain[chain.len() - 1].cause {
                chain.push(c);
            }
            let inner = chain[chain.len() - 1];
            let width = inner.line.to_string().len();
            write!(f, "\n{:width$}--> {}:{}:{}", "", inner.template, inner.line, inner.column)?;
            write!(f, "\n{:width$} |\n{} | {}", "", inner.line, inner.excerpt)?;
            let pad: String = inner
                .excerpt
                .chars()
                .take(inner.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{:width$} | {pad}^", "")?;
            for outer in chain[..chain.len() - 1].iter().rev() {
                write!(f, "\n  included from {}:{}:{}", outer.template, outer.line, outer.column)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for HbsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// One `.hbs` file of the chart tree.
pub(crate) struct Source<'a> {
    /// Helm's name of the file (`mychart/charts/sub/templates/x.yaml.hbs`).
    pub name: &'a str,
    /// The path of its chart in the tree (`mychart/charts/sub`).
    pub chart: &'a str,
    /// The template text.
    pub text: &'a str,
}

/// The compiled `.hbs` templates of a chart tree: one handlebars registry per chart that has
/// templates to render, holding its templates, its partials and those of its subcharts.
pub(crate) struct Engine {
    registries: HashMap<String, Handlebars<'static>>,
    /// File name → text, for error excerpts.
    texts: HashMap<String, String>,
}

impl Engine {
    /// Compiles every source; a syntax error in any of them is an error.
    pub(crate) fn new(sources: &[Source<'_>]) -> Result<Engine, HbsError> {
        let mut compiled: Vec<(&Source<'_>, Template)> = Vec::with_capacity(sources.len());
        for s in sources {
            let tags = s.text.matches("{{").count();
            if tags > MAX_TAGS {
                return Err(HbsError {
                    kind: HbsErrorKind::Parse,
                    template: s.name.to_string(),
                    line: 0,
                    column: 0,
                    message: format!("{tags} handlebars tags; at most {MAX_TAGS} per file"),
                    excerpt: String::new(),
                    cause: None,
                });
            }
            if let Some(line) = too_deep(s.text) {
                return Err(HbsError {
                    kind: HbsErrorKind::Parse,
                    template: s.name.to_string(),
                    line,
                    column: 0,
                    message: format!("subexpressions nest deeper than {MAX_NESTING}"),
                    excerpt: s.text.lines().nth(line.wrapping_sub(1)).unwrap_or("").to_string(),
                    cause: None,
                });
            }
            let t = Template::compile_with_name(s.text, s.name.to_string())
                .map_err(|e| parse_error(s, &e))?;
            compiled.push((s, rewrite::prepare(t, &helpers::is_helper)));
        }
        let mut registries = HashMap::new();
        for (s, _) in compiled.iter().filter(|(s, _)| !is_partial(s.name)) {
            if registries.contains_key(s.chart) {
                continue;
            }
            let mut reg = helpers::registry();
            // Subcharts' partials first, deepest first, so that nearer charts' override them.
            let mut visible: Vec<&(&Source<'_>, Template)> = compiled
                .iter()
                .filter(|(p, _)| is_partial(p.name) && in_tree(s.chart, p.chart))
                .collect();
            visible.sort_by_key(|(p, _)| std::cmp::Reverse(p.chart.matches("/charts/").count()));
            for (p, t) in visible {
                reg.register_template(&partial_name(p.name, p.chart), t.clone());
            }
            for (own, t) in compiled.iter().filter(|(o, _)| o.chart == s.chart) {
                reg.register_template(own.name, t.clone());
            }
            registries.insert(s.chart.to_string(), reg);
        }
        let texts = sources.iter().map(|s| (s.name.to_string(), s.text.to_string())).collect();
        Ok(Engine { registries, texts })
    }

    /// Renders template `name` of the chart at `chart` with `dot` as its data.
    pub(crate) fn render(
        &self,
        name: &str,
        chart: &str,
        dot: &Val,
        limits: &Limits,
    ) -> Result<String, HbsError> {
        let located = |message: String| self.locate(HbsErrorKind::Render, name, 0, 0, message);
        let Some(reg) = self.registries.get(chart) else {
            return Err(located(format!("no handlebars templates for chart {chart}")));
        };
        let data = convert::to_json(dot).map_err(located)?;
        let _session = session::Session::start(dot.clone(), limits.clone());
        let mut out = helpers::CappedWriter::new(limits.max_output);
        match reg.render_with_context_to_write(name, &handlebars::Context::from(data), &mut out) {
            Ok(()) => Ok(out.into_string()),
            Err(e) => Err(self.render_error(name, &e)),
        }
    }

    /// Converts handlebars' error, with the source line of every error in the chain.
    fn render_error(&self, name: &str, e: &handlebars::RenderError) -> HbsError {
        let mut err = helpers::error_of(e, name);
        let mut cur = Some(&mut err);
        while let Some(e) = cur {
            e.excerpt = self.excerpt(&e.template, e.line);
            cur = e.cause.as_deref_mut();
        }
        err
    }

    fn locate(
        &self,
        kind: HbsErrorKind,
        template: &str,
        line: usize,
        column: usize,
        message: String,
    ) -> HbsError {
        HbsError {
            kind,
            template: template.to_string(),
            line,
            column,
            message,
            excerpt: self.excerpt(template, line),
            cause: None,
        }
    }

    fn excerpt(&self, template: &str, line: usize) -> String {
        self.texts
            .get(template)
            .and_then(|t| t.lines().nth(line.wrapping_sub(1)))
            .unwrap_or("")
            .to_string()
    }
}

fn parse_error(s: &Source<'_>, e: &handlebars::TemplateError) -> HbsError {
    let (line, column) = e.pos().unwrap_or((0, 0));
    let reason = e.reason().to_string();
    // pest's report spans several lines; its last line says what was expected.
    let message = match reason.split_once(": ") {
        Some((head, rest)) if rest.contains('\n') => {
            let what = rest.lines().rev().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("");
            format!("{head}: {what}")
        }
        _ => reason,
    };
    HbsError {
        kind: HbsErrorKind::Parse,
        template: s.name.to_string(),
        line,
        column,
        message,
        excerpt: s.text.lines().nth(line.wrapping_sub(1)).unwrap_or("").to_string(),
        cause: None,
    }
}

/// Whether `name` is a partial (`_*.hbs`).
fn is_partial(name: &str) -> bool {
    name.rsplit('/').next().is_some_and(|b| b.starts_with('_'))
}

/// Whether the chart at `path` is the chart at `root` or one of its subcharts.
fn in_tree(root: &str, path: &str) -> bool {
    path == root || path.strip_prefix(root).is_some_and(|rest| rest.starts_with("/charts/"))
}

/// A partial's name: its path under `templates/` without the `_` and `.hbs`.
fn partial_name(name: &str, chart: &str) -> String {
    let rel = name.strip_prefix(chart).and_then(|r| r.strip_prefix("/templates/")).unwrap_or(name);
    let (dir, base) = match rel.rsplit_once('/') {
        Some((d, b)) => (Some(d), b),
        None => (None, rel),
    };
    let base = base.strip_prefix('_').unwrap_or(base);
    let base = base.strip_suffix(".hbs").unwrap_or(base);
    match dir {
        Some(d) => format!("{d}/{base}"),
        None => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeply_nested_subexpressions_are_found_before_compiling() {
        let deep =
            |n: usize| format!("a\n{{{{{}lower \"x\"{}}}}}", "upper (".repeat(n), ")".repeat(n));
        assert_eq!(too_deep(&deep(MAX_NESTING)), None);
        assert_eq!(too_deep(&deep(MAX_NESTING + 1)), Some(2));
        // Parentheses in strings and outside tags do not count.
        let text = format!("{} {{{{quote \"{}\"}}}}", "(".repeat(5000), "(".repeat(5000));
        assert_eq!(too_deep(&text), None);
    }

    #[test]
    fn partials_are_named_by_their_path_under_templates() {
        assert_eq!(partial_name("c/templates/_labels.hbs", "c"), "labels");
        assert_eq!(partial_name("c/templates/parts/_env.hbs", "c"), "parts/env");
        assert_eq!(partial_name("c/charts/s/templates/_x.yaml.hbs", "c/charts/s"), "x.yaml");
        assert!(in_tree("c", "c/charts/s/charts/t"));
        assert!(!in_tree("c/charts/s", "c"));
        assert!(!in_tree("c/charts/s", "c/charts/sx"));
    }
}
