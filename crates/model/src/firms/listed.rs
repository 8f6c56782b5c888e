//! A listed firm's equity: shares, the market price and what the market makes of it.

use bevy_ecs::prelude::Component;

/// A listed firm's equity and its market price.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Listed {
    /// Shares outstanding.
    pub shares: f64,
    /// Share price, USD.
    pub price_usd: f64,
    /// Highest price so far (for drawdowns).
    pub peak_price_usd: f64,
    /// Fundamentalists' value per share: max(earnings × fair P/E, book × fair P/B).
    pub fundamental_usd_per_share: f64,
    /// Today's log return.
    pub log_return: f64,
    /// Retail investors' net purchases today, USD.
    pub retail_net_buy_usd: f64,
    /// Shares traded today (retail, institutions and forced sales), USD.
    pub volume_usd: f64,
    /// Whether the firm is in the AI index (the carmaker is not).
    pub in_ai_index: bool,
    /// Whether the fundamental value comes from reported earnings yet (before that it is
    /// the starting price, and a report is no surprise).
    pub fundamental_reported: bool,
    /// Log price move the latest earnings report makes at the next price formation.
    pub earnings_jump: f64,
}

impl Listed {
    /// A listed firm in the AI index, with `price_usd` also its starting peak and fundamental value.
    pub fn new(shares: f64, price_usd: f64) -> Self {
        Self {
            shares,
            price_usd,
            peak_price_usd: price_usd,
            fundamental_usd_per_share: price_usd,
            log_return: 0.0,
            retail_net_buy_usd: 0.0,
            volume_usd: 0.0,
            in_ai_index: true,
            fundamental_reported: false,
            earnings_jump: 0.0,
        }
    }

    /// A listed firm outside the AI index.
    pub fn old_economy(shares: f64, price_usd: f64) -> Self {
        Self {
            in_ai_index: false,
            ..Self::new(shares, price_usd)
        }
    }

    /// Market capitalisation: shares × price, USD.
    pub fn market_cap_usd(&self) -> f64 {
        self.shares * self.price_usd
    }

    /// Fall from the peak, 0 … 1.
    pub fn drawdown(&self) -> f64 {
        1.0 - self.price_usd / self.peak_price_usd
    }
}
