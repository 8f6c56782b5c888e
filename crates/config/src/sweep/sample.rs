//! Sampled parameters: a Latin hypercube (each range cut into strata, each used once,
//! paired at random) or independent random draws, from the sample's own seed.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::ConfigError;
use crate::sweep::file::{SampleSection, invalid};
use crate::sweep::values::{Axis, MAX_SWEEP_RUNS, ParamType, ParamValue, SweepParam, round_significant};

pub(crate) struct Sample {
    pub(crate) latin_hypercube: bool,
    pub(crate) points: usize,
    pub(crate) seed: u64,
    pub(crate) significant_digits: usize,
}

pub(crate) fn check_sample(src: &str, sample: SampleSection) -> Result<Sample, ConfigError> {
    let latin_hypercube = match sample.method.as_str() {
        "latin-hypercube" => true,
        "random" => false,
        other => {
            return Err(invalid(
                src,
                "sample.method",
                format!("unknown method `{other}`; allowed: \"latin-hypercube\", \"random\""),
            ));
        }
    };
    let points = usize::try_from(sample.points)
        .ok()
        .filter(|&n| (1..=MAX_SWEEP_RUNS).contains(&n))
        .ok_or_else(|| invalid(src, "sample.points", format!("must be from 1 to {MAX_SWEEP_RUNS}")))?;
    if !(1..=15).contains(&sample.significant_digits) {
        return Err(invalid(src, "sample.significant_digits", "must be from 1 to 15"));
    }
    Ok(Sample {
        latin_hypercube,
        points,
        seed: sample.seed,
        significant_digits: sample.significant_digits as usize,
    })
}

/// The sampled parameters' values at each point, from the sample's own seed: a Latin
/// hypercube (each parameter's range cut into `points` strata, each stratum used once,
/// strata paired at random) or independent uniform draws.
pub(crate) fn sample_values(sample: &Sample, params: &[SweepParam]) -> Vec<Vec<ParamValue>> {
    let mut rng = ChaCha8Rng::seed_from_u64(sample.seed);
    let n = sample.points;
    let mut points = vec![Vec::new(); n];
    for param in params {
        let Axis::Sampled { min, max, log } = param.axis else { continue };
        let mut strata: Vec<usize> = (0..n).collect();
        if sample.latin_hypercube {
            strata.shuffle(&mut rng);
        }
        for (point, stratum) in points.iter_mut().zip(strata) {
            let jitter: f64 = rng.random();
            let u = if sample.latin_hypercube {
                (stratum as f64 + jitter) / n as f64
            } else {
                jitter
            };
            let value = if log {
                (min.ln() + u * (max.ln() - min.ln())).exp()
            } else {
                min + u * (max - min)
            };
            point.push(match param.kind {
                ParamType::Integer => ParamValue::Integer(value.round() as i64),
                _ => ParamValue::Float(round_significant(value, sample.significant_digits)),
            });
        }
    }
    points
}
