//! sprig's `getHostByName`.
//!
//! Helm renders with DNS lookups disabled unless `--enable-dns` is given, and then replaces
//! `getHostByName` with a function that returns `""`: that is what [`register`] installs.
//! [`register_dns`] installs sprig's real lookup for engines rendering with DNS enabled.

use std::net::{IpAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

use super::crypto::random_below;
use super::{Env, FnError, FnResult, Registry, Ty};
use crate::value::Val;

/// How long one lookup may take before it counts as finding nothing.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn register(r: &mut Registry) {
    r.add("getHostByName", &[Ty::Str], disabled_lookup);
}

/// Replaces `getHostByName` with sprig's DNS lookup (Helm's `--enable-dns`).
#[allow(dead_code)] // for the engine's `--enable-dns` option
pub(crate) fn register_dns(r: &mut Registry) {
    r.add("getHostByName", &[Ty::Str], dns_lookup);
}

/// Helm's stand-in when DNS is disabled.
fn disabled_lookup(_env: &mut Env<'_>, _args: Vec<Val>) -> FnResult {
    Ok(Val::str(""))
}

/// The distinct addresses of a host (Go's `net.LookupHost`), within [`LOOKUP_TIMEOUT`].
fn lookup_host(name: &str) -> Vec<IpAddr> {
    if let Ok(ip) = name.parse::<IpAddr>() {
        return vec![ip];
    }
    if name.is_empty() {
        return Vec::new();
    }
    let (tx, rx) = mpsc::channel();
    let host = name.to_string();
    // The system resolver cannot be cancelled, so it runs on its own thread and is abandoned
    // if it takes too long.
    let spawned = std::thread::Builder::new().name("getHostByName".into()).spawn(move || {
        let addrs: Vec<IpAddr> = match (host.as_str(), 0).to_socket_addrs() {
            Ok(it) => it.map(|a| a.ip()).collect(),
            Err(_) => Vec::new(),
        };
        let _ = tx.send(addrs);
    });
    if spawned.is_err() {
        return Vec::new();
    }
    let mut addrs = rx.recv_timeout(LOOKUP_TIMEOUT).unwrap_or_default();
    let mut seen = Vec::with_capacity(addrs.len());
    addrs.retain(|a| {
        let new = !seen.contains(a);
        seen.push(*a);
        new
    });
    addrs
}

/// sprig's `getHostByName`: one of the host's addresses, picked at random; Go panics when
/// there is none.
fn dns_lookup(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let name = args.first().and_then(Val::as_str).unwrap_or_default();
    let addrs = lookup_host(name);
    if addrs.is_empty() {
        return Err(FnError::new("invalid argument to Intn"));
    }
    let i = random_below(env.random, addrs.len() as u64) as usize;
    Ok(Val::str(addrs[i].to_string()))
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};

    fn call(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, name: &str) -> FnResult {
        let mut random = SeededRandom(5);
        let clock = FixedClock(UNIX_EPOCH);
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, vec![Val::str(name)])
    }

    #[test]
    fn helm_default_returns_nothing() {
        // helm template without --enable-dns: [] for every name.
        assert_eq!(call(disabled_lookup, "localhost").unwrap().as_str(), Some(""));
        assert_eq!(call(disabled_lookup, "nonexistent.invalid").unwrap().as_str(), Some(""));
    }

    #[test]
    fn dns_lookup_like_sprig() {
        // helm --enable-dns: IP literals come back as they are; no address panics in Intn.
        assert_eq!(call(dns_lookup, "127.0.0.1").unwrap().as_str(), Some("127.0.0.1"));
        assert_eq!(call(dns_lookup, "::1").unwrap().as_str(), Some("::1"));
        assert_eq!(call(dns_lookup, "").unwrap_err().message, "invalid argument to Intn");
        let local = call(dns_lookup, "localhost").unwrap();
        assert!(matches!(local.as_str(), Some("127.0.0.1" | "::1")), "{local:?}");
    }
}
