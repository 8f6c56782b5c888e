//! Securities backed by data-centre leases, and how the market values them. Two kinds
//! of deal issue them: an SPV sells one bond against its lease-back (`spv`), and a
//! sponsor pools several of its wholesale leases into senior / mezzanine / equity
//! tranches (`securitisation`). Each security carries the modelled one-year probability
//! that its holders lose money and its expected loss; the market prices it at
//! par + (coupon − required yield) × duration, the required yield being risk-free +
//! liquidity premium + expected loss, and forced sales push a fire-sale discount on top
//! that decays with time. Holders own shares ("units") of a whole tranche, so principal
//! paid down or written off reaches every holder pro rata without touching holdings.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::credit::{Rating, expected_shortfall_share, expected_tranche_loss, shortfall_probability, tranche_default_probability};
use crate::finance::waterfall::Tranche;
use crate::real_estate::leases::{Lease, LeaseStatus};

/// What a security is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum SecurityClass {
    /// An SPV's bond, backed by one lease-back and its building.
    LeaseBond,
    /// A pool's senior tranche: paid first, written off last.
    Senior,
    /// A pool's middle tranche, between the equity and senior tranches.
    Mezzanine,
    /// The first-loss tranche of a pool, kept by the sponsor.
    Equity,
}

impl SecurityClass {
    /// The class as written in the traces.
    pub fn label(self) -> &'static str {
        match self {
            SecurityClass::LeaseBond => "lease_bond",
            SecurityClass::Senior => "senior",
            SecurityClass::Mezzanine => "mezzanine",
            SecurityClass::Equity => "equity",
        }
    }
}

/// A bond or tranche.
#[derive(Component, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Security {
    /// An SPV's bond, or which tranche of a pool.
    pub class: SecurityClass,
    /// The SPV or pool whose cash flows pay it.
    pub issuer: AgentId,
    /// The sponsor that arranged it and keeps what investors did not buy.
    pub sponsor: AgentId,
    /// Who receives the proceeds of the sale (the SPV for its bond, the sponsor for a pool).
    pub proceeds_to: AgentId,
    /// Principal outstanding and coupon.
    pub tranche: Tranche,
    /// Principal at issue, USD.
    pub original_principal_usd: f64,
    /// Attachment point at issue, share of the pool's loans (0 for SPV bonds).
    pub attachment: f64,
    /// Detachment point at issue, share of the pool's loans (1 for senior tranches and SPV bonds).
    pub detachment: f64,
    /// Month of issue, counted from the start month (`Clock::month`).
    pub issue_month: i32,
    /// False until the primary market has sold it.
    pub placed: bool,
    /// Share of the tranche the sponsor holds.
    pub retained_share: f64,
    /// Share bought by the wider market from institutions' forced sales.
    pub outside_share: f64,
    /// Agency rating (None: unrated, the retained equity tranche).
    pub rating: Option<Rating>,
    /// The agency's estimate of the one-year default probability (lags the model).
    pub agency_default_probability: f64,
    /// Modelled one-year probability that holders lose money.
    pub model_default_probability: f64,
    /// Modelled expected loss, share of principal.
    pub expected_loss: f64,
    /// Price per 100 of principal from the model, before fire-sale discounts.
    pub fair_price: f64,
    /// Log discount from forced sales (≤ 0), decaying towards 0.
    pub fire_sale_discount: f64,
    /// Principal written off so far, USD.
    pub realised_loss_usd: f64,
    /// Interest due but unpaid so far, USD.
    pub interest_shortfall_usd: f64,
    /// A rating review is due now (a collateral event happened).
    pub review_due: bool,
    /// The issuer (an SPV) defaulted on it.
    pub issuer_defaulted: bool,
}

impl Security {
    /// Market price per 100 of principal.
    pub fn price(&self) -> f64 {
        self.fair_price * self.fire_sale_discount.exp()
    }

    /// Market value of the whole tranche.
    pub fn market_value_usd(&self) -> f64 {
        self.tranche.principal_usd * self.price() / 100.0
    }

    /// Status label for the traces.
    pub fn status(&self) -> &'static str {
        let closed = self.tranche.principal_usd <= 0.0;
        if self.issuer_defaulted {
            "defaulted"
        } else if closed && self.realised_loss_usd >= 0.999 * self.original_principal_usd {
            "written_off"
        } else if closed && self.realised_loss_usd > 0.0 {
            "closed_with_loss"
        } else if closed {
            "repaid"
        } else if self.realised_loss_usd > 0.0 {
            "impaired"
        } else {
            "performing"
        }
    }

    /// Whether principal is still outstanding (a closed security pays and trades no more).
    pub fn outstanding(&self) -> bool {
        self.tranche.principal_usd > 0.0
    }

    /// Whether a holder bound to `min_rating` may hold it.
    pub fn eligible_for(&self, min_rating: Rating) -> bool {
        self.rating.is_some_and(|rating| rating <= min_rating)
    }
}

/// Price per 100 of a security paying `coupon` when the market requires risk-free +
/// liquidity premium + expected loss: 100 · exp(−(required − coupon) · duration), at most 150.
pub fn fair_price(params: &Params, coupon: f64, expected_loss: f64) -> f64 {
    let s = &params.securitisation;
    let required = params.financing.risk_free_rate + s.liquidity_premium + expected_loss;
    (100.0 * (-(required - coupon) * s.duration_years).exp()).min(150.0)
}

/// The coupon that prices a new security at par.
pub fn par_coupon(params: &Params, expected_loss: f64) -> f64 {
    params.financing.risk_free_rate + params.securitisation.liquidity_premium + expected_loss
}

/// A loan in a pool: the building's lease and the debt raised against it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Collateral {
    /// The wholesale lease whose rent serves the loan.
    pub lease: AgentId,
    /// The building let under it.
    pub datacenter: AgentId,
    /// The loan: `securitisation.advance_rate` × the building's value at pooling, USD.
    pub loan_usd: f64,
    /// False once the lease has ended (default, break, expiry) and the sponsor bought the loan out.
    pub performing: bool,
}

/// A sponsor's pool of lease loans and its tranches (senior first).
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Pool {
    /// The sponsor whose leases back it and who receives what the waterfall leaves.
    pub sponsor: AgentId,
    /// Its loans, one per lease.
    pub collateral: Vec<Collateral>,
    /// Its securities: senior, mezzanine, equity.
    pub tranches: Vec<AgentId>,
}

impl Pool {
    /// Principal of the loans still performing, USD.
    pub fn performing_balance_usd(&self) -> f64 {
        self.collateral.iter().filter(|c| c.performing).map(|c| c.loan_usd).sum()
    }
}

/// One performing loan's risk: its one-year probability of a loss event (the tenant
/// defaults or leaves) and what the building would fetch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoanRisk {
    /// The loan, USD.
    pub loan_usd: f64,
    /// One-year probability that the tenant defaults or leaves (1 once the lease has ended).
    pub loss_event_probability: f64,
    /// Median price of a forced sale of the building (its liquidation value), USD.
    pub sale_value_usd: f64,
}

impl LoanRisk {
    /// The risk of a loan against `lease`: its tenant's default and exit probabilities
    /// combined, or a certain loss event once the lease is no longer active.
    pub fn of(lease: &Lease, loan_usd: f64, sale_value_usd: f64) -> Self {
        let probability = if lease.status == LeaseStatus::Active {
            1.0 - (1.0 - lease.default_probability_1y) * (1.0 - lease.exit_probability_1y)
        } else {
            1.0
        };
        Self {
            loan_usd,
            loss_event_probability: probability,
            sale_value_usd,
        }
    }
}

/// Each tranche's (default probability, expected loss) for a pool, senior first, from
/// the Vasicek large-pool model: the pool's default probability and loss given default
/// are the loan-weighted averages of its loans'; a tranche's attachment is the
/// principal junior to it over the performing balance.
pub fn assess_pool(params: &Params, loans: &[LoanRisk], tranche_principals: &[f64]) -> Vec<(f64, f64)> {
    let volatility = params.financing.building_value_volatility;
    let balance: f64 = loans.iter().map(|l| l.loan_usd).sum();
    let (mut pd, mut expected) = (0.0, 0.0);
    for loan in loans {
        let weight = loan.loan_usd / balance;
        pd += weight * loan.loss_event_probability;
        expected += weight * loan.loss_event_probability * expected_shortfall_share(loan.loan_usd, loan.sale_value_usd, volatility);
    }
    let lgd = if pd > 0.0 { (expected / pd).clamp(0.0, 1.0) } else { 0.0 };
    let rho = params.securitisation.asset_correlation;
    let mut junior: f64 = tranche_principals.iter().sum();
    tranche_principals
        .iter()
        .map(|&own| {
            junior -= own;
            if own <= 0.0 {
                return (0.0, 0.0);
            }
            if balance <= 0.0 || pd <= 0.0 {
                return if balance <= 0.0 { (1.0, 1.0) } else { (0.0, 0.0) };
            }
            let attach = (junior / balance).min(1.0);
            let detach = ((junior + own) / balance).min(1.0);
            if detach <= attach {
                return (1.0, 1.0);
            }
            let loss_share_of_width = expected_tranche_loss(pd, rho, lgd, attach, detach);
            // The width may exceed the principal after turbo pay-downs; losses are capped by it.
            let width_usd = (detach - attach) * balance;
            (
                tranche_default_probability(pd, rho, lgd, attach),
                (loss_share_of_width * width_usd / own).min(1.0),
            )
        })
        .collect()
}

/// An SPV bond's (default probability, expected loss). While the building is let, the
/// bond loses money if the tenant defaults and the building (plus the SPV's cash) sells
/// for less than the principal, or if the tenant leaves and the sale plus the residual
/// value guarantee falls short. While it is vacant, if the cash runs out within a year
/// before a new tenant comes and the sale falls short.
pub fn assess_spv_bond(
    params: &Params,
    principal_usd: f64,
    sale_value_usd: f64,
    cash_usd: f64,
    guarantee_usd: f64,
    lease: Option<&Lease>,
    debt_service_usd_per_month: f64,
) -> (f64, f64) {
    if principal_usd <= 0.0 {
        return (0.0, 0.0);
    }
    let volatility = params.financing.building_value_volatility;
    let loss = |uncovered: f64| {
        (
            shortfall_probability(uncovered, sale_value_usd, volatility),
            expected_shortfall_share(uncovered, sale_value_usd, volatility) * uncovered.max(0.0) / principal_usd,
        )
    };
    let uncovered = principal_usd - cash_usd.max(0.0);
    match lease.filter(|l| l.status == LeaseStatus::Active) {
        Some(lease) => {
            let (pd_default, el_default) = loss(uncovered);
            let (pd_exit, el_exit) = loss(uncovered - guarantee_usd);
            (
                (lease.default_probability_1y * pd_default + lease.exit_probability_1y * pd_exit).min(1.0),
                (lease.default_probability_1y * el_default + lease.exit_probability_1y * el_exit).min(1.0),
            )
        }
        None => {
            let months_covered = if debt_service_usd_per_month > 0.0 {
                cash_usd.max(0.0) / debt_service_usd_per_month
            } else {
                f64::INFINITY
            };
            let runs_out = (1.0 - months_covered / 12.0).clamp(0.0, 1.0);
            let (pd, el) = loss(uncovered);
            (runs_out * pd, runs_out * el)
        }
    }
}

/// Interest and principal paid this month on whole tranches, for their holders.
#[derive(Resource, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SecurityCashflows {
    /// What each security was paid this month, by its id.
    pub paid: BTreeMap<AgentId, TranchePaid>,
}

/// What one whole tranche received this month.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TranchePaid {
    /// Coupon paid, USD.
    pub interest_usd: f64,
    /// Principal repaid (amortisation, pay-downs, recoveries), USD.
    pub principal_usd: f64,
}

/// Monthly, first in the credit phase: forget last month's payments.
pub fn clear_cashflows(mut cashflows: ResMut<SecurityCashflows>) {
    cashflows.paid.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params(std::sync::Arc::new(bubblesim_config::Config::baseline()))
    }

    #[test]
    fn a_new_security_prices_at_par_and_falls_as_expected_loss_rises() {
        let params = params();
        let coupon = par_coupon(&params, 0.001);
        assert!((fair_price(&params, coupon, 0.001) - 100.0).abs() < 1e-9);
        assert!(fair_price(&params, coupon, 0.05) < 80.0);
        assert!(fair_price(&params, coupon, 0.0) > 100.0);
    }

    #[test]
    fn senior_tranches_are_safer_and_riskier_loans_hurt_every_tranche() {
        let params = params();
        let safe = vec![
            LoanRisk {
                loan_usd: 100.0,
                loss_event_probability: 0.01,
                sale_value_usd: 120.0,
            };
            4
        ];
        let risky: Vec<LoanRisk> = safe
            .iter()
            .map(|l| LoanRisk {
                loss_event_probability: 0.2,
                sale_value_usd: 60.0,
                ..*l
            })
            .collect();
        let principals = [280.0, 80.0, 40.0];
        let calm = assess_pool(&params, &safe, &principals);
        let stressed = assess_pool(&params, &risky, &principals);
        assert!(calm[0].0 <= calm[1].0 && calm[1].0 < calm[2].0);
        assert!(calm[0].1 <= calm[1].1 && calm[1].1 <= calm[2].1);
        for k in 0..3 {
            assert!(stressed[k].0 >= calm[k].0 && stressed[k].1 >= calm[k].1);
        }
        assert!(stressed[1].0 > 10.0 * calm[1].0);
    }

    #[test]
    fn a_guarantee_and_cash_protect_an_spv_bond() {
        let params = params();
        let mut lease = Lease::wholesale(&params, AgentId(1), AgentId(2), AgentId(3), 1.0, 0);
        lease.default_probability_1y = 0.02;
        lease.exit_probability_1y = 0.2;
        let without = assess_spv_bond(&params, 100.0, 80.0, 0.0, 0.0, Some(&lease), 1.0);
        let with_guarantee = assess_spv_bond(&params, 100.0, 80.0, 0.0, 60.0, Some(&lease), 1.0);
        assert!(with_guarantee.0 < without.0 && with_guarantee.1 < without.1);
        // Vacant: a year of cash means no default within the year.
        assert_eq!(assess_spv_bond(&params, 100.0, 80.0, 12.0, 0.0, None, 1.0), (0.0, 0.0));
        let vacant = assess_spv_bond(&params, 100.0, 80.0, 3.0, 0.0, None, 1.0);
        assert!(vacant.0 > without.0);
    }
}
