//! The stock–flow check after each system that moves money (see [`crate::money::ledger`]).
//! It sits above every kind of money holder because it reads their cash: firms' and
//! SPVs' [`Accounts`], institutions, retail investors and venture funds' dry powder.

use bevy_ecs::prelude::*;
use bevy_ecs::system::ScheduleSystem;

use crate::ai_industry::venture::VentureFund;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::institutions::Institution;
use crate::markets::retail::RetailInvestor;
use crate::money::accounts::Accounts;
use crate::money::ledger::Ledger;

type HolderQueries<'w, 's> = (
    Query<'w, 's, (&'static AgentId, Ref<'static, Accounts>)>,
    Query<'w, 's, (&'static AgentId, Ref<'static, Institution>)>,
    Query<'w, 's, (&'static AgentId, Ref<'static, RetailInvestor>)>,
    Query<'w, 's, (&'static AgentId, Ref<'static, VentureFund>)>,
);

/// The money an agent holds, if it holds any.
fn cash_of(holders: &HolderQueries, entity: Entity) -> Option<f64> {
    let (firms, institutions, retail, funds) = holders;
    firms
        .get(entity)
        .map(|(_, a)| a.cash_usd)
        .or_else(|_| institutions.get(entity).map(|(_, i)| i.cash_usd))
        .or_else(|_| retail.get(entity).map(|(_, r)| r.cash_usd))
        .or_else(|_| funds.get(entity).map(|(_, f)| f.dry_powder_usd))
        .ok()
}

/// The kinds of money holder a system can change: the check after it scans those for
/// changes (bevy lets a system change only what its parameters borrow mutably). Agents
/// paid are checked whatever their kind. Every system that borrows a money component
/// mutably is followed by a check (see `schedule`); the end-of-tick sum of all money is
/// the backstop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holders {
    /// Firms' and SPVs' [`Accounts`].
    pub firms: bool,
    /// Institutional investors.
    pub institutions: bool,
    /// Retail investors.
    pub retail: bool,
    /// Venture funds (their dry powder).
    pub funds: bool,
}

impl Holders {
    /// Firms and SPVs only.
    pub const FIRMS: Self = Self { firms: true, ..Self::NONE };
    /// Institutions only.
    pub const INSTITUTIONS: Self = Self {
        institutions: true,
        ..Self::NONE
    };
    /// Retail investors only.
    pub const RETAIL: Self = Self {
        retail: true,
        ..Self::NONE
    };
    /// Venture funds only.
    pub const FUNDS: Self = Self { funds: true, ..Self::NONE };
    const NONE: Self = Self {
        firms: false,
        institutions: false,
        retail: false,
        funds: false,
    };

    /// Both sets.
    pub const fn and(self, other: Self) -> Self {
        Self {
            firms: self.firms || other.firms,
            institutions: self.institutions || other.institutions,
            retail: self.retail || other.retail,
            funds: self.funds || other.funds,
        }
    }
}

/// The check that runs after `system`, which can change the money of `scan`: every such
/// agent whose money changed since this check last ran, and every agent paid since its
/// last check, must hold exactly its last checked cash plus its payments since.
pub fn check_cash(system: &'static str, scan: Holders) -> impl IntoScheduleConfigs<ScheduleSystem, ()> {
    (move |params: Res<Params>,
           clock: Res<Clock>,
           directory: Res<Directory>,
           mut ledger: ResMut<Ledger>,
           mut touched: Local<Vec<AgentId>>,
           holders: HolderQueries| {
        let (firms, institutions, retail, funds) = &holders;
        let tick = clock.tick;
        if scan.firms {
            for (&id, a) in firms.iter().filter(|(_, a)| a.is_changed()) {
                ledger.verify(&params, tick, system, id, a.cash_usd);
            }
        }
        if scan.institutions {
            for (&id, i) in institutions.iter().filter(|(_, i)| i.is_changed()) {
                ledger.verify(&params, tick, system, id, i.cash_usd);
            }
        }
        if scan.retail {
            for (&id, r) in retail.iter().filter(|(_, r)| r.is_changed()) {
                ledger.verify(&params, tick, system, id, r.cash_usd);
            }
        }
        if scan.funds {
            for (&id, f) in funds.iter().filter(|(_, f)| f.is_changed()) {
                ledger.verify(&params, tick, system, id, f.dry_powder_usd);
            }
        }
        // Agents paid but not (yet) seen changed: those checked above are no longer listed.
        // Swapped with this check's own buffer, so no list is allocated tick after tick.
        ledger.swap_paid(&mut touched);
        for &id in touched.iter() {
            if !ledger.awaits_check(id) {
                continue;
            }
            // An agent spawned this tick by a deferred command has no money yet: keep its
            // payments for the next check.
            match directory.try_get(id).and_then(|entity| cash_of(&holders, entity)) {
                Some(cash) => ledger.verify(&params, tick, system, id, cash),
                None => ledger.defer_check(id),
            }
        }
        touched.clear();
    })
    .into_configs()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::money::ledger::{Breach, REST_OF_ECONOMY};

    fn world_with_two_firms() -> World {
        let mut world = World::new();
        world.insert_resource(Params(Arc::new(bubblesim_config::Config::baseline())));
        world.insert_resource(Clock::new(20_000, 1.0));
        let mut directory = Directory::default();
        let mut ledger = Ledger::default();
        for id in [AgentId(1), AgentId(2)] {
            let entity = world.spawn((id, Accounts::with_cash(100.0, 0.0, 100.0))).id();
            directory.insert(id, entity);
        }
        ledger.open([(AgentId(1), 100.0), (AgentId(2), 100.0)].into_iter());
        world.insert_resource(directory);
        world.insert_resource(ledger);
        world
    }

    fn run<M>(world: &mut World, system: impl IntoScheduleConfigs<ScheduleSystem, M>, name: &'static str) -> Option<Breach> {
        let mut schedule = Schedule::default();
        schedule.add_systems((system, check_cash(name, Holders::FIRMS)).chain());
        schedule.run(world);
        world.resource_mut::<Ledger>().breach.take()
    }

    #[test]
    fn a_payment_posted_on_both_sides_passes_and_conserves_money() {
        let mut world = world_with_two_firms();
        let pay = |mut firms: Query<(&AgentId, &mut Accounts)>, mut ledger: ResMut<Ledger>| {
            for (&id, mut accounts) in &mut firms {
                accounts.cash_usd += if id == AgentId(1) { -30.0 } else { 30.0 };
            }
            ledger.pay(AgentId(1), AgentId(2), 30.0);
            ledger.pay(REST_OF_ECONOMY, AgentId(2), 5.0);
        };
        let top_up = |mut firms: Query<(&AgentId, &mut Accounts)>| {
            for (&id, mut accounts) in &mut firms {
                if id == AgentId(2) {
                    accounts.cash_usd += 5.0;
                }
            }
        };
        assert_eq!(run(&mut world, (pay, top_up).chain(), "pay"), None);
        let ledger = world.resource::<Ledger>();
        assert_eq!(
            ledger.rest_of_economy_usd(),
            -205.0,
            "the closure issued the start's money and the top-up"
        );
    }

    #[test]
    fn money_created_without_a_payment_stops_the_run_naming_tick_system_and_agent() {
        let mut world = world_with_two_firms();
        let leak = |mut firms: Query<(&AgentId, &mut Accounts)>| {
            for (&id, mut accounts) in &mut firms {
                if id == AgentId(2) {
                    accounts.cash_usd += 7.0;
                }
            }
        };
        let breach = run(&mut world, leak, "leak").expect("the check finds the created money");
        assert_eq!((breach.tick, breach.system, breach.agent), (0, "leak", AgentId(2)));
        assert_eq!((breach.cash_usd, breach.expected_cash_usd), (107.0, 100.0));
        assert!(breach.to_string().contains("after system `leak`"));
    }

    #[test]
    fn a_balance_that_is_not_a_number_is_a_breach() {
        let mut world = world_with_two_firms();
        let poison = |mut firms: Query<(&AgentId, &mut Accounts)>| {
            for (&id, mut accounts) in &mut firms {
                if id == AgentId(1) {
                    accounts.cash_usd = f64::NAN;
                }
            }
        };
        let breach = run(&mut world, poison, "poison").expect("NaN is caught");
        assert_eq!(breach.agent, AgentId(1));
    }

    #[test]
    fn a_payment_posted_but_never_made_is_found_on_the_agent_that_did_not_receive_it() {
        let mut world = world_with_two_firms();
        let half_paid = |mut firms: Query<(&AgentId, &mut Accounts)>, mut ledger: ResMut<Ledger>| {
            for (&id, mut accounts) in &mut firms {
                if id == AgentId(1) {
                    accounts.cash_usd -= 10.0;
                }
            }
            ledger.pay(AgentId(1), AgentId(2), 10.0);
        };
        let breach = run(&mut world, half_paid, "half_paid").expect("the payee's cash did not move");
        assert_eq!(breach.agent, AgentId(2));
    }
}
