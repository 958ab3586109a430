//! Dates as editors write them: seven forms, with or without an offset.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A front-matter date, before the site's time zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// Written with an offset (`2023-05-10T09:00:00+10:00`).
    Fixed(DateTime<FixedOffset>),
    /// Written without one: in the site's time zone.
    Local(NaiveDateTime),
}

impl DateValue {
    /// The moment, placing offset-less dates in `tz`.
    pub fn resolve(self, tz: Tz) -> DateTime<FixedOffset> {
        match self {
            DateValue::Fixed(d) => d,
            DateValue::Local(naive) => {
                // In a DST gap the wall time does not exist; fall back to reading it as UTC
                // shifted by the zone's standard offset at that day.
                let local = tz
                    .from_local_datetime(&naive)
                    .earliest()
                    .unwrap_or_else(|| tz.from_utc_datetime(&naive));
                local.fixed_offset()
            }
        }
    }
}

const EXPECTED: &str = "expected YYYY-MM-DD, YYYY/MM/DD, YYYY-MM-DD HH:MM[:SS] [+HHMM] or RFC 3339";

/// Parse any of the accepted forms.
pub fn parse_date(text: &str) -> Result<DateValue, String> {
    let s = text.trim();
    // Jekyll sites write `2013-02-06 06:00:00 UTC` (or GMT, Z): an offset of 0.
    if let Some(utc) = [" UTC", " GMT", " Z"]
        .iter()
        .find_map(|zone| s.strip_suffix(zone))
        .filter(|rest| rest.contains(' '))
    {
        return parse_date(&format!("{} +0000", utc.trim_end()));
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(DateValue::Fixed(d));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, format) {
            return Ok(DateValue::Fixed(d));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(DateValue::Local(d));
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, format) {
            return Ok(DateValue::Local(d.and_time(Default::default())));
        }
    }
    Err(format!("invalid date \"{s}\", {EXPECTED}"))
}

/// `YYYY-MM-DD-rest` → (date, `rest`), for dated file and folder names.
pub fn split_dated_name(name: &str) -> Option<(DateValue, &str)> {
    let (date, rest) = (name.get(..10)?, name.get(10..)?);
    let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('_'))?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    (!rest.is_empty()).then(|| (DateValue::Local(date.and_time(Default::default())), rest))
}

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = DateValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                parse_date(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateValue, E> {
                Err(E::custom(format!("invalid date {v}, {EXPECTED}")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateValue, E> {
                Err(E::custom(format!("invalid date {v}, {EXPECTED}")))
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> String {
        parse_date(text)
            .unwrap()
            .resolve(Tz::Asia__Vladivostok)
            .to_rfc3339()
    }

    #[test]
    fn accepts_the_seven_forms() {
        assert_eq!(utc("2023-05-10"), "2023-05-10T00:00:00+10:00");
        assert_eq!(utc("2023/05/10"), "2023-05-10T00:00:00+10:00");
        assert_eq!(
            utc("2023-05-10T09:00:00+03:00"),
            "2023-05-10T09:00:00+03:00"
        );
        assert_eq!(utc("2023-05-10T09:00:00Z"), "2023-05-10T09:00:00+00:00");
        assert_eq!(utc("2023-05-10 09:00"), "2023-05-10T09:00:00+10:00");
        assert_eq!(utc("2023-05-10 09:00:30"), "2023-05-10T09:00:30+10:00");
        assert_eq!(utc("2023-05-10 09:00 +0300"), "2023-05-10T09:00:00+03:00");
        assert_eq!(
            utc("2023-05-10 09:00:00 +0300"),
            "2023-05-10T09:00:00+03:00"
        );
        assert_eq!(utc("2023-05-10T09:00"), "2023-05-10T09:00:00+10:00");
    }

    #[test]
    fn accepts_jekyll_zone_names_and_colon_offsets() {
        assert_eq!(utc("2013-02-06 06:00:00 UTC"), "2013-02-06T06:00:00+00:00");
        assert_eq!(utc("2013-02-06 06:00 GMT"), "2013-02-06T06:00:00+00:00");
        assert_eq!(
            utc("2013-02-06 06:00:00 +09:00"),
            "2013-02-06T06:00:00+09:00"
        );
        assert!(parse_date("UTC").is_err());
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in ["2023-13-01", "2023-02-30", "yesterday", "10.05.2023", ""] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn splits_dated_names() {
        let (_, rest) = split_dated_name("2023-05-10-visit-of-mayor").unwrap();
        assert_eq!(rest, "visit-of-mayor");
        assert!(split_dated_name("2023-05-10").is_none());
        assert!(split_dated_name("visit").is_none());
        assert!(split_dated_name("2023-99-10-x").is_none());
    }
}
