//! Regions (states): each has a share of the non-AI economy and a share of data-centre
//! construction, so a boom in construction lifts a few regions while the rest follow
//! the weak non-AI economy. Quarterly, after the month's economy.
//!
//! A region's non-AI output is the nation's × its activity share × e^{z + e},
//! renormalised so the regions add up to the nation, where z accumulates a persistent
//! (AR(1)) deviation of its growth from the nation's and e is a transitory deviation of
//! its level drawn afresh each quarter (so a bad quarter tends to be followed by a
//! better one, as in quarterly state GDP). Its AI investment is the nation's × its
//! data-centre share. Shares follow Zipf laws; data-centre ranks are a seeded shuffle
//! of activity ranks. A region is in recession after two quarters of negative growth
//! running, and near recession when its annualised growth is below the threshold.

use bevy_ecs::prelude::*;
use rand::seq::SliceRandom;

use crate::common::calendar::Clock;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, normal, stream};
use crate::economy::macroeconomy::Economy;

/// One region this quarter.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Region {
    /// Its share of the nation's non-AI output (a Zipf law, `regions.activity_concentration`).
    pub activity_share: f64,
    /// Its share of data-centre construction, and so of the nation's AI investment (`regions.datacenter_concentration`).
    pub datacenter_share: f64,
    /// Persistent log deviation of its non-AI output from its share of the nation's.
    pub level_deviation: f64,
    /// This quarter's transitory log deviation (`regions.level_noise`).
    pub transitory_deviation: f64,
    /// Its growth's persistent deviation from the nation's (per year).
    pub growth_deviation_per_year: f64,
    /// Its GDP at an annual rate (USD): its non-AI output plus its AI investment.
    pub gdp_usd_per_year: f64,
    /// Its AI investment at an annual rate (USD): the nation's × `datacenter_share`.
    pub ai_investment_usd_per_year: f64,
    /// Annualised growth over the last quarter (NaN before the first).
    pub growth_annualised: f64,
    /// Quarters of negative growth running.
    pub negative_quarters: u32,
}

impl Region {
    /// In recession: two quarters of negative growth running.
    pub fn in_recession(&self) -> bool {
        self.negative_quarters >= 2
    }

    /// Near recession: not in recession, but annualised growth below `threshold` (`regions.near_recession_growth_per_year`).
    pub fn near_recession(&self, threshold: f64) -> bool {
        !self.in_recession() && self.growth_annualised < threshold
    }
}

/// All regions, in index order.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Regions {
    /// The regions, by index.
    pub regions: Vec<Region>,
    /// Regions in recession this quarter.
    pub in_recession: u32,
    /// Regions near recession this quarter.
    pub near_recession: u32,
    /// The most regions in recession at once so far.
    pub most_in_recession: u32,
}

fn zipf(count: usize, exponent: f64) -> Vec<f64> {
    let weights: Vec<f64> = (1..=count).map(|rank| (rank as f64).powf(-exponent)).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

impl Regions {
    /// The regions at the start: shares, and growth deviations drawn from their
    /// stationary distribution.
    pub fn new(params: &Params, seed: u64) -> Self {
        let r = &params.regions;
        let count = r.count as usize;
        let activity = zipf(count, r.activity_concentration);
        let mut datacenter = zipf(count, r.datacenter_concentration);
        datacenter.shuffle(&mut stream(seed, Purpose::Macro, 0, u64::MAX));
        let regions = (0..count)
            .map(|k| Region {
                activity_share: activity[k],
                datacenter_share: datacenter[k],
                growth_deviation_per_year: r.growth_dispersion_per_year * normal(seed, Purpose::Macro, 0, k as u64, 0),
                growth_annualised: f64::NAN,
                ..Region::default()
            })
            .collect();
        Self {
            regions,
            in_recession: 0,
            near_recession: 0,
            most_in_recession: 0,
        }
    }

    /// One quarter: new deviations, output shared out, growth and recession counts.
    pub fn advance(&mut self, params: &Params, seed: u64, tick: u32, non_ai_usd_per_year: f64, ai_investment_usd_per_year: f64) {
        let r = &params.regions;
        let first = self.regions.iter().all(|region| region.gdp_usd_per_year == 0.0);
        let persistence = r.growth_persistence_per_quarter;
        if !first {
            for (k, region) in self.regions.iter_mut().enumerate() {
                let shock = normal(seed, Purpose::Macro, tick, k as u64, 0);
                region.growth_deviation_per_year = persistence * region.growth_deviation_per_year
                    + (1.0 - persistence * persistence).sqrt() * r.growth_dispersion_per_year * shock;
                region.level_deviation += region.growth_deviation_per_year / 4.0;
            }
        }
        for (k, region) in self.regions.iter_mut().enumerate() {
            region.transitory_deviation = r.level_noise * normal(seed, Purpose::Macro, tick, k as u64, 1);
        }
        let weight = |region: &Region| region.activity_share * (region.level_deviation + region.transitory_deviation).exp();
        let total: f64 = self.regions.iter().map(weight).sum();
        let (mut in_recession, mut near) = (0, 0);
        for region in &mut self.regions {
            let before = region.gdp_usd_per_year;
            region.ai_investment_usd_per_year = ai_investment_usd_per_year * region.datacenter_share;
            region.gdp_usd_per_year = non_ai_usd_per_year * weight(region) / total + region.ai_investment_usd_per_year;
            if before > 0.0 {
                region.growth_annualised = (region.gdp_usd_per_year / before).powi(4) - 1.0;
                region.negative_quarters = if region.growth_annualised < 0.0 {
                    region.negative_quarters + 1
                } else {
                    0
                };
            }
            in_recession += u32::from(region.in_recession());
            near += u32::from(region.near_recession(r.near_recession_growth_per_year));
        }
        self.in_recession = in_recession;
        self.near_recession = near;
        self.most_in_recession = self.most_in_recession.max(in_recession);
    }
}

/// Quarterly, after the economy: the regions.
pub fn update_regions(params: Res<Params>, seed: Res<Seed>, clock: Res<Clock>, economy: Res<Economy>, mut regions: ResMut<Regions>) {
    regions.advance(
        &params,
        seed.0,
        clock.tick,
        economy.non_ai_output_usd_per_year(),
        economy.ai_investment_usd_per_year,
    );
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn regions_add_up_to_the_nation_and_construction_lifts_its_regions() {
        let params = Params(Arc::new(bubblesim_config::Config::baseline()));
        let mut regions = Regions::new(&params, 1);
        let shares: f64 = regions.regions.iter().map(|r| r.datacenter_share).sum();
        assert!((shares - 1.0).abs() < 1e-12);
        regions.advance(&params, 1, 0, 2.9e13, 1e12);
        regions.advance(&params, 1, 63, 2.9e13, 1e12);
        let total: f64 = regions.regions.iter().map(|r| r.gdp_usd_per_year).sum();
        assert!((total / 3.0e13 - 1.0).abs() < 1e-12, "regions sum to the nation: {total}");
        // A construction bust alone: the region with the most construction shrinks most.
        let mut calm = params.0.as_ref().clone();
        calm.regions.growth_dispersion_per_year = 0.0;
        calm.regions.level_noise = 0.0;
        let calm = Params(Arc::new(calm));
        let mut regions = Regions::new(&calm, 1);
        regions.advance(&calm, 1, 0, 2.9e13, 1e12);
        regions.advance(&calm, 1, 63, 2.9e13, 2e11);
        let hub = (0..regions.regions.len())
            .max_by(|&a, &b| regions.regions[a].datacenter_share.total_cmp(&regions.regions[b].datacenter_share))
            .unwrap();
        let lowest = regions.regions.iter().map(|r| r.growth_annualised).fold(f64::INFINITY, f64::min);
        assert_eq!(regions.regions[hub].growth_annualised, lowest);
        assert!(regions.regions[hub].growth_annualised < -0.1);
        assert!(regions.regions[hub].datacenter_share > 0.2);
        regions.advance(&calm, 1, 126, 2.9e13, 1e11);
        assert!(
            regions.regions[hub].in_recession(),
            "two quarters of falling construction: a recession in the hub"
        );
        assert!(regions.in_recession >= 1);
    }
}
