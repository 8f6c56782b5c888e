//! Sample statistics of a return series, for checking the stylised facts of asset
//! returns (Cont 2001): fat tails (excess kurtosis), no linear autocorrelation of
//! returns, and slowly decaying autocorrelation of absolute returns.

/// Mean of a sample (0 for an empty one).
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

/// Sample excess kurtosis: m4 / m2² − 3 (0 for a normal distribution).
pub fn excess_kurtosis(x: &[f64]) -> f64 {
    let m = mean(x);
    let m2 = mean(&x.iter().map(|v| (v - m).powi(2)).collect::<Vec<_>>());
    let m4 = mean(&x.iter().map(|v| (v - m).powi(4)).collect::<Vec<_>>());
    if m2 > 0.0 { m4 / (m2 * m2) - 3.0 } else { 0.0 }
}

/// Sample autocorrelation at `lag`: Σ (x_t − m)(x_{t+lag} − m) / Σ (x_t − m)².
pub fn autocorrelation(x: &[f64], lag: usize) -> f64 {
    if lag >= x.len() {
        return 0.0;
    }
    let m = mean(x);
    let denominator: f64 = x.iter().map(|v| (v - m).powi(2)).sum();
    if denominator <= 0.0 {
        return 0.0;
    }
    let numerator: f64 = x.windows(lag + 1).map(|w| (w[0] - m) * (w[lag] - m)).sum();
    numerator / denominator
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_known_series() {
        // Alternating signs: autocorrelation −1 at lag 1 (up to the end effect), +1 at 2.
        let alternating: Vec<f64> = (0..1000).map(|t| if t % 2 == 0 { 1.0 } else { -1.0 }).collect();
        assert!((autocorrelation(&alternating, 1) + 0.999).abs() < 1e-9);
        assert!((autocorrelation(&alternating, 2) - 0.998).abs() < 1e-9);
        // Two-point distribution ±1: kurtosis 1, excess −2.
        assert!((excess_kurtosis(&alternating) + 2.0).abs() < 1e-12);
        // Mostly zeros with rare large values: heavy tails.
        let spiky: Vec<f64> = (0..1000).map(|t| if t % 100 == 0 { 10.0 } else { 0.0 }).collect();
        assert!(excess_kurtosis(&spiky) > 50.0);
    }
}
