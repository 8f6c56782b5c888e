//! Imposed shocks, for stress scenarios: from `shock.start_month` the named AI seller
//! (a lab or a hyperscaler) keeps only 1 − `ai_demand_loss_share` of its end-user demand
//! and of its training compute — a product that loses its customers. The lost demand
//! does not move to other sellers. Everything that follows (idle capacity, falling rent,
//! revenue short of plan, lease stress) is the model's own response.

use bevy_ecs::prelude::*;

use crate::agents::AgentId;
use crate::calendar::Clock;
use crate::events::{EventKind, EventLog};
use crate::firms::{AiSeller, Firm};
use crate::params::Params;

/// Monthly, first: starts the shock in its month.
pub fn apply_shock(
    params: Res<Params>,
    clock: Res<Clock>,
    mut sellers: Query<(&AgentId, &Firm, &mut AiSeller)>,
    mut events: ResMut<EventLog>,
) {
    let shock = &params.shock;
    if shock.firm.is_empty() || clock.month != shock.start_month {
        return;
    }
    for (&id, firm, mut seller) in sellers.iter_mut().sort::<&AgentId>() {
        if *firm.name == *shock.firm {
            seller.demand_retained = 1.0 - shock.ai_demand_loss_share;
            events.record(
                &clock,
                EventKind::Shock,
                id,
                None,
                None,
                format!(
                    "{} loses {:.0}% of its end-user demand and training compute",
                    firm.name,
                    shock.ai_demand_loss_share * 100.0
                ),
            );
        }
    }
}
