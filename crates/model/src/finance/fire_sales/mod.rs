//! Forced sales and their contagion (docs/model.md#forced-sales-and-contagion). Every trading day:
//! - insurers sell, in equal daily parts over `insurer_sale_window_days`, any security
//!   rated below their minimum (BBB);
//! - mutual funds meet redemptions on the first trading day of each month: the net flow
//!   is `mutual_fund_flow_per_excess_return` × (their return over the lookback − the
//!   benchmark's), as a share of NAV; an outflow beyond their cash is met by selling a
//!   slice of every holding;
//! - hedge funds whose leverage exceeds `hedge_fund_max_leverage` meet a margin call by
//!   repaying debt with cash and selling a slice of every holding until they are back at
//!   their target leverage (Thurner, Farmer & Geanakoplos 2012); a fund whose equity is
//!   gone is liquidated and its lenders take the rest.
//!
//! Sales of a security move its price at once: its log price falls by
//! `security_price_impact` × the share of the tranche sold, and every holder is marked
//! at the new price, which can push another hedge fund over its cap: the cascade runs in
//! rounds until no one must sell (Cont & Schaanning 2017). Forced sales of shares are
//! passed to the equity market, where they move today's prices. Fire-sale discounts
//! decay with `recovery_halflife_ticks` as buyers return.
//!
//! `orders` holds the sale orders and the arithmetic of a margin call, `constraints` the
//! day's sales that do not depend on prices moving (rating limits, redemptions),
//! `cascade` the rounds of margin calls and sales, and `day` the system that runs them.

pub mod cascade;
pub mod constraints;
pub mod day;
pub mod orders;
