//! [`Timestamp`]: the modification time written into each entry (MS-DOS date and time, UTC).

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

/// An entry's modification time as ZIP stores it: a calendar date from 1980 to 2107 and a time of day
/// with two-second resolution, without a time zone.
///
/// [`ZipBuilder`](crate::ZipBuilder) stamps entries with [`Timestamp::now_utc`] unless given a fixed
/// time with [`ZipBuilder::fixed_time`](crate::ZipBuilder::fixed_time); a fixed time makes archives
/// byte-for-byte reproducible. (Python's `zipfile` uses local time; Strata uses UTC so that the same
/// input gives the same archive everywhere.)
///
/// # Examples
///
/// ```
/// use strata_zip::Timestamp;
///
/// let t = Timestamp::new(2024, 2, 29, 12, 30, 0)?;
/// assert_eq!(t.parts(), (2024, 2, 29, 12, 30, 0));
/// assert!(Timestamp::new(1979, 12, 31, 0, 0, 0).is_err()); // before the MS-DOS epoch
/// assert_eq!(Timestamp::DOS_EPOCH.parts(), (1980, 1, 1, 0, 0, 0));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp(zip::DateTime);

impl Timestamp {
    /// 1980-01-01 00:00:00, the earliest time ZIP can store (and what `zip` writes by default).
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::Timestamp;
    ///
    /// assert_eq!(Timestamp::DOS_EPOCH.parts(), (1980, 1, 1, 0, 0, 0));
    /// assert_eq!(Timestamp::new(1980, 1, 1, 0, 0, 0)?, Timestamp::DOS_EPOCH);
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const DOS_EPOCH: Timestamp = Timestamp(zip::DateTime::DEFAULT);

    /// The time `year-month-day hour:minute:second`; odd seconds round down (ZIP keeps even seconds).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when the date does not exist or lies outside 1980–2107.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use strata_zip::Timestamp;
    ///
    /// let t = Timestamp::new(2107, 12, 31, 23, 59, 58)?;
    /// assert_eq!(t.parts(), (2107, 12, 31, 23, 59, 58));
    ///
    /// let err = Timestamp::new(2023, 2, 29, 0, 0, 0).unwrap_err(); // not a leap year
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert!(err.to_string().contains("2023-02-29 00:00:00 is not a valid ZIP timestamp"));
    /// assert!(Timestamp::new(2108, 1, 1, 0, 0, 0).is_err());
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> io::Result<Timestamp> {
        zip::DateTime::from_date_and_time(year, month, day, hour, minute, second)
            .map(Timestamp)
            .map_err(|_| {
                let msg = format!(
                    "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} is not a \
                     valid ZIP timestamp (1980-01-01 to 2107-12-31)"
                );
                strata_raw::Error::InvalidArgument(msg.into()).into()
            })
    }

    /// The current time in UTC, or [`Timestamp::DOS_EPOCH`] when the clock is outside ZIP's range.
    ///
    /// # Examples
    ///
    /// ```
    /// let (year, ..) = strata_zip::Timestamp::now_utc().parts();
    /// assert!(year >= 2024);
    /// ```
    pub fn now_utc() -> Timestamp {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Timestamp::from_unix(secs)
    }

    /// The time `secs` seconds after 1970-01-01 00:00:00 UTC, or the epoch when out of range.
    fn from_unix(secs: u64) -> Timestamp {
        let (days, rem) = (secs / 86_400, secs % 86_400);
        let (year, month, day) = civil_from_days(days);
        // `rem` < 86400, so hour < 24 and minute, second < 60: the casts cannot truncate.
        let (hour, minute, second) = ((rem / 3600) as u8, (rem / 60 % 60) as u8, (rem % 60) as u8);
        u16::try_from(year)
            .ok()
            .and_then(|year| Timestamp::new(year, month, day, hour, minute, second).ok())
            .unwrap_or(Timestamp::DOS_EPOCH)
    }

    /// `(year, month, day, hour, minute, second)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use strata_zip::Timestamp;
    ///
    /// let t = Timestamp::new(2024, 6, 1, 8, 30, 10)?;
    /// let (year, month, day, hour, minute, second) = t.parts();
    /// assert_eq!((year, month, day), (2024, 6, 1));
    /// assert_eq!((hour, minute, second), (8, 30, 10));
    /// Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parts(&self) -> (u16, u8, u8, u8, u8, u8) {
        let t = &self.0;
        (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        )
    }

    /// The `zip` crate's form of this time.
    pub(crate) fn to_zip(self) -> zip::DateTime {
        self.0
    }

    /// Wraps a time read from an archive.
    pub(crate) fn from_zip(t: zip::DateTime) -> Timestamp {
        Timestamp(t)
    }
}

/// The proleptic Gregorian `(year, month, day)` of day number `days` since 1970-01-01
/// (Howard Hinnant's `civil_from_days`, restricted to non-negative day numbers).
fn civil_from_days(days: u64) -> (u64, u8, u8) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // day is in 1..=31 and month in 1..=12: the casts cannot truncate.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + u64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::{Timestamp, civil_from_days};

    #[test]
    fn civil_dates_match_python_datetime() {
        // Expected values printed by `datetime.date(1970, 1, 1) + datetime.timedelta(days=d)`.
        let cases = [
            (0, (1970, 1, 1)),
            (3652, (1980, 1, 1)),
            (10_957, (2000, 1, 1)),
            (11_016, (2000, 2, 29)),
            (19_000, (2022, 1, 8)),
            (20_415, (2025, 11, 23)),
            (47_482, (2100, 1, 1)),
        ];
        for (days, want) in cases {
            assert_eq!(civil_from_days(days), want, "day {days}");
        }
    }

    #[test]
    fn unix_times_outside_zip_range_fall_back_to_the_epoch() {
        assert_eq!(Timestamp::from_unix(0), Timestamp::DOS_EPOCH);
        assert_eq!(Timestamp::from_unix(u64::MAX), Timestamp::DOS_EPOCH);
        assert_eq!(
            Timestamp::from_unix(951_827_405).parts(),
            (2000, 2, 29, 12, 30, 4)
        );
    }
}
