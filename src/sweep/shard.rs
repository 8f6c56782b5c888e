//! Which part of a sweep's plan this process runs: `--shard K/N`, or the array task's
//! index from Slurm (`SLURM_ARRAY_TASK_ID`, `_MIN`, `_STEP`, `_COUNT`) or Kubernetes
//! (`JOB_COMPLETION_INDEX`, with `--shards N`). Shard K of N runs the plan's runs K,
//! K + N, K + 2N, … so that every shard gets a similar mix of parameters.

use std::fmt;

/// Shard `index` (1 … `count`) of `count`, and where that came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
    pub origin: &'static str,
}

impl Shard {
    /// Whether the plan's run `number` (from 1) belongs to this shard.
    pub fn includes(&self, number: usize) -> bool {
        (number - 1) % self.count as usize == (self.index - 1) as usize
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shard {}/{} (from {})", self.index, self.count, self.origin)
    }
}

/// The shard to run, from the flags and then the environment; `None` runs the whole plan.
pub fn select(flag: Option<&str>, shards: Option<u32>, env: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
    if let Some(text) = flag {
        let (index, count) = text
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse::<i64>().ok()?, n.trim().parse::<i64>().ok()?)))
            .ok_or_else(|| format!("--shard {text}: expected K/N, e.g. --shard 2/8 (shard 2 of 8)"))?;
        return checked(index, count, "--shard").map(Some);
    }
    let number = |name: &str| -> Result<Option<i64>, String> {
        env(name)
            .map(|value| {
                value
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| format!("{name}={value}: expected a whole number"))
            })
            .transpose()
    };
    if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
        let count =
            number("SLURM_ARRAY_TASK_COUNT")?.ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard K/N")?;
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
        if (id - min) % step != 0 {
            return Err(format!(
                "SLURM_ARRAY_TASK_ID={id} is not on the array's step ({min}, {}, …); submit a contiguous array such as --array=1-{count}",
                min + step
            ));
        }
        return checked((id - min) / step + 1, count, "SLURM_ARRAY_TASK_ID")
            .map(Some)
            .map_err(|err| format!("{err}; submit a contiguous array such as --array=1-{count}"));
    }
    if let Some(index) = number("JOB_COMPLETION_INDEX")? {
        let count = shards.ok_or("JOB_COMPLETION_INDEX is set: pass --shards N with the Job's completions (or --shard K/N)")?;
        return checked(index + 1, i64::from(count), "JOB_COMPLETION_INDEX").map(Some);
    }
    match shards {
        Some(_) => Err("--shards N takes the index from JOB_COMPLETION_INDEX, which is not set; pass --shard K/N".to_owned()),
        None => Ok(None),
    }
}

fn checked(index: i64, count: i64, origin: &'static str) -> Result<Shard, String> {
    if count < 1 || count > i64::from(u32::MAX) {
        return Err(format!("{origin}: the number of shards must be at least 1, got {count}"));
    }
    if index < 1 || index > count {
        return Err(format!("{origin}: shard {index} is outside 1..{count}"));
    }
    Ok(Shard {
        index: index as u32,
        count: count as u32,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_flag_wins_and_is_checked() {
        let shard = select(Some("2/3"), None, env(&[("SLURM_ARRAY_TASK_ID", "1")])).unwrap().unwrap();
        assert_eq!((shard.index, shard.count), (2, 3));
        for bad in ["0/3", "4/3", "1/0", "-1/3", "x", "2-3", "2/"] {
            assert!(select(Some(bad), None, env(&[])).is_err(), "{bad}");
        }
        assert!(select(Some("4/3"), None, env(&[])).unwrap_err().contains("outside 1..3"));
    }

    #[test]
    fn slurm_arrays_from_zero_or_one_give_the_same_shards() {
        for (min, ids) in [(0, [0, 1, 2]), (1, [1, 2, 3])] {
            let shards: Vec<u32> = ids
                .iter()
                .map(|id| {
                    let id = id.to_string();
                    let min = min.to_string();
                    let vars = [
                        ("SLURM_ARRAY_TASK_ID", id.as_str()),
                        ("SLURM_ARRAY_TASK_MIN", min.as_str()),
                        ("SLURM_ARRAY_TASK_COUNT", "3"),
                    ];
                    select(None, None, env(&vars)).unwrap().unwrap().index
                })
                .collect();
            assert_eq!(shards, [1, 2, 3]);
        }
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert_eq!(select(None, None, env(&stepped)).unwrap().unwrap().index, 3);
        let outside = [
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert!(select(None, None, env(&outside)).is_err());
        assert!(select(None, None, env(&[("SLURM_ARRAY_TASK_ID", "1")])).is_err());
    }

    #[test]
    fn kubernetes_needs_a_count() {
        let vars = [("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(select(None, Some(4), env(&vars)).unwrap().unwrap().index, 1);
        assert!(select(None, None, env(&vars)).is_err());
        assert!(select(None, Some(4), env(&[("JOB_COMPLETION_INDEX", "4")])).is_err());
        assert!(select(None, Some(4), env(&[])).is_err());
        assert_eq!(select(None, None, env(&[])).unwrap(), None);
    }

    #[test]
    fn shards_partition_the_plan() {
        let count = 3;
        for number in 1..=10 {
            let owners = (1..=count)
                .filter(|&index| {
                    Shard {
                        index,
                        count,
                        origin: "test",
                    }
                    .includes(number)
                })
                .count();
            assert_eq!(owners, 1);
        }
    }
}
