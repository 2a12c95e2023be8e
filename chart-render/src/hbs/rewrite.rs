//! Adjusts compiled templates before they are registered:
//! - a value expression (`{{x}}`, `{{{x}}}`) becomes a call of the printing helper, so values print
//!   as Go prints them rather than as JSON (`3`, not `3.0`);
//! - every template and every block body is wrapped in the guard helper, which counts nesting and
//!   work against the limits (handlebars itself has no bound on partial recursion).

use std::sync::OnceLock;

use handlebars::Template;
use handlebars::template::{Parameter, TemplateElement, TemplateMapping};

use super::helpers::{GUARD, PRINT};

/// The template, rewritten and guarded.
pub(super) fn prepare(mut t: Template, is_helper: &dyn Fn(&str) -> bool) -> Template {
    rewrite(&mut t, is_helper);
    let name = t.name.clone();
    let mut g = guarded(t, None);
    g.name = name;
    g
}

fn rewrite(t: &mut Template, is_helper: &dyn Fn(&str) -> bool) {
    for (i, el) in t.elements.iter_mut().enumerate() {
        let at = t.mapping.get(i).cloned();
        match el {
            TemplateElement::Expression(ht) | TemplateElement::HtmlExpression(ht) => {
                let value_only = !ht.block && ht.params.is_empty() && ht.hash.is_empty();
                let printable = match &ht.name {
                    Parameter::Path(_) => !ht.name.as_name().is_some_and(is_helper),
                    Parameter::Literal(_) => true,
                    _ => false,
                };
                if value_only && printable {
                    let value = std::mem::replace(&mut ht.name, Parameter::Name(PRINT.into()));
                    ht.params.push(value);
                }
            }
            TemplateElement::HelperBlock(ht) => {
                if let Some(body) = ht.template.take() {
                    ht.template = Some(guarded_body(body, at.clone(), is_helper));
                }
                if let Some(body) = ht.inverse.take() {
                    ht.inverse = Some(guarded_body(body, at, is_helper));
                }
            }
            TemplateElement::DecoratorBlock(dt) | TemplateElement::PartialBlock(dt) => {
                if let Some(body) = dt.template.take() {
                    dt.template = Some(guarded_body(body, at, is_helper));
                }
            }
            _ => {}
        }
    }
}

fn guarded_body(
    mut body: Template,
    at: Option<TemplateMapping>,
    is_helper: &dyn Fn(&str) -> bool,
) -> Template {
    rewrite(&mut body, is_helper);
    guarded(body, at)
}

/// `{{#GUARD}}t{{/GUARD}}`, located at `at` (where the block starts) when given.
fn guarded(t: Template, at: Option<TemplateMapping>) -> Template {
    static SHELL: OnceLock<Option<Template>> = OnceLock::new();
    let shell = SHELL.get_or_init(|| {
        let mut shell = Template::compile("{{#guard}}{{/guard}}").ok()?;
        match shell.elements.first_mut() {
            Some(TemplateElement::HelperBlock(ht)) => {
                ht.name = Parameter::Name(GUARD.into());
                ht.template = None;
            }
            _ => return None,
        }
        Some(shell)
    });
    let Some(mut g) = shell.clone() else {
        // The shell always compiles; without it the template runs unguarded.
        return t;
    };
    if let Some(TemplateElement::HelperBlock(ht)) = g.elements.first_mut() {
        ht.template = Some(t);
    }
    if let (Some(at), Some(m)) = (at, g.mapping.first_mut()) {
        *m = at;
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_print_calls_and_bodies_are_guarded() {
        let t = Template::compile_with_name(
            "{{x}} {{{y}}} {{upper x}} {{len}}{{#if a}}{{b}}{{else}}c{{/if}}",
            "t".into(),
        )
        .expect("compiles");
        let t = prepare(t, &|n| n == "upper" || n == "len");
        assert_eq!(t.name.as_deref(), Some("t"));
        let Some(TemplateElement::HelperBlock(outer)) = t.elements.first() else {
            panic!("not guarded: {t:?}")
        };
        assert_eq!(outer.name, Parameter::Name(GUARD.into()));
        let body = outer.template.as_ref().expect("body");
        let names: Vec<String> = body
            .elements
            .iter()
            .filter_map(|e| match e {
                TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                    Some(h.name.as_name().unwrap_or("?").to_string())
                }
                _ => None,
            })
            .collect();
        assert_eq!(names, [PRINT, PRINT, "upper", "len"]);
        let Some(TemplateElement::HelperBlock(block)) = body.elements.last() else {
            panic!("no block")
        };
        for part in [&block.template, &block.inverse] {
            let Some(TemplateElement::HelperBlock(g)) =
                part.as_ref().and_then(|p| p.elements.first())
            else {
                panic!("block body not guarded")
            };
            assert_eq!(g.name, Parameter::Name(GUARD.into()));
        }
    }
}
