//! The equity indices and the day's traded value: the cap-weighted AI index (the listed
//! AI firms) and old-economy index, what fundamentals would justify, and who traded.
//! Prices form in `markets::prices`.

use bevy_ecs::prelude::*;

/// The cap-weighted index of listed AI firms, 100 at the start.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct AiIndex {
    /// Today's index level.
    pub level: f64,
    /// The highest level so far.
    pub peak: f64,
    /// Index level the fundamentals would justify.
    pub fundamental_level: f64,
    /// Market cap per index point.
    pub divisor: f64,
    /// Today's log return of the index.
    pub log_return: f64,
    /// Exponential moving average of daily log returns.
    pub trend_per_tick: f64,
    /// Trailing earnings over market cap of the index's firms.
    pub earnings_yield: f64,
    /// The deepest peak-to-trough fall so far, 0 … 1.
    pub max_drawdown: f64,
    /// EMA of squared daily index returns over the sector variance (1 = normal).
    pub attention: f64,
}

impl AiIndex {
    /// Fall from the peak, 0 … 1.
    pub fn drawdown(&self) -> f64 {
        if self.peak > 0.0 { 1.0 - self.level / self.peak } else { 0.0 }
    }

    /// (fundamental − level)/level, clamped to [−1, 1].
    pub fn mispricing(&self) -> f64 {
        if self.level > 0.0 {
            ((self.fundamental_level - self.level) / self.level).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }

    /// Trading activity of unmodelled traders: (1 − w) + w × attention.
    pub fn activity(&self, attention_weight: f64) -> f64 {
        (1.0 - attention_weight) + attention_weight * self.attention
    }
}

/// The cap-weighted index of listed old-economy firms, 100 at the start.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct OldEconomyIndex {
    /// Today's index level.
    pub level: f64,
    /// The highest level so far.
    pub peak: f64,
    /// Market cap per index point.
    pub divisor: f64,
    /// Today's log return of the index.
    pub log_return: f64,
}

impl OldEconomyIndex {
    /// Fall from the peak, 0 … 1.
    pub fn drawdown(&self) -> f64 {
        if self.peak > 0.0 { 1.0 - self.level / self.peak } else { 0.0 }
    }
}

/// Today's traded value in the AI firms, by who traded.
#[derive(Resource, Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EquityVolume {
    /// Bought plus sold by retail investors, USD.
    pub retail_usd: f64,
    /// Bought plus sold by institutions rebalancing, USD.
    pub institutional_usd: f64,
    /// Sold in forced sales (margin calls and fire sales), USD.
    pub forced_usd: f64,
}

impl EquityVolume {
    /// Traded value of all three, USD.
    pub fn total_usd(&self) -> f64 {
        self.retail_usd + self.institutional_usd + self.forced_usd
    }

    /// Retail's share of the day's traded value (0 on a day without trades).
    pub fn retail_share(&self) -> f64 {
        let total = self.total_usd();
        if total > 0.0 { self.retail_usd / total } else { 0.0 }
    }
}

/// Fundamentalists' value of a firm: max(earnings × fair P/E, book × fair P/B), ≥ 0.
pub fn fundamental_value_usd(earnings_per_year_usd: f64, book_equity_usd: f64, fair_pe: f64, fair_pb: f64) -> f64 {
    (earnings_per_year_usd * fair_pe).max(book_equity_usd * fair_pb).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fundamental_value_takes_the_better_anchor() {
        assert_eq!(fundamental_value_usd(10.0, 50.0, 20.0, 1.0), 200.0);
        assert_eq!(fundamental_value_usd(-10.0, 50.0, 20.0, 1.0), 50.0);
        assert_eq!(fundamental_value_usd(-10.0, -50.0, 20.0, 1.0), 0.0);
    }

    #[test]
    fn retail_share_of_volume() {
        let volume = EquityVolume {
            retail_usd: 3.0,
            institutional_usd: 5.0,
            forced_usd: 2.0,
        };
        assert_eq!(volume.retail_share(), 0.3);
        assert_eq!(EquityVolume::default().retail_share(), 0.0);
    }
}
