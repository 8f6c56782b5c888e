//! Imposed shocks, for stress scenarios. From `shock.start_month`:
//!
//! - the named AI seller (a lab or a hyperscaler) keeps only 1 − `ai_demand_loss_share`
//!   of its end-user demand and of its training compute — a product that loses its
//!   customers; the lost demand does not move to other sellers;
//! - every rate rises by `rate_rise` (on top of the policy rate's own moves): the risk-free rate (so the yield every bond must
//!   pay and the price of those outstanding), floating-rate debt (`Rates`), the discount
//!   rate of GPUs' economic value, and through the risk-free rate the required return
//!   on equity, so fair multiples fall at the next quarterly reports
//!   ([`crate::markets::fundamentals`]);
//! - `lab_default` (in [`crate::ai_industry::funding`]) and `walk_away_firm` (in
//!   [`crate::real_estate::renegotiation`] and [`crate::compute::capex::order`]) act where
//!   those mechanisms live.
//!
//! Everything that follows (idle capacity, falling rent, revenue short of plan, lease
//! stress, impairments, downgrades) is the model's own response.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::firms::firm::Firm;
use crate::firms::roles::AiSeller;

/// The shift of every interest rate since the start: the imposed rate shock plus the
/// policy rate's change under the Taylor rule ([`crate::economy::macroeconomy`]).
#[derive(Resource, Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct Rates {
    /// The rise of every rate since the start, shock and policy together (0.01 = one point).
    pub rise: f64,
    /// The shock's part: `shock.rate_rise` from `shock.start_month`, else 0.
    pub shock_rise: f64,
    /// The policy rate's change since the start.
    pub policy_change: f64,
    base_risk_free_rate: f64,
    base_gpu_discount_rate: f64,
}

impl Rates {
    /// No rise yet, at the config's risk-free and GPU discount rates.
    pub fn new(config: &bubblesim_config::Config) -> Self {
        Self {
            base_risk_free_rate: config.financing.risk_free_rate,
            base_gpu_discount_rate: config.gpus.discount_rate,
            ..Self::default()
        }
    }

    /// Totals the shock and the policy change and moves the rates the parameters carry:
    /// the risk-free rate (so the yield every bond must pay, the price of those
    /// outstanding and the required return on equity) and GPUs' discount rate.
    pub fn apply(&mut self, params: &mut Params) {
        self.rise = self.shock_rise + self.policy_change;
        let risk_free = self.base_risk_free_rate + self.rise;
        let discount = self.base_gpu_discount_rate + self.rise;
        if params.financing.risk_free_rate != risk_free || params.gpus.discount_rate != discount {
            let mut config = (*params.0).clone();
            config.financing.risk_free_rate = risk_free;
            config.gpus.discount_rate = discount;
            params.0 = Arc::new(config);
        }
    }
}

/// Monthly, first: starts the shocks in their month.
pub fn apply_shock(
    mut params: ResMut<Params>,
    clock: Res<Clock>,
    mut rates: ResMut<Rates>,
    mut sellers: Query<(&AgentId, &Firm, &mut AiSeller)>,
    mut events: ResMut<EventLog>,
) {
    if clock.month != params.shock.start_month {
        return;
    }
    let shock = params.shock.clone();
    if shock.rate_rise != 0.0 {
        // The required return on equity is the risk-free rate plus a premium, so fair
        // multiples fall with it at the next reports (markets::fundamentals).
        rates.shock_rise = shock.rate_rise;
        rates.apply(&mut params);
        events.record(
            &clock,
            EventKind::Shock,
            AgentId(0),
            None,
            None,
            format!("every interest rate rises by {:.2} points", shock.rate_rise * 100.0),
        );
    }
    if shock.firm.is_empty() {
        return;
    }
    for (&id, firm, mut seller) in sellers.iter_mut().sort::<&AgentId>() {
        if *firm.name == *shock.firm {
            seller.demand_retained = 1.0 - shock.ai_demand_loss_share;
            events.record(
                &clock,
                EventKind::Shock,
                id,
                None,
                None,
                format!(
                    "{} loses {:.0}% of its end-user demand and training compute",
                    firm.name,
                    shock.ai_demand_loss_share * 100.0
                ),
            );
        }
    }
}
