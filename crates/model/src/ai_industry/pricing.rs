//! What users pay: each month the compute cost per query (last month's market rent
//! against the first month's, times the efficiency gained since) is smoothed into the
//! cost index, and demand is repriced from it — prices, the volumes they bring and the
//! ceiling on revenue ([`Demand::reprice`]). Last month's rent, so the market clears on
//! the volumes its own rent called forth: a glut lowers the rent, prices follow and
//! volume rises to absorb it; scarcity does the reverse.

use bevy_ecs::prelude::*;

use crate::ai_industry::demand::{Demand, revenue_ceiling_usd_per_month};
use crate::common::calendar::Clock;
use crate::common::params::Params;
use crate::compute::market::ComputeMarket;

/// Monthly, after adoption and before the compute market clears: the cost index and prices.
pub fn price_queries(params: Res<Params>, clock: Res<Clock>, market: Res<ComputeMarket>, mut demand: ResMut<Demand>) {
    let d = &params.demand;
    let rent = market.rent_usd_per_h100_hour;
    if clock.tick > 0 && rent > 0.0 {
        if demand.reference_rent_usd_per_h100_hour <= 0.0 {
            demand.reference_rent_usd_per_h100_hour = rent;
        }
        // Compute per query against the start: what `advance_demand` has made of it.
        let efficiency = demand.consumer.gpu_hours_per_kquery / d.consumer_gpu_hours_per_kquery;
        let cost = rent / demand.reference_rent_usd_per_h100_hour * efficiency;
        let keep = if d.cost_pass_through_halflife_months > 0.0 {
            0.5f64.powf(1.0 / d.cost_pass_through_halflife_months)
        } else {
            0.0
        };
        demand.compute_cost_index = keep * demand.compute_cost_index + (1.0 - keep) * cost;
    }
    demand.reprice(d, revenue_ceiling_usd_per_month(&params, clock.years_elapsed()));
}
