//! [`Timestamp`]: one type for the epoch seconds and the ISO-8601 strings the server mixes.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, read from epoch seconds (integer or float, also inside a string) or from
/// an ISO-8601 string with or without an offset (without one it is taken as UTC).
///
/// Calls that filter by time take `impl Into<Timestamp>`: a `chrono::DateTime` in any zone,
/// a [`SystemTime`], or epoch seconds as an `i64`, so no `chrono` import is needed.
///
/// ```
/// use agentos_core::Timestamp;
/// let a: Timestamp = serde_json::from_str("1795888735").unwrap();
/// let b: Timestamp = serde_json::from_str("\"2026-11-28T17:58:55Z\"").unwrap();
/// let c: Timestamp = serde_json::from_str("\"2026-11-28T17:58:55.000000\"").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(b, c);
/// assert_eq!(a.unix_seconds(), 1795888735);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// From seconds since the Unix epoch.
    pub fn from_unix_seconds(secs: i64) -> Option<Self> {
        Utc.timestamp_opt(secs, 0).single().map(Timestamp)
    }

    /// The current time.
    pub fn now() -> Self {
        Timestamp(Utc::now())
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.0.timestamp()
    }

    /// The time as a `chrono` date-time.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Parses the formats the server uses.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(Timestamp(dt.with_timezone(&Utc)));
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
                return Some(Timestamp(n.and_utc()));
            }
        }
        if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z") {
            return Some(Timestamp(dt.with_timezone(&Utc)));
        }
        if let Ok(secs) = s.parse::<f64>() {
            return from_float(secs);
        }
        None
    }
}

fn from_float(secs: f64) -> Option<Timestamp> {
    if !secs.is_finite() {
        return None;
    }
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9).round().min(999_999_999.0) as u32;
    Utc.timestamp_opt(whole as i64, nanos)
        .single()
        .map(Timestamp)
}

/// Parses what [`Timestamp::parse`] accepts (RFC 3339, the server's ISO forms, epoch seconds),
/// e.g. from a command-line flag.
///
/// ```
/// use agentos_core::Timestamp;
/// let a: Timestamp = "1795903824".parse().unwrap();
/// let b: Timestamp = "2026-11-28T22:10:24Z".parse().unwrap();
/// assert_eq!(a, b);
/// assert!("yesterday".parse::<Timestamp>().is_err());
/// ```
impl std::str::FromStr for Timestamp {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s).ok_or_else(|| {
            crate::Error::InvalidRequest(format!(
                "{s:?} is not a time: give RFC 3339 (2026-01-31T12:00:00Z) or epoch seconds"
            ))
        })
    }
}

/// From a `chrono` date-time in any time zone (`Utc`, `Local`, `FixedOffset`).
impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp {
    fn from(dt: DateTime<Tz>) -> Self {
        Timestamp(dt.with_timezone(&Utc))
    }
}

/// From a [`SystemTime`], e.g. `SystemTime::now() - Duration::from_secs(3600)`, so filters
/// take times without `chrono`. A time beyond chrono's range (±262,000 years) is clamped to it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use agentos_core::Timestamp;
/// let t = Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_888_735));
/// assert_eq!(t, Timestamp::from(1_795_888_735));
/// ```
impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        let (secs, nanos) = match t.duration_since(UNIX_EPOCH) {
            Ok(after) => (
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(e) => {
                let before = e.duration();
                let secs = i64::try_from(before.as_secs()).map_or(i64::MIN, |s| -s);
                match before.subsec_nanos() {
                    0 => (secs, 0),
                    n => (secs.saturating_sub(1), 1_000_000_000 - n),
                }
            }
        };
        clamped(secs, nanos)
    }
}

/// From seconds since the Unix epoch, e.g. a stored `created_at`. A value beyond chrono's
/// range (±262,000 years) is clamped to it; [`Timestamp::from_unix_seconds`] refuses it
/// instead.
impl From<i64> for Timestamp {
    fn from(secs: i64) -> Self {
        clamped(secs, 0)
    }
}

fn clamped(secs: i64, nanos: u32) -> Timestamp {
    Timestamp(
        Utc.timestamp_opt(secs, nanos)
            .single()
            .unwrap_or(if secs < 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            }),
    )
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        t.0.into()
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds or an ISO-8601 date-time")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Timestamp::from_unix_seconds(v).ok_or_else(|| E::custom("timestamp out of range"))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
                let v = i64::try_from(v).map_err(|_| E::custom("timestamp out of range"))?;
                self.visit_i64(v)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
                from_float(v).ok_or_else(|| E::custom("timestamp out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).ok_or_else(|| E::custom(format!("not a date-time: {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_wire_formats_agree() {
        let want = Timestamp::from_unix_seconds(1_795_888_735).unwrap();
        for src in [
            "1795888735",
            "1795888735.0",
            "\"1795888735\"",
            "\"2026-11-28T17:58:55Z\"",
            "\"2026-11-28T17:58:55+00:00\"",
            "\"2026-11-28T18:58:55+01:00\"",
            "\"2026-11-28T17:58:55\"",
            "\"2026-11-28 17:58:55\"",
            "\"2026-11-28T17:58:55.000000\"",
        ] {
            let t: Timestamp = serde_json::from_str(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(t, want, "{src}");
        }
    }

    #[test]
    fn fractions_are_kept_and_garbage_refused() {
        let t: Timestamp = serde_json::from_str("\"2026-11-28T17:58:55.250Z\"").unwrap();
        assert_eq!(t.as_datetime().timestamp_subsec_millis(), 250);
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("true").is_err());
    }

    #[test]
    fn the_obvious_types_convert() {
        let want = Timestamp::from_unix_seconds(1_795_888_735).unwrap();
        assert_eq!(Timestamp::from(1_795_888_735i64), want);
        let sys = UNIX_EPOCH + std::time::Duration::from_secs(1_795_888_735);
        assert_eq!(Timestamp::from(sys), want);
        assert_eq!(SystemTime::from(want), sys);
        let paris = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            Timestamp::from(want.as_datetime().with_timezone(&paris)),
            want
        );
        // Before the epoch, with a fraction.
        let before = UNIX_EPOCH - std::time::Duration::from_millis(1500);
        let t = Timestamp::from(before);
        assert_eq!(t.unix_seconds(), -2);
        assert_eq!(t.as_datetime().timestamp_subsec_millis(), 500);
        // Out of range is clamped, not a panic.
        assert_eq!(
            Timestamp::from(i64::MAX).as_datetime(),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            Timestamp::from(i64::MIN).as_datetime(),
            DateTime::<Utc>::MIN_UTC
        );
    }

    #[test]
    fn serializes_as_iso() {
        let t = Timestamp::from_unix_seconds(0).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"1970-01-01T00:00:00Z\""
        );
    }
}
