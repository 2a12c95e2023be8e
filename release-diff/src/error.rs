//! Error types.

/// Why a patch could not be computed or applied. The messages follow the Kubernetes ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchError {
    /// An input that must be an object (a JSON map) is something else.
    #[error("the {0} is not an object")]
    NotAnObject(&'static str),
    /// An item of a list merged by key is not a map.
    #[error("unable to merge: list item is not a map: {item}")]
    NotAMap {
        /// The item, as JSON.
        item: String,
    },
    /// A value a directive refers to is not a list.
    #[error("unable to merge: expected a list, found {item}")]
    NotAList {
        /// The value, as JSON.
        item: String,
    },
    /// An item of a list merged by key lacks the key.
    #[error("map: {item} does not contain declared merge key: {merge_key}")]
    MissingMergeKey {
        /// The merge key.
        merge_key: String,
        /// The item, as JSON.
        item: String,
    },
    /// A list merged by key has no merge key in the metadata.
    #[error("cannot merge lists without merge key")]
    NoMergeKey,
    /// Lists of lists cannot be merged.
    #[error("lists of lists are not supported")]
    ListOfLists,
    /// The items of a merged list are of different types.
    #[error("list element types are not identical")]
    MixedListTypes,
    /// Ordering directives name lists that are empty on both sides.
    #[error("no elements in any of the given slices")]
    EmptyLists,
    /// An unknown or malformed `$patch` (or other) directive.
    #[error("unknown patch type or malformed directive: {0}")]
    BadDirective(String),
    /// `$patch: merge` inside a list.
    #[error("merging lists cannot yet be specified in the patch")]
    MergeDirectiveInList,
    /// `$retainKeys` is not a list, or the patch sets a key it does not list.
    #[error(
        "invalid patch: the patch has a key that is not in $retainKeys, or $retainKeys is not a list"
    )]
    BadRetainKeys,
    /// Two `$retainKeys` lists that should agree do not.
    #[error("$retainKeys directives of the two patches differ")]
    RetainKeysMismatch,
    /// A `$setElementOrder` list that is malformed or disagrees with its list.
    #[error("invalid patch: $setElementOrder list is malformed or does not match the patch list")]
    BadSetElementOrder,
}

/// Why manifests, objects or release records could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A manifest document is not valid YAML.
    #[error("YAML parse error in document {index}: {source}")]
    Yaml {
        /// 0-based index of the document in the stream.
        index: usize,
        /// The reader's error.
        #[source]
        source: chart_core::yaml::YamlError,
    },
    /// A manifest document is not an object.
    #[error("document {index} is not a Kubernetes object (kind {found})")]
    NotAnObject {
        /// 0-based index of the document in the stream.
        index: usize,
        /// The JSON kind of what was found.
        found: &'static str,
    },
    /// Computing or applying a patch failed.
    #[error(transparent)]
    Patch(#[from] PatchError),
    /// A release record could not be decoded.
    #[error("invalid release record: {0}")]
    Record(String),
    /// Decoding base64 failed.
    #[error("invalid release record: base64: {0}")]
    Base64(#[from] base64::DecodeError),
    /// Reading or writing gzip or JSON failed.
    #[error("invalid release record: {0}")]
    Io(#[from] std::io::Error),
    /// The release JSON is malformed.
    #[error("invalid release record: {0}")]
    Json(#[from] serde_json::Error),
}
