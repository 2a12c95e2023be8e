//! Helm's objects in a template's data: `.Capabilities` and `.Files`, and the `.Chart` map.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use chart_core::Value;
use chart_core::chart::Chart;

use crate::funcs::{FnError, Sig, Ty};
use crate::value::{MapKind, Object, Val};

/// The API group versions Helm 4.1.4 reports by default (`.Capabilities.APIVersions`): those of
/// the Kubernetes client library it was built with, in its order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The Kubernetes version `helm template` assumes without `--kube-version`.
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// What Helm 4.1.4 reports as `.Capabilities.HelmVersion`.
const HELM_VERSION: [(&str, &str); 5] = [
    ("Version", "v4.1.4"),
    ("GitCommit", "05fa37973dc9e42b76e1d2883494c87174b6074f"),
    ("GitTreeState", "clean"),
    ("GoVersion", "go1.25.9"),
    ("KubeClientVersion", "v1.35"),
];

/// A Kubernetes version as `.Capabilities.KubeVersion` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    /// `v1.35.0`.
    pub version: String,
    /// `1`.
    pub major: String,
    /// `35`.
    pub minor: String,
}

impl KubeVersion {
    /// Parses `--kube-version` as Helm 4's `ParseKubeVersion`: Kubernetes' generic version
    /// parser (`v`, at least `major.minor`, anything after the numbers ignored); the version text
    /// keeps what was given, with a `v` in front. The error is the parser's message (helm's
    /// `template` prints it after `invalid kube version '<text>': `).
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let nums = generic_components(text)?;
        let version = if text.starts_with('v') { text.to_owned() } else { format!("v{text}") };
        Ok(KubeVersion { version, major: nums[0].to_string(), minor: nums[1].to_string() })
    }

    /// What Helm 4's `KubeVersion.String()` gives, and so what `{{ .Capabilities.KubeVersion }}`
    /// prints and helm checks a chart's `kubeVersion` against: `v` and the version's numbers,
    /// without a pre-release, build or anything else after them (`v1.30.2-rc.1` → `v1.30.2`).
    pub fn normalized(&self) -> String {
        // `version` is the text given with a `v` put in front of it.
        match generic_components(self.version.strip_prefix('v').unwrap_or(&self.version)) {
            Ok(nums) => {
                let parts: Vec<String> = nums.iter().map(u64::to_string).collect();
                format!("v{}", parts.join("."))
            }
            Err(_) => self.version.clone(),
        }
    }
}

/// The numeric components of a version as Kubernetes' generic parser reads them (leading
/// blanks and a `v` skipped, at least `major.minor`, anything after the numbers ignored), with
/// the parser's errors.
fn generic_components(text: &str) -> Result<Vec<u64>, String> {
    let q = chart_core::gofmt::go_quote;
    let s = text.trim_start_matches([' ', '\t', '\n', '\r', '\u{c}']);
    let s = s.strip_prefix('v').unwrap_or(s);
    let b = s.as_bytes();
    let mut end = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if end == 0 {
        return Err(format!("could not parse {} as version", q(text)));
    }
    while end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        end += 1;
        end += b[end..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    let comps: Vec<&str> = s[..end].split('.').collect();
    if comps.len() < 2 {
        return Err(format!("illegal version string {}", q(text)));
    }
    let mut nums = Vec::with_capacity(comps.len());
    for (i, c) in comps.iter().enumerate() {
        if i == 0 && c.starts_with('0') && *c != "0" {
            return Err(format!("illegal zero-prefixed version component {} in {}", q(c), q(text)));
        }
        let n: u64 = c.parse().map_err(|_| {
            format!(
                "illegal non-numeric version component {} in {}: strconv.ParseUint: parsing {}: value out of range",
                q(c),
                q(text),
                q(c)
            )
        })?;
        nums.push(n);
    }
    Ok(nums)
}

impl Default for KubeVersion {
    fn default() -> KubeVersion {
        KubeVersion { version: DEFAULT_KUBE_VERSION.into(), major: "1".into(), minor: "35".into() }
    }
}

#[derive(Debug)]
struct KubeVersionObj(KubeVersion);

impl Object for KubeVersionObj {
    fn type_name(&self) -> String {
        "common.KubeVersion".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Val> {
        Some(Val::str(match name {
            "Version" => self.0.version.as_str(),
            "Major" => self.0.major.as_str(),
            "Minor" => self.0.minor.as_str(),
            _ => return None,
        }))
    }
    fn method(&self, name: &str) -> Option<Sig> {
        matches!(name, "String" | "GitVersion").then_some(Sig { params: &[], variadic: None })
    }
    fn call_method(&self, name: &str, _: Vec<Val>) -> Result<Val, FnError> {
        Ok(match name {
            "String" => Val::str(self.0.normalized().as_str()),
            _ => Val::str(self.0.version.as_str()),
        })
    }
    /// As the template prints the field: through its `String` method.
    fn fmt_v(&self) -> String {
        self.0.normalized()
    }
    /// As `fmt` prints the struct (its fields: the version, the normalized version, major and
    /// minor).
    fn fmt_nested(&self) -> String {
        format!("{{{} {} {} {}}}", self.0.version, self.0.normalized(), self.0.major, self.0.minor)
    }
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("Version".into(), Value::from(self.0.version.as_str()));
        m.insert("Major".into(), Value::from(self.0.major.as_str()));
        m.insert("Minor".into(), Value::from(self.0.minor.as_str()));
        Value::Map(m)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[derive(Debug)]
struct VersionSet(Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> String {
        "common.VersionSet".into()
    }
    fn kind(&self) -> &'static str {
        "slice"
    }
    fn method(&self, name: &str) -> Option<Sig> {
        (name == "Has").then_some(Sig { params: &[Ty::Str], variadic: None })
    }
    fn call_method(&self, _: &str, args: Vec<Val>) -> Result<Val, FnError> {
        let want = args.first().and_then(Val::as_str).unwrap_or("");
        Ok(Val::Bool(self.0.iter().any(|v| v == want)))
    }
    fn fmt_v(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn length(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn entries(&self) -> Option<Vec<(Val, Val)>> {
        Some(
            self.0
                .iter()
                .enumerate()
                .map(|(i, v)| (Val::Int(i as i64), Val::str(v.as_str())))
                .collect(),
        )
    }
    fn to_value(&self) -> Value {
        Value::List(self.0.iter().map(|s| Value::from(s.as_str())).collect())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[derive(Debug)]
struct HelmVersion;

impl Object for HelmVersion {
    fn type_name(&self) -> String {
        "version.BuildInfo".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Val> {
        HELM_VERSION.iter().find(|(k, _)| *k == name).map(|(_, v)| Val::str(*v))
    }
    fn fmt_v(&self) -> String {
        let vals: Vec<&str> = HELM_VERSION.iter().map(|(_, v)| *v).collect();
        format!("{{{}}}", vals.join(" "))
    }
    fn to_value(&self) -> Value {
        let keys = ["version", "git_commit", "git_tree_state", "go_version", "kube_client_version"];
        Value::Map(
            keys.iter()
                .zip(HELM_VERSION.iter())
                .map(|(k, (_, v))| (k.to_string(), Value::from(*v)))
                .collect(),
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `.Capabilities`.
#[derive(Debug)]
pub(crate) struct Capabilities {
    kube: Val,
    api: Val,
    helm: Val,
}

impl Capabilities {
    pub(crate) fn new(kube: &KubeVersion, extra_api_versions: &[String]) -> Capabilities {
        let mut api: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        api.extend(extra_api_versions.iter().cloned());
        Capabilities {
            kube: Val::Obj(Rc::new(KubeVersionObj(kube.clone()))),
            api: Val::Obj(Rc::new(VersionSet(api))),
            helm: Val::Obj(Rc::new(HelmVersion)),
        }
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> String {
        "*common.Capabilities".into()
    }
    fn fmt_nested(&self) -> String {
        // A pointer inside a map prints as its address, which changes from run to run.
        format!("{:#x}", 0x00c0_0000_0000_usize + (self as *const Self as usize & 0xfff_fff0))
    }
    fn field(&self, name: &str) -> Option<Val> {
        match name {
            "KubeVersion" => Some(self.kube.clone()),
            "APIVersions" => Some(self.api.clone()),
            "HelmVersion" => Some(self.helm.clone()),
            _ => None,
        }
    }
    fn fmt_v(&self) -> String {
        let field = |n: &str| match &self.kube {
            Val::Obj(o) => o.field(n).map(|v| v.fmt_v()).unwrap_or_default(),
            _ => String::new(),
        };
        let v = field("Version");
        format!(
            "{{{{{v} {v} {} {}}} {} {}}}",
            field("Major"),
            field("Minor"),
            self.api.fmt_v(),
            self.helm.fmt_v()
        )
    }
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("KubeVersion".into(), self.kube.to_value());
        m.insert("APIVersions".into(), self.api.to_value());
        m.insert("HelmVersion".into(), self.helm.to_value());
        Value::Map(m)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `.Files`: the chart's non-template files, with Helm's accessors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Files(pub BTreeMap<String, Rc<[u8]>>);

impl Files {
    pub(crate) fn from_chart(chart: &Chart) -> Files {
        Files(chart.files.iter().map(|f| (f.name.clone(), Rc::from(f.data.as_slice()))).collect())
    }

    fn base_map(&self, f: impl Fn(&[u8]) -> Value) -> String {
        let m: BTreeMap<String, Value> = self
            .0
            .iter()
            .map(|(k, v)| (k.rsplit('/').next().unwrap_or(k).to_string(), f(v)))
            .collect();
        let mut s = chart_core::yaml::marshal(&Value::Map(m)).unwrap_or_default();
        if s.ends_with('\n') {
            s.pop();
        }
        s
    }
}

fn lossy(b: &[u8]) -> String {
    chart_core::load::utf8_lossy(b).into_owned()
}

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn kind(&self) -> &'static str {
        "map"
    }
    fn method(&self, name: &str) -> Option<Sig> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => {
                Some(Sig { params: &[Ty::Str], variadic: None })
            }
            "AsConfig" | "AsSecrets" => Some(Sig { params: &[], variadic: None }),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: Vec<Val>) -> Result<Val, FnError> {
        let arg = args.first().and_then(Val::as_str).unwrap_or("").to_string();
        Ok(match name {
            "Get" => Val::from(self.0.get(&arg).map(|b| lossy(b)).unwrap_or_default()),
            "GetBytes" => {
                Val::Bytes(self.0.get(&arg).cloned().unwrap_or_else(|| Rc::from(&[][..])))
            }
            "Glob" => {
                let matched = match Glob::compile(&arg) {
                    Some(g) => self
                        .0
                        .iter()
                        .filter(|(k, _)| g.matches(k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    None => BTreeMap::new(),
                };
                Val::Obj(Rc::new(Files(matched)))
            }
            "Lines" => match self.0.get(&arg) {
                None => Val::str_list(Vec::<String>::new()),
                Some(b) => {
                    let mut s = lossy(b);
                    if s.ends_with('\n') {
                        s.pop();
                    }
                    Val::str_list(s.split('\n').map(str::to_string).collect::<Vec<_>>())
                }
            },
            "AsConfig" => Val::from(self.base_map(|b| Value::String(lossy(b)))),
            "AsSecrets" => Val::from(self.base_map(|b| Value::String(crate::funcs::base64_std(b)))),
            _ => return Err(FnError::new(format!("can't call method {name}"))),
        })
    }
    fn fmt_v(&self) -> String {
        let parts: Vec<String> =
            self.0.iter().map(|(k, v)| format!("{k}:{}", Val::Bytes(v.clone()).fmt_v())).collect();
        format!("map[{}]", parts.join(" "))
    }
    fn length(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn map_index(&self, key: &str) -> Option<Val> {
        self.0.get(key).map(|b| Val::Bytes(b.clone()))
    }
    fn entries(&self) -> Option<Vec<(Val, Val)>> {
        Some(self.0.iter().map(|(k, v)| (Val::str(k.as_str()), Val::Bytes(v.clone()))).collect())
    }
    fn truthy(&self) -> bool {
        !self.0.is_empty()
    }
    fn to_value(&self) -> Value {
        Value::Map(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(crate::funcs::base64_std(v))))
                .collect(),
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `gobwas/glob` pattern with `/` as the separator, as `.Files.Glob` compiles it.
#[derive(Debug)]
pub(crate) struct Glob(Vec<Tok>);

#[derive(Debug)]
enum Tok {
    Lit(char),
    Any,
    Super,
    One,
    Class { negated: bool, ranges: Vec<(char, char)> },
    Alt(Vec<Glob>),
}

impl Glob {
    pub(crate) fn compile(p: &str) -> Option<Glob> {
        let chars: Vec<char> = p.chars().collect();
        let (g, used) = Self::parse(&chars, 0, false)?;
        (used == chars.len()).then_some(g)
    }

    fn parse(c: &[char], mut i: usize, in_alt: bool) -> Option<(Glob, usize)> {
        let mut toks = Vec::new();
        while i < c.len() {
            match c[i] {
                '\\' => {
                    toks.push(Tok::Lit(*c.get(i + 1)?));
                    i += 2;
                }
                '*' => {
                    if c.get(i + 1) == Some(&'*') {
                        toks.push(Tok::Super);
                        i += 2;
                    } else {
                        toks.push(Tok::Any);
                        i += 1;
                    }
                }
                '?' => {
                    toks.push(Tok::One);
                    i += 1;
                }
                '[' => {
                    i += 1;
                    let negated = c.get(i) == Some(&'!');
                    if negated {
                        i += 1;
                    }
                    let mut ranges = Vec::new();
                    while *c.get(i)? != ']' {
                        let lo = c[i];
                        if c.get(i + 1) == Some(&'-') && c.get(i + 2).is_some_and(|&x| x != ']') {
                            ranges.push((lo, c[i + 2]));
                            i += 3;
                        } else {
                            ranges.push((lo, lo));
                            i += 1;
                        }
                    }
                    i += 1;
                    toks.push(Tok::Class { negated, ranges });
                }
                '{' => {
                    let mut alts = Vec::new();
                    i += 1;
                    loop {
                        let (g, next) = Self::parse(c, i, true)?;
                        alts.push(g);
                        i = next;
                        match c.get(i)? {
                            ',' => i += 1,
                            '}' => {
                                i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                    toks.push(Tok::Alt(alts));
                }
                ',' | '}' if in_alt => return Some((Glob(toks), i)),
                ch => {
                    toks.push(Tok::Lit(ch));
                    i += 1;
                }
            }
        }
        if in_alt {
            return None;
        }
        Some((Glob(toks), i))
    }

    pub(crate) fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        let mut budget = 1_000_000u32;
        match_toks(&self.0, &chars, &[], &mut budget)
    }
}

/// Matches `toks` followed by `rest` (the tokens after an enclosing alternative).
fn match_toks(toks: &[Tok], s: &[char], rest: &[&[Tok]], budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, more)) = toks.split_first() else {
        return match rest.split_first() {
            Some((next, others)) => match_toks(next, s, others, budget),
            None => s.is_empty(),
        };
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(more, &s[1..], rest, budget),
        Tok::One => s.first().is_some_and(|&c| c != '/') && match_toks(more, &s[1..], rest, budget),
        Tok::Class { negated, ranges } => {
            s.first()
                .is_some_and(|&c| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated)
                && match_toks(more, &s[1..], rest, budget)
        }
        Tok::Any => {
            for i in 0..=s.len() {
                if match_toks(more, &s[i..], rest, budget) {
                    return true;
                }
                if i < s.len() && s[i] == '/' {
                    return false;
                }
            }
            false
        }
        Tok::Super => (0..=s.len()).any(|i| match_toks(more, &s[i..], rest, budget)),
        Tok::Alt(alts) => alts.iter().any(|g| {
            let mut r: Vec<&[Tok]> = vec![more];
            r.extend_from_slice(rest);
            match_toks(&g.0, s, &r, budget)
        }),
    }
}

/// `.Chart` as Helm 4 exposes it: a map of the metadata's Go field names.
pub(crate) fn chart_map(chart: &Chart, is_root: bool) -> Val {
    let m = &chart.metadata;
    let strs = |v: &[String]| Val::list(v.iter().map(|s| Val::str(s.as_str())).collect());
    let mut out = BTreeMap::new();
    out.insert("APIVersion".into(), Val::str(m.api_version.as_str()));
    let ann: BTreeMap<String, Val> =
        m.annotations.iter().map(|(k, v)| (k.clone(), Val::str(v.as_str()))).collect();
    out.insert("Annotations".into(), Val::map_of(MapKind::Str, ann));
    out.insert("AppVersion".into(), Val::str(m.app_version.as_str()));
    out.insert("Condition".into(), Val::str(m.condition.as_str()));
    let deps = m
        .dependencies
        .iter()
        .map(|d| {
            let mut dm = BTreeMap::new();
            dm.insert("Alias".into(), Val::str(d.alias.as_str()));
            dm.insert("Condition".into(), Val::str(d.condition.as_str()));
            dm.insert("Enabled".into(), Val::Bool(d.enabled));
            dm.insert(
                "ImportValues".into(),
                Val::list(d.import_values.iter().map(Val::from_value).collect()),
            );
            dm.insert("Name".into(), Val::str(d.name.as_str()));
            dm.insert("Repository".into(), Val::str(d.repository.as_str()));
            dm.insert("Tags".into(), strs(&d.tags));
            dm.insert("Version".into(), Val::str(d.version.as_str()));
            Val::map(dm)
        })
        .collect();
    out.insert("Dependencies".into(), Val::list(deps));
    out.insert("Deprecated".into(), Val::Bool(m.deprecated));
    out.insert("Description".into(), Val::str(m.description.as_str()));
    out.insert("Home".into(), Val::str(m.home.as_str()));
    out.insert("Icon".into(), Val::str(m.icon.as_str()));
    out.insert("IsRoot".into(), Val::Bool(is_root));
    out.insert("Keywords".into(), strs(&m.keywords));
    out.insert("KubeVersion".into(), Val::str(m.kube_version.as_str()));
    let maint = m
        .maintainers
        .iter()
        .map(|x| {
            let mut mm = BTreeMap::new();
            mm.insert("Email".into(), Val::str(x.email.as_str()));
            mm.insert("Name".into(), Val::str(x.name.as_str()));
            mm.insert("URL".into(), Val::str(x.url.as_str()));
            Val::map(mm)
        })
        .collect();
    out.insert("Maintainers".into(), Val::list(maint));
    out.insert("Name".into(), Val::str(m.name.as_str()));
    out.insert("Sources".into(), strs(&m.sources));
    out.insert("Tags".into(), Val::str(m.tags.as_str()));
    out.insert("Type".into(), Val::str(m.chart_type.as_str()));
    out.insert("Version".into(), Val::str(m.version.as_str()));
    Val::map(out)
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn glob_follows_gobwas_rules() {
        let g = |p: &str, s: &str| Glob::compile(p).is_some_and(|g| g.matches(s));
        assert!(g("files/*", "files/a.txt"));
        assert!(!g("files/*", "files/sub/a.txt"));
        assert!(g("conf/**", "conf/a/x.ini"));
        assert!(g("conf/**", "conf/y.ini"));
        assert!(g("*.{yaml,json}", "a.json"));
        assert!(g("f?le[0-9]", "file7"));
        assert!(!g("[!a]x", "ax"));
    }
}
