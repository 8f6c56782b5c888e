//! Equity markets: the AI and old-economy indices, retail investors (Lux–Marchesi),
//! institutions' rebalancing, and daily price formation with quarterly earnings.

pub mod index;
pub mod prices;
pub mod rebalancing;
pub mod retail;
