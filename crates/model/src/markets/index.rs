//! The equity indices and the day's traded value: the cap-weighted AI index (the listed
//! AI firms) and old-economy index, what fundamentals would justify, and who traded.
//! Prices form in `markets::prices`, fundamentals in `markets::fundamentals`.

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
    /// Recent squared daily index returns over their long-run level (1 = normal): an
    /// EMA with `attention_halflife_ticks` over one with `attention_baseline_halflife_ticks`.
    pub attention: f64,
    /// EMA of squared daily index returns, recent (`attention_halflife_ticks`).
    pub recent_variance: f64,
    /// EMA of squared daily index returns, long-run (`attention_baseline_halflife_ticks`).
    pub normal_variance: f64,
}

impl AiIndex {
    /// Fall from the peak, 0 … 1.
    pub fn drawdown(&self) -> f64 {
        if self.peak > 0.0 { 1.0 - self.level / self.peak } else { 0.0 }
    }

    /// Log mispricing, ln(fundamental / level): positive when the index is cheap. Not
    /// clamped: demand that leans against mispricing grows with it.
    pub fn mispricing(&self) -> f64 {
        if self.level > 0.0 && self.fundamental_level > 0.0 {
            (self.fundamental_level / self.level).ln()
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

#[cfg(test)]
mod tests {
    use super::*;

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
