//! Stock–flow consistency (Godley–Lavoie): money moves only by payments, and every
//! payment leaves one account and enters another.
//!
//! Money is the cash of firms, sponsors and SPVs (`Accounts`), institutions, retail
//! investors and venture funds (their dry powder). The closure sector, the **rest of the
//! economy** (unmodelled customers, suppliers, workers, utilities, lenders, the wider
//! stock market, government), has its own balance here under [`REST_OF_ECONOMY`]; at
//! the start it holds minus all the money the model's agents hold, so all money sums to
//! zero and must keep doing so.
//!
//! A system that moves money changes the two cash fields and posts the payment with
//! [`Ledger::pay`]. After every system that moves money, a check (`check_cash`) compares
//! each agent whose money changed, or that was paid, with its cash at the last check
//! plus the payments posted since: a difference is money created or destroyed, and the
//! run stops with a [`Breach`] naming the tick, the system and the agent.

use bevy_ecs::prelude::*;
use bevy_ecs::system::ScheduleSystem;

use crate::agents::AgentId;
use crate::calendar::Clock;
use crate::firms::Accounts;
use crate::institutions::Institution;
use crate::params::{Directory, Params};
use crate::sentiment::RetailInvestor;
use crate::venture::VentureFund;

/// The closure sector's id in payments: never allocated to an agent.
pub const REST_OF_ECONOMY: AgentId = AgentId(0);

/// Money created or destroyed: found by the check after `system`.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub tick: u32,
    pub system: &'static str,
    pub agent: AgentId,
    pub cash_usd: f64,
    pub expected_cash_usd: f64,
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stock-flow check failed at tick {} after system `{}`: agent {} holds ${:.2} but its payments explain ${:.2} (${:.2} created or destroyed)",
            self.tick,
            self.system,
            self.agent.0,
            self.cash_usd,
            self.expected_cash_usd,
            self.cash_usd - self.expected_cash_usd
        )
    }
}

/// Payments posted since each agent's last check, and the closure's money.
#[derive(Resource, Debug, Default)]
pub struct Ledger {
    /// Net payments into each agent since its last check, by `AgentId`.
    pending_usd: Vec<f64>,
    /// Agents paid since their last check (to visit even if their cash did not change).
    touched: Vec<AgentId>,
    /// Each agent's cash at its last check, by `AgentId`.
    checked_usd: Vec<f64>,
    /// The rest of the economy's money.
    rest_of_economy_usd: f64,
    /// Payments so far, gross (the scale of the floating-point tolerance).
    gross_usd: f64,
    /// Gross payments of the current tick.
    pub gross_today_usd: f64,
    /// The first breach found; the run stops at the end of its tick.
    pub breach: Option<Breach>,
}

fn slot(values: &mut Vec<f64>, id: AgentId) -> &mut f64 {
    let index = id.0 as usize;
    if values.len() <= index {
        values.resize(index + 1, 0.0);
    }
    &mut values[index]
}

impl Ledger {
    /// Posts a payment of `amount_usd` (any sign) from `from` to `to`.
    pub fn pay(&mut self, from: AgentId, to: AgentId, amount_usd: f64) {
        if amount_usd == 0.0 || from == to {
            return;
        }
        for (id, signed) in [(from, -amount_usd), (to, amount_usd)] {
            if id == REST_OF_ECONOMY {
                self.rest_of_economy_usd += signed;
            } else {
                *slot(&mut self.pending_usd, id) += signed;
                self.touched.push(id);
            }
        }
        self.gross_usd += amount_usd.abs();
        self.gross_today_usd += amount_usd.abs();
    }

    /// Payments between many agents and the rest of the economy: each agent pays its
    /// amount (negative: receives). `net_usd` is their total and `gross_usd` the total of
    /// their absolute values, which the caller knows exactly (in whole lots), so the
    /// closure's balance does not depend on the order the agents come in.
    pub fn pay_with_rest(&mut self, payments: impl Iterator<Item = (AgentId, f64)>, net_usd: f64, gross_usd: f64) {
        for (id, amount_usd) in payments {
            *slot(&mut self.pending_usd, id) -= amount_usd;
            self.touched.push(id);
        }
        self.rest_of_economy_usd += net_usd;
        self.gross_usd += gross_usd;
        self.gross_today_usd += gross_usd;
    }

    /// Opens the books: every agent's starting cash, issued by the rest of the economy.
    pub fn open(&mut self, cash: impl Iterator<Item = (AgentId, f64)>) {
        for (id, cash_usd) in cash {
            *slot(&mut self.checked_usd, id) = cash_usd;
            self.rest_of_economy_usd -= cash_usd;
            self.gross_usd += cash_usd.abs();
        }
    }

    /// The rest of the economy's money.
    pub fn rest_of_economy_usd(&self) -> f64 {
        self.rest_of_economy_usd
    }

    /// The largest floating-point error tolerated on an amount of `scale_usd`.
    pub fn tolerance_usd(&self, params: &Params, scale_usd: f64) -> f64 {
        params.accounting.tolerance_usd_per_usd * scale_usd.abs().max(1.0)
    }

    /// Whether money summing to `total_usd` over all agents (the closure included) is
    /// zero within the tolerance on the gross money involved.
    pub fn total_within_tolerance(&self, params: &Params, total_usd: f64) -> bool {
        total_usd.abs() <= self.tolerance_usd(params, self.gross_usd)
    }

    /// Compares one agent's cash with its last checked cash plus its payments since.
    fn verify(&mut self, params: &Params, tick: u32, system: &'static str, id: AgentId, cash_usd: f64) {
        let checked = *slot(&mut self.checked_usd, id);
        let pending = std::mem::take(slot(&mut self.pending_usd, id));
        let expected = checked + pending;
        let scale = cash_usd.abs().max(checked.abs()).max(pending.abs());
        if self.breach.is_none() && (cash_usd - expected).abs() > self.tolerance_usd(params, scale) {
            self.breach = Some(Breach {
                tick,
                system,
                agent: id,
                cash_usd,
                expected_cash_usd: expected,
            });
        }
        self.checked_usd[id.0 as usize] = cash_usd;
    }
}

type Holders<'w, 's> = (
    Query<'w, 's, (&'static AgentId, Ref<'static, Accounts>)>,
    Query<'w, 's, (&'static AgentId, Ref<'static, Institution>)>,
    Query<'w, 's, (&'static AgentId, Ref<'static, RetailInvestor>)>,
    Query<'w, 's, (&'static AgentId, Ref<'static, VentureFund>)>,
);

/// The money an agent holds, if it holds any.
fn cash_of(holders: &Holders, entity: Entity) -> Option<f64> {
    let (firms, institutions, retail, funds) = holders;
    firms
        .get(entity)
        .map(|(_, a)| a.cash_usd)
        .or_else(|_| institutions.get(entity).map(|(_, i)| i.cash_usd))
        .or_else(|_| retail.get(entity).map(|(_, r)| r.cash_usd))
        .or_else(|_| funds.get(entity).map(|(_, f)| f.dry_powder_usd))
        .ok()
}

/// The check that runs after `system`: every agent whose money changed since this check
/// last ran, and every agent paid since its last check, must hold exactly its last
/// checked cash plus its payments since.
pub fn check_cash(system: &'static str) -> impl IntoScheduleConfigs<ScheduleSystem, ()> {
    (move |params: Res<Params>, clock: Res<Clock>, directory: Res<Directory>, mut ledger: ResMut<Ledger>, holders: Holders| {
        let (firms, institutions, retail, funds) = &holders;
        let tick = clock.tick;
        for (&id, a) in firms.iter().filter(|(_, a)| a.is_changed()) {
            ledger.verify(&params, tick, system, id, a.cash_usd);
        }
        for (&id, i) in institutions.iter().filter(|(_, i)| i.is_changed()) {
            ledger.verify(&params, tick, system, id, i.cash_usd);
        }
        for (&id, r) in retail.iter().filter(|(_, r)| r.is_changed()) {
            ledger.verify(&params, tick, system, id, r.cash_usd);
        }
        for (&id, f) in funds.iter().filter(|(_, f)| f.is_changed()) {
            ledger.verify(&params, tick, system, id, f.dry_powder_usd);
        }
        let mut touched = std::mem::take(&mut ledger.touched);
        touched.sort_unstable();
        touched.dedup();
        for &id in &touched {
            let pending = ledger.pending_usd.get(id.0 as usize).copied().unwrap_or(0.0);
            if pending == 0.0 {
                continue;
            }
            // An agent spawned this tick by a deferred command has no money yet: keep its
            // payments for the next check.
            match directory.try_get(id).and_then(|entity| cash_of(&holders, entity)) {
                Some(cash) => ledger.verify(&params, tick, system, id, cash),
                None => ledger.touched.push(id),
            }
        }
    })
    .into_configs()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

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
        schedule.add_systems((system, check_cash(name)).chain());
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
