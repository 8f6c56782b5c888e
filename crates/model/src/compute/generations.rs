//! GPU generations and cohorts: each generation's performance, price and power, the
//! list of those released so far, the cohorts of GPUs bought together, and what a
//! cohort is worth (the present value of its expected rents net of power). The
//! systems that release generations and revalue cohorts are in `compute::obsolescence`.

use bevy_ecs::prelude::*;
use bubblesim_config::GpuConfig;

use crate::common::ids::AgentId;

/// Hours in an average (365.25-day) year.
pub const HOURS_PER_YEAR: f64 = 8766.0;
/// Hours in an average month: a twelfth of [`HOURS_PER_YEAR`].
pub const HOURS_PER_MONTH: f64 = HOURS_PER_YEAR / 12.0;

/// One GPU generation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Generation {
    /// Position in release order, 0 = the oldest generation installed at the start.
    pub index: u32,
    /// Throughput relative to an H100.
    pub performance_h100: f64,
    /// List price per GPU, server share included.
    pub price_usd: f64,
    /// All-in power per GPU.
    pub power_kw: f64,
    /// Release month relative to the start month (negative: before the start).
    pub release_month: i32,
}

impl Generation {
    /// Electricity cost of one hour of one GPU running.
    pub fn power_cost_usd_per_hour(&self, electricity_usd_per_kwh: f64) -> f64 {
        self.power_kw * electricity_usd_per_kwh
    }

    /// Power per GPU in whole watts (capacity accounting is done in integers).
    pub fn power_watts(&self) -> u64 {
        (self.power_kw * 1000.0).round() as u64
    }
}

/// Every generation released so far, oldest first, and when the next one ships.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Generations {
    /// The generations, oldest first; a generation's `index` is its position here.
    pub list: Vec<Generation>,
    /// Month (relative to the start) the next generation ships; then every `gpus.release_cadence_months`.
    pub next_release_month: u32,
}

impl Generations {
    /// The generations installed at the start. The newest draws `power_kw_per_gpu`;
    /// older ones draw less per GPU (each generation draws `power_gain` more).
    pub fn from_config(gpus: &GpuConfig) -> Self {
        let newest = gpus.initial_performance.len() - 1;
        let list = (0..=newest)
            .map(|index| Generation {
                index: index as u32,
                performance_h100: gpus.initial_performance[index],
                price_usd: gpus.initial_price_usd[index],
                power_kw: gpus.power_kw_per_gpu / gpus.power_gain_per_generation.powi((newest - index) as i32),
                release_month: -(gpus.initial_release_months_before_start[index] as i32),
            })
            .collect();
        Self {
            list,
            next_release_month: gpus.next_release_months,
        }
    }

    /// The most recently released generation.
    pub fn newest(&self) -> &Generation {
        self.list.last().expect("at least one generation (validated)")
    }

    /// The generation with this index.
    pub fn get(&self, index: u32) -> &Generation {
        &self.list[index as usize]
    }

    /// Ships the next generation: performance, price and power scaled by their gains.
    pub fn release(&mut self, month: u32, gpus: &GpuConfig) -> &Generation {
        let newest = self.newest().clone();
        self.list.push(Generation {
            index: newest.index + 1,
            performance_h100: newest.performance_h100 * gpus.performance_gain_per_generation,
            price_usd: newest.price_usd * gpus.price_gain_per_generation,
            power_kw: newest.power_kw * gpus.power_gain_per_generation,
            release_month: month as i32,
        });
        self.next_release_month = month + gpus.release_cadence_months;
        self.newest()
    }
}

/// The yearly rate at which a cohort's rent is expected to fall: price/performance
/// improves by perf_gain / price_gain every cadence.
pub fn expected_rent_decline_per_year(gpus: &GpuConfig) -> f64 {
    (gpus.performance_gain_per_generation / gpus.price_gain_per_generation)
        .ln()
        .max(0.0)
        / (f64::from(gpus.release_cadence_months) / 12.0)
}

/// Present value per GPU of renting it out: ∫₀ᵀ u·(r·e^{−δt} − c)·e^{−ρt} dt hours-weighted,
/// where T ends when rent no longer covers power or the GPU reaches its physical life.
pub fn economic_value_per_gpu_usd(
    rent_usd_per_hour: f64,
    utilisation: f64,
    power_cost_usd_per_hour: f64,
    rent_decline_per_year: f64,
    discount_rate: f64,
    remaining_life_years: f64,
) -> f64 {
    if rent_usd_per_hour <= power_cost_usd_per_hour || remaining_life_years <= 0.0 || utilisation <= 0.0 {
        return 0.0;
    }
    let covers_power_for = if rent_decline_per_year > 0.0 {
        (rent_usd_per_hour / power_cost_usd_per_hour).ln() / rent_decline_per_year
    } else {
        f64::INFINITY
    };
    let horizon = remaining_life_years.min(covers_power_for);
    // ∫₀ᵀ e^{−kt} dt, with its k → 0 limit.
    let integral = |k: f64| if k > 1e-12 { (1.0 - (-k * horizon).exp()) / k } else { horizon };
    let per_year = utilisation * HOURS_PER_YEAR;
    per_year * (rent_usd_per_hour * integral(rent_decline_per_year + discount_rate) - power_cost_usd_per_hour * integral(discount_rate))
}

/// A cohort of identical GPUs bought together.
#[derive(Component, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GpuCohort {
    /// The provider (hyperscaler or cloud) that owns the GPUs and books their value.
    pub owner: AgentId,
    /// The data-centre building that hosts them.
    pub datacenter: AgentId,
    /// Index of its generation in [`Generations`].
    pub generation: u32,
    /// Number of GPUs in the cohort.
    pub gpus: u32,
    /// Price paid per GPU, USD.
    pub price_usd_per_gpu: f64,
    /// Month (relative to the start) the cohort was installed or will be, when its data
    /// centre completes. It earns nothing before.
    pub install_month: i32,
    /// Book value (USD): the price paid, depreciated straight-line over `gpus.accounting_life_years`, less impairments.
    pub book_value_usd: f64,
    /// Present value of the cohort's expected rents net of power (USD), revalued monthly.
    pub economic_value_usd: f64,
    /// This month's rent per GPU-hour (USD): the market rent per H100-equivalent hour × its performance.
    pub rent_usd_per_gpu_hour: f64,
    /// Share of its hours rented out this month, 0 … 1 (0 while not in service).
    pub utilisation: f64,
    /// Whether a quarterly impairment test has written it down to its economic value.
    pub impaired: bool,
    /// Whether it has been retired (past its physical life, or rent below power cost) and written off.
    pub retired: bool,
    /// The tick it was retired on (meaningful once `retired`): the recorder writes a
    /// retired cohort once more, then no longer.
    pub retired_tick: u32,
}

impl GpuCohort {
    /// Installed and not retired at calendar month `month`.
    pub fn in_service(&self, month: u32) -> bool {
        !self.retired && self.install_month <= month as i32
    }

    /// Years since installation at calendar month `month` (0 before it is installed).
    pub fn age_years(&self, month: u32) -> f64 {
        f64::from(month as i32 - self.install_month).max(0.0) / 12.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_falls_with_rent_decline_and_age() {
        let fresh = economic_value_per_gpu_usd(2.0, 0.8, 0.1, 0.3, 0.1, 6.0);
        let faster_decline = economic_value_per_gpu_usd(2.0, 0.8, 0.1, 0.6, 0.1, 6.0);
        let older = economic_value_per_gpu_usd(2.0, 0.8, 0.1, 0.3, 0.1, 2.0);
        assert!(fresh > faster_decline && fresh > older && older > 0.0);
        // No decline, no discount, no power: rent × hours × utilisation × years.
        let plain = economic_value_per_gpu_usd(1.0, 1.0, 0.0, 0.0, 0.0, 2.0);
        assert!((plain - 2.0 * HOURS_PER_YEAR).abs() < 1e-6);
        assert_eq!(economic_value_per_gpu_usd(0.1, 1.0, 0.2, 0.3, 0.1, 5.0), 0.0);
    }

    #[test]
    fn each_release_improves_price_performance() {
        let config = bubblesim_config::Config::baseline();
        let mut generations = Generations::from_config(&config.gpus);
        let before = generations.newest().clone();
        let after = generations.release(20, &config.gpus).clone();
        assert!(after.price_usd / after.performance_h100 < before.price_usd / before.performance_h100);
        assert_eq!(generations.next_release_month, 20 + config.gpus.release_cadence_months);
        assert!(expected_rent_decline_per_year(&config.gpus) > 0.0);
    }
}
