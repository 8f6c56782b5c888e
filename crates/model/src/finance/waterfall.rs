//! The monthly cash-flow waterfall of a pooled, tranched security (groundwork of the
//! financing chain). Losses on the pool are written off from the most junior tranche
//! up; the month's cash pays interest senior first; then a coverage test decides where
//! the rest goes: while the pool covers the senior tranche by at least the trigger, it is
//! released to the residual holder, otherwise it pays down senior principal. Every
//! dollar that comes in goes out somewhere: interest, principal or residual.

/// One tranche, most senior first in a structure.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tranche {
    /// Principal outstanding, USD.
    pub principal_usd: f64,
    /// Coupon per year on outstanding principal.
    pub coupon: f64,
}

/// What one tranche received and lost this month.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TranchePayment {
    /// Interest paid, USD.
    pub interest_paid_usd: f64,
    /// Interest due but not paid (cash ran out before this tranche).
    pub interest_shortfall_usd: f64,
    /// Principal paid down by a breached coverage test (senior tranche only), USD.
    pub principal_paid_usd: f64,
    /// Principal written off, USD.
    pub loss_usd: f64,
}

/// The month's result.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallResult {
    /// One entry per tranche, in the structure's order.
    pub payments: Vec<TranchePayment>,
    /// Cash released to the residual (equity) holder.
    pub residual_usd: f64,
    /// Whether the coverage test failed and cash was diverted to the senior tranche.
    pub coverage_breached: bool,
}

/// Runs one month: `cash_usd` collected from the pool, `loss_usd` of pool principal lost,
/// `pool_balance_usd` the pool's principal after the loss, `coverage_trigger` the minimum
/// pool balance / senior principal ratio. Tranches are updated in place.
pub fn run_month(tranches: &mut [Tranche], cash_usd: f64, loss_usd: f64, pool_balance_usd: f64, coverage_trigger: f64) -> WaterfallResult {
    let mut payments = vec![TranchePayment::default(); tranches.len()];
    let mut loss = loss_usd.max(0.0);
    for (tranche, payment) in tranches.iter_mut().zip(payments.iter_mut()).rev() {
        let written_off = loss.min(tranche.principal_usd);
        tranche.principal_usd -= written_off;
        payment.loss_usd = written_off;
        loss -= written_off;
    }
    let mut cash = cash_usd.max(0.0);
    for (tranche, payment) in tranches.iter().zip(payments.iter_mut()) {
        let due = tranche.principal_usd * tranche.coupon / 12.0;
        let paid = due.min(cash);
        payment.interest_paid_usd = paid;
        payment.interest_shortfall_usd = due - paid;
        cash -= paid;
    }
    let senior_principal = tranches.first().map_or(0.0, |t| t.principal_usd);
    let coverage_breached = senior_principal > 0.0 && pool_balance_usd / senior_principal < coverage_trigger;
    if coverage_breached && let (Some(senior), Some(payment)) = (tranches.first_mut(), payments.first_mut()) {
        let paid_down = cash.min(senior.principal_usd);
        senior.principal_usd -= paid_down;
        payment.principal_paid_usd = paid_down;
        cash -= paid_down;
    }
    WaterfallResult {
        payments,
        residual_usd: cash,
        coverage_breached,
    }
}

/// Pays `cash_usd` of principal (recoveries) to the tranches senior first; returns what
/// each received and what was left over (all tranches repaid).
pub fn pay_principal_sequential(tranches: &mut [Tranche], cash_usd: f64) -> (Vec<f64>, f64) {
    let mut cash = cash_usd.max(0.0);
    let paid = tranches
        .iter_mut()
        .map(|tranche| {
            let paid = cash.min(tranche.principal_usd);
            tranche.principal_usd -= paid;
            cash -= paid;
            paid
        })
        .collect();
    (paid, cash)
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::finance::credit::tranche_loss_fraction;

    fn structure(rng: &mut ChaCha8Rng) -> Vec<Tranche> {
        (0..rng.random_range(1..5))
            .map(|_| Tranche {
                principal_usd: rng.random_range(0.0..1e9),
                coupon: rng.random_range(0.0..0.15),
            })
            .collect()
    }

    /// Randomised property checks over many structures and months.
    #[test]
    fn no_cash_is_created_or_lost_and_losses_fill_from_the_bottom() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..5_000 {
            let mut tranches = structure(&mut rng);
            let before = tranches.clone();
            let total: f64 = before.iter().map(|t| t.principal_usd).sum();
            let cash = rng.random_range(0.0..2e7);
            let loss = rng.random_range(0.0..1.2) * total;
            let result = run_month(&mut tranches, cash, loss, (total - loss).max(0.0), rng.random_range(1.0..1.5));
            let out: f64 = result
                .payments
                .iter()
                .map(|p| p.interest_paid_usd + p.principal_paid_usd)
                .sum::<f64>()
                + result.residual_usd;
            assert!((out - cash).abs() <= 1e-9 * cash.max(1.0), "cash {cash} out {out}");
            let written: f64 = result.payments.iter().map(|p| p.loss_usd).sum();
            assert!((written - loss.min(total)).abs() <= 1e-6 * total.max(1.0));
            // A tranche loses only once every tranche junior to it is wiped out.
            for k in 0..tranches.len() {
                if result.payments[k].loss_usd > 0.0 {
                    assert!(tranches[k + 1..].iter().all(|t| t.principal_usd == 0.0));
                }
            }
            // Interest goes senior first: a shortfall means nothing reached juniors.
            for k in 0..tranches.len() {
                if result.payments[k].interest_shortfall_usd > 1e-6 {
                    assert!(result.payments[k + 1..].iter().all(|p| p.interest_paid_usd == 0.0));
                }
            }
        }
    }

    #[test]
    fn recoveries_repay_senior_first_and_conserve_cash() {
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        for _ in 0..2_000 {
            let mut tranches = structure(&mut rng);
            let before = tranches.clone();
            let total: f64 = before.iter().map(|t| t.principal_usd).sum();
            let cash = rng.random_range(0.0..1.2) * total;
            let (paid, left) = pay_principal_sequential(&mut tranches, cash);
            assert!((paid.iter().sum::<f64>() + left - cash).abs() <= 1e-6 * cash.max(1.0));
            for k in 0..tranches.len() {
                // A junior tranche is repaid only once every senior one is.
                if paid[k] > 0.0 {
                    assert!(tranches[..k].iter().all(|t| t.principal_usd == 0.0));
                }
                assert!((before[k].principal_usd - tranches[k].principal_usd - paid[k]).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn write_downs_match_the_tranche_loss_formula() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..2_000 {
            let mut tranches = structure(&mut rng);
            let total: f64 = tranches.iter().map(|t| t.principal_usd).sum();
            if total <= 0.0 {
                continue;
            }
            let pool_loss_share = rng.random_range(0.0..1.0);
            let before = tranches.clone();
            let result = run_month(&mut tranches, 0.0, pool_loss_share * total, total * (1.0 - pool_loss_share), 0.0);
            // Attachment points from the bottom: the most junior tranche attaches at 0.
            let mut attach = 0.0;
            for k in (0..before.len()).rev() {
                let detach = attach + before[k].principal_usd / total;
                if detach > attach {
                    let expected = tranche_loss_fraction(pool_loss_share, attach, detach);
                    assert!((result.payments[k].loss_usd / before[k].principal_usd - expected).abs() < 1e-9);
                }
                attach = detach;
            }
        }
    }

    #[test]
    fn a_breached_coverage_test_diverts_cash_to_the_senior() {
        let mut tranches = [
            Tranche {
                principal_usd: 80.0,
                coupon: 0.12,
            },
            Tranche {
                principal_usd: 20.0,
                coupon: 0.24,
            },
        ];
        let healthy = run_month(&mut tranches.clone(), 10.0, 0.0, 100.0, 1.1);
        assert!(!healthy.coverage_breached && healthy.residual_usd > 0.0 && healthy.payments[0].principal_paid_usd == 0.0);
        let stressed = run_month(&mut tranches, 10.0, 15.0, 85.0, 1.1);
        assert!(stressed.coverage_breached && stressed.residual_usd == 0.0 && stressed.payments[0].principal_paid_usd > 0.0);
        assert_eq!(stressed.payments[1].loss_usd, 15.0);
    }
}
