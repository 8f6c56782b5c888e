//! The retail block: each investor's holdings, the strategies' targets, and the
//! block's demand for the AI basket at any level, which `markets::prices` clears.

use bevy_ecs::prelude::*;
use bubblesim_config::RetailConfig;

use crate::markets::retail::switching::{STRATEGIES, Strategy};

/// One retail investor.
#[derive(Component, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RetailInvestor {
    /// Its current strategy.
    pub strategy: Strategy,
    /// Whether it is a novice: it weighs herding and hype `retail.novice_multiplier` times more.
    pub novice: bool,
    /// Cash held, USD.
    pub cash_usd: f64,
    /// Units of the AI basket (one unit is worth the basket level).
    pub ai_units: f64,
    /// Today's settled purchase in USD (negative: a sale), paid to the wider market.
    pub traded_usd: f64,
}

/// The share of its wealth an investor of `strategy` wants in the AI basket when its
/// log mispricing, ln(fundamental / price), is `mispricing`: fixed for chartists; for
/// fundamentalists `fundamentalist_ai_share` × (fundamental / price)^elasticity, at
/// most 1 (no borrowing) — it grows with the mispricing without a clamp below that.
pub fn target_ai_share(config: &RetailConfig, strategy: Strategy, mispricing: f64) -> f64 {
    match strategy {
        Strategy::Optimist => config.optimist_ai_share,
        Strategy::Pessimist => config.pessimist_ai_share,
        Strategy::Fundamentalist => (config.fundamentalist_ai_share * (config.fundamentalist_value_elasticity * mispricing).exp()).min(1.0),
    }
}

/// The block's cash and basket units by strategy (optimist, pessimist, fundamentalist),
/// agents' USD: what its demand at any basket level is built from.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlockHoldings {
    /// Cash by strategy, USD.
    pub cash_usd: [f64; 3],
    /// Basket units by strategy.
    pub units: [f64; 3],
}

impl BlockHoldings {
    /// Units held by the whole block.
    pub fn units(&self) -> f64 {
        self.units.iter().sum()
    }
}

/// The block's demand for basket units: each strategy's units plus `rebalance_per_day`
/// of the gap to its target at the level, with fundamentalists' target set by the
/// basket's fundamental level against it.
#[derive(Debug, Clone, Copy)]
pub struct BlockDemand<'a> {
    /// The retail parameters (targets, elasticity, rebalancing speed).
    pub config: &'a RetailConfig,
    /// What the block holds this morning.
    pub holdings: BlockHoldings,
    /// The basket's fundamental level.
    pub fundamental_level: f64,
}

impl BlockDemand<'_> {
    /// Each strategy's target share of wealth at basket level `level`.
    pub fn targets(&self, level: f64) -> [f64; 3] {
        let mispricing = if self.fundamental_level > 0.0 && level > 0.0 {
            (self.fundamental_level / level).ln()
        } else {
            0.0
        };
        STRATEGIES.map(|strategy| target_ai_share(self.config, strategy, mispricing))
    }

    /// Units the block holds after today's orders fill at `level`; falls as the level rises.
    pub fn units(&self, level: f64) -> f64 {
        let rebalance = self.config.rebalance_per_day;
        let targets = self.targets(level);
        (0..3)
            .map(|s| {
                let (cash, units) = (self.holdings.cash_usd[s], self.holdings.units[s]);
                let target_units = targets[s] * (cash / level + units);
                units + rebalance * (target_units - units)
            })
            .sum()
    }
}

/// Today's retail population counts, settled trades, holdings and cleared orders.
/// Amounts are in the agents' dollars; × `usd_per_agent_usd` they are the block's real
/// dollars.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RetailFlow {
    /// Retail investor agents (`retail.count`).
    pub population: u64,
    /// Optimistic chartists today.
    pub optimists: u64,
    /// Pessimistic chartists today.
    pub pessimists: u64,
    /// Fundamentalists today.
    pub fundamentalists: u64,
    /// Net purchases by chartists settled today, agents' USD.
    pub chartist_net_usd: f64,
    /// Net purchases by fundamentalists settled today, agents' USD.
    pub fundamentalist_net_usd: f64,
    /// Purchases plus sales settled today, agents' USD.
    pub gross_usd: f64,
    /// Novices in the population.
    pub novices: u64,
    /// Cash and units by strategy this morning (after settlement and savings).
    pub holdings: BlockHoldings,
    /// Units the block holds once today's orders fill: what prices clear.
    pub cleared_units: f64,
    /// The basket level today's orders fill at (0 before the first clearing).
    pub cleared_level: f64,
    /// Each strategy's target share of wealth at that level; orders settle tomorrow.
    pub cleared_targets: [f64; 3],
    /// Units the block held at the start.
    pub units_at_start: f64,
    /// Real dollars per agents' dollar: the block's starting share of the AI firms
    /// (`retail.ownership_share` of their market cap) over the agents' starting holdings.
    pub usd_per_agent_usd: f64,
}

impl RetailFlow {
    /// Net purchases settled today, agents' USD.
    pub fn net_usd(&self) -> f64 {
        self.chartist_net_usd + self.fundamentalist_net_usd
    }

    /// Today's orders, agents' USD at the clearing level: what the block buys (negative: sells).
    pub fn ordered_usd(&self) -> f64 {
        (self.cleared_units - self.holdings.units()) * self.cleared_level
    }

    /// The block's share of the AI firms' shares: its starting `retail.ownership_share`
    /// × its units once today's orders fill over its units at the start (the basket's
    /// shares per unit are fixed at the start, so buybacks raise it a little).
    pub fn ownership_share(&self, ownership_at_start: f64) -> f64 {
        if self.units_at_start > 0.0 {
            ownership_at_start * self.cleared_units / self.units_at_start
        } else {
            0.0
        }
    }

    /// Share of the population that are novices.
    pub fn novice_share(&self) -> f64 {
        if self.population == 0 {
            0.0
        } else {
            self.novices as f64 / self.population as f64
        }
    }

    /// Chartists: optimists and pessimists together.
    pub fn chartists(&self) -> u64 {
        self.optimists + self.pessimists
    }

    /// (n₊ − n₋)/n_c, in [−1, 1].
    pub fn opinion_index(&self) -> f64 {
        if self.chartists() == 0 {
            0.0
        } else {
            (self.optimists as f64 - self.pessimists as f64) / self.chartists() as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fundamentalists_want_more_the_cheaper_the_basket_without_a_clamp() {
        let config = bubblesim_config::Config::baseline().retail;
        let fair = target_ai_share(&config, Strategy::Fundamentalist, 0.0);
        assert_eq!(fair, config.fundamentalist_ai_share);
        let cheap = target_ai_share(&config, Strategy::Fundamentalist, 0.3);
        let cheaper = target_ai_share(&config, Strategy::Fundamentalist, 0.6);
        assert!(cheaper > cheap && cheap > fair, "{fair} {cheap} {cheaper}");
        assert!(target_ai_share(&config, Strategy::Fundamentalist, -1.5) < target_ai_share(&config, Strategy::Fundamentalist, -1.0));
        assert_eq!(target_ai_share(&config, Strategy::Fundamentalist, 10.0), 1.0);
        assert!(target_ai_share(&config, Strategy::Optimist, -0.5) > target_ai_share(&config, Strategy::Pessimist, 0.5));
    }

    #[test]
    fn the_block_demands_fewer_units_the_higher_the_level() {
        let config = bubblesim_config::Config::baseline().retail;
        let demand = BlockDemand {
            config: &config,
            holdings: BlockHoldings {
                cash_usd: [8e5, 9e5, 8e5],
                units: [2e3, 1e3, 2e3],
            },
            fundamental_level: 100.0,
        };
        let levels = [50.0, 80.0, 100.0, 120.0, 200.0];
        let units: Vec<f64> = levels.iter().map(|&l| demand.units(l)).collect();
        assert!(units.windows(2).all(|w| w[1] < w[0]), "{units:?}");
        // More optimists (the pessimists' money in optimists' hands) demand more.
        let mut bullish = demand;
        bullish.holdings.cash_usd = [1.7e6, 0.0, 8e5];
        bullish.holdings.units = [3e3, 0.0, 2e3];
        assert!(bullish.units(100.0) > demand.units(100.0));
    }
}
