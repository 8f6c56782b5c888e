//! Rows of the `macro`, `regions` and `accounts` tables, and the end-of-tick check that
//! all money, the closure's included, still sums to zero.
//!
//! Sector sums are taken in fixed point (micro-dollars, `i128`), which makes them exact
//! and independent of the order agents come in.

use bevy_ecs::prelude::*;

use crate::ai_industry::venture::VentureFund;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::economy::macroeconomy::Economy;
use crate::economy::regions::{Region, Regions};
use crate::finance::institutions::{Institution, Marks};
use crate::finance::securities::Security;
use crate::firms::firm::{Firm, FirmKind};
use crate::firms::listed::Listed;
use crate::firms::roles::{Lab, Stakes};
use crate::markets::index::AiIndex;
use crate::markets::retail::RetailInvestor;
use crate::money::accounts::Accounts;
use crate::money::ledger::{Breach, Ledger, REST_OF_ECONOMY};
use crate::real_estate::grid::Grid;
use crate::tick::observe::{Observations, due};

/// The economy in one month.
#[derive(Debug, Clone)]
pub struct MacroRow {
    pub tick: u32,
    pub date: i32,
    pub economy: Economy,
    pub regions_in_recession: u32,
    pub regions_near_recession: u32,
    pub grid_delayed_buildings: u32,
}

/// One region in one quarter.
#[derive(Debug, Clone)]
pub struct RegionRow {
    pub tick: u32,
    pub date: i32,
    pub region: u32,
    pub state: Region,
    pub near_recession_threshold: f64,
}

/// One sector's money and net worth.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SectorAccounts {
    pub cash_usd: f64,
    /// Debt owed: firms' loans and credit lines, SPVs' bonds, funds' margin loans.
    pub debt_usd: f64,
    pub net_worth_usd: f64,
}

/// The sectors' books at the end of one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AccountsRow {
    pub tick: u32,
    pub date: i32,
    pub households: SectorAccounts,
    pub firms: SectorAccounts,
    pub sponsors: SectorAccounts,
    pub funds: SectorAccounts,
    pub rest_of_economy_cash_usd: f64,
    /// All money summed over the sectors and the closure: zero when every payment left
    /// one account and entered another.
    pub money_residual_usd: f64,
    /// Gross payments posted in the tick.
    pub payments_usd: f64,
}

/// Micro-dollars, rounded half away from zero. Balances below $9 trillion take the fast
/// 64-bit conversion; larger ones (the closure's) the 128-bit one.
fn micro(usd: f64) -> i128 {
    let scaled = usd * 1e6;
    if scaled.abs() < 9.0e18 {
        (scaled + 0.5f64.copysign(scaled)) as i64 as i128
    } else {
        scaled.round() as i128
    }
}

fn usd(micro: i128) -> f64 {
    micro as f64 / 1e6
}

/// Fixed-point sums of (cash, debt, net worth), the money stock (absolute balances)
/// and whether any balance was not a finite number.
#[derive(Default, Clone, Copy)]
struct Sums(i128, i128, i128, i128, bool);

impl Sums {
    fn add(&mut self, cash: f64, debt: f64, net_worth: f64) {
        self.0 += micro(cash);
        self.1 += micro(debt);
        self.2 += micro(net_worth);
        self.3 += micro(cash.abs());
        self.4 |= !cash.is_finite();
    }
    fn sector(self) -> SectorAccounts {
        SectorAccounts {
            cash_usd: usd(self.0),
            debt_usd: usd(self.1),
            net_worth_usd: usd(self.2),
        }
    }
}

/// Records the macro table (monthly) and the regions table (quarterly).
pub fn record_economy(
    params: Res<Params>,
    clock: Res<Clock>,
    economy: Res<Economy>,
    regions: Res<Regions>,
    grid: Res<Grid>,
    mut out: ResMut<Observations>,
) {
    if clock.month_start {
        out.macroeconomy.push(MacroRow {
            tick: clock.tick,
            date: clock.date,
            economy: economy.clone(),
            regions_in_recession: regions.in_recession,
            regions_near_recession: regions.near_recession,
            grid_delayed_buildings: grid.delayed_buildings,
        });
    }
    if clock.quarter_start {
        for (k, region) in regions.regions.iter().enumerate() {
            out.regions.push(RegionRow {
                tick: clock.tick,
                date: clock.date,
                region: k as u32 + 1,
                state: region.clone(),
                near_recession_threshold: params.regions.near_recession_growth_per_year,
            });
        }
    }
}

/// Every tick: the sectors' money must sum to zero with the closure's; records the
/// accounts table at its cadence.
pub fn record_accounts(
    params: Res<Params>,
    clock: Res<Clock>,
    index: Res<AiIndex>,
    directory: Res<Directory>,
    firms: Query<(&Firm, &Accounts)>,
    listed: Query<(&AgentId, &Listed)>,
    securities: Query<(&AgentId, &Security)>,
    institutions: Query<&Institution>,
    retail: Query<&RetailInvestor>,
    funds: Query<(&VentureFund, &Stakes)>,
    labs: Query<&Lab>,
    mut ledger: ResMut<Ledger>,
    mut out: ResMut<Observations>,
) {
    let (mut households, mut companies, mut sponsors, mut fund_sums) = (Sums::default(), Sums::default(), Sums::default(), Sums::default());
    for investor in &retail {
        households.add(investor.cash_usd, 0.0, investor.cash_usd + investor.ai_units * index.level);
    }
    for (firm, accounts) in &firms {
        let sums = if matches!(firm.kind, FirmKind::Sponsor | FirmKind::Spv) {
            &mut sponsors
        } else {
            &mut companies
        };
        sums.add(accounts.cash_usd, accounts.debt_usd, accounts.book_equity_usd);
    }
    let recording = due(&clock, params.record.accounts_every_ticks);
    let marks = recording.then(|| Marks::new(listed.iter(), securities.iter()));
    for investor in &institutions {
        let nav = marks.as_ref().map_or(0.0, |m| investor.nav_usd(m));
        fund_sums.add(investor.cash_usd, investor.borrowing_usd, nav);
    }
    for (fund, stakes) in &funds {
        let marked: f64 = if recording {
            stakes
                .units
                .iter()
                .map(|&(lab, units)| {
                    directory
                        .try_get(lab)
                        .and_then(|e| labs.get(e).ok())
                        .map_or(0.0, |l| l.stake_value_usd(units))
                })
                .sum()
        } else {
            0.0
        };
        fund_sums.add(fund.dry_powder_usd, 0.0, fund.dry_powder_usd + marked);
    }
    let rest = micro(ledger.rest_of_economy_usd());
    let sectors = [households, companies, sponsors, fund_sums];
    let finite = sectors.iter().all(|s| !s.4) && ledger.rest_of_economy_usd().is_finite();
    let residual = if finite {
        usd(sectors.iter().map(|s| s.0).sum::<i128>() + rest)
    } else {
        f64::NAN
    };
    let stock = usd(sectors.iter().map(|s| s.3).sum::<i128>() + rest.abs());
    if !ledger.total_within_tolerance(&params, residual, stock + ledger.gross_today_usd) && ledger.breach.is_none() {
        ledger.breach = Some(Breach {
            tick: clock.tick,
            system: "all money at the end of the tick",
            agent: REST_OF_ECONOMY,
            cash_usd: residual,
            expected_cash_usd: 0.0,
        });
    }
    ledger.largest_residual_usd = ledger.largest_residual_usd.max(residual.abs());
    let payments = std::mem::take(&mut ledger.gross_today_usd);
    if recording {
        out.accounts.push(AccountsRow {
            tick: clock.tick,
            date: clock.date,
            households: households.sector(),
            firms: companies.sector(),
            sponsors: sponsors.sector(),
            funds: fund_sums.sector(),
            rest_of_economy_cash_usd: usd(rest),
            money_residual_usd: residual,
            payments_usd: payments,
        });
    }
}
