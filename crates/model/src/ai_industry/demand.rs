//! End-user demand for AI: consumer and enterprise query volumes (enterprise volume also
//! follows how many adopters stay, see `adoption`), the prices users pay, and the
//! compute each query needs (docs/model.md#demand).
//!
//! - Usage grows at a rate that halves every `growth_halflife_years` (adoption
//!   saturates), with monthly log-normal shocks.
//! - Prices follow compute cost: a markup on a unit cost of which compute is
//!   `compute_share_of_price`, so cheaper GPU-hours (new generations, a glut) and more
//!   efficient models lower the price; competition drifts it further.
//! - Volume answers the price with `price_elasticity`: above 1 cheaper AI raises
//!   spending (the Jevons effect), so a falling rent raises compute demanded rather than
//!   simply shrinking the dollars spent on it.
//! - End-user revenue saturates at `ceiling_share_of_gdp` of trend GDP, which bounds
//!   success.

use bevy_ecs::prelude::*;
use bubblesim_config::DemandConfig;
use rand_distr::{Distribution, StandardNormal};

use crate::common::calendar::Clock;
use crate::common::math::normal_cdf;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, stream};

/// One end-user segment.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Segment {
    /// Usage intensity: thousand queries per month at the starting price, before
    /// adoption, the price response and the ceiling are applied.
    pub kqueries_per_month: f64,
    /// Price users pay, USD per thousand queries.
    pub price_usd_per_kquery: f64,
    /// The price at the start, USD per thousand queries (the price response's base).
    pub starting_price_usd_per_kquery: f64,
    /// Volume against usage from the price: (price / starting price)^−elasticity.
    pub price_response: f64,
    /// Median compute per thousand queries, H100-equivalent hours.
    pub gpu_hours_per_kquery: f64,
    /// Yearly volume growth at the start (before saturation).
    pub initial_growth_per_year: f64,
    /// Adopters' usage against the start (enterprises: see `adoption`; consumers: 1).
    pub adoption: f64,
    /// Share of the unbounded volume the revenue ceiling lets through, 0 … 1.
    pub ceiling_factor: f64,
}

impl Segment {
    fn new(kqueries_per_month: f64, price_usd_per_kquery: f64, gpu_hours_per_kquery: f64, initial_growth_per_year: f64) -> Self {
        Self {
            kqueries_per_month,
            price_usd_per_kquery,
            starting_price_usd_per_kquery: price_usd_per_kquery,
            price_response: 1.0,
            gpu_hours_per_kquery,
            initial_growth_per_year,
            adoption: 1.0,
            ceiling_factor: 1.0,
        }
    }

    /// Queries per month at the price response, before the ceiling: usage × adoption ×
    /// price response.
    fn unbounded_kqueries_per_month(&self) -> f64 {
        self.kqueries_per_month * self.adoption * self.price_response
    }

    /// Queries per month served: usage × adoption × price response × the ceiling's factor.
    pub fn volume_kqueries_per_month(&self) -> f64 {
        self.unbounded_kqueries_per_month() * self.ceiling_factor
    }

    /// End-user revenue per month of the segment, USD.
    pub fn revenue_usd(&self) -> f64 {
        self.volume_kqueries_per_month() * self.price_usd_per_kquery
    }
}

/// The state of end-user demand this month.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Demand {
    /// Consumers' queries.
    pub consumer: Segment,
    /// Enterprises' queries (their adoption follows `adoption`).
    pub enterprise: Segment,
    /// Log-normal sigma of compute per query around its median.
    pub query_cost_dispersion: f64,
    /// Compute cost per query against the start: (compute per query × rent, smoothed)
    /// over its first value.
    pub compute_cost_index: f64,
    /// The first month's market rent per H100-hour (the cost index's base; 0 until known).
    pub reference_rent_usd_per_h100_hour: f64,
    /// Prices from competition alone against the start (the drift `price_change_per_year`).
    pub competition_price_index: f64,
}

impl Demand {
    /// The starting demand from the `[demand]` config section, with adoption at 1.
    pub fn from_config(d: &DemandConfig) -> Self {
        Self {
            consumer: Segment::new(
                d.consumer_kqueries_per_month,
                d.consumer_price_usd_per_kquery,
                d.consumer_gpu_hours_per_kquery,
                d.consumer_growth_per_year,
            ),
            enterprise: Segment::new(
                d.enterprise_kqueries_per_month,
                d.enterprise_price_usd_per_kquery,
                d.enterprise_gpu_hours_per_kquery,
                d.enterprise_growth_per_year,
            ),
            query_cost_dispersion: d.query_cost_dispersion,
            compute_cost_index: 1.0,
            reference_rent_usd_per_h100_hour: 0.0,
            competition_price_index: 1.0,
        }
    }

    /// Prices, price responses and the ceiling from the cost index and the competition
    /// index: `ceiling_usd_per_month` bounds end-user revenue smoothly,
    /// R = R₀·C / (R₀ + C) for the revenue R₀ the volumes alone would bring (half the
    /// ceiling when R₀ = C, three quarters at 3C), so growth slows gradually as AI takes
    /// more of the economy.
    pub fn reprice(&mut self, d: &DemandConfig, ceiling_usd_per_month: f64) {
        let unit_cost = 1.0 - d.compute_share_of_price + d.compute_share_of_price * self.compute_cost_index;
        let price_index = self.competition_price_index * unit_cost;
        for segment in [&mut self.consumer, &mut self.enterprise] {
            segment.price_usd_per_kquery = segment.starting_price_usd_per_kquery * price_index;
            segment.price_response = price_index.powf(-d.price_elasticity);
        }
        let unbounded = self.consumer.unbounded_kqueries_per_month() * self.consumer.price_usd_per_kquery
            + self.enterprise.unbounded_kqueries_per_month() * self.enterprise.price_usd_per_kquery;
        let factor = if unbounded > 0.0 && ceiling_usd_per_month > 0.0 && ceiling_usd_per_month.is_finite() {
            ceiling_usd_per_month / (unbounded + ceiling_usd_per_month)
        } else {
            1.0
        };
        self.consumer.ceiling_factor = factor;
        self.enterprise.ceiling_factor = factor;
    }

    /// The end-user price against the start (both segments move together).
    pub fn price_index(&self) -> f64 {
        self.consumer.price_usd_per_kquery / self.consumer.starting_price_usd_per_kquery
    }

    /// End-user revenue per month if every query is served.
    pub fn revenue_usd(&self) -> f64 {
        self.consumer.revenue_usd() + self.enterprise.revenue_usd()
    }

    /// Mean compute per month for all queries: the log-normal mean is median × e^{σ²/2}.
    pub fn inference_gpu_hours(&self) -> f64 {
        let mean_factor = (self.query_cost_dispersion.powi(2) / 2.0).exp();
        (self.consumer.volume_kqueries_per_month() * self.consumer.gpu_hours_per_kquery
            + self.enterprise.volume_kqueries_per_month() * self.enterprise.gpu_hours_per_kquery)
            * mean_factor
    }

    /// Share of queries (by volume) whose compute costs more than they pay, at `rent`
    /// per H100-hour: P(cost > price) for log-normal cost per query.
    pub fn share_queries_below_cost(&self, rent_usd_per_h100_hour: f64) -> f64 {
        let sigma = self.query_cost_dispersion;
        let share = |segment: &Segment| {
            let median_cost = segment.gpu_hours_per_kquery * rent_usd_per_h100_hour;
            if sigma <= 0.0 {
                return if median_cost > segment.price_usd_per_kquery { 1.0 } else { 0.0 };
            }
            1.0 - normal_cdf((segment.price_usd_per_kquery / median_cost).ln() / sigma)
        };
        let (consumer, enterprise) = (
            self.consumer.volume_kqueries_per_month(),
            self.enterprise.volume_kqueries_per_month(),
        );
        let total = consumer + enterprise;
        if total <= 0.0 {
            return 0.0;
        }
        (share(&self.consumer) * consumer + share(&self.enterprise) * enterprise) / total
    }

    /// The volume growth rate in force `years` after the start, per year (continuous).
    pub fn growth_rate(segment: &Segment, years: f64, halflife_years: f64) -> f64 {
        (1.0 + segment.initial_growth_per_year).ln() * 0.5f64.powf(years / halflife_years)
    }
}

/// The ceiling on end-user AI revenue `years` after the start, USD a month: its share
/// of GDP on the long-run trend.
pub fn revenue_ceiling_usd_per_month(params: &Params, years: f64) -> f64 {
    let m = &params.macroeconomy;
    params.demand.ceiling_share_of_gdp * m.gdp_usd_per_year * (1.0 + m.non_ai_growth_per_year_long_run).powf(years) / 12.0
}

/// Monthly: grows usage (with shocks) and lowers compute per query; `pricing` then
/// sets prices and the volumes they bring.
pub fn advance_demand(params: Res<Params>, seed: Res<Seed>, clock: Res<Clock>, mut demand: ResMut<Demand>) {
    if clock.tick == 0 {
        return; // the first month uses the calibrated starting values
    }
    let d = &params.demand;
    let years = clock.years_elapsed();
    let mut rng = stream(seed.0, Purpose::Demand, clock.tick, 0);
    let sigma = d.volatility_monthly;
    let efficiency_factor = (1.0 - d.inference_efficiency_gain_per_year).powf(1.0 / 12.0);
    let demand = &mut *demand;
    demand.competition_price_index *= (1.0 + d.price_change_per_year).powf(1.0 / 12.0);
    for segment in [&mut demand.consumer, &mut demand.enterprise] {
        let shock: f64 = StandardNormal.sample(&mut rng);
        let growth = Demand::growth_rate(segment, years, d.growth_halflife_years) / 12.0;
        segment.kqueries_per_month *= (growth + sigma * shock - sigma * sigma / 2.0).exp();
        segment.gpu_hours_per_kquery *= efficiency_factor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_consumer_queries_lose_money_at_2025_rents() {
        let demand = Demand::from_config(&bubblesim_config::Config::baseline().demand);
        let at_2025_rent = demand.share_queries_below_cost(2.0);
        assert!(at_2025_rent > 0.5, "{at_2025_rent}");
        // Cheaper compute makes fewer queries unprofitable.
        assert!(demand.share_queries_below_cost(1.0) < at_2025_rent);
    }

    #[test]
    fn cheaper_compute_lowers_prices_and_raises_spending_when_demand_is_elastic() {
        let config = bubblesim_config::Config::baseline();
        let mut demand = Demand::from_config(&config.demand);
        demand.reprice(&config.demand, f64::INFINITY);
        let (price, revenue, compute) = (demand.price_index(), demand.revenue_usd(), demand.inference_gpu_hours());
        assert!((price - 1.0).abs() < 1e-12);
        demand.compute_cost_index = 0.5;
        demand.reprice(&config.demand, f64::INFINITY);
        // Half the compute cost: the price falls by half the compute share …
        let expected = 1.0 - 0.5 * config.demand.compute_share_of_price;
        assert!((demand.price_index() - expected).abs() < 1e-12);
        // … volume rises more than the price fell (elasticity > 1), and compute with it.
        assert!(config.demand.price_elasticity > 1.0);
        assert!(demand.revenue_usd() > revenue);
        assert!(demand.inference_gpu_hours() > compute);
        // With an elasticity below 1 the same fall in cost lowers spending.
        let inelastic = bubblesim_config::DemandConfig {
            price_elasticity: 0.5,
            ..config.demand.clone()
        };
        demand.reprice(&inelastic, f64::INFINITY);
        assert!(demand.revenue_usd() < revenue);
    }

    #[test]
    fn the_ceiling_bounds_revenue_smoothly() {
        let config = bubblesim_config::Config::baseline();
        let mut demand = Demand::from_config(&config.demand);
        demand.reprice(&config.demand, f64::INFINITY);
        let unbounded = demand.revenue_usd();
        // A ceiling far above barely binds; one below the unbounded revenue caps it.
        demand.reprice(&config.demand, 100.0 * unbounded);
        assert!(demand.revenue_usd() > 0.99 * unbounded && demand.revenue_usd() < unbounded);
        demand.reprice(&config.demand, unbounded);
        assert!((demand.revenue_usd() / unbounded - 0.5).abs() < 1e-12);
        // Usage growing tenfold cannot lift revenue past the ceiling.
        demand.consumer.kqueries_per_month *= 10.0;
        demand.enterprise.kqueries_per_month *= 10.0;
        demand.reprice(&config.demand, 0.5 * unbounded);
        assert!(demand.revenue_usd() <= 0.5 * unbounded);
    }

    #[test]
    fn growth_decays_with_saturation() {
        let demand = Demand::from_config(&bubblesim_config::Config::baseline().demand);
        let early = Demand::growth_rate(&demand.consumer, 0.0, 2.0);
        let later = Demand::growth_rate(&demand.consumer, 4.0, 2.0);
        assert!((later - early / 4.0).abs() < 1e-12);
    }
}
