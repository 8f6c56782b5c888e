//! Credit arithmetic for pooled, tranched securities (the groundwork of the financing
//! chain): the one-factor Vasicek model of pool losses, tranche losses from attachment
//! and detachment points, and a rating scale mapped to historical default rates.
//!
//! - Conditional default probability given the common factor Z:
//!   p(Z) = Φ((Φ⁻¹(p) − √ρ·Z) / √(1 − ρ)).
//! - Large-pool loss distribution (default fraction X): P(X ≤ x) = Φ((√(1−ρ)·Φ⁻¹(x) − Φ⁻¹(p)) / √ρ);
//!   with loss given default `lgd`, pool loss L = lgd·X.
//! - Tranche loss fraction: min(max(L − A, 0), D − A) / (D − A).

use crate::common::math::normal_cdf;

/// Φ⁻¹(p): Acklam's rational approximation refined by one Halley step (|error| < 1e-9
/// where Φ itself is accurate).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // One Halley step on Φ(x) − p.
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// Default probability of one loan given the common factor `z`.
pub fn conditional_default_probability(pd: f64, rho: f64, z: f64) -> f64 {
    if pd <= 0.0 {
        return 0.0;
    }
    if pd >= 1.0 {
        return 1.0;
    }
    normal_cdf((inverse_normal_cdf(pd) - rho.sqrt() * z) / (1.0 - rho).sqrt())
}

/// P(default fraction ≤ x) for a large pool with default probability `pd` and asset
/// correlation `rho` (0 < rho < 1).
pub fn large_pool_default_cdf(x: f64, pd: f64, rho: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    normal_cdf(((1.0 - rho).sqrt() * inverse_normal_cdf(x) - inverse_normal_cdf(pd)) / rho.sqrt())
}

/// Share of a tranche [attach, detach) lost when the pool loses `pool_loss` (shares of
/// the pool's principal).
pub fn tranche_loss_fraction(pool_loss: f64, attach: f64, detach: f64) -> f64 {
    (pool_loss - attach).max(0.0).min(detach - attach) / (detach - attach)
}

/// Expected loss of a tranche (share of its principal): E[tranche_loss(lgd·p(Z))] over the
/// standard-normal factor Z, by Simpson's rule on [−8, 8].
pub fn expected_tranche_loss(pd: f64, rho: f64, lgd: f64, attach: f64, detach: f64) -> f64 {
    const STEPS: usize = 400; // even
    let (low, high) = (-8.0, 8.0);
    let h = (high - low) / STEPS as f64;
    let density = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let integrand = |z: f64| density(z) * tranche_loss_fraction(lgd * conditional_default_probability(pd, rho, z), attach, detach);
    let mut sum = integrand(low) + integrand(high);
    for k in 1..STEPS {
        let weight = if k % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * integrand(low + k as f64 * h);
    }
    sum * h / 3.0
}

/// Probability that a tranche loses anything: P(lgd·X > attach).
pub fn tranche_default_probability(pd: f64, rho: f64, lgd: f64, attach: f64) -> f64 {
    if lgd <= 0.0 {
        return 0.0;
    }
    1.0 - large_pool_default_cdf(attach / lgd, pd, rho)
}

/// Rating grades, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Rating {
    /// AAA — the highest grade.
    Aaa,
    /// AA — very high quality.
    Aa,
    /// A — upper-medium grade.
    A,
    /// BBB — the lowest investment grade.
    Bbb,
    /// BB — the highest speculative (high-yield) grade.
    Bb,
    /// B — highly speculative.
    B,
    /// CCC/C — the lowest grades, taken together: substantial risk of default.
    Ccc,
}

impl Rating {
    /// Every grade, best first.
    pub const ALL: [Rating; 7] = [Rating::Aaa, Rating::Aa, Rating::A, Rating::Bbb, Rating::Bb, Rating::B, Rating::Ccc];

    /// The grade as written in the traces (S&P style; `CCC/C` for the lowest).
    pub fn label(self) -> &'static str {
        match self {
            Rating::Aaa => "AAA",
            Rating::Aa => "AA",
            Rating::A => "A",
            Rating::Bbb => "BBB",
            Rating::Bb => "BB",
            Rating::B => "B",
            Rating::Ccc => "CCC/C",
        }
    }

    /// Historical one-year default rate (S&P global corporates 1981–2024, secondary
    /// transcription in shared/reference/calibration.md).
    pub fn one_year_default_rate(self) -> f64 {
        match self {
            Rating::Aaa => 0.0,
            Rating::Aa => 0.0002,
            Rating::A => 0.0005,
            Rating::Bbb => 0.0014,
            Rating::Bb => 0.0056,
            Rating::B => 0.0293,
            Rating::Ccc => 0.2612,
        }
    }

    /// BBB or better.
    pub fn investment_grade(self) -> bool {
        self <= Rating::Bbb
    }

    /// The grade whose historical one-year default rate is nearest `pd` in log terms:
    /// boundaries at the geometric means of neighbouring grades' rates, AAA up to half
    /// the AA rate (its own record is 0.00%).
    pub fn for_default_probability(pd: f64) -> Rating {
        let rates = Rating::ALL.map(Rating::one_year_default_rate);
        let mut upper_bounds = [rates[1] / 2.0; 6];
        for (bound, pair) in upper_bounds.iter_mut().skip(1).zip(rates[1..].windows(2)) {
            *bound = (pair[0] * pair[1]).sqrt();
        }
        upper_bounds
            .iter()
            .position(|&bound| pd <= bound)
            .map_or(Rating::Ccc, |k| Rating::ALL[k])
    }

    /// Reads a label as written in config (`CCC` also stands for CCC/C).
    pub fn from_label(label: &str) -> Option<Rating> {
        match label {
            "CCC" => Some(Rating::Ccc),
            _ => Rating::ALL.into_iter().find(|r| r.label() == label),
        }
    }
}

/// P(V < principal) for a log-normal sale value V with median `value` and log-sigma
/// `volatility`: the chance a forced sale of the collateral does not repay the debt.
pub fn shortfall_probability(principal: f64, value: f64, volatility: f64) -> f64 {
    if principal <= 0.0 {
        return 0.0;
    }
    if value <= 0.0 {
        return 1.0;
    }
    normal_cdf((principal / value).ln() / volatility)
}

/// E[max(principal − V, 0)] / principal for that V (a put on the collateral): the
/// expected loss share of the debt when the collateral must be sold.
pub fn expected_shortfall_share(principal: f64, value: f64, volatility: f64) -> f64 {
    if principal <= 0.0 {
        return 0.0;
    }
    if value <= 0.0 {
        return 1.0;
    }
    let d2 = (value / principal).ln() / volatility;
    let d1 = d2 + volatility;
    // V median `value`: E[V·1{V<K}] = value·e^{σ²/2}·Φ(−d1)
    ((principal * normal_cdf(-d2) - value * (volatility * volatility / 2.0).exp() * normal_cdf(-d1)) / principal).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_normal_cdf_inverts() {
        for &p in &[1e-6, 0.001, 0.0243, 0.1, 0.5, 0.9, 0.975, 0.999] {
            let x = inverse_normal_cdf(p);
            assert!((normal_cdf(x) - p).abs() < 1e-7 * p.max(1e-3), "{p}: {x}");
        }
        assert!((inverse_normal_cdf(0.975) - 1.959_963_985).abs() < 1e-6);
    }

    #[test]
    fn vasicek_cdf_matches_hand_values() {
        // p = 2%, ρ = 0.2, x = 5%: Φ((√0.8·Φ⁻¹(0.05) − Φ⁻¹(0.02))/√0.2)
        // = Φ((0.894427·(−1.644854) + 2.053749)/0.447214) = Φ(1.302497) ≈ 0.903628.
        assert!((large_pool_default_cdf(0.05, 0.02, 0.2) - 0.903_628).abs() < 1e-4);
        // p = 1%, ρ = 0.1, x = 1%: Φ((√0.9 − 1)·Φ⁻¹(0.01)/√0.1) = Φ(0.378 7…) ≈ 0.6475.
        let by_hand = normal_cdf(((0.9f64).sqrt() - 1.0) * inverse_normal_cdf(0.01) / (0.1f64).sqrt());
        assert!((large_pool_default_cdf(0.01, 0.01, 0.1) - by_hand).abs() < 1e-12);
        assert!((by_hand - 0.6475).abs() < 1e-3);
        // p = 5%, ρ = 0.3, x = 20%: Φ((√0.7·Φ⁻¹(0.2) − Φ⁻¹(0.05))/√0.3)
        // = Φ((0.836660·(−0.841621) + 1.644854)/0.547723) = Φ(1.717480) ≈ 0.957054.
        assert!((large_pool_default_cdf(0.2, 0.05, 0.3) - 0.957_054).abs() < 1e-5);
        // The CDF rises in x and the pool's expected default fraction is p.
        assert!(large_pool_default_cdf(0.02, 0.02, 0.2) < large_pool_default_cdf(0.1, 0.02, 0.2));
        assert!((expected_tranche_loss(0.02, 0.2, 1.0, 0.0, 1.0) - 0.02).abs() < 1e-6);
    }

    #[test]
    fn tranche_losses_fill_from_the_bottom() {
        assert_eq!(tranche_loss_fraction(0.05, 0.1, 0.3), 0.0);
        assert!((tranche_loss_fraction(0.2, 0.1, 0.3) - 0.5).abs() < 1e-12);
        assert_eq!(tranche_loss_fraction(0.5, 0.1, 0.3), 1.0);
        // Senior tranches are safer than junior ones, and expected losses add up to the pool's.
        let (pd, rho, lgd) = (0.03, 0.25, 0.6);
        let equity = expected_tranche_loss(pd, rho, lgd, 0.0, 0.05);
        let mezzanine = expected_tranche_loss(pd, rho, lgd, 0.05, 0.15);
        let senior = expected_tranche_loss(pd, rho, lgd, 0.15, 1.0);
        assert!(equity > mezzanine && mezzanine > senior);
        let total = 0.05 * equity + 0.10 * mezzanine + 0.85 * senior;
        assert!((total - lgd * pd).abs() < 1e-6, "{total}");
        assert!(tranche_default_probability(pd, rho, lgd, 0.15) < tranche_default_probability(pd, rho, lgd, 0.05));
    }

    #[test]
    fn collateral_shortfall_matches_the_lognormal_put() {
        // Principal 80 against a sale value with median 100, σ = 0.3:
        // P(V < 80) = Φ(ln 0.8 / 0.3) = Φ(−0.7438) ≈ 0.2285.
        assert!((shortfall_probability(80.0, 100.0, 0.3) - 0.2285).abs() < 1e-3);
        // E[max(80 − V, 0)] by Simpson over the log-normal density matches the formula.
        let (principal, median, sigma) = (80.0, 100.0, 0.3);
        let steps = 4000;
        let (low, high) = (-8.0f64, 8.0f64);
        let h = (high - low) / steps as f64;
        let f = |z: f64| {
            let v = median * (sigma * z).exp();
            (principal - v).max(0.0) * (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt()
        };
        let mut sum = f(low) + f(high);
        for k in 1..steps {
            sum += if k % 2 == 1 { 4.0 } else { 2.0 } * f(low + k as f64 * h);
        }
        let by_quadrature = sum * h / 3.0 / principal;
        assert!((expected_shortfall_share(principal, median, sigma) - by_quadrature).abs() < 1e-4);
        assert!(expected_shortfall_share(50.0, 100.0, 0.3) < expected_shortfall_share(90.0, 100.0, 0.3));
    }

    #[test]
    fn ratings_follow_default_rates() {
        assert_eq!(Rating::for_default_probability(0.0), Rating::Aaa);
        assert_eq!(Rating::for_default_probability(0.00005), Rating::Aaa);
        assert_eq!(Rating::for_default_probability(0.0002), Rating::Aa);
        assert_eq!(Rating::for_default_probability(0.0005), Rating::A);
        assert_eq!(Rating::for_default_probability(0.001), Rating::Bbb);
        assert_eq!(Rating::for_default_probability(0.005), Rating::Bb);
        assert_eq!(Rating::for_default_probability(0.02), Rating::B);
        assert_eq!(Rating::for_default_probability(0.5), Rating::Ccc);
        // Each grade's own historical rate maps back to it.
        for rating in Rating::ALL {
            assert_eq!(Rating::for_default_probability(rating.one_year_default_rate()), rating);
        }
        assert_eq!(Rating::from_label("CCC"), Some(Rating::Ccc));
        assert_eq!(Rating::from_label("BBB"), Some(Rating::Bbb));
        assert_eq!(Rating::from_label("BBB-"), None);
        assert!(Rating::Bbb.investment_grade() && !Rating::Bb.investment_grade());
    }
}
