//! Forecasts and uncertainty (docs/model.md#forecasts-and-uncertainty). Each forecaster
//! (providers, the chipmaker, VC funds, institutions) believes in a long-run yearly
//! growth rate of AI revenue. Beliefs start spread around the demand process's starting
//! growth rate. Each month the realised growth is evidence, and every forecaster
//! updates like a Bayesian with a normal prior: belief ← (precision·belief +
//! τ·realised)/(precision + τ), precision ← precision + τ, where the evidence's
//! precision τ = `evidence_precision_per_month` × coverage² and coverage = AI revenue /
//! AI capex (at most 1). While revenue covers little of what is spent, a month of it
//! says little about whether the spending will pay, so the spread of beliefs stays
//! wide; it narrows only as revenue materialises.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;

use crate::beliefs::narrative::Narrative;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::money::accounts::Accounts;

/// One forecaster's belief about AI revenue growth.
#[derive(Component, Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Forecaster {
    /// Believed long-run yearly growth (log) of AI revenue.
    pub belief_growth: f64,
    /// Precision (1/variance) of that belief.
    pub precision: f64,
}

impl Forecaster {
    /// A belief in `belief_growth` with standard deviation `dispersion` (precision 1 / dispersion²).
    pub fn new(belief_growth: f64, dispersion: f64) -> Self {
        Self {
            belief_growth,
            precision: 1.0 / dispersion.powi(2).max(1e-12),
        }
    }

    /// Updates on one observation of growth with precision `tau`.
    pub fn observe(&mut self, realised_growth: f64, tau: f64) {
        if tau > 0.0 && realised_growth.is_finite() {
            self.belief_growth = (self.precision * self.belief_growth + tau * realised_growth) / (self.precision + tau);
            self.precision += tau;
        }
    }
}

/// The spread and centre of forecasts, and the capex-to-revenue gap.
#[derive(Resource, Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Forecasts {
    /// Mean belief (log growth per year).
    pub consensus_growth: f64,
    /// Standard deviation of log revenue forecasts at the horizon (horizon × belief spread).
    pub forecast_dispersion: f64,
    /// AI end-user revenue per year (last month × 12).
    pub ai_revenue_usd_per_year: f64,
    /// Capex per year: GPUs and buildings, over the last (up to) twelve months.
    pub ai_capex_usd_per_year: f64,
    /// Capex per year over the last quarter: the quarter's GPU order and its three
    /// months of construction, at an annual rate (what enters GDP, smoothed by quarter).
    pub ai_capex_last_quarter_usd_per_year: f64,
    /// AI revenue / AI capex, at most 1.
    pub coverage: f64,
    /// GPU purchases and building capex of each month (at most twelve, newest last).
    gpu_capex_history: VecDeque<f64>,
    building_capex_history: VecDeque<f64>,
}

impl Forecasts {
    /// AI capex per year over AI revenue per year (0 while there is no revenue).
    pub fn capex_to_revenue(&self) -> f64 {
        if self.ai_revenue_usd_per_year > 0.0 {
            self.ai_capex_usd_per_year / self.ai_revenue_usd_per_year
        } else {
            0.0
        }
    }

    /// Records a month's capex and revenue. GPU orders are placed on a quarter's first
    /// day, so GPU capex is annualised over whole quarters (4 months of history count as
    /// 6); construction is paid monthly and annualised over the months recorded.
    pub fn record_month(&mut self, gpu_capex_usd: f64, building_capex_usd: f64, ai_revenue_usd: f64) {
        for (history, value) in [
            (&mut self.gpu_capex_history, gpu_capex_usd),
            (&mut self.building_capex_history, building_capex_usd),
        ] {
            history.push_back(value);
            if history.len() > 12 {
                history.pop_front();
            }
        }
        let quarters_months = (self.gpu_capex_history.len().div_ceil(3) * 3) as f64;
        let months = self.building_capex_history.len() as f64;
        self.ai_capex_usd_per_year = self.gpu_capex_history.iter().sum::<f64>() * 12.0 / quarters_months
            + self.building_capex_history.iter().sum::<f64>() * 12.0 / months;
        let last_three = |history: &VecDeque<f64>| history.iter().rev().take(3).sum::<f64>();
        let construction_months = self.building_capex_history.len().min(3) as f64;
        self.ai_capex_last_quarter_usd_per_year =
            last_three(&self.gpu_capex_history) * 4.0 + last_three(&self.building_capex_history) * 12.0 / construction_months;
        self.ai_revenue_usd_per_year = ai_revenue_usd * 12.0;
        self.coverage = if self.ai_capex_usd_per_year > 0.0 {
            (self.ai_revenue_usd_per_year / self.ai_capex_usd_per_year).min(1.0)
        } else {
            1.0
        };
    }

    /// Recomputes consensus and spread from beliefs given in id order.
    pub fn summarise(&mut self, beliefs: impl Iterator<Item = f64>, horizon_years: f64) {
        let beliefs: Vec<f64> = beliefs.collect();
        if beliefs.is_empty() {
            return;
        }
        let n = beliefs.len() as f64;
        let mean = beliefs.iter().sum::<f64>() / n;
        let variance = beliefs.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / n;
        self.consensus_growth = mean;
        self.forecast_dispersion = horizon_years * variance.sqrt();
    }
}

/// Monthly, before the books close: the month's capex and revenue, then every
/// forecaster learns from the realised growth.
pub fn update_forecasts(
    params: Res<Params>,
    narrative: Res<Narrative>,
    firms: Query<(&AgentId, &Accounts)>,
    mut forecasters: Query<(&AgentId, &mut Forecaster)>,
    mut forecasts: ResMut<Forecasts>,
) {
    // Every GPU bought is the chipmaker's sale; the rest of capex is buildings.
    let (mut capex, mut gpu_sales, mut revenue) = (0.0, 0.0, 0.0);
    for (_, accounts) in firms.iter().sort::<&AgentId>() {
        capex += accounts.month.capex_usd;
        gpu_sales += accounts.month.gpu_sales_usd;
        revenue += accounts.month.ai_product_revenue_usd;
    }
    forecasts.record_month(gpu_sales, (capex - gpu_sales).max(0.0), revenue);
    let f = &params.forecasts;
    let tau = f.evidence_precision_per_month * forecasts.coverage.powi(2);
    let realised = narrative.revenue_growth.max(-0.99).ln_1p();
    for (_, mut forecaster) in forecasters.iter_mut() {
        forecaster.observe(realised, tau);
    }
    forecasts.summarise(forecasters.iter().sort::<&AgentId>().map(|(_, f)| f.belief_growth), f.horizon_years);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(coverage: f64, months: usize) -> f64 {
        let mut forecasters: Vec<Forecaster> = [-0.4, 0.0, 0.4].into_iter().map(|b| Forecaster::new(0.5 + b, 0.4)).collect();
        for _ in 0..months {
            for f in &mut forecasters {
                f.observe(0.3, 2.0 * coverage * coverage);
            }
        }
        let mut forecasts = Forecasts::default();
        forecasts.summarise(forecasters.iter().map(|f| f.belief_growth), 5.0);
        forecasts.forecast_dispersion
    }

    #[test]
    fn dispersion_narrows_only_when_revenue_covers_capex() {
        let start = spread(0.0, 0);
        assert!((start - 5.0 * (0.32f64 / 3.0).sqrt()).abs() < 1e-9);
        // Ten years of revenue that covers a twentieth of capex barely move it …
        assert!(spread(0.05, 120) > 0.85 * start);
        // … revenue that covers capex cuts it by more than 80% within two years.
        assert!(spread(1.0, 24) < 0.2 * start);
    }

    #[test]
    fn gpu_capex_is_annualised_by_quarter_and_construction_by_month() {
        let mut forecasts = Forecasts::default();
        // A quarter's GPU order and a month's construction draw.
        forecasts.record_month(300.0, 10.0, 10.0);
        assert_eq!(forecasts.ai_capex_usd_per_year, 1200.0 + 120.0);
        assert_eq!(forecasts.ai_capex_last_quarter_usd_per_year, 1200.0 + 120.0);
        assert_eq!(forecasts.capex_to_revenue(), 1320.0 / 120.0);
        for _ in 0..2 {
            forecasts.record_month(0.0, 10.0, 10.0);
        }
        // A second quarterly order in month 4: two quarters' orders over two quarters.
        forecasts.record_month(300.0, 10.0, 10.0);
        assert_eq!(forecasts.ai_capex_usd_per_year, 1200.0 + 120.0);
        // Two months on, the last quarter holds that order alone.
        for _ in 0..2 {
            forecasts.record_month(0.0, 10.0, 10.0);
        }
        assert_eq!(forecasts.ai_capex_last_quarter_usd_per_year, 1200.0 + 120.0);
        // A quarter without an order: nothing bought in it.
        for _ in 0..3 {
            forecasts.record_month(0.0, 10.0, 10.0);
        }
        assert_eq!(forecasts.ai_capex_last_quarter_usd_per_year, 120.0);
        for _ in 0..3 {
            forecasts.record_month(0.0, 10.0, 10.0);
        }
        assert_eq!(forecasts.ai_capex_usd_per_year, 600.0 + 120.0);
    }
}
