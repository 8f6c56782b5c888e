//! Funding rounds: a lab whose cash covers fewer than `runway_trigger_months` of burn
//! tries to raise a round of `round_size_months` of burn from venture investors. The
//! chance a round closes rises with the narrative's hype. A lab whose cash runs out
//! before a round closes fails: it stops buying compute and its customers move to the
//! remaining sellers.

use bevy_ecs::prelude::*;
use rand::Rng;

use crate::agents::AgentId;
use crate::calendar::Clock;
use crate::events::{EventKind, EventLog};
use crate::firms::{Accounts, Firm, Lab};
use crate::narrative::Narrative;
use crate::params::{Params, Seed};
use crate::rng::{Purpose, stream};

/// Monthly, after revenue: runway checks, rounds and failures.
pub fn raise_or_fail(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    narrative: Res<Narrative>,
    mut labs: Query<(&AgentId, &mut Firm, &mut Accounts, &mut Lab)>,
    mut events: ResMut<EventLog>,
) {
    let f = &params.funding;
    let success =
        f.success_probability_at_no_hype + (f.success_probability_at_full_hype - f.success_probability_at_no_hype) * narrative.hype;
    for (&id, mut firm, mut accounts, mut lab) in labs.iter_mut().sort::<&AgentId>() {
        if !firm.active {
            continue;
        }
        let burn = -accounts.month.earnings_usd();
        let short_runway = burn > 0.0 && accounts.cash_usd < f.runway_trigger_months * burn;
        if short_runway && stream(seed.0, Purpose::Funding, clock.tick, id.0).random::<f64>() < success {
            let round = f.round_size_months * burn;
            accounts.cash_usd += round;
            accounts.month.funding_usd += round;
            lab.rounds_raised += 1;
            events.record(
                &clock,
                EventKind::FundingRound,
                id,
                None,
                Some(round),
                format!("round {} closes at hype {:.2}", lab.rounds_raised, narrative.hype),
            );
        } else if accounts.cash_usd < 0.0 {
            firm.active = false;
            events.record(
                &clock,
                EventKind::LabFailure,
                id,
                None,
                Some(-accounts.cash_usd),
                "cash ran out before a round closed; customers move to other sellers".to_owned(),
            );
        }
    }
}
