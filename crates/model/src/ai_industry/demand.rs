//! End-user demand for AI: consumer and enterprise query volumes (enterprise volume also
//! follows how many adopters stay, see `adoption`), the prices users pay,
//! and the compute each query needs. Volumes grow at a rate that halves every
//! `growth_halflife_years` (adoption saturates) with monthly log-normal shocks; prices
//! drift with competition; compute per query falls slowly with efficiency gains.

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
    /// Usage intensity: thousand queries per month before adoption is applied.
    pub kqueries_per_month: f64,
    /// Price users pay, USD per thousand queries.
    pub price_usd_per_kquery: f64,
    /// Median compute per thousand queries, H100-equivalent hours.
    pub gpu_hours_per_kquery: f64,
    /// Yearly volume growth at the start (before saturation).
    pub initial_growth_per_year: f64,
    /// Adopters' usage against the start (enterprises: see `adoption`; consumers: 1).
    pub adoption: f64,
}

impl Segment {
    /// Queries per month: usage intensity × adoption.
    pub fn volume_kqueries_per_month(&self) -> f64 {
        self.kqueries_per_month * self.adoption
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
}

impl Demand {
    /// The starting demand from the `[demand]` config section, with adoption at 1.
    pub fn from_config(d: &DemandConfig) -> Self {
        Self {
            consumer: Segment {
                kqueries_per_month: d.consumer_kqueries_per_month,
                price_usd_per_kquery: d.consumer_price_usd_per_kquery,
                gpu_hours_per_kquery: d.consumer_gpu_hours_per_kquery,
                initial_growth_per_year: d.consumer_growth_per_year,
                adoption: 1.0,
            },
            enterprise: Segment {
                kqueries_per_month: d.enterprise_kqueries_per_month,
                price_usd_per_kquery: d.enterprise_price_usd_per_kquery,
                gpu_hours_per_kquery: d.enterprise_gpu_hours_per_kquery,
                initial_growth_per_year: d.enterprise_growth_per_year,
                adoption: 1.0,
            },
            query_cost_dispersion: d.query_cost_dispersion,
        }
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

/// Monthly: grows volumes (with shocks), moves prices and compute per query.
pub fn advance_demand(params: Res<Params>, seed: Res<Seed>, clock: Res<Clock>, mut demand: ResMut<Demand>) {
    if clock.tick == 0 {
        return; // the first month uses the calibrated starting values
    }
    let d = &params.demand;
    let years = clock.years_elapsed();
    let mut rng = stream(seed.0, Purpose::Demand, clock.tick, 0);
    let sigma = d.volatility_monthly;
    let price_factor = (1.0 + d.price_change_per_year).powf(1.0 / 12.0);
    let efficiency_factor = (1.0 - d.inference_efficiency_gain_per_year).powf(1.0 / 12.0);
    let Demand { consumer, enterprise, .. } = &mut *demand;
    for segment in [consumer, enterprise] {
        let shock: f64 = StandardNormal.sample(&mut rng);
        let growth = Demand::growth_rate(segment, years, d.growth_halflife_years) / 12.0;
        segment.kqueries_per_month *= (growth + sigma * shock - sigma * sigma / 2.0).exp();
        segment.price_usd_per_kquery *= price_factor;
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
    fn growth_decays_with_saturation() {
        let demand = Demand::from_config(&bubblesim_config::Config::baseline().demand);
        let early = Demand::growth_rate(&demand.consumer, 0.0, 2.0);
        let later = Demand::growth_rate(&demand.consumer, 4.0, 2.0);
        assert!((later - early / 4.0).abs() < 1e-12);
    }
}
