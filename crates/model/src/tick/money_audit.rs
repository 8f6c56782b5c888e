//! The end-of-day check that all money, the closure's included, still sums to zero: the
//! backstop behind the checks after each system (`tick::cash_audit`). It sums every
//! sector's money, debt and (where it is cheap) net worth into [`SectorBooks`], which
//! the `accounts` table then records; a sum that is not zero within the tolerance stops
//! the run with a [`Breach`].
//!
//! Sums are taken in fixed point (micro-dollars, `i128`), which makes them exact and
//! independent of the order agents come in.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::ai_industry::venture::VentureFund;
use crate::common::calendar::Clock;
use crate::common::params::Params;
use crate::finance::institutions::Institution;
use crate::firms::firm::{Firm, FirmKind};
use crate::markets::retail::RetailFlow;
use crate::markets::retail::RetailInvestor;
use crate::money::accounts::Accounts;
use crate::money::ledger::{Breach, Ledger, REST_OF_ECONOMY};

/// Micro-dollars, rounded half away from zero. Balances below $9 trillion take the fast
/// 64-bit conversion; larger ones (the closure's) the 128-bit one.
pub fn micro(usd: f64) -> i128 {
    let scaled = usd * 1e6;
    if scaled.abs() < 9.0e18 {
        (scaled + 0.5f64.copysign(scaled)) as i64 as i128
    } else {
        scaled.round() as i128
    }
}

/// Dollars from micro-dollars.
pub fn usd(micro: i128) -> f64 {
    micro as f64 / 1e6
}

/// One sector's books in fixed point: cash, debt, net worth, the money stock (absolute
/// balances) and whether any balance was not a finite number.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sums {
    /// Cash, micro-dollars.
    pub cash: i128,
    /// Debt owed, micro-dollars.
    pub debt: i128,
    /// Net worth, micro-dollars.
    pub net_worth: i128,
    /// The sum of absolute balances, micro-dollars.
    pub stock: i128,
    /// Whether a balance was NaN or infinite.
    pub not_finite: bool,
}

impl Sums {
    /// Adds one agent's cash, debt and net worth.
    pub fn add(&mut self, cash: f64, debt: f64, net_worth: f64) {
        self.cash += micro(cash);
        self.debt += micro(debt);
        self.net_worth += micro(net_worth);
        self.stock += micro(cash.abs());
        self.not_finite |= !cash.is_finite();
    }

    /// Adds net worth only (what is valued only on days the accounts are recorded).
    pub fn add_net_worth(&mut self, net_worth: f64) {
        self.net_worth += micro(net_worth);
    }
}

/// Every sector's books at the end of today, and what the check found.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq)]
pub struct SectorBooks {
    /// Retail investors: cash, and net worth with their AI basket at the basket level.
    pub households: Sums,
    /// Labs, hyperscalers, clouds, the chipmaker and the carmaker: cash, debt, book equity.
    pub firms: Sums,
    /// Sponsors and their SPVs: cash, debt, book equity.
    pub sponsors: Sums,
    /// Institutions and venture funds: cash (dry powder) and debt. Their net worth needs
    /// every holding marked, so it is added only when the accounts table is recorded.
    pub funds: Sums,
    /// The closure's money, micro-dollars.
    pub rest_of_economy: i128,
    /// All money summed (zero when every payment left one account and entered another);
    /// NaN if a balance was not a number.
    pub residual_usd: f64,
    /// Gross payments posted during the day.
    pub payments_usd: f64,
}

/// Every kind of money holder: firms (and SPVs), institutions, retail investors and venture funds.
#[derive(SystemParam)]
pub struct MoneyHolders<'w, 's> {
    firms: Query<'w, 's, (&'static Firm, &'static Accounts)>,
    institutions: Query<'w, 's, &'static Institution>,
    retail: Query<'w, 's, &'static RetailInvestor>,
    funds: Query<'w, 's, &'static VentureFund>,
}

/// Every tick, last before recording: sums every sector's money with the closure's; a
/// sum that is not zero within the tolerance is a [`Breach`].
pub fn audit_money(
    params: Res<Params>,
    clock: Res<Clock>,
    flow: Res<RetailFlow>,
    mut ledger: ResMut<Ledger>,
    mut books: ResMut<SectorBooks>,
    holders: MoneyHolders,
) {
    let MoneyHolders {
        firms,
        institutions,
        retail,
        funds,
    } = holders;
    let mut today = SectorBooks::default();
    for investor in &retail {
        today
            .households
            .add(investor.cash_usd, 0.0, investor.cash_usd + investor.ai_units * flow.cleared_level);
    }
    for (firm, accounts) in &firms {
        let sums = if matches!(firm.kind, FirmKind::Sponsor | FirmKind::Spv) {
            &mut today.sponsors
        } else {
            &mut today.firms
        };
        sums.add(accounts.cash_usd, accounts.debt_usd, accounts.book_equity_usd);
    }
    for investor in &institutions {
        today.funds.add(investor.cash_usd, investor.borrowing_usd, 0.0);
    }
    for fund in &funds {
        today.funds.add(fund.dry_powder_usd, 0.0, 0.0);
    }
    today.rest_of_economy = micro(ledger.rest_of_economy_usd());
    let sectors = [today.households, today.firms, today.sponsors, today.funds];
    let finite = sectors.iter().all(|s| !s.not_finite) && ledger.rest_of_economy_usd().is_finite();
    today.residual_usd = if finite {
        usd(sectors.iter().map(|s| s.cash).sum::<i128>() + today.rest_of_economy)
    } else {
        f64::NAN
    };
    let stock = usd(sectors.iter().map(|s| s.stock).sum::<i128>() + today.rest_of_economy.abs());
    if !ledger.total_within_tolerance(&params, today.residual_usd, stock + ledger.gross_today_usd) && ledger.breach.is_none() {
        ledger.breach = Some(Breach {
            tick: clock.tick,
            system: "all money at the end of the tick",
            agent: REST_OF_ECONOMY,
            cash_usd: today.residual_usd,
            expected_cash_usd: 0.0,
        });
    }
    ledger.largest_residual_usd = ledger.largest_residual_usd.max(today.residual_usd.abs());
    today.payments_usd = std::mem::take(&mut ledger.gross_today_usd);
    *books = today;
}
