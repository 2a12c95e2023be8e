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
    crate::par::map_weighted(
        uniques,
        |(_, t)| t.len(),
        PARALLEL_THRESHOLD,
        16 << 20,
        |&f| parse_one(f),
    )
}
