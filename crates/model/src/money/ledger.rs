//! Stock–flow consistency (Godley–Lavoie): money moves only by payments, and every
//! payment leaves one account and enters another.
//!
//! Money is the cash of firms, sponsors and SPVs, institutions, retail investors and
//! venture funds (their dry powder); the ledger knows them only by [`AgentId`]. The
//! closure sector, the **rest of the economy** (unmodelled customers, suppliers,
//! workers, utilities, lenders, the wider stock market, government), has its own
//! balance here under [`REST_OF_ECONOMY`]; at the start it holds minus all the money
//! the model's agents hold, so all money sums to zero and must keep doing so.
//!
//! A system that moves money changes the two cash fields and posts the payment with
//! [`Ledger::pay`]. After every system that moves money, a check (`tick::cash_audit`) compares
//! each agent whose money changed, or that was paid, with its cash at the last check
//! plus the payments posted since: a difference is money created or destroyed, and the
//! run stops with a [`Breach`] naming the tick, the system and the agent.

use bevy_ecs::prelude::Resource;

use crate::common::ids::AgentId;
use crate::common::params::Params;

/// The closure sector's id in payments: never allocated to an agent.
pub const REST_OF_ECONOMY: AgentId = AgentId(0);

/// Money created or destroyed: found by the check after `system`.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    /// Tick of the check that found it.
    pub tick: u32,
    /// The system after which the check ran.
    pub system: &'static str,
    /// The agent whose cash does not match its payments.
    pub agent: AgentId,
    /// The agent's cash at the check, USD.
    pub cash_usd: f64,
    /// Its cash at the last check plus the payments posted since, USD.
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

    /// Compares one agent's cash with its last checked cash plus its payments since, and
    /// records the first mismatch as the run's [`Breach`].
    pub fn verify(&mut self, params: &Params, tick: u32, system: &'static str, id: AgentId, cash_usd: f64) {
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

    /// Swaps the list of agents paid since their last check with `other` (the check's
    /// own buffer, so no list is allocated tick after tick).
    pub fn swap_paid(&mut self, other: &mut Vec<AgentId>) {
        std::mem::swap(&mut self.touched, other);
    }

    /// Whether an agent was paid since its last check and has not been checked since.
    pub fn awaits_check(&mut self, id: AgentId) -> bool {
        self.book(id).listed
    }

    /// Keeps an agent's payments for the next check (it holds no money yet).
    pub fn defer_check(&mut self, id: AgentId) {
        self.touched.push(id);
    }
}
