//! The real economy and the books at the start.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::ai_industry::venture::VentureFund;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::economy::macroeconomy::Economy;
use crate::economy::regions::Regions;
use crate::economy::shock::Rates;
use crate::finance::institutions::Institution;
use crate::markets::retail::RetailInvestor;
use crate::money::accounts::Accounts;
use crate::money::ledger::Ledger;
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::grid::Grid;

/// The real economy and the books: the grid with the buildings present at the start
/// connected, the macro sector and regions, and the ledger holding every agent's
/// starting cash against the rest of the economy.
pub fn open_economy(world: &mut World, config: &Arc<Config>, seed: u64) {
    let connected_mw: f64 = {
        let mut query = world.query::<(&AgentId, &DataCenter)>();
        query.iter(world).sort::<&AgentId>().map(|(_, dc)| dc.capacity_mw).sum()
    };
    let mut grid = Grid::new(
        connected_mw / 1000.0,
        config.grid.headroom_gw_at_start,
        config.grid.added_gw_per_year,
    );
    grid.connect(-1, connected_mw);
    world.insert_resource(grid);
    world.insert_resource(Economy::default());
    world.insert_resource(Regions::new(&Params(config.clone()), seed));
    world.insert_resource(Rates::new(config));
    let mut cash: Vec<(AgentId, f64)> = Vec::new();
    cash.extend(world.query::<(&AgentId, &Accounts)>().iter(world).map(|(&id, a)| (id, a.cash_usd)));
    cash.extend(
        world
            .query::<(&AgentId, &Institution)>()
            .iter(world)
            .map(|(&id, i)| (id, i.cash_usd)),
    );
    cash.extend(
        world
            .query::<(&AgentId, &RetailInvestor)>()
            .iter(world)
            .map(|(&id, r)| (id, r.cash_usd)),
    );
    cash.extend(
        world
            .query::<(&AgentId, &VentureFund)>()
            .iter(world)
            .map(|(&id, f)| (id, f.dry_powder_usd)),
    );
    cash.sort_by_key(|&(id, _)| id);
    let mut ledger = Ledger::default();
    ledger.open(cash.into_iter());
    world.insert_resource(ledger);
}
