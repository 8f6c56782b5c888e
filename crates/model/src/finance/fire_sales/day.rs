//! The fire-sale day: discounts recover, the day's constrained sales are ordered, and
//! the cascade runs in rounds until no one must sell or `max_cascade_rounds` is reached.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::EventLog;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::fire_sales::cascade::{Cascade, Institutions, Securities};
use crate::finance::fire_sales::constraints::{monthly_flows, rating_limit_sales, start_day};
use crate::finance::fire_sales::orders::ForcedEquitySales;
use crate::finance::institutions::{InstitutionKind, MarginState, Marks};
use crate::firms::listed::Listed;
use crate::money::ledger::Ledger;

/// The records forced sales touch.
#[derive(SystemParam)]
pub struct FireSaleBooks<'w> {
    directory: Res<'w, Directory>,
    equity_sales: ResMut<'w, ForcedEquitySales>,
    events: ResMut<'w, EventLog>,
    ledger: ResMut<'w, Ledger>,
}

/// Daily, before prices form: constrained sales, margin calls and the fire-sale cascade.
pub fn run_fire_sales(
    params: Res<Params>,
    clock: Res<Clock>,
    listed: Query<(&AgentId, &Listed)>,
    mut securities: Securities,
    mut institutions: Institutions,
    mut books: FireSaleBooks,
) {
    let x = &params.fire_sales;
    let decay = 0.5f64.powf(1.0 / x.recovery_halflife_ticks);
    for (_, mut security) in securities.iter_mut().sort::<&AgentId>() {
        if security.fire_sale_discount != 0.0 {
            security.fire_sale_discount *= decay;
        }
    }
    let mut marks = Marks::new(listed.iter(), securities.iter());
    books.equity_sales.usd.clear();

    // Orders that do not depend on prices moving today: redemptions and rating limits.
    let mut cascade = Cascade::default();
    for (&id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
        start_day(&mut investor);
        if investor.margin_state == MarginState::Failed {
            continue;
        }
        if clock.month_start {
            monthly_flows(x, (id, &mut investor), &marks, &mut books.ledger, &mut cascade.orders);
        }
        if investor.kind == InstitutionKind::Insurer {
            rating_limit_sales(x, (id, &mut investor), &books.directory, &securities, &mut cascade.orders);
        }
    }

    // The cascade: execute, re-mark, and see who must sell next.
    for _ in 0..x.max_cascade_rounds {
        cascade.call_margins(x, &marks, &mut institutions, &mut books.ledger);
        if cascade.orders.is_empty() {
            break;
        }
        cascade.execute_round(
            x,
            &books.directory,
            &mut marks,
            (&mut securities, &mut institutions),
            &mut books.equity_sales,
            &mut books.ledger,
        );
    }
    cascade.settle(
        (x, &clock, &books.directory),
        &marks,
        (&securities, &mut institutions),
        &mut books.events,
        &mut books.ledger,
    );
}
