//! Parsing many files at once: identical texts are parsed once (charts vendor the same library
//! in several subcharts), and large batches are split across threads.

use super::ParseError;
use super::ast::Tree;
use super::parse::{parse, parse_shared};
use crate::funcs::has_function;
use std::sync::Arc;

/// Below this many bytes of unique text, threads cost more than they save.
const PARALLEL_THRESHOLD: usize = 64 * 1024;

/// Templates parsed ahead of rendering, looked up by their text: a caller that has a chart's
/// files before its values are computed can parse them meanwhile (on another thread) and hand
/// the result to rendering through [`ExecOptions::preparsed`](super::ExecOptions::preparsed).
///
/// Only texts that parse are kept; rendering parses the others again itself, so errors always
/// name the template as rendering sees it.
///
/// ```
/// use chart_render::template::Preparsed;
/// let pre = Preparsed::parse(&[("templates/a.yaml", "a: {{ .Values.a }}"), ("b", "{{ bad")]);
/// assert_eq!(pre.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct Preparsed {
    by_text: TextMap<Arc<str>, Vec<Tree>>,
}

impl Preparsed {
    /// Parses `(name, text)` files (identical texts once, large batches on several threads).
    pub fn parse(files: &[(&str, &str)]) -> Preparsed {
        let mut seen: TextMap<&str, ()> = TextMap::default();
        let uniques: Vec<(&str, &str)> =
            files.iter().copied().filter(|(_, t)| seen.insert(t, ())).collect();
        let parsed = parse_uniques(&uniques);
        let mut by_text = TextMap::default();
        for (&(_, text), r) in uniques.iter().zip(parsed) {
            if let Ok(trees) = r {
                by_text.insert(Arc::from(text), trees);
            }
        }
        Preparsed { by_text }
    }

    /// Adds what another batch parsed (see [`ParseQueue`]).
    pub fn merge(&mut self, other: Preparsed) {
        for (key, entries) in other.by_text.buckets {
            for (text, trees) in entries {
                self.by_text.insert_keyed(key, text, trees);
            }
        }
    }

    /// How many distinct texts parsed.
    pub fn len(&self) -> usize {
        self.by_text.len
    }

    /// Whether no text parsed.
    pub fn is_empty(&self) -> bool {
        self.by_text.len == 0
    }
}

/// The key of a template text in a [`TextMap`]: a hash of its length and of 32 words sampled
/// across it (its first and last bytes among them), so that keying a text costs the same
/// whatever its size. Hashing whole texts, several times over (queueing, parsing, merging,
/// looking up), was a tenth of a large chart's render thread.
fn text_key(text: &str) -> u64 {
    use std::hash::Hasher;
    let b = text.as_bytes();
    let mut h = crate::fxhash::FxHasher::default();
    h.write_usize(b.len());
    if b.len() <= 256 {
        h.write(b);
    } else {
        const SAMPLES: usize = 32;
        let step = (b.len() - 8) / (SAMPLES - 1);
        for i in 0..SAMPLES {
            let at = if i == SAMPLES - 1 { b.len() - 8 } else { i * step };
            h.write(&b[at..at + 8]);
        }
    }
    h.finish()
}

/// A map from template texts, keyed by [`text_key`]: texts with the same key are told apart by
/// comparing them (only true duplicates usually share a key, and then the comparison is what
/// proves them equal).
#[derive(Debug)]
struct TextMap<T, V> {
    buckets: crate::fxhash::FxHashMap<u64, Vec<(T, V)>>,
    len: usize,
}

impl<T, V> Default for TextMap<T, V> {
    fn default() -> Self {
        TextMap { buckets: Default::default(), len: 0 }
    }
}

impl<T: std::ops::Deref<Target = str>, V> TextMap<T, V> {
    /// The value for `text`.
    fn get(&self, text: &str) -> Option<&V> {
        let bucket = self.buckets.get(&text_key(text))?;
        bucket.iter().find(|(t, _)| same_text(t, text)).map(|(_, v)| v)
    }

    /// The value for `text`, after adding `value` for it if it had none.
    fn get_or_insert(&mut self, text: T, value: V) -> &V {
        let bucket = self.buckets.entry(text_key(&text)).or_default();
        let at = match bucket.iter().position(|(t, _)| same_text(t, &text)) {
            Some(at) => at,
            None => {
                bucket.push((text, value));
                self.len += 1;
                bucket.len() - 1
            }
        };
        &bucket[at].1
    }

    /// Adds `text` unless it is there already; whether it was added.
    fn insert(&mut self, text: T, value: V) -> bool {
        let key = text_key(&text);
        self.insert_keyed(key, text, value)
    }

    fn insert_keyed(&mut self, key: u64, text: T, value: V) -> bool {
        let bucket = self.buckets.entry(key).or_default();
        if bucket.iter().any(|(t, _)| same_text(t, &text)) {
            return false;
        }
        bucket.push((text, value));
        self.len += 1;
        true
    }
}

/// Whether two texts are equal (the same bytes in memory at once).
fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// A queue of template files parsed by worker threads as they are handed over, for a caller
/// that reads a chart's files one by one: parsing starts with the first template read instead
/// of after the last file.
///
/// ```
/// use chart_render::template::{ParseQueue, Preparsed};
/// let queue = ParseQueue::default();
/// let parsed = std::thread::scope(|s| {
///     let worker = s.spawn(|| queue.work());
///     queue.push("templates/a.yaml", "a: {{ .Values.a }}".to_string());
///     queue.close();
///     worker.join().unwrap()
/// });
/// assert_eq!(parsed.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct ParseQueue {
    state: std::sync::Mutex<QueueState>,
    ready: std::sync::Condvar,
}

#[derive(Debug, Default)]
struct QueueState {
    /// Name, text and the text's key (the worker files its trees under it).
    items: std::collections::VecDeque<(String, Arc<str>, u64)>,
    /// The texts handed over so far.
    seen: TextMap<Arc<str>, ()>,
    closed: bool,
    /// Workers waiting for an item: only then is one woken (a wake-up is a system call).
    waiting: usize,
}

impl ParseQueue {
    /// Hands a file over. A text identical to one handed over before (a library vendored by
    /// several subcharts) is not queued again: rendering finds its trees by text.
    /// The text is taken as it is shared with the trees (a `String`, a `Cow<str>` or an
    /// `Arc<str>`: no copy beyond the one into the shared allocation).
    pub fn push(&self, name: &str, text: impl Into<Arc<str>>) {
        let text: Arc<str> = text.into();
        let key = text_key(&text);
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !state.seen.insert_keyed(key, text.clone(), ()) {
            return;
        }
        state.items.push_back((name.to_string(), text, key));
        let wake = state.waiting > 0;
        drop(state);
        if wake {
            self.ready.notify_one();
        }
    }

    /// No more files will come: workers return once the queue is empty. Call it on every path
    /// (errors included), or workers wait for ever.
    pub fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.closed = true;
        drop(state);
        self.ready.notify_all();
    }

    /// Parses files from the queue until it is closed and empty; returns what this worker
    /// parsed (merge the workers' results with [`Preparsed::merge`]). Run it on a thread with
    /// a deep stack (the parser recurses; 16 MiB is enough for its nesting limit).
    pub fn work(&self) -> Preparsed {
        let mut out = Preparsed::default();
        loop {
            let item = {
                let mut state =
                    self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                loop {
                    if let Some(item) = state.items.pop_front() {
                        break Some(item);
                    }
                    if state.closed {
                        break None;
                    }
                    state.waiting += 1;
                    state =
                        self.ready.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
                    state.waiting -= 1;
                }
            };
            let Some((name, text, key)) = item else { return out };
            // `push` queues each text once.
            if let Ok(trees) = parse_shared(&name, &text, &has_function) {
                out.by_text.insert_keyed(key, text, trees);
            }
        }
    }
}

/// Parses `(name, text)` files; returns each file's trees (its own tree first) in input order,
/// or the error of the first file (in input order) that does not parse. Texts found in
/// `preparsed` are not parsed again.
pub(crate) fn parse_files(
    files: &[(&str, &str)],
    preparsed: Option<&Preparsed>,
) -> Result<Vec<Vec<Tree>>, ParseError> {
    let mut index: TextMap<&str, usize> = TextMap::default();
    let mut uniques: Vec<(&str, &str)> = Vec::new();
    let mut which: Vec<usize> = Vec::with_capacity(files.len());
    for &(name, text) in files {
        let i = *index.get_or_insert(text, uniques.len());
        if i == uniques.len() {
            uniques.push((name, text));
        }
        which.push(i);
    }
    // Parse what was not parsed ahead; the preparsed trees carry the name they were parsed
    // under, so every file gets renamed below.
    let cached = |t: &str| preparsed.and_then(|p| p.by_text.get(t));
    let todo: Vec<(&str, &str)> =
        uniques.iter().copied().filter(|(_, t)| cached(t).is_none()).collect();
    let mut fresh = parse_uniques(&todo).into_iter();
    // Each unique text: the name it was parsed under here (None when preparsed), and the result.
    type Parsed<'n> = (Option<&'n str>, Result<Vec<Tree>, ParseError>);
    let parsed: Vec<Parsed<'_>> = uniques
        .iter()
        .map(|&(name, t)| match cached(t) {
            Some(trees) => (None, Ok(trees.clone())),
            None => (Some(name), fresh.next().unwrap_or_else(|| parse_one((name, t)))),
        })
        .collect();
    let mut out = Vec::with_capacity(files.len());
    for (&(name, text), &u) in files.iter().zip(&which) {
        let (parsed_as, result) = &parsed[u];
        let trees = match result {
            Ok(t) => t,
            // An error's message may name the file (`in action started at NAME:LINE`): parse
            // again under this file's name (errors are rare, and stop rendering).
            Err(e) if *parsed_as == Some(name) => return Err(e.clone()),
            Err(_) => {
                return Err(parse_one((name, text)).err().unwrap_or_else(|| ParseError {
                    name: name.to_string(),
                    line: 0,
                    message: "the template parsed once and failed once".into(),
                }));
            }
        };
        if *parsed_as == Some(name) {
            out.push(trees.clone());
        } else {
            out.push(trees.iter().enumerate().map(|(i, t)| t.renamed(name, i == 0)).collect());
        }
    }
    Ok(out)
}

fn parse_one((name, text): (&str, &str)) -> Result<Vec<Tree>, ParseError> {
    parse(name, text, &has_function)
}

fn parse_uniques(uniques: &[(&str, &str)]) -> Vec<Result<Vec<Tree>, ParseError>> {
    crate::par::map_weighted(
        uniques,
        |(_, t)| t.len(),
        PARALLEL_THRESHOLD,
        16 << 20,
        |&f| parse_one(f),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Workers that start waiting, items pushed one by one with pauses and in bursts: every
    /// distinct text is parsed by exactly one worker, and duplicates are queued once.
    #[test]
    fn queue_hands_every_text_to_one_worker() {
        let queue = ParseQueue::default();
        let texts: Vec<String> =
            (0..300).map(|i| format!("{{{{ .Values.v{} }}}}", i % 250)).collect();
        let parsed = std::thread::scope(|s| {
            let workers: Vec<_> = (0..3).map(|_| s.spawn(|| queue.work())).collect();
            for (i, t) in texts.iter().enumerate() {
                if i % 50 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                queue.push(&format!("templates/t{i}.yaml"), t.clone());
            }
            queue.close();
            workers.into_iter().map(|w| w.join().expect("worker")).collect::<Vec<_>>()
        });
        assert_eq!(parsed.iter().map(Preparsed::len).sum::<usize>(), 250);
        let mut all = Preparsed::default();
        for p in parsed {
            all.merge(p);
        }
        assert_eq!(all.len(), 250);
    }

    /// Long texts that differ only between the sampled words share a key; the map still tells
    /// them apart, and a text found is the one inserted.
    #[test]
    fn texts_with_one_key_stay_apart() {
        let base = "x".repeat(10_000);
        let mut other = base.clone().into_bytes();
        other[5_001] = b'y';
        let other = String::from_utf8(other).expect("ascii");
        assert_eq!(text_key(&base), text_key(&other), "the byte changed is not sampled");
        let mut map: TextMap<&str, u32> = TextMap::default();
        assert!(map.insert(&base, 1));
        assert!(map.insert(&other, 2));
        assert!(!map.insert(&other, 3));
        assert_eq!((map.get(&base), map.get(&other), map.len), (Some(&1), Some(&2), 2));
        assert_eq!(map.get(&"x".repeat(9_999)), None);

        let pre = Preparsed::parse(&[("a", &base), ("b", &other), ("c", &base)]);
        assert_eq!(pre.len(), 2);
    }
}
