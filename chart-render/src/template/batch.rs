//! Parsing many files at once: identical texts are parsed once (charts vendor the same library
//! in several subcharts), and large batches are split across threads.

use super::ParseError;
use super::ast::Tree;
use super::parse::parse;
use crate::funcs::registry;

/// Below this many bytes of unique text, threads cost more than they save.
const PARALLEL_THRESHOLD: usize = 64 * 1024;

/// Parses `(name, text)` files; returns each file's trees (its own tree first) in input order,
/// or the error of the first file (in input order) that does not parse.
pub(crate) fn parse_files(files: &[(&str, &str)]) -> Result<Vec<Vec<Tree>>, ParseError> {
    let mut index: crate::fxhash::FxHashMap<&str, usize> = Default::default();
    let mut uniques: Vec<(&str, &str)> = Vec::new();
    let mut which: Vec<usize> = Vec::with_capacity(files.len());
    for &(name, text) in files {
        let i = *index.entry(text).or_insert_with(|| {
            uniques.push((name, text));
            uniques.len() - 1
        });
        which.push(i);
    }
    let parsed = parse_uniques(&uniques);
    let mut out = Vec::with_capacity(files.len());
    for (&(name, _), &u) in files.iter().zip(&which) {
        let trees = match &parsed[u] {
            Ok(t) => t,
            Err(e) => {
                // The same text fails the same way under this file's name.
                let mut e = e.clone();
                e.name = name.to_string();
                return Err(e);
            }
        };
        if uniques[u].0 == name {
            out.push(trees.clone());
        } else {
            out.push(trees.iter().enumerate().map(|(i, t)| t.renamed(name, i == 0)).collect());
        }
    }
    Ok(out)
}

fn parse_one((name, text): (&str, &str)) -> Result<Vec<Tree>, ParseError> {
    parse(name, text, &|n| registry().get(n).is_some())
}

fn parse_uniques(uniques: &[(&str, &str)]) -> Vec<Result<Vec<Tree>, ParseError>> {
    let total: usize = uniques.iter().map(|(_, t)| t.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || total < PARALLEL_THRESHOLD {
        return uniques.iter().map(|&f| parse_one(f)).collect();
    }
    // Contiguous chunks of about equal text size, one per thread.
    let per = total.div_ceil(threads);
    let mut chunks: Vec<&[(&str, &str)]> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (_, t)) in uniques.iter().enumerate() {
        size += t.len();
        if size >= per {
            chunks.push(&uniques[start..=i]);
            start = i + 1;
            size = 0;
        }
    }
    if start < uniques.len() {
        chunks.push(&uniques[start..]);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                std::thread::Builder::new().stack_size(16 << 20).spawn_scoped(s, move || {
                    chunk.iter().map(|&f| parse_one(f)).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(uniques.len());
        for (chunk, h) in chunks.iter().zip(handles) {
            match h.map(|h| h.join()) {
                Ok(Ok(results)) => out.extend(results),
                // No thread (or a panicking one): parse this chunk here.
                _ => out.extend(chunk.iter().map(|&f| parse_one(f))),
            }
        }
        out
    })
}
