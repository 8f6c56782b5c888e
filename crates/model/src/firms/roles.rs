//! The roles a firm plays, each a component: an AI seller (labs, hyperscalers), a lab, a
//! holder of lab stakes, a core non-AI business, a borrower, the chipmaker, a provider
//! of GPU capacity, a data-centre sponsor. A firm's entity carries the roles it plays.

use bevy_ecs::prelude::Component;

use crate::common::ids::AgentId;

/// A seller of AI products to end users (labs and hyperscalers).
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AiSeller {
    /// Share of end-user demand at the start.
    pub initial_share: f64,
    /// Share of end-user demand now (failed labs' customers move to the others).
    pub share: f64,
    /// Training compute bought per month at the start, H100-equivalent hours (`training_gpu_hours_per_month` in config).
    pub training_gpu_hours_per_month: f64,
    /// Yearly growth of training compute at the start; the rate halves every `demand.growth_halflife_years`.
    pub training_growth_per_year: f64,
    /// Compute this seller wanted this month (H100-hours), and the share it got.
    pub compute_demand_h100_hours: f64,
    /// Share of its demand and training it keeps (1 unless an imposed shock took some).
    pub demand_retained: f64,
}

impl AiSeller {
    /// A seller with starting share `share` of end-user demand, and its training compute and growth.
    pub fn new(share: f64, training_gpu_hours_per_month: f64, training_growth_per_year: f64) -> Self {
        Self {
            initial_share: share,
            share,
            training_gpu_hours_per_month,
            training_growth_per_year,
            compute_demand_h100_hours: 0.0,
            demand_retained: 1.0,
        }
    }
}

/// A private AI lab.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Lab {
    /// Staff, research and other costs per month, USD (`labs.other_opex_usd_per_month`).
    pub other_opex_usd_per_month: f64,
    /// Funding rounds closed so far.
    pub rounds_raised: u32,
    /// Post-money valuation of its last round (0 before the first mark, and once failed).
    pub valuation_usd: f64,
    /// Product of (1 − share sold) over its rounds: a holder's share is its units × this.
    pub dilution: f64,
}

impl Lab {
    /// A lab before its first round: not yet valued, nothing sold.
    pub fn new(other_opex_usd_per_month: f64) -> Self {
        Self {
            other_opex_usd_per_month,
            rounds_raised: 0,
            valuation_usd: 0.0,
            dilution: 1.0,
        }
    }

    /// Sells new equity worth `amount_usd` at `pre_money_usd`: returns the buyer's units
    /// (its share is units × `dilution`) and marks the lab at the post-money value. A
    /// lab with no pre-money value sells nothing (callers do not offer it money).
    pub fn sell_equity(&mut self, amount_usd: f64, pre_money_usd: f64) -> f64 {
        if pre_money_usd <= 0.0 || amount_usd <= 0.0 || self.dilution <= 0.0 {
            return 0.0;
        }
        let post = pre_money_usd + amount_usd;
        let share = amount_usd / post;
        self.dilution *= 1.0 - share;
        self.valuation_usd = post;
        share / self.dilution
    }

    /// Value of `units` at the last mark.
    pub fn stake_value_usd(&self, units: f64) -> f64 {
        units * self.dilution * self.valuation_usd
    }
}

/// Equity stakes in private labs (VC funds, the chipmaker).
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Stakes {
    /// (lab, units), sorted by lab.
    pub units: Vec<(AgentId, f64)>,
    /// Cash put in, per lab, sorted by lab.
    pub invested_usd: Vec<(AgentId, f64)>,
}

impl Stakes {
    /// Adds `units` of `lab`, bought for `invested_usd`, keeping both lists sorted by lab.
    pub fn add(&mut self, lab: AgentId, units: f64, invested_usd: f64) {
        for (list, value) in [(&mut self.units, units), (&mut self.invested_usd, invested_usd)] {
            match list.binary_search_by_key(&lab, |&(id, _)| id) {
                Ok(i) => list[i].1 += value,
                Err(i) => list.insert(i, (lab, value)),
            }
        }
    }

    /// Cash put into `lab` so far, USD (0 if none).
    pub fn invested_in(&self, lab: AgentId) -> f64 {
        self.invested_usd
            .binary_search_by_key(&lab, |&(id, _)| id)
            .map_or(0.0, |i| self.invested_usd[i].1)
    }
}

/// A hyperscaler's core, non-AI business.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CoreBusiness {
    /// Core revenue per year, USD (`core_revenue_usd_per_year` in config).
    pub revenue_usd_per_year: f64,
    /// Operating margin of the core business, share 0–1.
    pub operating_margin: f64,
    /// Yearly growth of core revenue.
    pub growth_per_year: f64,
}

/// Interest-bearing debt (clouds, sponsors, hyperscalers that build on balance sheet).
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Borrower {
    /// Yearly interest rate on its debt, before any imposed rate rise: `clouds.interest_rate`,
    /// `sponsors.interest_rate`, or for hyperscalers `financing.risk_free_rate` + `financing.own_debt_spread`.
    pub interest_rate: f64,
}

/// The chipmaker's non-GPU business and cost structure.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Chipmaker {
    /// Gross margin on sales, share 0–1 (`chipmaker.gross_margin`).
    pub gross_margin: f64,
    /// Revenue per year from business other than GPUs, USD (`chipmaker.other_revenue_usd_per_year`).
    pub other_revenue_usd_per_year: f64,
    /// Operating expenses per year, USD (`chipmaker.operating_expenses_usd_per_year`).
    pub operating_expenses_usd_per_year: f64,
}

/// An owner of GPU capacity that rents it out (hyperscalers and clouds), and a tenant of
/// data-centre leases.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Provider {
    /// AI revenue per month the firm planned at the start; the plan grows from here.
    pub plan_base_ai_revenue_usd_per_month: f64,
    /// The share of the market's capacity the provider aims to keep (its starting share).
    pub capacity_share: f64,
}

/// A private-equity sponsor that owns data-centre buildings.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Sponsor;
