//! The compute market: AI sellers (labs and hyperscalers' own products) buy GPU-hours
//! from providers (hyperscalers and clouds) at one rent per H100-equivalent hour.
//!
//! The rent is the newest generation's cost-based rent — its price recovered over
//! `capital_recovery_years` at the discount rate, plus power, per unit of performance —
//! scaled by scarcity, (demand / (target utilisation × supply))^elasticity. A cohort's rent
//! per GPU-hour is that rent times its performance, so every release lowers the rent of
//! every older cohort. Every generation whose rent still covers its power is rented in
//! proportion to what it offers; the others stay idle.

use bevy_ecs::prelude::*;

use crate::ai_industry::demand::Demand;
use crate::common::ids::AgentId;
use crate::common::today::Today;
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generations, GpuCohort, HOURS_PER_MONTH, HOURS_PER_YEAR};
use crate::firms::firm::Firm;
use crate::firms::roles::AiSeller;

/// This month's compute market.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ComputeMarket {
    /// This month's rent per H100-equivalent hour (USD): the cost-based rent × scarcity, kept within
    /// `compute_market.min_rent_usd_per_h100_hour` … `compute_market.max_rent_usd_per_h100_hour`.
    pub rent_usd_per_h100_hour: f64,
    /// Rent that just recovers the newest generation's cost at target utilisation.
    pub cost_based_rent_usd_per_h100_hour: f64,
    /// The AI sellers' compute demand this month, in H100-equivalent hours.
    pub demand_h100_hours: f64,
    /// The fleet's capacity this month, in H100-equivalent hours.
    pub supply_h100_hours: f64,
    /// Hours actually rented this month (H100-equivalent): demand, capped by the capacity whose rent covers its power.
    pub dispatched_h100_hours: f64,
    /// Share of demand that found capacity (1 unless capacity is short).
    pub served_share: f64,
    /// Utilisation by generation index.
    pub utilisation_by_generation: Vec<f64>,
    /// Total demand of every month so far, oldest first.
    pub demand_history: Vec<f64>,
}

impl ComputeMarket {
    /// Utilisation of generation `generation` this month, 0 … 1 (0 for one not in the fleet).
    pub fn utilisation(&self, generation: u32) -> f64 {
        self.utilisation_by_generation.get(generation as usize).copied().unwrap_or(0.0)
    }

    /// Share of supply in use.
    pub fn overall_utilisation(&self) -> f64 {
        if self.supply_h100_hours > 0.0 {
            self.dispatched_h100_hours / self.supply_h100_hours
        } else {
            0.0
        }
    }
}

/// Growth factor after `years` of a rate that starts at `initial_growth_per_year` and
/// halves every `halflife_years`: exp(ln(1 + g)·h/ln 2·(1 − ½^(t/h))).
pub fn saturating_growth(initial_growth_per_year: f64, years: f64, halflife_years: f64) -> f64 {
    let rate = (1.0 + initial_growth_per_year).ln();
    (rate * halflife_years / std::f64::consts::LN_2 * (1.0 - 0.5f64.powf(years / halflife_years))).exp()
}

/// Capital recovery factor: the yearly payment that repays 1 over `years` at `rate`.
pub fn capital_recovery_factor(rate: f64, years: f64) -> f64 {
    if rate <= 1e-12 {
        1.0 / years
    } else {
        rate / (1.0 - (1.0 + rate).powf(-years))
    }
}

/// Monthly: each seller's compute need, the rent, dispatch and utilisation per cohort.
pub fn clear_compute_market(
    today: Today,
    demand: Res<Demand>,
    generations: Res<Generations>,
    fleet: Res<FleetIndex>,
    mut market: ResMut<ComputeMarket>,
    mut sellers: Query<(&AgentId, &Firm, &mut AiSeller)>,
    mut cohorts: Query<&mut GpuCohort>,
) {
    let (params, clock) = (&*today.params, &*today.clock);
    let gpus = &params.gpus;
    let years = clock.years_elapsed();

    // Customers of failed sellers move to the active ones in proportion to their shares.
    let mut all_share = 0.0;
    let mut active_share = 0.0;
    for (_, firm, seller) in sellers.iter().sort::<&AgentId>() {
        all_share += seller.initial_share;
        if firm.active {
            active_share += seller.initial_share;
        }
    }
    let inference = demand.inference_gpu_hours();
    let mut total_demand = 0.0;
    for (_, firm, mut seller) in sellers.iter_mut().sort::<&AgentId>() {
        seller.share = if firm.active && active_share > 0.0 {
            seller.initial_share * all_share / active_share * seller.demand_retained
        } else {
            0.0
        };
        seller.compute_demand_h100_hours = if firm.active {
            seller.share * inference
                + seller.demand_retained
                    * seller.training_gpu_hours_per_month
                    * saturating_growth(seller.training_growth_per_year, years, params.demand.growth_halflife_years)
        } else {
            0.0
        };
        total_demand += seller.compute_demand_h100_hours;
    }

    let by_generation = fleet.total_by_generation();
    let supply_of = |generation: u32| {
        by_generation.get(&generation).copied().unwrap_or(0) as f64 * generations.get(generation).performance_h100 * HOURS_PER_MONTH
    };
    let supply: f64 = by_generation.keys().map(|&g| supply_of(g)).sum();

    let market_cfg = &params.compute_market;
    let newest = generations.newest();
    let cost_based = newest.price_usd / newest.performance_h100
        * capital_recovery_factor(gpus.discount_rate, market_cfg.capital_recovery_years)
        / (HOURS_PER_YEAR * market_cfg.target_utilisation)
        + newest.power_cost_usd_per_hour(gpus.electricity_usd_per_kwh) / newest.performance_h100;
    let scarcity = if supply > 0.0 {
        (total_demand / (market_cfg.target_utilisation * supply)).powf(market_cfg.scarcity_elasticity)
    } else {
        f64::INFINITY
    };
    let rent = (cost_based * scarcity).clamp(market_cfg.min_rent_usd_per_h100_hour, market_cfg.max_rent_usd_per_h100_hour);

    // Buyers take capacity from every generation whose rent still covers its power, in
    // proportion to what each offers: compute is bought under contracts across fleets,
    // so a glut idles every generation alike rather than the oldest first.
    let covers_power = |g: u32| {
        let generation = generations.get(g);
        rent * generation.performance_h100 > generation.power_cost_usd_per_hour(gpus.electricity_usd_per_kwh)
    };
    let viable: f64 = by_generation.keys().filter(|&&g| covers_power(g)).map(|&g| supply_of(g)).sum();
    let rented_share = if viable > 0.0 { (total_demand / viable).min(1.0) } else { 0.0 };
    let mut utilisation = vec![0.0; generations.list.len()];
    for &generation in by_generation.keys() {
        if covers_power(generation) {
            utilisation[generation as usize] = rented_share;
        }
    }
    let dispatched = rented_share * viable;

    for mut cohort in &mut cohorts {
        let in_service = cohort.in_service(clock.month);
        let generation = generations.get(cohort.generation);
        cohort.rent_usd_per_gpu_hour = rent * generation.performance_h100;
        cohort.utilisation = if in_service { utilisation[cohort.generation as usize] } else { 0.0 };
    }

    market.rent_usd_per_h100_hour = rent;
    market.cost_based_rent_usd_per_h100_hour = cost_based;
    market.demand_h100_hours = total_demand;
    market.supply_h100_hours = supply;
    market.dispatched_h100_hours = dispatched;
    market.served_share = if total_demand > 0.0 { dispatched / total_demand } else { 1.0 };
    market.utilisation_by_generation = utilisation;
    market.demand_history.push(total_demand);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturating_growth_starts_at_its_rate_and_levels_off() {
        // Early on it grows at about the initial rate.
        assert!((saturating_growth(1.0, 0.01, 3.0).ln() / 0.01 - 2f64.ln()).abs() < 0.01);
        // It never exceeds its limit exp(ln(1 + g)·h/ln 2).
        let limit = (2f64.ln() * 3.0 / std::f64::consts::LN_2).exp();
        assert!(saturating_growth(1.0, 50.0, 3.0) < limit && saturating_growth(1.0, 50.0, 3.0) > 0.99 * limit);
    }

    #[test]
    fn capital_recovery_factor_repays() {
        assert!((capital_recovery_factor(0.0, 4.0) - 0.25).abs() < 1e-12);
        // 10% over 3 years: 0.40211.
        assert!((capital_recovery_factor(0.1, 3.0) - 0.402_114).abs() < 1e-5);
    }
}
