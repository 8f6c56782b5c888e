//! Venture capital (docs/model.md#venture-capital-and-funding-rounds). Each month VC
//! funds commit new capital and split it between AI pure plays and other startups: the
//! AI share = base + per_hype × hype + per_mark_return × the return of their AI marks
//! over the lookback, so it follows the narrative and how their lab stakes are marked.
//! The AI part waits as dry powder for the model's labs to raise (`funding`); a
//! 1/`dry_powder_months` slice of it goes each month to AI startups outside the model.
//! Lab stakes are marked at each lab's last round (`Lab::valuation_usd`) and at zero
//! once it fails.

use bevy_ecs::prelude::*;

use crate::beliefs::narrative::Narrative;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::firms::firm::Firm;
use crate::firms::roles::{Lab, Stakes};
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

/// A venture-capital fund.
#[derive(Component, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct VentureFund {
    /// The fund's name.
    pub name: std::sync::Arc<str>,
    /// Capital allocated to AI and not yet invested.
    pub dry_powder_usd: f64,
}

/// This month's allocation of venture capital and the funds' marks.
#[derive(Resource, Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Venture {
    /// Share of new capital going to AI pure plays.
    pub ai_share: f64,
    /// New capital going to AI this month, USD (AI share × `venture.new_capital_usd_per_month`).
    pub ai_capital_usd: f64,
    /// Return of the funds' AI marks over the lookback.
    pub mark_return: f64,
    /// Each of the last `marks_lookback_months` months' change of the funds' marks (the
    /// ratio of their stakes' value after the month, less new money, to before), newest last.
    pub monthly_mark_ratios: Vec<f64>,
    /// Value of the funds' lab stakes before this month's rounds and failures.
    pub value_before_rounds_usd: f64,
    /// What the funds put into rounds this month.
    pub invested_this_month_usd: f64,
}

impl Venture {
    /// Adds this month's change of marks — the stakes' value after the month's rounds and
    /// failures, less the new money, over their value before — and sets the return over
    /// the lookback. A down round or a failure lowers it, an up round raises it.
    pub fn chain_marks(&mut self, value_after_usd: f64, lookback_months: u32) {
        let ratio = if self.value_before_rounds_usd > 0.0 {
            ((value_after_usd - self.invested_this_month_usd) / self.value_before_rounds_usd).max(0.0)
        } else {
            1.0
        };
        self.monthly_mark_ratios.push(ratio);
        if self.monthly_mark_ratios.len() > lookback_months as usize {
            self.monthly_mark_ratios.remove(0);
        }
        // The months' changes compound; a wipe-out drops out once it is older than the lookback.
        self.mark_return = self.monthly_mark_ratios.iter().product::<f64>() - 1.0;
    }
}

/// The AI share of new venture capital, within [0, 1].
pub fn ai_share(params: &Params, hype: f64, mark_return: f64) -> f64 {
    let v = &params.venture;
    (v.ai_share_base + v.ai_share_per_hype * hype + v.ai_share_per_mark_return * mark_return).clamp(0.0, 1.0)
}

/// Value of a holder's lab stakes at the labs' last marks (failed labs are worth 0).
pub fn stakes_value_usd(stakes: &Stakes, labs: &Query<(&AgentId, &Firm, &mut Lab)>) -> f64 {
    let mut value = 0.0;
    for (lab_id, units) in &stakes.units {
        for (id, firm, lab) in labs.iter() {
            if id == lab_id && firm.active {
                value += lab.stake_value_usd(*units);
            }
        }
    }
    value
}

/// Monthly, before rounds: re-mark the funds, set the AI share, add to dry powder.
pub fn allocate_venture(
    params: Res<Params>,
    narrative: Res<Narrative>,
    labs: Query<(&AgentId, &Firm, &mut Lab)>,
    mut funds: Query<(&AgentId, &mut VentureFund, &Stakes)>,
    mut venture: ResMut<Venture>,
    mut ledger: ResMut<Ledger>,
) {
    let v = &params.venture;
    venture.value_before_rounds_usd = funds
        .iter()
        .sort::<&AgentId>()
        .map(|(_, _, stakes)| stakes_value_usd(stakes, &labs))
        .sum();
    venture.invested_this_month_usd = 0.0;
    venture.ai_share = ai_share(&params, narrative.hype, venture.mark_return);
    venture.ai_capital_usd = venture.ai_share * v.new_capital_usd_per_month;
    let per_fund = venture.ai_capital_usd / f64::from(v.funds);
    let keep_share = 1.0 - 1.0 / v.dry_powder_months;
    for (&id, mut fund, _) in funds.iter_mut().sort::<&AgentId>() {
        // Dry powder leaks to AI startups outside the model; new capital comes in from
        // limited partners (both in the rest of the economy).
        let leaked = fund.dry_powder_usd * (1.0 - keep_share);
        fund.dry_powder_usd = fund.dry_powder_usd - leaked + per_fund;
        ledger.pay(id, REST_OF_ECONOMY, leaked);
        ledger.pay(REST_OF_ECONOMY, id, per_fund);
    }
}

/// Monthly, after rounds and failures: the month's change of marks.
pub fn remark_venture(
    params: Res<Params>,
    labs: Query<(&AgentId, &Firm, &mut Lab)>,
    funds: Query<(&AgentId, &Stakes), With<VentureFund>>,
    mut venture: ResMut<Venture>,
) {
    let after: f64 = funds
        .iter()
        .sort::<&AgentId>()
        .map(|(_, stakes)| stakes_value_usd(stakes, &labs))
        .sum();
    venture.chain_marks(after, params.venture.marks_lookback_months);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_fall_with_a_failure_or_a_down_round_and_rise_with_an_up_round() {
        let mut venture = Venture::default();
        // No stakes yet: the index stays at 1.
        venture.chain_marks(0.0, 6);
        assert_eq!(venture.mark_return, 0.0);
        // Stakes worth 100; a round brings 20 of new money and leaves them worth 120.
        venture.value_before_rounds_usd = 100.0;
        venture.invested_this_month_usd = 20.0;
        venture.chain_marks(120.0, 6);
        assert!(venture.mark_return.abs() < 1e-12, "new money is not a return");
        // An up round: the old stakes are worth 150 after 20 more.
        venture.value_before_rounds_usd = 120.0;
        venture.chain_marks(170.0, 6);
        assert!(venture.mark_return > 0.2);
        // A failure wipes out half the portfolio.
        venture.value_before_rounds_usd = 170.0;
        venture.invested_this_month_usd = 0.0;
        venture.chain_marks(85.0, 6);
        assert!((venture.mark_return - (1.25 * 0.5 - 1.0)).abs() < 1e-9, "{}", venture.mark_return);
        // The last lab fails: the return is −100% … until the wipe-out is older than the
        // lookback, when new stakes count again.
        venture.value_before_rounds_usd = 85.0;
        venture.chain_marks(0.0, 6);
        assert_eq!(venture.mark_return, -1.0);
        venture.value_before_rounds_usd = 0.0;
        for _ in 0..5 {
            venture.chain_marks(0.0, 6);
        }
        assert_eq!(venture.mark_return, -1.0);
        venture.chain_marks(0.0, 6);
        assert_eq!(venture.mark_return, 0.0);
    }

    #[test]
    fn baseline_share_is_near_58_percent_and_moves_with_hype_and_marks() {
        let params = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        let start = ai_share(&params, params.narrative.initial_hype, 0.0);
        assert!((start - 0.58).abs() < 0.01, "{start}");
        assert!(ai_share(&params, 0.2, 0.0) < start);
        assert!(ai_share(&params, 0.85, -0.5) < start);
        assert!(ai_share(&params, 0.85, 0.5) > start);
    }
}
