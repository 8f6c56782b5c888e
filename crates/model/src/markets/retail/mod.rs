//! Retail investors, after Lux & Marchesi (1999), as a block of target holdings
//! (docs/model.md#retail-investors). Each retail investor is a fundamentalist, an
//! optimistic chartist or a pessimistic chartist, and holds cash and units of the AI
//! basket (the listed AI firms, cap-weighted at the start).
//!
//! - [`switching`]: every day each investor may switch opinion or strategy. Chartists
//!   flip opinion with rates v1·(n_c/N)·e^{±U1}, where U1 weighs herding (the opinion
//!   index x = (n₊ − n₋)/n_c), the price trend and the narrative's hype; chartists and
//!   fundamentalists swap strategy with rates v2·(n/N)·e^{±U2}, where U2 compares a
//!   chartist's return (earnings yield plus trend) with the required return less a
//!   penalty for mispricing. Novices weigh herding and hype `novice_multiplier` times
//!   more and turn fundamentalist that many times less often; losses teach them, hype
//!   draws newcomers in.
//! - [`block`]: each strategy targets a share of wealth in the basket — optimists much,
//!   pessimists little, fundamentalists more the cheaper the basket against its
//!   fundamental value (no clamp on the mispricing) — and trades `rebalance_per_day` of
//!   the gap. The block's demand at any basket level is built from its cash and units
//!   by strategy, and `markets::prices` clears it against the wider market: the day's
//!   orders fill at the clearing level, so no top or bottom comes from cash or
//!   holdings running out, and prices depend on shares of the population and of
//!   wealth, not on the number of agents.
//! - [`day`]: the daily pass over the agents: settle yesterday's orders at
//!   yesterday's clearing level (T+1), switch, save income into cash on a month's
//!   first day, and tally the holdings for today's clearing. Amounts are whole cents
//!   and micro-units, so the tallies are integer sums that do not depend on the order
//!   agents are visited in — the pass runs in parallel and stays exact.

pub mod block;
pub mod day;
pub mod switching;

pub use block::{BlockDemand, BlockHoldings, RetailFlow, RetailInvestor, target_ai_share};
pub use day::{RetailDay, RetailTally, retail_sentiment, step_investor};
pub use switching::{Signals, Strategy, switch_probabilities};
