//! Kubernetes strategic merge patch: computing two- and three-way patches and applying them, with
//! the semantics of `k8s.io/apimachinery/pkg/util/strategicpatch` (merge keys, `$patch`,
//! `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`).

use chart_core::{Map, Value};

use crate::error::PatchError;
use crate::schema::{FieldMeta, Strategy, Ty, lookup};

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_PRIMITIVE: &str = "$deleteFromPrimitiveList";
const SET_ORDER: &str = "$setElementOrder";

#[derive(Debug, Clone, Copy, Default)]
struct DiffOpts {
    set_element_order: bool,
    ignore_changes_and_additions: bool,
    ignore_deletions: bool,
    build_retain_keys: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct MergeOpts {
    merge_parallel_list: bool,
    ignore_unmatched_nulls: bool,
}

/// The kind of a JSON value, as Go's `reflect.TypeOf` tells them apart after `json.Unmarshal`.
fn kind(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) | Value::Float(_) => 2,
        Value::String(_) => 3,
        Value::List(_) => 4,
        Value::Map(_) => 5,
    }
}

/// Go's `==` on two `interface{}` values holding JSON scalars (maps and lists never compare
/// equal here, where Go would panic).
fn scalar_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Float(_) | Value::Int(_), Value::Float(_) | Value::Int(_)) => num(a) == num(b),
        _ => false,
    }
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}

/// `fmt.Sprintf("%v", v)` for JSON scalars.
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => chart_core::gofmt::format_float_g(*f),
        Value::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

fn sort_scalars(list: &mut [Value]) {
    list.sort_by_cached_key(go_v);
}

/// `deduplicateScalars`: removes later duplicates by moving the last element into their place.
fn dedup_scalars(mut s: Vec<Value>) -> Vec<Value> {
    let mut length = s.len() as isize - 1;
    let mut i = 0isize;
    while i < length {
        let mut j = i + 1;
        while j <= length {
            if scalar_eq(&s[i as usize], &s[j as usize]) {
                s[j as usize] = s[length as usize].clone();
                s.truncate(length as usize);
                length -= 1;
                j -= 1;
            }
            j += 1;
        }
        i += 1;
    }
    s
}

fn key_of<'a>(item: &'a Value, merge_key: &str) -> Result<&'a Value, PatchError> {
    match item {
        Value::Map(m) => m.get(merge_key).ok_or_else(|| PatchError::MissingMergeKey {
            merge_key: merge_key.to_string(),
            item: short(item),
        }),
        other => Err(PatchError::NotAMap { item: short(other) }),
    }
}

/// A value as short JSON text for error messages.
pub(crate) fn short(v: &Value) -> String {
    let mut s = v.to_json(false).unwrap_or_default();
    if s.len() > 120 {
        let mut cut = 120;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("...");
    }
    s
}

/// Element kind of the lists: `Some(true)` for maps, `Some(false)` for scalars, `None` when all
/// are empty. Mixed kinds and lists of lists are errors.
fn element_kind(lists: &[&[Value]]) -> Result<Option<bool>, PatchError> {
    let mut prev: Option<u8> = None;
    for l in lists {
        for v in l.iter() {
            let k = kind(v);
            match prev {
                None => {
                    if k == 4 {
                        return Err(PatchError::ListOfLists);
                    }
                    prev = Some(k);
                }
                Some(p) if p != k => return Err(PatchError::MixedListTypes),
                _ => {}
            }
        }
    }
    Ok(prev.map(|k| k == 5))
}

// ---------------------------------------------------------------------------------------------
// Computing patches

fn diff_maps(original: &Map, modified: &Map, ty: Ty, o: DiffOpts) -> Result<Map, PatchError> {
    let mut patch = Map::new();
    let mut retain: Vec<Value> = Vec::new();
    for (key, mv) in modified {
        if o.build_retain_keys && !mv.is_null() {
            retain.push(Value::String(key.clone()));
        }
        let Some(ov) = original.get(key) else {
            if !o.ignore_changes_and_additions {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        };
        if key == DIRECTIVE {
            match (ov, mv) {
                (Value::String(a), Value::String(b)) => {
                    if a != b {
                        patch.insert(key.clone(), mv.clone());
                    }
                    continue;
                }
                _ => return Err(PatchError::BadDirective(DIRECTIVE.into())),
            }
        }
        if kind(ov) != kind(mv) {
            if !o.ignore_changes_and_additions {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        }
        match (ov, mv) {
            (Value::Map(om), Value::Map(mm)) => {
                let meta = lookup(ty, key);
                let mut sub = o;
                sub.build_retain_keys = meta.retain_keys;
                if meta.strategy == Strategy::Replace {
                    if !o.ignore_changes_and_additions {
                        patch.insert(key.clone(), mv.clone());
                    }
                } else {
                    let p = diff_maps(om, mm, meta.ty, sub)?;
                    if !p.is_empty() {
                        patch.insert(key.clone(), Value::Map(p));
                    }
                }
            }
            (Value::List(ol), Value::List(ml)) => {
                let meta = lookup(ty, key);
                if meta.strategy == Strategy::Merge {
                    let mut sub = o;
                    sub.build_retain_keys = meta.retain_keys;
                    let (add, del, order) = diff_lists(ol, ml, meta, sub)?;
                    if !add.is_empty() {
                        patch.insert(key.clone(), Value::List(add));
                    }
                    if !del.is_empty() {
                        patch.insert(format!("{DELETE_PRIMITIVE}/{key}"), Value::List(del));
                    }
                    if !order.is_empty() {
                        patch.insert(format!("{SET_ORDER}/{key}"), Value::List(order));
                    }
                } else if !o.ignore_changes_and_additions && ov != mv {
                    patch.insert(key.clone(), mv.clone());
                }
            }
            _ => {
                if !o.ignore_changes_and_additions && !scalar_eq(ov, mv) {
                    patch.insert(key.clone(), mv.clone());
                }
            }
        }
    }
    if !o.ignore_deletions {
        for key in original.keys() {
            if !modified.contains_key(key) {
                patch.insert(key.clone(), Value::Null);
            }
        }
    }
    let additional = original.iter().any(|(k, v)| !v.is_null() && !modified.contains_key(k));
    if !retain.is_empty() && (!patch.is_empty() || additional) {
        sort_scalars(&mut retain);
        patch.insert(RETAIN_KEYS.into(), Value::List(retain));
    }
    Ok(patch)
}

type ListDiff = (Vec<Value>, Vec<Value>, Vec<Value>);

fn diff_lists(
    original: &[Value],
    modified: &[Value],
    meta: FieldMeta,
    o: DiffOpts,
) -> Result<ListDiff, PatchError> {
    if original.is_empty() {
        if modified.is_empty() || o.ignore_changes_and_additions {
            return Ok((vec![], vec![], vec![]));
        }
        return Ok((modified.to_vec(), vec![], vec![]));
    }
    let merge_key = meta.merge_key.unwrap_or("");
    match element_kind(&[original, modified])? {
        Some(true) => {
            let (patch, deletions) = diff_lists_of_maps(original, modified, meta.ty, merge_key, o)?;
            let mut patch = normalize_slice_order(patch, modified, merge_key, true)?;
            let order_same = original.len() == modified.len()
                && original
                    .iter()
                    .zip(modified)
                    .map(|(a, b)| Ok(scalar_eq(key_of(a, merge_key)?, key_of(b, merge_key)?)))
                    .collect::<Result<Vec<bool>, PatchError>>()?
                    .into_iter()
                    .all(|x| x);
            patch.extend(deletions);
            let mut order = Vec::new();
            if o.set_element_order
                && ((!o.ignore_changes_and_additions && (!patch.is_empty() || !order_same))
                    || (!o.ignore_deletions && !patch.is_empty()))
            {
                for v in modified {
                    let mut m = Map::new();
                    m.insert(merge_key.to_string(), key_of(v, merge_key)?.clone());
                    order.push(Value::Map(m));
                }
            }
            Ok((patch, vec![], order))
        }
        _ => {
            let mut sorted_original = original.to_vec();
            sort_scalars(&mut sorted_original);
            let mut sorted_modified = modified.to_vec();
            sort_scalars(&mut sorted_modified);
            let (mut add, mut del) = (Vec::new(), Vec::new());
            let (mut i, mut j) = (0, 0);
            while i < sorted_original.len() || j < sorted_modified.len() {
                let a = sorted_original.get(i).map(go_v);
                let b = sorted_modified.get(j).map(go_v);
                match (a, b) {
                    (Some(a), Some(b)) if a == b => {
                        i += 1;
                        j += 1;
                    }
                    (Some(a), Some(b)) if a > b => {
                        if !o.ignore_changes_and_additions {
                            add.push(sorted_modified[j].clone());
                        }
                        j += 1;
                    }
                    (None, Some(_)) => {
                        if !o.ignore_changes_and_additions {
                            add.push(sorted_modified[j].clone());
                        }
                        j += 1;
                    }
                    _ => {
                        if !o.ignore_deletions {
                            del.push(sorted_original[i].clone());
                        }
                        i += 1;
                    }
                }
            }
            let del = dedup_scalars(del);
            let add = normalize_slice_order(add, modified, "", false)?;
            let mut order = Vec::new();
            if o.set_element_order
                && ((!o.ignore_deletions && !del.is_empty())
                    || (!o.ignore_changes_and_additions && sorted_original.as_slice() != modified))
            {
                order = modified.to_vec();
            }
            Ok((add, del, order))
        }
    }
}

fn diff_lists_of_maps(
    original: &[Value],
    modified: &[Value],
    ty: Ty,
    merge_key: &str,
    o: DiffOpts,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let os = sort_by_key_text(original, merge_key)?;
    let ms = sort_by_key_text(modified, merge_key)?;
    let (mut patch, mut deletions) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < os.len() || j < ms.len() {
        match (os.get(i), ms.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                let mut p = diff_maps(a.1, b.1, ty, o)?;
                if !p.is_empty() {
                    p.insert(merge_key.to_string(), b.2.clone());
                    patch.push(Value::Map(p));
                }
                i += 1;
                j += 1;
            }
            (None, Some(b)) => {
                if !o.ignore_changes_and_additions {
                    patch.push(Value::Map(b.1.clone()));
                }
                j += 1;
            }
            (Some(a), Some(b)) if a.0 > b.0 => {
                if !o.ignore_changes_and_additions {
                    patch.push(Value::Map(b.1.clone()));
                }
                j += 1;
            }
            (Some(a), _) => {
                if !o.ignore_deletions {
                    let mut d = Map::new();
                    d.insert(merge_key.to_string(), a.2.clone());
                    d.insert(DIRECTIVE.into(), Value::String("delete".into()));
                    deletions.push(Value::Map(d));
                }
                i += 1;
            }
            (None, None) => break,
        }
    }
    Ok((patch, deletions))
}

type Keyed<'a> = Vec<(String, &'a Map, Value)>;

/// Items of a list of maps with their merge-key values, sorted by the values' `%v` text.
fn sort_by_key_text<'a>(l: &'a [Value], merge_key: &str) -> Result<Keyed<'a>, PatchError> {
    let mut out = Vec::with_capacity(l.len());
    for v in l {
        let k = key_of(v, merge_key)?.clone();
        let Value::Map(m) = v else { return Err(PatchError::NotAMap { item: short(v) }) };
        out.push((go_v(&k), m, k));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// `index`: position of `v` in `list`, comparing merge-key values for maps.
fn index_of(list: &[Value], v: &Value, merge_key: &str, maps: bool) -> Option<usize> {
    let get = |x: &Value| -> Value {
        if maps { x.get(merge_key).cloned().unwrap_or(Value::Null) } else { x.clone() }
    };
    let want = get(v);
    list.iter().position(|x| scalar_eq(&get(x), &want))
}

/// `normalizeSliceOrder`: sorts `to_sort` by the positions of its items in `order`, moving
/// `$patch: delete` items to the end.
fn normalize_slice_order(
    to_sort: Vec<Value>,
    order: &[Value],
    merge_key: &str,
    maps: bool,
) -> Result<Vec<Value>, PatchError> {
    let (mut keep, mut delete) = (Vec::new(), Vec::new());
    if maps {
        for v in to_sort.iter().chain(order) {
            key_of(v, merge_key)?;
        }
        for v in to_sort {
            if v.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
                delete.push(v);
            } else {
                keep.push(v);
            }
        }
    } else {
        keep = to_sort;
    }
    // Go's insertion sort (sort.SliceStable on short slices) with its comparator, which calls an
    // item "less" whenever either position is unknown.
    let idx: Vec<Option<usize>> =
        keep.iter().map(|v| index_of(order, v, merge_key, maps)).collect();
    let mut items: Vec<(Option<usize>, Value)> = idx.into_iter().zip(keep).collect();
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 {
            let less = match (items[j].0, items[j - 1].0) {
                (Some(a), Some(b)) => a < b,
                _ => true,
            };
            if !less {
                break;
            }
            items.swap(j, j - 1);
            j -= 1;
        }
    }
    let mut out: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
    out.extend(delete);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Applying patches

fn merge_map(mut original: Map, mut patch: Map, ty: Ty, o: MergeOpts) -> Result<Map, PatchError> {
    if let Some(d) = patch.get(DIRECTIVE) {
        return match d.as_str() {
            Some("replace") => {
                patch.remove(DIRECTIVE);
                Ok(patch)
            }
            Some("delete") => Ok(Map::new()),
            _ => Err(PatchError::BadDirective(short(d))),
        };
    }
    apply_retain_keys(&mut original, &mut patch, o)?;
    merge_set_element_order(&mut original, &mut patch, ty, o)?;
    for (k, pv) in patch {
        let mut key = k;
        let mut is_delete_list = false;
        if let Some(rest) = key.strip_prefix(DELETE_PRIMITIVE) {
            if !o.merge_parallel_list {
                original.insert(key, pv);
                continue;
            }
            let Some(name) = rest.strip_prefix('/') else {
                return Err(PatchError::BadDirective(key));
            };
            key = name.to_string();
            is_delete_list = true;
        }
        if pv.is_null() {
            original.remove(&key);
            if o.ignore_unmatched_nulls {
                continue;
            }
        }
        let Some(ov) = original.remove(&key) else {
            original.insert(key, pv);
            continue;
        };
        if kind(&ov) != kind(&pv) {
            original.insert(key, pv);
            continue;
        }
        let meta = lookup(ty, &key);
        let merged = match (ov, pv) {
            (Value::Map(om), Value::Map(pm)) => {
                if meta.strategy == Strategy::Replace {
                    Value::Map(pm)
                } else {
                    Value::Map(merge_map(om, pm, meta.ty, o)?)
                }
            }
            (Value::List(ol), Value::List(pl)) => {
                if meta.strategy == Strategy::Merge {
                    Value::List(merge_slice(ol, pl, meta, o, is_delete_list)?.0)
                } else {
                    Value::List(pl)
                }
            }
            (_, pv) => pv,
        };
        original.insert(key, merged);
    }
    Ok(original)
}

fn apply_retain_keys(original: &mut Map, patch: &mut Map, o: MergeOpts) -> Result<(), PatchError> {
    let Some(rk) = patch.remove(RETAIN_KEYS) else { return Ok(()) };
    if !o.merge_parallel_list {
        match original.get(RETAIN_KEYS) {
            Some(existing) if existing != &rk => return Err(PatchError::RetainKeysMismatch),
            Some(_) => {}
            None => {
                original.insert(RETAIN_KEYS.into(), rk);
            }
        }
        return Ok(());
    }
    let Value::List(list) = rk else { return Err(PatchError::BadRetainKeys) };
    let keys: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
    for (k, v) in patch.iter() {
        if v.is_null() || k.starts_with(DELETE_PRIMITIVE) || k.starts_with(SET_ORDER) {
            continue;
        }
        if !keys.contains(&k.as_str()) {
            return Err(PatchError::BadRetainKeys);
        }
    }
    original.retain(|k, _| keys.contains(&k.as_str()));
    Ok(())
}

fn merge_set_element_order(
    original: &mut Map,
    patch: &mut Map,
    ty: Ty,
    o: MergeOpts,
) -> Result<(), PatchError> {
    let keys: Vec<String> = patch.keys().filter(|k| k.starts_with(SET_ORDER)).cloned().collect();
    for key in keys {
        let Some(order) = patch.remove(&key) else { continue };
        if !o.merge_parallel_list {
            match original.get(&key) {
                Some(existing) if existing != &order => return Err(PatchError::BadSetElementOrder),
                Some(_) => {}
                None => {
                    original.insert(key.clone(), order.clone());
                }
            }
        }
        let Value::List(order) = order else { return Err(PatchError::BadSetElementOrder) };
        let Some(field) = key.strip_prefix(SET_ORDER).and_then(|r| r.strip_prefix('/')) else {
            return Err(PatchError::BadSetElementOrder);
        };
        let field = field.to_string();
        let orig_list = match original.get(&field) {
            Some(Value::List(l)) => Some(l.clone()),
            Some(other) => return Err(PatchError::NotAList { item: short(other) }),
            None => None,
        };
        let patch_list = match patch.get(&field) {
            Some(Value::List(l)) => Some(l.clone()),
            Some(other) => return Err(PatchError::NotAList { item: short(other) }),
            None => None,
        };
        let meta = lookup(ty, &field);
        let merge_key = meta.merge_key.unwrap_or("");
        validate_with_set_order(patch_list.as_deref().unwrap_or(&[]), &order, merge_key)?;
        let mut server_order = orig_list.clone().unwrap_or_default();
        let merged = match (&orig_list, &patch_list) {
            (Some(ol), None) => ol.clone(),
            (None, Some(pl)) => pl.clone(),
            (Some(ol), Some(pl)) => {
                if meta.strategy == Strategy::Merge {
                    let (merged, view) = merge_slice(ol.clone(), pl.clone(), meta, o, false)?;
                    server_order = view;
                    merged
                } else {
                    pl.clone()
                }
            }
            (None, None) => continue,
        };
        let ol = orig_list.unwrap_or_default();
        let pl = patch_list.unwrap_or_default();
        let maps = element_kind(&[&ol, &pl])?.ok_or(PatchError::EmptyLists)?;
        let (patch_items, server_only) = partition(merged, &order, merge_key, maps)?;
        let both = normalize_element_order(
            patch_items,
            server_only,
            &order,
            &server_order,
            merge_key,
            maps,
        )?;
        original.insert(field.clone(), Value::List(both));
        patch.remove(&field);
    }
    Ok(())
}

fn validate_with_set_order(
    patch_list: &[Value],
    order: &[Value],
    merge_key: &str,
) -> Result<(), PatchError> {
    if order.is_empty() || patch_list.is_empty() {
        return Ok(());
    }
    let non_delete: Vec<&Value> = if merge_key.is_empty() {
        patch_list.iter().collect()
    } else {
        let mut v = Vec::new();
        for item in patch_list {
            let Value::Map(m) = item else { return Err(PatchError::NotAMap { item: short(item) }) };
            if m.get(DIRECTIVE).and_then(Value::as_str) != Some("delete") {
                v.push(item);
            }
        }
        v
    };
    let (mut pi, mut si) = (0, 0);
    while pi < non_delete.len() && si < order.len() {
        if non_delete[pi].get(DIRECTIVE).is_some() {
            pi += 1;
            continue;
        }
        let equal = if merge_key.is_empty() {
            scalar_eq(non_delete[pi], &order[si])
        } else {
            scalar_eq(key_of(non_delete[pi], merge_key)?, key_of(&order[si], merge_key)?)
        };
        if equal {
            pi += 1;
        }
        si += 1;
    }
    if pi < non_delete.len() && si >= order.len() {
        return Err(PatchError::BadSetElementOrder);
    }
    Ok(())
}

fn partition(
    merged: Vec<Value>,
    by: &[Value],
    merge_key: &str,
    maps: bool,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for v in merged {
        let found = if maps {
            let k = key_of(&v, merge_key)?;
            by.iter().any(
                |x| matches!(x, Value::Map(m) if m.get(merge_key).is_some_and(|y| scalar_eq(y, k))),
            )
        } else {
            by.iter().any(|x| scalar_eq(x, &v))
        };
        if found { inside.push(v) } else { outside.push(v) }
    }
    Ok((inside, outside))
}

fn normalize_element_order(
    patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: &str,
    maps: bool,
) -> Result<Vec<Value>, PatchError> {
    let patch = normalize_slice_order(patch, patch_order, merge_key, maps)?;
    let server_only = normalize_slice_order(server_only, server_order, merge_key, maps)?;
    // mergeSortedSlice: server-only items go in before the first patch item that comes after
    // them in the live order.
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(patch.len() + server_only.len());
    while i < server_only.len() || j < patch.len() {
        if i >= server_only.len() {
            out.push(patch[j].clone());
            j += 1;
        } else if j >= patch.len() {
            out.push(server_only[i].clone());
            i += 1;
        } else {
            let li = index_of(server_order, &server_only[i], merge_key, maps);
            let ri = index_of(server_order, &patch[j], merge_key, maps);
            if matches!((li, ri), (Some(a), Some(b)) if a < b) {
                out.push(server_only[i].clone());
                i += 1;
            } else {
                out.push(patch[j].clone());
                j += 1;
            }
        }
    }
    Ok(out)
}

/// The capacity Go's `encoding/json` gives a decoded array of `n` items (it appends one by
/// one: doubling up to 256, then growing by a quarter plus 192).
fn go_cap(n: usize) -> usize {
    if n <= 256 {
        return if n == 0 { 0 } else { n.next_power_of_two() };
    }
    let mut c = 256;
    while c < n {
        c += (c + 768) / 4;
    }
    c
}

/// `mergeSlice`. Returns the merged list and what the caller's original list holds afterwards:
/// Go deletes and appends in the original's backing array, and callers then order items by
/// that array, so the effect is reproduced here.
fn merge_slice(
    original: Vec<Value>,
    patch: Vec<Value>,
    meta: FieldMeta,
    o: MergeOpts,
    is_delete_list: bool,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    if original.is_empty() && patch.is_empty() {
        return Ok((original, Vec::new()));
    }
    let maps = element_kind(&[&original, &patch])? == Some(true);
    let merge_key = meta.merge_key.unwrap_or("");
    if !maps {
        if o.merge_parallel_list && is_delete_list {
            let kept = original
                .iter()
                .filter(|v| !patch.iter().any(|d| scalar_eq(d, v)))
                .cloned()
                .collect();
            return Ok((kept, original));
        }
        let mut both = original.clone();
        both.extend(patch.iter().cloned());
        let merged = dedup_scalars(both);
        let (patch_items, server_only) = partition(merged, &patch, merge_key, maps)?;
        let out =
            normalize_element_order(patch_items, server_only, &patch, &original, merge_key, maps)?;
        return Ok((out, original));
    }
    if merge_key.is_empty() {
        return Err(PatchError::NoMergeKey);
    }
    let orig_len = original.len();
    // The backing array Go works in, while the working slice still shares it.
    let mut backing = original;
    backing.resize(go_cap(orig_len), Value::Null);
    let mut len = orig_len;
    let mut plain = Vec::new();
    let mut replace = false;
    for v in patch {
        let Some(d) = v.get(DIRECTIVE) else {
            plain.push(v);
            continue;
        };
        match d.as_str() {
            Some("delete") => {
                let k = key_of(&v, merge_key)?.clone();
                loop {
                    let mut found = None;
                    for (i, x) in backing[..len].iter().enumerate() {
                        let Value::Map(m) = x else {
                            return Err(PatchError::NotAMap { item: short(x) });
                        };
                        if m.get(merge_key).is_some_and(|y| scalar_eq(y, &k)) {
                            found = Some(i);
                            break;
                        }
                    }
                    let Some(i) = found else { break };
                    // append(original[:i], original[i+1:]...)
                    for j in i..len - 1 {
                        backing[j] = backing[j + 1].clone();
                    }
                    len -= 1;
                }
            }
            Some("replace") => replace = true,
            Some("merge") => return Err(PatchError::MergeDirectiveInList),
            _ => return Err(PatchError::BadDirective(short(d))),
        }
    }
    let view_of = |b: &[Value]| b[..orig_len].to_vec();
    let (mut work, patch, mut shared): (Vec<Value>, Vec<Value>, bool) =
        if replace { (plain, Vec::new(), false) } else { (backing[..len].to_vec(), plain, true) };
    // `original` after special elements: the server order mergeSlice itself uses.
    let server_order = work.clone();
    for item in &patch {
        let k = key_of(item, merge_key)?;
        let mut found = None;
        for (idx, x) in work.iter().enumerate() {
            let Value::Map(m) = x else { return Err(PatchError::NotAMap { item: short(x) }) };
            if m.get(merge_key).is_some_and(|y| scalar_eq(y, k)) {
                found = Some(idx);
                break;
            }
        }
        match (found, item) {
            (Some(idx), Value::Map(pm)) => {
                let Value::Map(om) = std::mem::take(&mut work[idx]) else {
                    return Err(PatchError::NotAMap { item: short(item) });
                };
                work[idx] = Value::Map(merge_map(om, pm.clone(), meta.ty, o)?);
                if shared {
                    backing[idx] = work[idx].clone();
                }
            }
            _ => {
                if shared && work.len() < backing.len() {
                    backing[work.len()] = item.clone();
                } else {
                    shared = false;
                }
                work.push(item.clone());
            }
        }
    }
    let view = view_of(&backing);
    let (patch_items, server_only) = partition(work, &patch, merge_key, maps)?;
    let out =
        normalize_element_order(patch_items, server_only, &patch, &server_order, merge_key, maps)?;
    Ok((out, view))
}

// ---------------------------------------------------------------------------------------------
// Entry points

fn as_map(v: &Value, what: &'static str) -> Result<Map, PatchError> {
    match v {
        Value::Map(m) => Ok(m.clone()),
        Value::Null => Ok(Map::new()),
        _ => Err(PatchError::NotAnObject(what)),
    }
}

/// `CreateTwoWayMergePatch`.
pub(crate) fn two_way(original: &Value, modified: &Value, ty: Ty) -> Result<Value, PatchError> {
    let o = DiffOpts { set_element_order: true, ..DiffOpts::default() };
    Ok(Value::Map(diff_maps(
        &as_map(original, "original")?,
        &as_map(modified, "modified")?,
        ty,
        o,
    )?))
}

/// `CreateThreeWayMergePatch` with `overwrite` (no conflict check), as `kubectl apply` and Helm 3
/// call it.
pub(crate) fn three_way(
    original: &Value,
    modified: &Value,
    current: &Value,
    ty: Ty,
) -> Result<Value, PatchError> {
    let (original, modified, current) =
        (as_map(original, "original")?, as_map(modified, "modified")?, as_map(current, "current")?);
    let delta = diff_maps(
        &current,
        &modified,
        ty,
        DiffOpts { ignore_deletions: true, set_element_order: true, ..DiffOpts::default() },
    )?;
    let deletions = diff_maps(
        &original,
        &modified,
        ty,
        DiffOpts {
            set_element_order: true,
            ignore_changes_and_additions: true,
            ..DiffOpts::default()
        },
    )?;
    Ok(Value::Map(merge_map(deletions, delta, ty, MergeOpts::default())?))
}

/// `StrategicMergeMapPatch`.
pub(crate) fn apply(original: &Value, patch: &Value, ty: Ty) -> Result<Value, PatchError> {
    let o = MergeOpts { merge_parallel_list: true, ignore_unmatched_nulls: true };
    Ok(Value::Map(merge_map(as_map(original, "object")?, as_map(patch, "patch")?, ty, o)?))
}
