//! Dates with the precision the author gave: a year, a month or a day.
//!
//! Used by front matter (`date`, `updated`, `last_verified`) and by `date` fields of
//! collections. No time zones: content dates are calendar dates.

use std::cmp::Ordering;
use std::fmt;

/// A calendar date; `month` and `day` are 0 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an RFC 3339 datetime (its date part).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let date_part = s.split(['T', ' ']).next().unwrap_or(s);
        let mut parts = date_part.split('-');
        let year_s = parts.next()?;
        if year_s.len() != 4 || !year_s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_s.parse().ok()?;
        let mut two = |max: u8| -> Option<Option<u8>> {
            match parts.next() {
                None => Some(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    let v: u8 = p.parse().ok()?;
                    (1..=max).contains(&v).then_some(Some(v))
                }
                Some(_) => None,
            }
        };
        let month = two(12)?;
        let day = if month.is_some() { two(31)? } else { None };
        if parts.next().is_some() {
            return None;
        }
        let d = Date {
            year,
            month: month.unwrap_or(0),
            day: day.unwrap_or(0),
        };
        if d.day > days_in_month(d.year, d.month) {
            return None;
        }
        Some(d)
    }

    /// Days since 1970-01-01 of the first day the date covers.
    pub fn days_since_epoch(&self) -> i64 {
        days_from_civil(self.year, self.month.max(1), self.day.max(1))
    }

    /// A fractional year for chart axes (mid-period for partial dates).
    pub fn as_year_fraction(&self) -> f64 {
        let start = days_from_civil(self.year, 1, 1) as f64;
        let end = days_from_civil(self.year + 1, 1, 1) as f64;
        let day = match (self.month, self.day) {
            (0, _) => start + (end - start) / 2.0,
            (m, 0) => days_from_civil(self.year, m, 15) as f64,
            (m, d) => days_from_civil(self.year, m, d) as f64,
        };
        self.year as f64 + (day - start) / (end - start)
    }

    /// `2024-04-18T00:00:00Z`, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.max(1),
            self.day.max(1)
        )
    }

    /// From a count of days since 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let (y, m, d) = civil_from_days(days);
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    /// Human reading: `18 April 2024`, `April 2024` or `2024`.
    pub fn human(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match (self.month, self.day) {
            (0, _) => self.year.to_string(),
            (m, 0) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            (m, d) => format!("{} {} {}", d, MONTHS[m as usize - 1], self.year),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (0, _) => write!(f, "{:04}", self.year),
            (m, 0) => write!(f, "{:04}-{:02}", self.year, m),
            (m, d) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
        }
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.year, self.month, self.day).cmp(&(other.year, other.month, other.day))
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        0 => 0,
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's algorithm: days since 1970-01-01.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Today, from `SOURCE_DATE_EPOCH` when set (reproducible builds), else the system clock.
/// Used only for warnings (stale fact sheets), never written into output.
pub fn today() -> Date {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    Date::from_days(secs.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision_and_rejects_nonsense() {
        assert_eq!(
            Date::parse("2024"),
            Some(Date {
                year: 2024,
                month: 0,
                day: 0
            })
        );
        assert_eq!(
            Date::parse("2024-04"),
            Some(Date {
                year: 2024,
                month: 4,
                day: 0
            })
        );
        assert_eq!(
            Date::parse("2024-04-18").map(|d| d.to_string()).as_deref(),
            Some("2024-04-18")
        );
        assert_eq!(Date::parse("2024-04-18T10:00:00Z").map(|d| d.day), Some(18));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("24-04-18"), None);
        assert_eq!(Date::parse("2024-13"), None);
        assert_eq!(Date::parse("April 2024"), None);
    }

    #[test]
    fn days_round_trip() {
        let d = Date::parse("2024-02-29").expect("valid");
        assert_eq!(Date::from_days(d.days_since_epoch()), d);
        assert_eq!(
            Date::parse("1970-01-01").map(|d| d.days_since_epoch()),
            Some(0)
        );
    }

    #[test]
    fn partial_dates_sort_before_full_ones_in_the_same_period() {
        let a = Date::parse("2024-04").expect("valid");
        let b = Date::parse("2024-04-01").expect("valid");
        assert!(a < b);
    }
}
