//! The evaluator: walks a tree with Go's `text/template` semantics (Helm's `missingkey=zero`).

use std::sync::Arc;

use super::ast::{Arg, Branch, Command, ListNode, Node, Number, Pipe, Pos, Tree};
use super::{ExecError, Limits, TemplateSet};
use crate::funcs::{Env, FnError, Func, Sig, Ty, registry};
use crate::value::{Elem, MapKind, Val};

/// Control flow out of a walk: `break`, `continue`, or an error.
pub(crate) enum Flow {
    Break,
    Continue,
    Err(Box<ExecError>),
}

impl From<Box<ExecError>> for Flow {
    fn from(e: Box<ExecError>) -> Flow {
        Flow::Err(e)
    }
}

type EResult<T> = Result<T, Box<ExecError>>;

/// A value together with whether Go sees it through an `interface {}` (an element of a
/// `[]interface {}` or `map[string]interface {}`), which changes error texts.
#[derive(Clone)]
pub(crate) struct Dot {
    pub val: Val,
    pub wrapped: bool,
}

/// What the evaluator asks of its caller: the function environment and `lookup`.
pub(crate) trait Host {
    /// `lookup API KIND NS NAME`.
    fn lookup(&mut self, args: &[Val]) -> Result<Val, FnError>;
    /// The function environment (random source, clock).
    fn env(&mut self) -> Env<'_>;
}

/// One execution of one template (and the templates it includes).
pub(crate) struct State<'a> {
    pub set: Arc<TemplateSet>,
    pub tree: Arc<Tree>,
    pub vars: Vec<(Arc<str>, Dot)>,
    pub out: String,
    pub depth: usize,
    pub limits: &'a Limits,
    pub host: &'a mut dyn Host,
    pub pos: Pos,
    pub steps: u64,
    pub include_counts: crate::fxhash::FxHashMap<String, usize>,
}

/// Go's `canBeNil` of a parameter type (`reflect.Value` included).
fn can_be_nil(ty: Ty) -> bool {
    matches!(ty, Ty::Any | Ty::Map | Ty::List | Ty::StrList | Ty::Value)
}

/// Go's `reflect.Zero` of a nilable parameter type: an invalid value for `reflect.Value`, a nil
/// interface (or nil map/slice) otherwise.
fn zero(ty: Ty) -> Val {
    if ty == Ty::Value { Val::NoValue } else { Val::Nil }
}

impl State<'_> {
    fn err(&self, msg: impl Into<String>) -> Box<ExecError> {
        self.err_at(self.pos, msg)
    }

    fn err_at(&self, pos: Pos, msg: impl Into<String>) -> Box<ExecError> {
        let (line, col) = self.tree.location(pos);
        let excerpt = self.tree.text.lines().nth(line.saturating_sub(1)).unwrap_or("").to_string();
        Box::new(ExecError {
            template: self.tree.name.clone(),
            file: self.tree.parse_name.to_string(),
            line,
            column: col,
            context: String::new(),
            message: msg.into(),
            excerpt,
            cause: None,
        })
    }

    fn write(&mut self, s: &str) -> EResult<()> {
        if self.out.len() + s.len() > self.limits.max_output {
            return Err(self.err(format!(
                "rendered output exceeds the limit of {} bytes",
                self.limits.max_output
            )));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn tick(&mut self) -> EResult<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(self.err(format!(
                "template execution exceeded the limit of {} steps",
                self.limits.max_steps
            )));
        }
        Ok(())
    }

    /// Runs a whole template body with `dot`.
    pub fn execute(&mut self, dot: Dot) -> EResult<()> {
        let root = self.tree.root.clone();
        self.vars = vec![("$".into(), dot.clone())];
        match self.walk_list(&dot, &root) {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(e),
            Err(Flow::Break | Flow::Continue) => Ok(()),
        }
    }

    fn walk_list(&mut self, dot: &Dot, list: &ListNode) -> Result<(), Flow> {
        for n in &list.nodes {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Dot, node: &Node) -> Result<(), Flow> {
        self.tick()?;
        match node {
            Node::Text { text } => self.write(text)?,
            Node::Action { pos, pipe } => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.pos = *pos;
                    match &v {
                        // A string prints as itself: no formatted copy.
                        Val::Str(s) => self.write(s)?,
                        _ => {
                            let s = v.fmt_v();
                            self.write(&s)?;
                        }
                    }
                }
            }
            Node::If(b) => self.walk_if_with(dot, b, false)?,
            Node::With(b) => self.walk_if_with(dot, b, true)?,
            Node::Range(b) => self.walk_range(dot, b)?,
            Node::Template { pos, name, pipe } => {
                self.walk_template(dot, *pos, name, pipe.as_ref())?
            }
            Node::Break => return Err(Flow::Break),
            Node::Continue => return Err(Flow::Continue),
        }
        Ok(())
    }

    fn walk_if_with(&mut self, dot: &Dot, b: &Branch, with: bool) -> Result<(), Flow> {
        let mark = self.vars.len();
        let r = (|| {
            let v = self.eval_pipeline(dot, &b.pipe)?;
            if v.truthy() {
                if with {
                    self.walk_list(&Dot { val: v, wrapped: false }, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &Dot, b: &Branch) -> Result<(), Flow> {
        self.pos = b.pos;
        let mark = self.vars.len();
        let r = self.walk_range_inner(dot, b);
        self.vars.truncate(mark);
        match r {
            Err(Flow::Break) => Ok(()),
            other => other,
        }
    }

    fn range_iteration(&mut self, b: &Branch, index: Dot, elem: Dot) -> Result<(), Flow> {
        self.tick()?;
        let decl = &b.pipe.decl;
        if !decl.is_empty() {
            if b.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0].ident[0], index.clone())?;
                } else {
                    self.set_var(&decl[0].ident[0], elem.clone())?;
                }
            } else {
                let n = self.vars.len();
                self.vars[n - 1].1 = elem.clone();
            }
        }
        if decl.len() > 1 {
            if b.pipe.is_assign {
                self.set_var(&decl[1].ident[0], elem.clone())?;
            } else {
                let n = self.vars.len();
                self.vars[n - 2].1 = index;
            }
        }
        let mark = self.vars.len();
        let r = self.walk_list(&elem, &b.list);
        self.vars.truncate(mark);
        match r {
            Err(Flow::Continue) => Ok(()),
            other => other,
        }
    }

    fn walk_range_inner(&mut self, dot: &Dot, b: &Branch) -> Result<(), Flow> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let mut ran = false;
        match &val {
            Val::List(l) => {
                let wrapped = l.elem == Elem::Any;
                for (i, e) in l.items.iter().enumerate() {
                    ran = true;
                    let idx = Dot { val: Val::Int(i as i64), wrapped: false };
                    self.range_iteration(b, idx, Dot { val: e.clone(), wrapped })?;
                }
            }
            Val::Bytes(bytes) => {
                for (i, x) in bytes.iter().enumerate() {
                    ran = true;
                    let idx = Dot { val: Val::Int(i as i64), wrapped: false };
                    self.range_iteration(
                        b,
                        idx,
                        Dot { val: Val::Int(i64::from(*x)), wrapped: false },
                    )?;
                }
            }
            Val::Map(m) => {
                let wrapped = m.kind != MapKind::Str;
                // Go sorts the keys first, then reads each value when its turn comes.
                let keys: Vec<String> = m.map.borrow().keys().cloned().collect();
                for k in keys {
                    ran = true;
                    let v = m.map.borrow().get(&k).cloned().unwrap_or(Val::Nil);
                    let idx = Dot { val: Val::str(k.as_str()), wrapped: false };
                    self.range_iteration(b, idx, Dot { val: v, wrapped })?;
                }
            }
            Val::Int(n) | Val::Int64(n) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self
                        .err_at(
                            b.pos,
                            format!(
                                "can't use {} to iterate over more than one variable",
                                val.fmt_v()
                            ),
                        )
                        .into());
                }
                let make =
                    |i: i64| if matches!(val, Val::Int(_)) { Val::Int(i) } else { Val::Int64(i) };
                for i in 0..*n {
                    ran = true;
                    let d = Dot { val: make(i), wrapped: false };
                    self.range_iteration(b, d.clone(), d)?;
                }
            }
            Val::NoValue | Val::Nil => {}
            Val::Obj(o) => match o.entries() {
                Some(entries) => {
                    for (k, v) in entries {
                        ran = true;
                        self.range_iteration(
                            b,
                            Dot { val: k, wrapped: false },
                            Dot { val: v, wrapped: false },
                        )?;
                    }
                }
                None => return Err(self.err_range(b, &val).into()),
            },
            _ => return Err(self.err_range(b, &val).into()),
        }
        if !ran && let Some(e) = &b.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn err_range(&self, b: &Branch, val: &Val) -> Box<ExecError> {
        // Go reports the node it evaluated last: a function's last argument (inside a
        // parenthesized pipeline, that pipeline's last), or the command's single operand.
        fn last_evaluated(pipe: &Pipe) -> Option<(Pos, String)> {
            let cmd = pipe.cmds.last()?;
            match cmd.args.as_slice() {
                [.., Arg::Pipe(p)] => last_evaluated(p),
                [only] => Some((only.pos(), cmd.to_string())),
                [.., last] => Some((last.pos(), last.to_string())),
                [] => None,
            }
        }
        let (pos, ctx) = last_evaluated(&b.pipe).unwrap_or((b.pos, String::new()));
        let mut e = self.err_at(pos, format!("range can't iterate over {}", val.fmt_v()));
        e.context = ctx;
        e
    }

    fn walk_template(
        &mut self,
        dot: &Dot,
        pos: Pos,
        name: &str,
        pipe: Option<&Pipe>,
    ) -> Result<(), Flow> {
        self.pos = pos;
        let Some(tree) = self.set.get(name) else {
            let quoted = chart_core::gofmt::go_quote(name);
            let mut e = self.err(format!("template {quoted} not defined"));
            // Go names the node as its text: `{{template "name" pipeline}}`.
            e.context = match pipe {
                Some(p) => format!("{{{{template {quoted} {p}}}}}"),
                None => format!("{{{{template {quoted}}}}}"),
            };
            return Err(e.into());
        };
        let new_dot = match pipe {
            Some(p) => Dot { val: self.eval_pipeline(dot, p)?, wrapped: false },
            None => Dot { val: Val::NoValue, wrapped: false },
        };
        self.call_tree(tree, new_dot).map_err(Flow::Err)
    }

    /// Executes another tree (for `template` and `include`) with a fresh variable scope.
    pub fn call_tree(&mut self, tree: Arc<Tree>, dot: Dot) -> EResult<()> {
        if self.depth >= self.limits.max_depth {
            return Err(
                self.err(format!("exceeded maximum template depth ({})", self.limits.max_depth))
            );
        }
        let saved_tree = std::mem::replace(&mut self.tree, tree);
        let saved_vars = std::mem::take(&mut self.vars);
        let saved_pos = self.pos;
        self.depth += 1;
        let r = self.execute(dot);
        self.depth -= 1;
        self.tree = saved_tree;
        self.vars = saved_vars;
        self.pos = saved_pos;
        r
    }

    fn set_var(&mut self, name: &str, v: Dot) -> EResult<()> {
        for slot in self.vars.iter_mut().rev() {
            if &*slot.0 == name {
                slot.1 = v;
                return Ok(());
            }
        }
        Err(self.err(format!("undefined variable: {name}")))
    }

    fn var_value(&self, name: &str) -> EResult<Dot> {
        for slot in self.vars.iter().rev() {
            if &*slot.0 == name {
                return Ok(slot.1.clone());
            }
        }
        Err(self.err(format!("undefined variable: {name}")))
    }

    pub fn eval_pipeline(&mut self, dot: &Dot, pipe: &Pipe) -> EResult<Val> {
        self.pos = pipe.pos;
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // A nil interface becomes "no value" between commands, as Go unwraps interfaces.
            value = Some(if let Val::Nil = v { Val::NoValue } else { v });
        }
        let value = value.unwrap_or(Val::NoValue);
        for var in &pipe.decl {
            let d = Dot { val: value.clone(), wrapped: false };
            if pipe.is_assign {
                self.pos = var.pos;
                self.set_var(&var.ident[0], d)?;
            } else {
                self.vars.push((var.ident[0].clone(), d));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: &Option<Val>) -> EResult<()> {
        if args.len() > 1 || final_.is_some() {
            return Err(self.err(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Dot, cmd: &Command, final_: Option<Val>) -> EResult<Val> {
        self.tick()?;
        let first = &cmd.args[0];
        let r = match first {
            Arg::Field { pos, ident } => {
                self.pos = *pos;
                self.eval_field_chain(dot, dot.clone(), *pos, ident, &cmd.args, final_)
            }
            Arg::Chain { pos, node, field } => {
                self.eval_chain(dot, *pos, node, field, &cmd.args, final_)
            }
            Arg::Identifier { pos, name } => self.eval_function(dot, *pos, name, &cmd.args, final_),
            Arg::Pipe(p) => {
                self.pos = p.pos;
                self.not_a_function(&cmd.args, &final_)?;
                self.eval_pipeline(dot, p)
            }
            Arg::Variable { pos, ident } => self.eval_variable(dot, *pos, ident, &cmd.args, final_),
            _ => {
                self.pos = first.pos();
                self.not_a_function(&cmd.args, &final_)?;
                match first {
                    Arg::Bool { val, .. } => Ok(Val::Bool(*val)),
                    Arg::Dot { .. } => Ok(dot.val.clone()),
                    Arg::Nil { .. } => Err(self.err("nil is not a command")),
                    Arg::Number { num, .. } => self.ideal_constant(num),
                    Arg::String { text, .. } => Ok(Val::Str(text.clone())),
                    _ => Err(self.err(format!(
                        "can't evaluate command {}",
                        chart_core::gofmt::go_quote(&first.to_string())
                    ))),
                }
            }
        };
        // The command's text is only worth printing when it failed.
        r.map_err(|mut e| {
            if e.context.is_empty() {
                e.context = cmd.to_string();
            }
            e
        })
    }

    fn ideal_constant(&self, num: &Number) -> EResult<Val> {
        let t = &num.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] == b'x' || t.as_bytes()[1] == b'X')
            && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if num.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Val::Float(num.float));
        }
        if num.is_int {
            return Ok(Val::Int(num.int));
        }
        if num.is_uint {
            return Err(self.err(format!("{t} overflows int")));
        }
        Ok(Val::NoValue)
    }

    fn eval_chain(
        &mut self,
        dot: &Dot,
        pos: Pos,
        node: &Arg,
        field: &[Arc<str>],
        args: &[Arg],
        final_: Option<Val>,
    ) -> EResult<Val> {
        self.pos = pos;
        if let Arg::Nil { .. } = node {
            return Err(self.err(format!("indirection through explicit nil in {}", args[0])));
        }
        let pipe = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, Dot { val: pipe, wrapped: false }, pos, field, args, final_)
    }

    fn eval_variable(
        &mut self,
        dot: &Dot,
        pos: Pos,
        ident: &[Arc<str>],
        args: &[Arg],
        final_: Option<Val>,
    ) -> EResult<Val> {
        self.pos = pos;
        let value = self.var_value(&ident[0])?;
        if ident.len() == 1 {
            self.not_a_function(args, &final_)?;
            return Ok(value.val);
        }
        self.eval_field_chain(dot, value, pos, &ident[1..], args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Dot,
        receiver: Dot,
        pos: Pos,
        ident: &[Arc<str>],
        args: &[Arg],
        final_: Option<Val>,
    ) -> EResult<Val> {
        let n = ident.len();
        let mut recv = receiver;
        let head = &args[..args.len().min(1)];
        for name in &ident[..n - 1] {
            recv = self.eval_field(dot, name, pos, head, None, recv)?;
        }
        Ok(self.eval_field(dot, &ident[n - 1], pos, args, final_, recv)?.val)
    }

    fn eval_field(
        &mut self,
        dot: &Dot,
        name: &str,
        pos: Pos,
        args: &[Arg],
        final_: Option<Val>,
        recv: Dot,
    ) -> EResult<Dot> {
        self.pos = pos;
        let r = self.eval_field_inner(dot, name, args, final_, recv);
        r.map_err(|mut e| {
            if e.context.is_empty()
                && let Some(a) = args.first()
            {
                e.context = a.to_string();
            }
            e
        })
    }

    fn eval_field_inner(
        &mut self,
        dot: &Dot,
        name: &str,
        args: &[Arg],
        final_: Option<Val>,
        recv: Dot,
    ) -> EResult<Dot> {
        let has_args = args.len() > 1 || final_.is_some();
        let typ = if recv.wrapped { "interface {}".to_string() } else { recv.val.type_name() };
        match &recv.val {
            Val::NoValue => Ok(Dot { val: Val::NoValue, wrapped: false }),
            Val::Nil => Err(self.err(format!("nil pointer evaluating interface {{}}.{name}"))),
            Val::Obj(o) => {
                if let Some(sig) = o.method(name) {
                    let o = o.clone();
                    let v = self.eval_call(dot, name, sig, args, true, final_, |_, argv| {
                        o.call_method(name, argv)
                    })?;
                    return Ok(Dot { val: v, wrapped: false });
                }
                if let Some(v) = o.field(name) {
                    if has_args {
                        return Err(self.err(format!(
                            "{name} has arguments but cannot be invoked as function"
                        )));
                    }
                    return Ok(Dot { val: v, wrapped: false });
                }
                if let Some(v) = o.map_index(name) {
                    if has_args {
                        return Err(self.err(format!("{name} is not a method but has arguments")));
                    }
                    return Ok(Dot { val: v, wrapped: false });
                }
                Err(self.err(format!("can't evaluate field {name} in type {typ}")))
            }
            Val::Map(m) => {
                if has_args {
                    return Err(self.err(format!("{name} is not a method but has arguments")));
                }
                let v = m.map.borrow().get(name).cloned();
                let wrapped = m.kind != MapKind::Str;
                Ok(Dot { val: v.unwrap_or(if wrapped { Val::Nil } else { Val::str("") }), wrapped })
            }
            _ => Err(self.err(format!("can't evaluate field {name} in type {typ}"))),
        }
    }

    fn eval_function(
        &mut self,
        dot: &Dot,
        pos: Pos,
        name: &str,
        args: &[Arg],
        final_: Option<Val>,
    ) -> EResult<Val> {
        self.pos = pos;
        let Some(f) = registry().get(name) else {
            return Err(self
                .err(format!("{} is not a defined function", chart_core::gofmt::go_quote(name))));
        };
        let f: Func = *f;
        let rest = &args[1..];
        match name {
            "and" | "or" => return self.eval_and_or(dot, name, rest, final_),
            "include" => {
                return self.eval_call(dot, name, f.sig, args, false, final_, Self::include);
            }
            "tpl" => return self.eval_call(dot, name, f.sig, args, false, final_, Self::tpl),
            "call" => {
                let callee = args.get(1).map(|a| a.to_string()).unwrap_or_default();
                return self.eval_call(dot, name, f.sig, args, false, final_, move |_, argv| {
                    match argv.first() {
                        None | Some(Val::Nil | Val::NoValue) => Err(FnError::new("call of nil")),
                        Some(v) => Err(FnError::new(format!(
                            "non-function {callee} of type {}",
                            v.type_name()
                        ))),
                    }
                });
            }
            "lookup" => {
                return self.eval_call(dot, name, f.sig, args, false, final_, |st, argv| {
                    st.host.lookup(&argv)
                });
            }
            _ => {}
        }
        self.eval_call(dot, name, f.sig, args, false, final_, |st, argv| {
            let mut env = st.host.env();
            (f.body)(&mut env, argv)
        })
    }

    fn eval_and_or(
        &mut self,
        dot: &Dot,
        name: &str,
        args: &[Arg],
        final_: Option<Val>,
    ) -> EResult<Val> {
        let n = args.len() + usize::from(final_.is_some());
        if n < 1 {
            return Err(self.err(format!(
                "wrong number of args for {name}: want at least 1 got {}",
                args.len()
            )));
        }
        let mut v = Val::NoValue;
        for a in args {
            v = self.eval_arg(dot, Some(Ty::Value), a)?;
            if v.truthy() == (name == "or") {
                return Ok(v);
            }
        }
        if let Some(f) = final_ {
            v = self.validate(f, Ty::Value)?;
        }
        Ok(v)
    }

    /// Go's `evalCall`: arity check, argument conversion, the call, error wrapping.
    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Dot,
        name: &str,
        sig: Sig,
        full: &[Arg],
        is_method: bool,
        final_: Option<Val>,
        call: impl FnOnce(&mut Self, Vec<Val>) -> Result<Val, FnError>,
    ) -> EResult<Val> {
        let call_pos = self.pos;
        let args = full.get(1..).unwrap_or(&[]);
        // Errors before the call name the function (or the method's field); errors of the call
        // name the whole command, as Go's `s.at(node)` does.
        let pre_ctx = |st: &Self, msg: String| {
            let mut e = st.err_at(call_pos, msg);
            e.context = if is_method {
                full.first().map(|a| a.to_string()).unwrap_or_default()
            } else {
                name.to_string()
            };
            e
        };
        let num_in = args.len() + usize::from(final_.is_some());
        let nfixed_params = sig.params.len();
        if sig.variadic.is_some() {
            if num_in < nfixed_params {
                return Err(pre_ctx(
                    self,
                    format!(
                        "wrong number of args for {name}: want at least {nfixed_params} got {}",
                        args.len()
                    ),
                ));
            }
        } else if num_in != nfixed_params {
            return Err(pre_ctx(
                self,
                format!("wrong number of args for {name}: want {nfixed_params} got {num_in}"),
            ));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let ty =
                if i < nfixed_params { sig.params[i] } else { sig.variadic.unwrap_or(Ty::Any) };
            argv.push(self.eval_arg(dot, Some(ty), a)?);
        }
        if let Some(f) = final_ {
            let idx = num_in - 1;
            let ty =
                if idx < nfixed_params { sig.params[idx] } else { sig.variadic.unwrap_or(Ty::Any) };
            self.pos = call_pos;
            match self.validate(f, ty) {
                Ok(v) => argv.push(v),
                Err(e) => return Err(pre_ctx(self, e.message)),
            }
        }
        match call(self, argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                let mut err = self.err_at(call_pos, format!("error calling {name}: {}", e.message));
                err.cause = e.cause;
                err.context = if is_method {
                    full.first().map(|a| a.to_string()).unwrap_or_default()
                } else {
                    Command { args: full.to_vec() }.to_string()
                };
                Err(err)
            }
        }
    }

    /// Go's `validateType`.
    fn validate(&self, v: Val, ty: Ty) -> EResult<Val> {
        if let Val::NoValue = v {
            if can_be_nil(ty) {
                return Ok(zero(ty));
            }
            return Err(self.err(format!("invalid value; expected {}", ty.go_name())));
        }
        crate::funcs::check_arg(v, ty).map_err(|msg| self.err(msg))
    }

    /// Go's `evalArg`; `ty == None` is an untyped context (a chain's receiver).
    fn eval_arg(&mut self, dot: &Dot, ty: Option<Ty>, node: &Arg) -> EResult<Val> {
        self.eval_arg_inner(dot, ty, node).map_err(|mut e| {
            if e.context.is_empty() {
                e.context = node.to_string();
            }
            e
        })
    }

    fn eval_arg_inner(&mut self, dot: &Dot, ty: Option<Ty>, node: &Arg) -> EResult<Val> {
        self.pos = node.pos();
        let v =
            match node {
                Arg::Dot { .. } => dot.val.clone(),
                Arg::Nil { .. } => {
                    return match ty {
                        None => Ok(Val::Nil),
                        Some(t) if can_be_nil(t) => Ok(zero(t)),
                        Some(t) => Err(self.err(format!("cannot assign nil to {}", t.go_name()))),
                    };
                }
                Arg::Field { pos, ident } => self.eval_field_chain(
                    dot,
                    dot.clone(),
                    *pos,
                    ident,
                    std::slice::from_ref(node),
                    None,
                )?,
                Arg::Variable { pos, ident } => {
                    self.eval_variable(dot, *pos, ident, std::slice::from_ref(node), None)?
                }
                Arg::Pipe(p) => self.eval_pipeline(dot, p)?,
                Arg::Identifier { pos, name } => {
                    self.eval_function(dot, *pos, name, std::slice::from_ref(node), None)?
                }
                Arg::Chain { pos, node: inner, field } => {
                    self.eval_chain(dot, *pos, inner, field, std::slice::from_ref(node), None)?
                }
                _ => {
                    self.pos = node.pos();
                    return match ty {
                        None | Some(Ty::Any) | Some(Ty::Value) => self.eval_empty_interface(node),
                        Some(Ty::Bool) => match node {
                            Arg::Bool { val, .. } => Ok(Val::Bool(*val)),
                            _ => Err(self.err(format!("expected bool; found {node}"))),
                        },
                        Some(Ty::Float64) => match node {
                            Arg::Number { num, .. } if num.is_float => Ok(Val::Float(num.float)),
                            _ => Err(self.err(format!("expected float; found {node}"))),
                        },
                        Some(Ty::Int) => match node {
                            Arg::Number { num, .. } if num.is_int => Ok(Val::Int(num.int)),
                            _ => Err(self.err(format!("expected integer; found {node}"))),
                        },
                        Some(Ty::Int64) => match node {
                            Arg::Number { num, .. } if num.is_int => Ok(Val::Int64(num.int)),
                            _ => Err(self.err(format!("expected integer; found {node}"))),
                        },
                        Some(Ty::Str) => match node {
                            Arg::String { text, .. } => Ok(Val::Str(text.clone())),
                            _ => Err(self.err(format!("expected string; found {node}"))),
                        },
                        Some(t) => Err(self
                            .err(format!("can't handle {node} for arg of type {}", t.go_name()))),
                    };
                }
            };
        match ty {
            None => Ok(v),
            Some(t) => {
                self.pos = node.pos();
                self.validate(v, t)
            }
        }
    }

    fn eval_empty_interface(&mut self, node: &Arg) -> EResult<Val> {
        match node {
            Arg::Bool { val, .. } => Ok(Val::Bool(*val)),
            Arg::Number { num, .. } => self.ideal_constant(num),
            Arg::String { text, .. } => Ok(Val::Str(text.clone())),
            _ => {
                Err(self
                    .err(format!("can't handle assignment of {node} to empty interface argument")))
            }
        }
    }
}

impl State<'_> {
    /// Helm's `include`: executes a named template into a string.
    fn include(&mut self, argv: Vec<Val>) -> Result<Val, FnError> {
        let mut it = argv.into_iter();
        let name = it.next().unwrap_or_default();
        let name = name.as_str().unwrap_or("").to_string();
        let data = it.next().unwrap_or_default();
        let count = self.include_counts.entry(name.clone()).or_insert(0);
        if *count > self.limits.max_include_recursion {
            return Err(FnError::new(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            )));
        }
        *count += 1;
        let r = self.execute_named(&name, data);
        if let Some(c) = self.include_counts.get_mut(&name) {
            *c -= 1;
        }
        r.map(Val::from)
    }

    /// Executes the template `name` of the current set into a fresh buffer.
    fn execute_named(&mut self, name: &str, data: Val) -> Result<String, FnError> {
        let Some(tree) = self.set.get(name) else {
            return Err(FnError::new(format!(
                "template: no template {} associated with template \"gotpl\"",
                chart_core::gofmt::go_quote(name)
            )));
        };
        let saved = std::mem::take(&mut self.out);
        let r = self.call_tree(tree, Dot { val: data, wrapped: false });
        let out = std::mem::replace(&mut self.out, saved);
        match r {
            Ok(()) => Ok(out),
            Err(e) => Err(FnError { message: e.to_string(), cause: Some(e) }),
        }
    }

    /// Helm's `tpl`: parses text as a template named `gotpl` in a copy of the current set (so its
    /// `define`s stay local) and executes it.
    fn tpl(&mut self, argv: Vec<Val>) -> Result<Val, FnError> {
        let mut it = argv.into_iter();
        let text = it.next().unwrap_or_default();
        let text = text.as_str().unwrap_or("").to_string();
        let data = it.next().unwrap_or_default();
        let trees = match super::parse::parse("gotpl", &text, &crate::funcs::has_function) {
            Ok(t) => t,
            Err(e) => {
                return Err(FnError::new(format!(
                    "cannot parse template {}: {e}",
                    chart_core::gofmt::go_quote(&text)
                )));
            }
        };
        let mut set = (*self.set).clone();
        for t in trees {
            set.add(t);
        }
        let saved_set = std::mem::replace(&mut self.set, Arc::new(set));
        let r = self.execute_named("gotpl", data);
        self.set = saved_set;
        match r {
            Ok(s) => Ok(Val::from(s.replace("<no value>", ""))),
            Err(e) => Err(FnError {
                message: format!(
                    "error during tpl function execution for {}: {}",
                    chart_core::gofmt::go_quote(&text),
                    e.message
                ),
                cause: e.cause,
            }),
        }
    }
}
