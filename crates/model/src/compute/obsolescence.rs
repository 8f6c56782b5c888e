//! Obsolescence: GPU generations ship on a cadence, each with better price/performance.
//! Because buyers pay for performance, the rent of every older cohort falls with the
//! newest generation's price per unit of performance (the compute market sets the rent
//! per H100-equivalent hour from the newest generation's cost). Each month a cohort's
//! economic value — the present value of its expected rents net of power, over the years
//! before rent no longer covers power — is compared with its straight-line book value;
//! a quarterly test impairs cohorts worth much less than their book, and cohorts that
//! are too old or no longer cover their power bill are retired and written off.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bubblesim_config::GpuConfig;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::{AgentId, in_id_order};
use crate::common::params::Params;
use crate::compute::generations::{Generations, GpuCohort, economic_value_per_gpu_usd, expected_rent_decline_per_year};
use crate::money::accounts::Accounts;

/// Monthly, before the compute market clears: ships a new generation when it is due.
pub fn release_generations(params: Res<Params>, clock: Res<Clock>, mut generations: ResMut<Generations>, mut events: ResMut<EventLog>) {
    if clock.month < generations.next_release_month {
        return;
    }
    let released = generations.release(clock.month, &params.gpus).clone();
    events.record(
        &clock,
        EventKind::GenerationRelease,
        AgentId(0),
        None,
        Some(released.price_usd),
        format!(
            "generation {} ships: {:.2} H100-equivalents at ${:.0} per GPU",
            released.index, released.performance_h100, released.price_usd
        ),
    );
}

/// Write-downs booked this month per owner, in id order.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct OwnerCharges {
    /// Straight-line depreciation, USD.
    pub depreciation_usd: f64,
    /// Write-downs to economic value at the quarterly impairment test, USD.
    pub impairment_usd: f64,
    /// Cohorts impaired this month.
    pub impaired_cohorts: u32,
    /// Book value written off on retirement, USD.
    pub retirement_usd: f64,
    /// Cohorts retired this month.
    pub retired_cohorts: u32,
}

/// What revaluing a cohort this month depends on besides the cohort.
#[derive(Debug, Clone, Copy)]
pub struct RevaluationMonth<'a> {
    /// The `gpus` configuration: lives, discount rate, electricity price and impairment trigger.
    pub gpus: &'a GpuConfig,
    /// The generations released so far.
    pub generations: &'a Generations,
    /// The expected yearly decline of rents (from the release cadence).
    pub rent_decline_per_year: f64,
    /// The calendar month (relative to the start).
    pub month: u32,
    /// The current tick, stamped on the cohorts retired now.
    pub tick: u32,
    /// Whether this month starts a quarter: the impairment test runs then.
    pub quarter_start: bool,
}

/// One cohort's month: economic value, depreciation, retirement or the quarterly
/// impairment test; the owner's charges are added to `charges`.
pub fn revalue_cohort(cohort: &mut GpuCohort, at: &RevaluationMonth, charges: &mut OwnerCharges) {
    let gpus = at.gpus;
    let generation = at.generations.get(cohort.generation);
    let power_cost = generation.power_cost_usd_per_hour(gpus.electricity_usd_per_kwh);
    let age = cohort.age_years(at.month);
    let value_per_gpu = economic_value_per_gpu_usd(
        cohort.rent_usd_per_gpu_hour,
        cohort.utilisation,
        power_cost,
        at.rent_decline_per_year,
        gpus.discount_rate,
        gpus.physical_life_years - age,
    );
    cohort.economic_value_usd = value_per_gpu * f64::from(cohort.gpus);

    let remaining_months = (gpus.accounting_life_years - age) * 12.0;
    let depreciation = if remaining_months > 1.0 {
        cohort.book_value_usd / remaining_months
    } else {
        cohort.book_value_usd
    };
    cohort.book_value_usd -= depreciation;
    charges.depreciation_usd += depreciation;

    let uneconomic = cohort.rent_usd_per_gpu_hour <= power_cost;
    if age >= gpus.physical_life_years || uneconomic {
        charges.retirement_usd += cohort.book_value_usd;
        charges.retired_cohorts += 1;
        cohort.book_value_usd = 0.0;
        cohort.economic_value_usd = 0.0;
        cohort.utilisation = 0.0;
        cohort.retired = true;
        cohort.retired_tick = at.tick;
    } else if at.quarter_start && cohort.economic_value_usd < gpus.impairment_trigger * cohort.book_value_usd {
        charges.impairment_usd += cohort.book_value_usd - cohort.economic_value_usd;
        charges.impaired_cohorts += 1;
        cohort.book_value_usd = cohort.economic_value_usd;
        cohort.impaired = true;
    }
}

/// Monthly, after the market clears: economic value, depreciation, the quarterly
/// impairment test and retirement. Charges go to the owners' accounts.
pub fn revalue_cohorts(
    params: Res<Params>,
    clock: Res<Clock>,
    generations: Res<Generations>,
    directory: Res<Directory>,
    mut cohorts: Query<(&AgentId, &mut GpuCohort)>,
    mut owners: Query<&mut Accounts>,
    mut events: ResMut<EventLog>,
) {
    let at = RevaluationMonth {
        gpus: &params.gpus,
        generations: &generations,
        rent_decline_per_year: expected_rent_decline_per_year(&params.gpus),
        month: clock.month,
        tick: clock.tick,
        quarter_start: clock.quarter_start,
    };
    let mut charges: BTreeMap<AgentId, OwnerCharges> = BTreeMap::new();
    // Charges are summed per owner in id order, so the sums do not depend on storage
    // order; storage is normally in id order already, and then needs no sort.
    let mut visit = |mut cohort: Mut<GpuCohort>| {
        if cohort.in_service(clock.month) {
            let owner = cohort.owner;
            revalue_cohort(&mut cohort, &at, charges.entry(owner).or_default());
        }
    };
    if in_id_order(cohorts.iter().map(|(id, _)| id)) {
        cohorts.iter_mut().for_each(|(_, cohort)| visit(cohort));
    } else {
        cohorts.iter_mut().sort::<&AgentId>().for_each(|(_, cohort)| visit(cohort));
    }
    for (owner, charge) in charges {
        let Ok(mut accounts) = owners.get_mut(directory.get(owner)) else {
            continue;
        };
        accounts.month.depreciation_usd += charge.depreciation_usd;
        accounts.month.impairment_usd += charge.impairment_usd + charge.retirement_usd;
        if charge.impaired_cohorts > 0 {
            events.record(
                &clock,
                EventKind::Impairment,
                owner,
                None,
                Some(charge.impairment_usd),
                format!("{} GPU cohorts written down to economic value", charge.impaired_cohorts),
            );
        }
        if charge.retired_cohorts > 0 {
            events.record(
                &clock,
                EventKind::Retirement,
                owner,
                None,
                Some(charge.retirement_usd),
                format!(
                    "{} GPU cohorts retired (past physical life or rent below power cost)",
                    charge.retired_cohorts
                ),
            );
        }
    }
}
