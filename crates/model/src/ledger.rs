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

/// One agent's books between checks.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
struct Book {
    /// Its cash at its last check.
    checked_usd: f64,
    /// Net payments into it since then.
    pending_usd: f64,
    /// Gross payments into and out of it since then (the scale of the floating-point
    /// tolerance on its cash).
    pending_gross_usd: f64,
    /// Whether it is in the list of agents paid since their last check.
    listed: bool,
}

/// Payments posted since each agent's last check, and the closure's money.
#[derive(Resource, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    /// Each agent's books, by `AgentId`.
    books: Vec<Book>,
    /// Agents paid since their last check (to visit even if their cash did not change).
    touched: Vec<AgentId>,
    /// The rest of the economy's money.
    rest_of_economy_usd: f64,
    /// Gross payments of the current tick.
    pub gross_today_usd: f64,
    /// The largest |sum of all money| found at the end of a tick so far.
    pub largest_residual_usd: f64,
    /// The first breach found; the run stops at the end of its tick.
    #[serde(skip)]
    pub breach: Option<Breach>,
}

impl Ledger {
    fn book(&mut self, id: AgentId) -> &mut Book {
        let index = id.0 as usize;
        if self.books.len() <= index {
            self.books.resize(index + 1, Book::default());
        }
        &mut self.books[index]
    }

    /// Adds a payment into (or, negative, out of) one agent.
    fn post(&mut self, id: AgentId, signed_usd: f64) {
        let book = self.book(id);
        book.pending_usd += signed_usd;
        book.pending_gross_usd += signed_usd.abs();
        if !book.listed {
            book.listed = true;
            self.touched.push(id);
        }
    }

    /// Posts a payment of `amount_usd` (any sign) from `from` to `to`.
    pub fn pay(&mut self, from: AgentId, to: AgentId, amount_usd: f64) {
        if amount_usd == 0.0 || from == to {
            return;
        }
        for (id, signed) in [(from, -amount_usd), (to, amount_usd)] {
            if id == REST_OF_ECONOMY {
                self.rest_of_economy_usd += signed;
            } else {
                self.post(id, signed);
            }
        }
        self.gross_today_usd += amount_usd.abs();
    }

    /// Payments between many agents and the rest of the economy: each agent pays its
    /// amount (negative: receives). `net_usd` is their total and `gross_usd` the total of
    /// their absolute values, which the caller knows exactly (in whole lots), so the
    /// closure's balance does not depend on the order the agents come in.
    pub fn pay_with_rest(&mut self, payments: impl Iterator<Item = (AgentId, f64)>, net_usd: f64, gross_usd: f64) {
        for (id, amount_usd) in payments {
            self.post(id, -amount_usd);
        }
        self.rest_of_economy_usd += net_usd;
        self.gross_today_usd += gross_usd;
    }

    /// Opens the books: every agent's starting cash, issued by the rest of the economy.
    pub fn open(&mut self, cash: impl Iterator<Item = (AgentId, f64)>) {
        for (id, cash_usd) in cash {
            self.book(id).checked_usd = cash_usd;
            self.rest_of_economy_usd -= cash_usd;
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
    /// zero within the tolerance on `scale_usd`: the money stock (the sum of every
    /// balance's absolute value) plus the day's gross payments. NaN never passes.
    pub fn total_within_tolerance(&self, params: &Params, total_usd: f64, scale_usd: f64) -> bool {
        total_usd.abs() <= self.tolerance_usd(params, scale_usd)
    }

    /// Compares one agent's cash with its last checked cash plus its payments since.
    fn verify(&mut self, params: &Params, tick: u32, system: &'static str, id: AgentId, cash_usd: f64) {
        let tolerance = params.accounting.tolerance_usd_per_usd;
        let book = self.book(id);
        let expected = book.checked_usd + book.pending_usd;
        let scale = cash_usd.abs().max(book.checked_usd.abs()).max(book.pending_gross_usd).max(1.0);
        *book = Book {
            checked_usd: cash_usd,
            ..Book::default()
        };
        // Written so that a NaN or infinite balance is a breach too.
        let within = (cash_usd - expected).abs() <= tolerance * scale;
        if !within && self.breach.is_none() {
            self.breach = Some(Breach {
                tick,
                system,
                agent: id,
                cash_usd,
                expected_cash_usd: expected,
            });
        }
    }
}

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
    pub firms: bool,
    pub institutions: bool,
    pub retail: bool,
    pub funds: bool,
}

impl Holders {
    pub const FIRMS: Self = Self { firms: true, ..Self::NONE };
    pub const INSTITUTIONS: Self = Self {
        institutions: true,
        ..Self::NONE
    };
    pub const RETAIL: Self = Self {
        retail: true,
        ..Self::NONE
    };
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
        std::mem::swap(&mut *touched, &mut ledger.touched);
        for &id in touched.iter() {
            if !ledger.book(id).listed {
                continue;
            }
            // An agent spawned this tick by a deferred command has no money yet: keep its
            // payments for the next check.
            match directory.try_get(id).and_then(|entity| cash_of(&holders, entity)) {
                Some(cash) => ledger.verify(&params, tick, system, id, cash),
                None => ledger.touched.push(id),
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
