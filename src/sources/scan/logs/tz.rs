//! Local log timestamps to UTC.
//!
//! The client writes local wall-clock time without an offset, so a time in
//! the autumn fold happens twice and a time in the spring gap never
//! happens. Both are decided explicitly here:
//! - fold (`LocalResult::Ambiguous`): the earlier instant, the first pass
//!   through the hour;
//! - gap (`LocalResult::None`): the offset in force just before the gap, as
//!   a clock that had not yet jumped would have written it; if no offset can
//!   be found at all, the time is read as UTC.

use chrono::{
    DateTime, Duration, FixedOffset, Local, LocalResult, NaiveDateTime, Offset, TimeZone, Utc,
};

use super::LogTimeZone;

/// Converts with a one-entry cache: DST transitions fall on whole minutes,
/// so every time within one local minute has the same offset, and log
/// entries come many per minute.
#[derive(Debug)]
pub(crate) struct Converter {
    zone: LogTimeZone,
    cached_minute: i64,
    cached_offset: i32,
}

impl Converter {
    pub(crate) fn new(zone: LogTimeZone) -> Self {
        Converter {
            zone,
            cached_minute: i64::MIN,
            cached_offset: 0,
        }
    }

    pub(crate) fn utc(&mut self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let offset = match self.zone {
            LogTimeZone::Fixed(f) => f.local_minus_utc(),
            LogTimeZone::System => {
                let minute = local.and_utc().timestamp().div_euclid(60);
                if minute != self.cached_minute {
                    self.cached_offset = offset_for(&Local, local);
                    self.cached_minute = minute;
                }
                self.cached_offset
            }
        };
        local
            .checked_sub_signed(Duration::seconds(i64::from(offset)))
            .map(|n| n.and_utc())
    }
}

/// Seconds east of UTC in force at `local` in `tz`, with the fold and gap
/// rules above.
pub(crate) fn offset_for<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> i32 {
    match tz.offset_from_local_datetime(&local) {
        LocalResult::Single(o) => o.fix().local_minus_utc(),
        // chrono orders the pair earliest instant first: the larger offset.
        LocalResult::Ambiguous(earliest, _) => earliest.fix().local_minus_utc(),
        LocalResult::None => {
            // Real gaps are an hour or less (30 min in a few zones); look
            // back far enough to land before any of them.
            for back in [1, 2, 3] {
                if let Some(before) = local.checked_sub_signed(Duration::hours(back))
                    && let LocalResult::Single(o) = tz.offset_from_local_datetime(&before)
                {
                    return o.fix().local_minus_utc();
                }
            }
            0
        }
    }
}

/// A fixed offset helper for callers that parse `+02:00`.
pub fn parse_utc_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        // `+0100`: four ASCII digits (a multi-byte character there would
        // put the split inside it).
        None if rest.len() == 4 && rest.is_ascii() => rest.split_at(2),
        None => (rest, "0"),
    };
    if h.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_and_odd_ones_are_refused_not_panicked_on() {
        assert_eq!(parse_utc_offset("+0100"), FixedOffset::east_opt(3600));
        assert_eq!(parse_utc_offset("-05:30"), FixedOffset::east_opt(-19800));
        assert_eq!(parse_utc_offset("+0\u{1fc}0"), None);
        assert_eq!(parse_utc_offset("+\u{e9}\u{e9}"), None);
    }

    /// A zone with a spring gap and an autumn fold, like Europe/Berlin in
    /// 2026 (CET +1, CEST +2; 29 March 02:00 -> 03:00, 25 October 03:00 -> 02:00).
    #[derive(Clone, Copy, Debug)]
    struct Berlin;

    impl TimeZone for Berlin {
        type Offset = FixedOffset;
        fn from_offset(_: &FixedOffset) -> Self {
            Berlin
        }
        fn offset_from_local_date(&self, _: &chrono::NaiveDate) -> LocalResult<FixedOffset> {
            unimplemented!()
        }
        fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<FixedOffset> {
            let cet = FixedOffset::east_opt(3600).unwrap();
            let cest = FixedOffset::east_opt(7200).unwrap();
            let spring =
                NaiveDateTime::parse_from_str("2026-03-29 02:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
            let autumn =
                NaiveDateTime::parse_from_str("2026-10-25 02:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
            if *local < spring {
                LocalResult::Single(cet)
            } else if *local < spring + Duration::hours(1) {
                LocalResult::None
            } else if *local < autumn {
                LocalResult::Single(cest)
            } else if *local < autumn + Duration::hours(1) {
                LocalResult::Ambiguous(cest, cet)
            } else {
                LocalResult::Single(cet)
            }
        }
        fn offset_from_utc_date(&self, _: &chrono::NaiveDate) -> FixedOffset {
            unimplemented!()
        }
        fn offset_from_utc_datetime(&self, _: &NaiveDateTime) -> FixedOffset {
            unimplemented!()
        }
    }

    fn n(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn fold_takes_the_earlier_instant() {
        assert_eq!(offset_for(&Berlin, n("2026-10-25 02:30:00")), 7200);
        assert_eq!(offset_for(&Berlin, n("2026-10-25 03:30:00")), 3600);
    }

    #[test]
    fn gap_uses_the_offset_before_it() {
        assert_eq!(offset_for(&Berlin, n("2026-03-29 02:30:00")), 3600);
        assert_eq!(offset_for(&Berlin, n("2026-03-29 03:00:00")), 7200);
    }

    #[test]
    fn fixed_offset_converts() {
        let mut c = Converter::new(LogTimeZone::Fixed(FixedOffset::east_opt(2 * 3600).unwrap()));
        let utc = c.utc(n("2026-11-24 10:00:00")).unwrap();
        assert_eq!(utc.to_rfc3339(), "2026-11-24T08:00:00+00:00");
    }

    #[test]
    fn system_zone_never_panics_at_extremes() {
        let mut c = Converter::new(LogTimeZone::System);
        let _ = c.utc(NaiveDateTime::MIN);
        let _ = c.utc(NaiveDateTime::MAX);
        assert!(c.utc(n("2026-11-24 10:00:00")).is_some());
    }

    #[test]
    fn parses_offsets() {
        assert_eq!(parse_utc_offset("+02:00").unwrap().local_minus_utc(), 7200);
        assert_eq!(
            parse_utc_offset("-0530").unwrap().local_minus_utc(),
            -(5 * 3600 + 30 * 60)
        );
        assert_eq!(parse_utc_offset("Z").unwrap().local_minus_utc(), 0);
        assert_eq!(parse_utc_offset("+5").unwrap().local_minus_utc(), 5 * 3600);
        for bad in ["", "2", "+", "+24:00", "+02:60", "+0:0:0", "x"] {
            assert!(parse_utc_offset(bad).is_none(), "{bad}");
        }
    }
}
