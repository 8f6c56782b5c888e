//! A listed firm's equity: shares, the market price and what the market makes of it:
//! the fundamental value from its accounts, the wider market's view of that value, and
//! who holds the shares (`markets::prices` clears them each day).

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
    /// Fundamental value per share: max(forward normalised earnings × fair P/E, book ×
    /// fair P/B), the fair P/E rising with consensus growth and falling with rates.
    pub fundamental_usd_per_share: f64,
    /// The wider market's view of value per share: relaxes toward the fundamental value,
    /// takes the day's sector, market and idiosyncratic shocks.
    pub view_usd_per_share: f64,
    /// Shares the wider market would hold were the price equal to its view: at the start,
    /// what the retail block and the institutions do not hold; less the shares bought back.
    pub wider_normal_shares: f64,
    /// Shares the retail block holds per unit of its AI basket (0 outside the AI index).
    pub retail_shares_per_unit: f64,
    /// Share of the firm's revenue from AI (1 − core revenue / revenue): the part of its
    /// value that moves with AI sentiment.
    pub ai_value_share: f64,
    /// Consensus revenue growth per year: an average of trailing growth, bounded.
    pub consensus_growth: f64,
    /// Annualised trailing revenue at the last quarterly report, USD (0 before the first).
    pub revenue_at_report_usd: f64,
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
            view_usd_per_share: price_usd,
            wider_normal_shares: shares,
            retail_shares_per_unit: 0.0,
            ai_value_share: 1.0,
            consensus_growth: 0.0,
            revenue_at_report_usd: 0.0,
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
            ai_value_share: 0.0,
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
