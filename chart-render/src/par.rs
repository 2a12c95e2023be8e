//! Order-preserving parallel maps for the few places where one render has enough independent
//! work to share between cores (parsing template files, reading rendered documents).

use std::sync::OnceLock;

/// How many threads to use: the available parallelism, at most 8, read once per process (the
/// standard library reads cgroup files each time it is asked).
pub(crate) fn threads() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
}

/// `items.iter().map(f).collect()`, computed on several threads when the items' total `weight`
/// reaches `threshold`: the items are cut into contiguous runs of about equal weight, the calling
/// thread maps the first run, and the results come back in input order. Worker threads get
/// `stack` bytes of stack; a run whose thread cannot start (or panics) is mapped here instead.
pub(crate) fn map_weighted<T, R, W, F>(
    items: &[T],
    weight: W,
    threshold: usize,
    stack: usize,
    f: F,
) -> Vec<R>
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> usize,
    F: Fn(&T) -> R + Sync,
{
    let total: usize = items.iter().map(&weight).sum();
    let threads = threads();
    if threads < 2 || total < threshold || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let per = total.div_ceil(threads);
    let mut runs: Vec<&[T]> = Vec::with_capacity(threads);
    let (mut start, mut size) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        size += weight(item);
        if size >= per {
            runs.push(&items[start..=i]);
            start = i + 1;
            size = 0;
        }
    }
    if start < items.len() {
        runs.push(&items[start..]);
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = runs[1..]
            .iter()
            .map(|run| {
                std::thread::Builder::new()
                    .stack_size(stack)
                    .spawn_scoped(s, move || run.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        let mut out: Vec<R> = runs[0].iter().map(f).collect();
        out.reserve(items.len() - out.len());
        for (run, h) in runs[1..].iter().zip(handles) {
            match h.map(|h| h.join()) {
                Ok(Ok(results)) => out.extend(results),
                _ => out.extend(run.iter().map(f)),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::map_weighted;

    #[test]
    fn keeps_order_above_and_below_the_threshold() {
        let items: Vec<usize> = (0..1000).collect();
        let want: Vec<usize> = items.iter().map(|i| i * 2).collect();
        assert_eq!(map_weighted(&items, |_| 1, 0, 1 << 20, |i| i * 2), want);
        assert_eq!(map_weighted(&items, |_| 1, usize::MAX, 1 << 20, |i| i * 2), want);
        assert_eq!(map_weighted(&items[..1], |_| 1, 0, 1 << 20, |i| i * 2), vec![0]);
        assert!(map_weighted(&items[..0], |_| 1, 0, 1 << 20, |i| i * 2).is_empty());
    }
}
