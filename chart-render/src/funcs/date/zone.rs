//! Go's `*time.Location`: UTC, `Local`, IANA zones loaded from the system's zoneinfo files the way
//! Go's `time.LoadLocation` loads them (case-sensitive names, the same directories), and fixed
//! zones made while parsing.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Where Go looks for zoneinfo files on Unix (`platformZoneSources`).
const ZONE_SOURCES: &[&str] =
    &["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/"];

/// The rules of a location.
#[derive(Debug, Clone)]
enum Rules {
    /// No offset, abbreviation `UTC`.
    Utc,
    /// A TZif time zone.
    Tz(TimeZone),
    /// A fixed offset with the given abbreviation (Go's `FixedZone`).
    Fixed { abbrev: Rc<str>, offset: i32 },
}

/// A Go `*time.Location`.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    name: Rc<str>,
    rules: Rules,
}

/// What a location says about one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZoneInfo {
    /// The abbreviation (`MST`), possibly empty for unnamed fixed zones.
    pub abbrev: String,
    /// Seconds east of UTC.
    pub offset: i32,
    /// Whether daylight saving time is in effect.
    pub dst: bool,
}

impl Location {
    /// Go's `time.UTC`.
    pub fn utc() -> Location {
        Location { name: "UTC".into(), rules: Rules::Utc }
    }

    /// Go's `time.FixedZone(name, offset)`.
    pub fn fixed(name: &str, offset: i32) -> Location {
        Location { name: name.into(), rules: Rules::Fixed { abbrev: name.into(), offset } }
    }

    /// Go's `time.Local`, set up once per process from `$TZ` as Go's `initLocal` does.
    pub fn local() -> Location {
        static LOCAL: OnceLock<(String, Option<TimeZone>)> = OnceLock::new();
        let (name, tz) = LOCAL.get_or_init(init_local);
        Location {
            name: name.as_str().into(),
            rules: match tz {
                Some(tz) => Rules::Tz(tz.clone()),
                None => Rules::Utc,
            },
        }
    }

    /// Go's `time.LoadLocation`; `None` where Go returns an error.
    pub fn load(name: &str) -> Option<Location> {
        if name.is_empty() || name == "UTC" {
            return Some(Location::utc());
        }
        if name == "Local" {
            return Some(Location::local());
        }
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
            return None;
        }
        let tz = load_cached(name)?;
        Some(Location { name: name.into(), rules: Rules::Tz(tz) })
    }

    /// Go's `Location.String()`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone in effect at a Unix time (Go's `Location.lookup`).
    pub fn lookup(&self, unix: i64) -> ZoneInfo {
        match &self.rules {
            Rules::Utc => ZoneInfo { abbrev: "UTC".to_string(), offset: 0, dst: false },
            Rules::Fixed { abbrev, offset } => {
                ZoneInfo { abbrev: abbrev.to_string(), offset: *offset, dst: false }
            }
            Rules::Tz(tz) => {
                let ts = Timestamp::from_second(unix).unwrap_or(if unix < 0 {
                    Timestamp::MIN
                } else {
                    Timestamp::MAX
                });
                let info = tz.to_offset_info(ts);
                ZoneInfo {
                    abbrev: info.abbreviation().to_string(),
                    offset: info.offset().seconds(),
                    dst: info.dst().is_dst(),
                }
            }
        }
    }

    /// Go's `Location.lookupName`: the offset of a zone abbreviation used by this location near
    /// `unix` (first the zone in effect then, then any zone at that time under that name).
    pub fn lookup_name(&self, abbrev: &str, unix: i64) -> Option<i32> {
        match &self.rules {
            Rules::Utc => (abbrev == "UTC").then_some(0),
            Rules::Fixed { abbrev: a, offset } => (**a == *abbrev).then_some(*offset),
            Rules::Tz(tz) => {
                // Go walks the zone types of the TZif data; here they are the zones in effect
                // around `unix` and at every earlier transition.
                let mut zones: Vec<(String, i32)> = Vec::new();
                for probe in [unix, unix - 86400 * 183, unix + 86400 * 183] {
                    let z = self.lookup(probe);
                    zones.push((z.abbrev, z.offset));
                }
                let at = Timestamp::from_second(unix).unwrap_or(Timestamp::MAX);
                for t in tz.preceding(at).take(10_000) {
                    zones.push((t.abbreviation().to_string(), t.offset().seconds()));
                }
                // First a zone of that name that was in effect at the time it would give.
                for (name, offset) in &zones {
                    if name == abbrev {
                        let z = self.lookup(unix - i64::from(*offset));
                        if z.abbrev == abbrev {
                            return Some(z.offset);
                        }
                    }
                }
                zones.iter().find(|(name, _)| name == abbrev).map(|(_, offset)| *offset)
            }
        }
    }
}

fn read_tzif(path: &str) -> Option<Vec<u8>> {
    let data = std::fs::read(path).ok()?;
    data.starts_with(b"TZif").then_some(data)
}

/// Loads a zone by name from Go's zoneinfo directories (`loadLocation`).
fn load_from_sources(name: &str) -> Option<TimeZone> {
    ZONE_SOURCES.iter().find_map(|dir| {
        let data = read_tzif(&format!("{dir}{name}"))?;
        TimeZone::tzif(name, &data).ok()
    })
}

/// Zones already loaded (a template may name the same zone many times).
fn load_cached(name: &str) -> Option<TimeZone> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<TimeZone>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = cache.lock() {
        if let Some(hit) = map.get(name) {
            return hit.clone();
        }
    }
    let tz = load_from_sources(name);
    if let Ok(mut map) = cache.lock() {
        map.insert(name.to_string(), tz.clone());
    }
    tz
}

/// Go's `initLocal`: `$TZ` unset means `/etc/localtime` (named `Local`), empty means UTC,
/// otherwise a path or zone name; anything that fails to load is UTC.
fn init_local() -> (String, Option<TimeZone>) {
    let utc = ("UTC".to_string(), None);
    match std::env::var_os("TZ") {
        None => match read_tzif("/etc/localtime").and_then(|d| TimeZone::tzif("Local", &d).ok()) {
            Some(tz) => ("Local".to_string(), Some(tz)),
            None => utc,
        },
        Some(tz) => {
            let tz = tz.to_string_lossy().into_owned();
            let tz = tz.strip_prefix(':').unwrap_or(&tz).to_string();
            if tz.starts_with('/') {
                match read_tzif(&tz).and_then(|d| TimeZone::tzif(&tz, &d).ok()) {
                    Some(zone) => {
                        let name = if tz == "/etc/localtime" { "Local".to_string() } else { tz };
                        (name, Some(zone))
                    }
                    None => utc,
                }
            } else if !tz.is_empty() && tz != "UTC" {
                match load_from_sources(&tz) {
                    Some(zone) => (tz, Some(zone)),
                    None => utc,
                }
            } else {
                utc
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_location_names() {
        assert_eq!(Location::load("").unwrap().name(), "UTC");
        assert_eq!(Location::load("UTC").unwrap().lookup(0).abbrev, "UTC");
        assert_eq!(Location::load("Local").unwrap().name(), Location::local().name());
        assert!(Location::load("../etc/passwd").is_none());
        assert!(Location::load("/etc/localtime").is_none());
        assert!(Location::load("bogus/zone").is_none());
        let f = Location::fixed("", 7200);
        assert_eq!(f.lookup(0), ZoneInfo { abbrev: String::new(), offset: 7200, dst: false });
    }

    #[test]
    fn iana_zones_when_the_system_has_them() {
        // Go reads the system's zoneinfo; without it, Go (and this) fall back to UTC.
        if !std::path::Path::new("/usr/share/zoneinfo/America/New_York").exists() {
            return;
        }
        let ny = Location::load("America/New_York").unwrap();
        // helm: 1700000000 in America/New_York is 17:13 EST.
        assert_eq!(
            ny.lookup(1_700_000_000),
            ZoneInfo { abbrev: "EST".into(), offset: -18000, dst: false }
        );
        assert_eq!(ny.lookup(1_690_000_000).abbrev, "EDT");
        assert_eq!(ny.lookup_name("EDT", 1_700_000_000), Some(-14400));
        // Names are case-sensitive, as file names are (helm printed UTC for these).
        assert!(Location::load("america/new_york").is_none());
        assert_eq!(Location::load("Asia/Dubai").unwrap().lookup(1_700_000_000).abbrev, "+04");
    }
}
