//! Equity markets: the AI and old-economy indices, retail investors (Lux–Marchesi, as a
//! block of target holdings), institutions' rebalancing, fundamental value from the
//! quarterly reports, daily price formation against the wider market, and listed
//! firms' dividends and buybacks.

pub mod fundamentals;
pub mod index;
pub mod payouts;
pub mod prices;
pub mod rebalancing;
pub mod retail;
