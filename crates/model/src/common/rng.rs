//! Random numbers, derived so that results never depend on thread count or iteration
//! order: every draw is a pure function of (seed, purpose, tick, key), where the key is an
//! agent id or a block of them. No system shares an RNG with another.
//!
//! - [`stream`] gives a `ChaCha8Rng` for a (purpose, tick, key): for draws made once per
//!   firm, lease or cohort per event.
//! - [`uniform`] is a counter-based generator (a SplitMix64-style finaliser over the same
//!   inputs) for the hot per-agent-per-tick draws of the retail population, where seeding
//!   a ChaCha stream per agent per tick would cost more than the agent's whole update.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What a draw is for: each purpose is an independent family of streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Starting-state draws at setup (e.g. which retail investors are novices).
    Setup = 1,
    /// Monthly shocks to end-user demand.
    Demand = 2,
    /// Whether a lab's funding round succeeds.
    Funding = 3,
    /// Lease renegotiation decisions.
    Leases = 4,
    /// Retail investors' daily strategy switches.
    RetailSwitch = 5,
    /// Daily idiosyncratic noise in listed firms' prices.
    PriceNoise = 6,
    /// Daily noise in the hype level.
    Narrative = 7,
    /// Frontier model releases' capability gains.
    News = 8,
    /// Enterprise adopters' pilots, decisions and churn.
    Adoption = 9,
    /// Forecasters' starting beliefs.
    Forecast = 10,
    /// Venture capital's draws (no system draws from this purpose yet).
    Venture = 11,
    /// The daily shock common to the AI sector's prices.
    SectorNoise = 12,
    /// Regions: the starting growth deviations, their quarterly shocks and the shuffle of data-centre ranks.
    Macro = 13,
    /// The daily market-wide shock to the non-AI share of every listed firm's value.
    MarketNoise = 14,
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn key_of(seed: u64, purpose: Purpose, tick: u32, key: u64) -> u64 {
    mix(mix(mix(seed ^ mix(purpose as u64)) ^ u64::from(tick)) ^ key)
}

/// An independent ChaCha8 stream for (seed, purpose, tick, key).
pub fn stream(seed: u64, purpose: Purpose, tick: u32, key: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(key_of(seed, purpose, tick, 0));
    rng.set_stream(key);
    rng
}

/// A uniform number in [0, 1) for (seed, purpose, tick, key, draw).
pub fn uniform(seed: u64, purpose: Purpose, tick: u32, key: u64, draw: u64) -> f64 {
    let bits = mix(key_of(seed, purpose, tick, key) ^ mix(draw));
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal draw from two counter-based uniforms (Box–Muller).
pub fn normal(seed: u64, purpose: Purpose, tick: u32, key: u64, draw: u64) -> f64 {
    let u1 = 1.0 - uniform(seed, purpose, tick, key, 2 * draw);
    let u2 = uniform(seed, purpose, tick, key, 2 * draw + 1);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn uniform_is_uniform_and_keyed() {
        let n = 200_000;
        let mean: f64 = (0..n).map(|k| uniform(7, Purpose::RetailSwitch, 3, k, 0)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
        assert_ne!(
            uniform(7, Purpose::RetailSwitch, 3, 1, 0),
            uniform(7, Purpose::RetailSwitch, 4, 1, 0)
        );
        assert_ne!(uniform(7, Purpose::RetailSwitch, 3, 1, 0), uniform(7, Purpose::PriceNoise, 3, 1, 0));
        assert_eq!(uniform(7, Purpose::Leases, 3, 1, 0), uniform(7, Purpose::Leases, 3, 1, 0));
    }

    #[test]
    fn normal_has_unit_variance() {
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|k| normal(1, Purpose::PriceNoise, 0, k, 0)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "{mean} {var}");
    }

    #[test]
    fn streams_differ_by_key() {
        let a: u64 = stream(1, Purpose::Leases, 5, 10).random();
        let b: u64 = stream(1, Purpose::Leases, 5, 11).random();
        let c: u64 = stream(1, Purpose::Leases, 5, 10).random();
        assert_ne!(a, b);
        assert_eq!(a, c);
    }
}

#[cfg(test)]
mod golden {
    use super::*;
    use rand::Rng;

    /// Fixed values: if a dependency update or a change here alters the streams, runs
    /// would no longer reproduce earlier results, and this test says so first.
    #[test]
    fn streams_are_stable_across_versions() {
        let drawn: u64 = stream(20251001, Purpose::Leases, 42, 7).random();
        let counter = uniform(20251001, Purpose::RetailSwitch, 42, 7, 0);
        assert_eq!(drawn, GOLDEN_STREAM);
        assert_eq!(counter.to_bits(), GOLDEN_UNIFORM_BITS, "{counter}");
    }

    const GOLDEN_STREAM: u64 = 12_728_216_752_089_414_752;
    /// Bits of 0.42407542259416542.
    const GOLDEN_UNIFORM_BITS: u64 = 4601311083578594196;
}
