//! The trading calendar: one tick is one NYSE trading day (weekdays less the exchange's
//! regular holidays, ≈ 252 a year). Monthly systems run on the first trading day of each
//! calendar month, quarterly ones on the first trading day of January, April, July and
//! October. Dates are days since 1970-01-01, as Arrow's Date32 stores them.

use bevy_ecs::prelude::Resource;

/// Days since 1970-01-01 of a civil date (Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month as i32 + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date (year, month, day) of a day number.
pub fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

/// 0 = Monday … 6 = Sunday.
fn weekday(days: i32) -> i32 {
    (days + 3).rem_euclid(7)
}

/// The `n`th (1-based) `weekday` of a month; `n = 5` means the last one.
fn nth_weekday(year: i32, month: u32, target: i32, n: i32) -> i32 {
    if n == 5 {
        let next_first = if month == 12 {
            days_from_civil(year + 1, 1, 1)
        } else {
            days_from_civil(year, month + 1, 1)
        };
        let last = next_first - 1;
        return last - (weekday(last) - target).rem_euclid(7);
    }
    let first = days_from_civil(year, month, 1);
    first + (target - weekday(first)).rem_euclid(7) + 7 * (n - 1)
}

/// A fixed-date holiday observed on Friday when it falls on Saturday, Monday on Sunday.
fn observed(days: i32) -> i32 {
    match weekday(days) {
        5 => days - 1,
        6 => days + 1,
        _ => days,
    }
}

/// Easter Sunday (anonymous Gregorian algorithm).
fn easter(year: i32) -> i32 {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    days_from_civil(year, month as u32, day as u32)
}

/// Whether the NYSE is open on that day (regular holidays; no one-off closures).
pub fn is_trading_day(days: i32) -> bool {
    if weekday(days) >= 5 {
        return false;
    }
    let (year, _, _) = civil_from_days(days);
    let mut holidays = vec![
        observed(days_from_civil(year, 1, 1)),
        nth_weekday(year, 1, 0, 3), // Martin Luther King Jr. Day
        nth_weekday(year, 2, 0, 3), // Washington's Birthday
        easter(year) - 2,           // Good Friday
        nth_weekday(year, 5, 0, 5), // Memorial Day
        observed(days_from_civil(year, 7, 4)),
        nth_weekday(year, 9, 0, 1),  // Labor Day
        nth_weekday(year, 11, 3, 4), // Thanksgiving
        observed(days_from_civil(year, 12, 25)),
    ];
    if year >= 2022 {
        holidays.push(observed(days_from_civil(year, 6, 19))); // Juneteenth
    }
    !holidays.contains(&days)
}

/// The first trading day on or after `days`.
pub fn next_trading_day(mut days: i32) -> i32 {
    while !is_trading_day(days) {
        days += 1;
    }
    days
}

/// The simulation clock: the current tick, its date and which cadences fire today.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Clock {
    /// Ticks elapsed since the start (0 on the first trading day).
    pub tick: u32,
    /// Today, in days since 1970-01-01.
    pub date: i32,
    /// The first simulated day.
    pub start_date: i32,
    /// Calendar months since the start month (0 during the first month).
    pub month: u32,
    /// True on the first trading day of a calendar month (and on tick 0).
    pub month_start: bool,
    /// True on the first trading day of a calendar quarter (and on tick 0).
    pub quarter_start: bool,
    /// The last tick the run simulates (inclusive).
    pub last_tick: u32,
}

impl Clock {
    /// A clock on the first trading day on or after `start_date`, running `years`.
    pub fn new(start_date: i32, years: f64) -> Self {
        let first = next_trading_day(start_date);
        let end = first + (years * 365.2425).round() as i32;
        let mut ticks = 0u32;
        let mut day = first;
        loop {
            day = next_trading_day(day + 1);
            if day >= end {
                break;
            }
            ticks += 1;
        }
        Self {
            tick: 0,
            date: first,
            start_date: first,
            month: 0,
            month_start: true,
            quarter_start: true,
            last_tick: ticks,
        }
    }

    /// Number of ticks in the run.
    pub fn horizon_ticks(&self) -> u32 {
        self.last_tick + 1
    }

    /// Years since the start, on the calendar.
    pub fn years_elapsed(&self) -> f64 {
        f64::from(self.date - self.start_date) / 365.2425
    }

    /// Moves to the next trading day and updates the cadence flags.
    pub fn advance(&mut self) {
        let (_, old_month, _) = civil_from_days(self.date);
        self.tick += 1;
        self.date = next_trading_day(self.date + 1);
        let (_, new_month, _) = civil_from_days(self.date);
        self.month_start = new_month != old_month;
        self.quarter_start = self.month_start && (new_month - 1) % 3 == 0;
        if self.month_start {
            self.month += 1;
        }
    }
}

/// Run condition: the first trading day of a month.
pub fn month_start(clock: bevy_ecs::prelude::Res<Clock>) -> bool {
    clock.month_start
}

/// Run condition: the first trading day of a quarter.
pub fn quarter_start(clock: bevy_ecs::prelude::Res<Clock>) -> bool {
    clock.quarter_start
}

/// The first day of the month `months` after the start month.
pub fn month_date(start_date: i32, months: i32) -> i32 {
    let (year, month, _) = civil_from_days(start_date);
    let index = year * 12 + month as i32 - 1 + months;
    days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
}

/// A date as `YYYY-MM-DD`.
pub fn iso_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2025, 1, 2), 20_090);
        for days in -1000..40_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn about_252_trading_days_a_year() {
        for year in 2023..2035 {
            let count = (days_from_civil(year, 1, 1)..days_from_civil(year + 1, 1, 1))
                .filter(|&d| is_trading_day(d))
                .count();
            assert!((250..=253).contains(&count), "{year}: {count}");
        }
        // Known 2025 closures: New Year, Good Friday (18 Apr), Thanksgiving (27 Nov).
        assert!(!is_trading_day(days_from_civil(2025, 4, 18)));
        assert!(!is_trading_day(days_from_civil(2025, 11, 27)));
        assert!(is_trading_day(days_from_civil(2025, 1, 2)));
    }

    #[test]
    fn month_and_quarter_flags() {
        let mut clock = Clock::new(days_from_civil(2025, 1, 1), 1.0);
        assert_eq!(clock.date, days_from_civil(2025, 1, 2));
        let (mut months, mut quarters) = (1, 1);
        while clock.tick < clock.last_tick {
            clock.advance();
            months += u32::from(clock.month_start);
            quarters += u32::from(clock.quarter_start);
        }
        assert_eq!((months, quarters), (12, 4));
        assert!((249..=252).contains(&clock.horizon_ticks()));
    }
}
