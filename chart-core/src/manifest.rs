//! Helm's view of a rendered manifest stream, shared by rendering and diffing: how the stream
//! splits into documents (`releaseutil.SplitManifests`) and the orders in which kinds are
//! installed and uninstalled (`releaseutil.InstallOrder` / `UninstallOrder`).

/// Helm's install order of kinds (`releaseutil.InstallOrder`); other kinds come after these,
/// sorted by kind.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Helm's uninstall order of kinds (`releaseutil.UninstallOrder`); other kinds come after
/// these, sorted by kind.
pub const UNINSTALL_ORDER: &[&str] = &[
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// The hook events Helm knows (`helm.sh/hook` values).
pub const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// Helm's reading of a `helm.sh/hook` annotation: its comma-separated events, trimmed and
/// lower-cased, up to the first one that is not a hook event Helm knows, and whether all of them
/// are known (Helm skips a hook with an unknown event).
///
/// ```
/// use chart_core::manifest::hook_events;
/// assert_eq!(hook_events("Pre-Install, post-upgrade"), (vec!["pre-install".into(), "post-upgrade".into()], true));
/// assert_eq!(hook_events("pre-install,after-lunch,test"), (vec!["pre-install".into()], false));
/// ```
pub fn hook_events(annotation: &str) -> (Vec<String>, bool) {
    let mut events = Vec::new();
    for h in annotation.split(',') {
        let h = h.trim().to_ascii_lowercase();
        if !HOOK_EVENTS.contains(&h.as_str()) {
            return (events, false);
        }
        events.push(h);
    }
    (events, true)
}

/// Helm's reading of a `helm.sh/hook-weight` annotation: the integer, 0 when absent or not one.
pub fn hook_weight(annotation: Option<&str>) -> i64 {
    annotation.and_then(|w| w.trim().parse().ok()).unwrap_or(0)
}

/// Helm's `lessByKind`: known kinds by their rank, unknown kinds after them by name.
pub fn kind_cmp(order: &[&str], a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let rank = |k: &str| order.iter().position(|x| *x == k);
    match (rank(a), rank(b)) {
        (None, None) => a.cmp(b),
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

/// Helm's `SplitManifests`: the documents of a manifest stream, in order, trimmed, empty ones
/// dropped. A separator is `---` at the start of the text or after a newline, taking the
/// whitespace around it.
///
/// ```
/// let docs = chart_core::manifest::split_manifests("a: 1\n---\nb: 2\n--- # x\n---\nc: 3");
/// assert_eq!(docs, ["a: 1", "b: 2", "# x", "c: 3"]);
/// // Like Go's regexp, a separator that swallowed the newline before the next `---` leaves it:
/// assert_eq!(chart_core::manifest::split_manifests("a: 1\n--- \n\n---\nc: 3"), ["a: 1", "---\nc: 3"]);
/// ```
pub fn split_manifests(text: &str) -> Vec<&str> {
    let text = text.trim();
    let b = text.as_bytes();
    let mut docs = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // A separator: (^ | \s*\n) --- \s*
        let at_start = i == 0 && b.starts_with(b"---");
        let after_newline = b[i] == b'\n' && b[i + 1..].starts_with(b"---");
        if at_start || after_newline {
            // The separator swallows whitespace before the newline.
            let mut cut = i;
            if after_newline {
                while cut > start && b[cut - 1].is_ascii_whitespace() {
                    cut -= 1;
                }
            }
            docs.push(&text[start..cut]);
            let mut j = if at_start { 3 } else { i + 4 };
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            start = j;
            i = j;
            continue;
        }
        i += 1;
    }
    docs.push(&text[start..]);
    docs.into_iter().filter(|d| !d.is_empty()).map(str::trim).collect()
}
