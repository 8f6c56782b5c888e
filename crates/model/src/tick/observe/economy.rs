//! The `macro`, `regions` and `accounts` tables: the economy each month, each region
//! each quarter, and each sector's money, debt and net worth at the end of the day —
//! the rows, their columns and the systems that record them. The end-of-day money check
//! whose sums the accounts record is `tick::money_audit`.

use bevy_ecs::prelude::*;
use bubblesim_schema::{Column, Row};

use crate::ai_industry::venture::VentureFund;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::rows::Rows;
use crate::economy::macroeconomy::Economy;
use crate::economy::regions::{Region, Regions};
use crate::finance::institutions::{Institution, Marks};
use crate::finance::securities::Security;
use crate::firms::listed::Listed;
use crate::firms::roles::{Lab, Stakes};
use crate::real_estate::grid::Grid;
use crate::tick::money_audit::{SectorBooks, Sums, usd};

/// NaN (undefined) is written as null.
fn defined(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

/// The economy in one month.
#[derive(Debug, Clone)]
pub struct MacroRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// The economy as it stands.
    pub economy: Economy,
    /// Regions in recession, and other regions near it.
    pub regions_in_recession: u32,
    /// Regions not in recession whose growth is below the threshold.
    pub regions_near_recession: u32,
    /// Buildings whose grid connection came later than their construction.
    pub grid_delayed_buildings: u32,
}

/// One region in one quarter.
#[derive(Debug, Clone)]
pub struct RegionRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// Region number, from 1.
    pub region: u32,
    /// The region as it stands.
    pub state: Region,
    /// Annualised growth below which a region not in recession is near it.
    pub near_recession_threshold: f64,
}

impl Row for MacroRow {
    const TABLE: &'static str = "macro";
    const ROW: &'static str = "the economy on the first trading day of each month; flows at annual rates";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::f64(
            "gdp_usd_per_year",
            "USD/year",
            "GDP: consumption + AI investment + other investment + the rest",
            |r| r.economy.gdp_usd_per_year,
        ),
        Column::f64(
            "consumption_usd_per_year",
            "USD/year",
            "households' consumption: the non-AI trend × their income (wages and benefits) + the wealth effect of listed equity",
            |r| r.economy.consumption_usd_per_year,
        ),
        Column::f64(
            "ai_investment_usd_per_year",
            "USD/year",
            "the model's GPU purchases and data-centre construction over the last quarter at an annual rate, × macro.ai_investment_per_model_capex for the build-out outside the model's firms (held at its first value when macro.hold_ai_investment_flat)",
            |r| r.economy.ai_investment_usd_per_year,
        ),
        Column::f64(
            "other_investment_usd_per_year",
            "USD/year",
            "investment outside AI (moves with the output gap and against the policy rate's rise)",
            |r| r.economy.other_investment_usd_per_year,
        ),
        Column::f64(
            "rest_usd_per_year",
            "USD/year",
            "government and net exports (the non-AI trend)",
            |r| r.economy.rest_usd_per_year,
        ),
        Column::f64(
            "trend_gdp_usd_per_year",
            "USD/year",
            "GDP without the boom's swings: the non-AI economy on its path and AI investment smoothed (macro.trend_ai_investment_halflife_years)",
            |r| r.economy.trend_gdp_usd_per_year,
        ),
        Column::f64(
            "policy_rate",
            "per year",
            "the policy rate from the Taylor rule (its change since the start moves every rate in the model)",
            |r| r.economy.policy_rate,
        ),
        Column::f64(
            "inflation",
            "per year",
            "the inflation proxy the Taylor rule reads: macro.inflation_target + macro.inflation_per_output_gap × output gap",
            |r| r.economy.inflation,
        ),
        Column::f64(
            "output_gap",
            "share",
            "GDP / trend − 1 (drives employment and other investment)",
            |r| r.economy.output_gap,
        ),
        Column::f64("ai_share_of_gdp", "share", "AI investment / GDP", |r| r.economy.ai_share_of_gdp()),
        Column::opt_f64(
            "gdp_growth_yoy",
            "share",
            "GDP over twelve months earlier − 1 (null in the first year)",
            |r| defined(r.economy.gdp_growth_yoy),
        ),
        Column::opt_f64(
            "ai_contribution_to_growth_yoy",
            "share of GDP",
            "change of AI investment over twelve months / GDP twelve months earlier (null in the first year)",
            |r| defined(r.economy.ai_contribution_to_growth_yoy),
        ),
        Column::opt_f64(
            "ai_share_of_growth_yoy",
            "share",
            "AI's contribution / GDP growth, when growth is positive (else null)",
            |r| defined(r.economy.ai_share_of_growth_yoy),
        ),
        Column::f64("employment", "workers", "employed workers", |r| r.economy.employment),
        Column::f64("unemployment_rate", "share", "1 − employment / labour force", |r| {
            r.economy.unemployment_rate
        }),
        Column::f64(
            "automated_jobs",
            "jobs",
            "jobs automated by enterprise AI: its revenue above the start × labour cost replaced per dollar / wage",
            |r| r.economy.automated_jobs,
        ),
        Column::f64(
            "displaced_workers",
            "workers",
            "workers displaced by AI and not yet re-employed",
            |r| r.economy.displaced_workers,
        ),
        Column::f64(
            "equity_wealth_change_usd",
            "USD",
            "every listed firm's market cap less its value at the start",
            |r| r.economy.equity_wealth_change_usd,
        ),
        Column::opt_f64(
            "chipmaker_to_carmaker_cap",
            "ratio",
            "the chipmaker's market cap / the carmaker's (≈ 94 in Oct 2025; null without a carmaker)",
            |r| defined(r.economy.chipmaker_to_carmaker_cap),
        ),
        Column::f64(
            "datacenter_connected_gw",
            "GW",
            "grid connections of data centres open by now",
            |r| r.economy.datacenter_connected_gw,
        ),
        Column::f64(
            "gpu_power_draw_gw",
            "GW",
            "power the GPUs in service draw at their utilisation",
            |r| r.economy.gpu_power_draw_gw,
        ),
        Column::f64(
            "grid_capacity_gw",
            "GW",
            "grid capacity available to the model's data centres",
            |r| r.economy.grid_capacity_gw,
        ),
        Column::u32(
            "buildings_waiting_for_grid",
            "count",
            "buildings whose construction is done but which wait for a connection",
            |r| r.economy.buildings_waiting_for_grid,
        ),
        Column::u32(
            "grid_delayed_buildings",
            "count",
            "buildings ordered so far whose connection came later than their construction",
            |r| r.grid_delayed_buildings,
        ),
        Column::u32(
            "regions_in_recession",
            "count",
            "regions with two quarters of negative growth running",
            |r| r.regions_in_recession,
        ),
        Column::u32(
            "regions_near_recession",
            "count",
            "other regions whose annualised growth last quarter was below regions.near_recession_growth_per_year",
            |r| r.regions_near_recession,
        ),
    ];
}

impl Row for RegionRow {
    const TABLE: &'static str = "regions";
    const ROW: &'static str = "one region (state) on the first trading day of each quarter";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::u32(
            "region",
            "id",
            "region number, 1 … regions.count (1 has the most non-AI activity)",
            |r| r.region,
        ),
        Column::f64(
            "activity_share",
            "share",
            "its share of the nation's non-AI output at the start",
            |r| r.state.activity_share,
        ),
        Column::f64(
            "datacenter_share",
            "share",
            "its share of AI investment (data-centre construction)",
            |r| r.state.datacenter_share,
        ),
        Column::f64("gdp_usd_per_year", "USD/year", "its output", |r| r.state.gdp_usd_per_year),
        Column::f64("ai_investment_usd_per_year", "USD/year", "AI investment in it", |r| {
            r.state.ai_investment_usd_per_year
        }),
        Column::opt_f64(
            "growth_annualised",
            "share",
            "growth over the last quarter, annualised (null in the first quarter)",
            |r| defined(r.state.growth_annualised),
        ),
        Column::f64(
            "growth_deviation_per_year",
            "share/year",
            "the persistent deviation of its non-AI growth from the nation's",
            |r| r.state.growth_deviation_per_year,
        ),
        Column::bool("in_recession", "flag", "two quarters of negative growth running", |r| {
            r.state.in_recession()
        }),
        Column::bool("near_recession", "flag", "not in recession, but growth below the threshold", |r| {
            r.state.near_recession(r.near_recession_threshold)
        }),
    ];
}

/// Records the macro table (monthly) and the regions table (quarterly).
pub fn record_economy(
    params: Res<Params>,
    clock: Res<Clock>,
    economy: Res<Economy>,
    regions: Res<Regions>,
    grid: Res<Grid>,
    (mut macro_rows, mut region_rows): (ResMut<Rows<MacroRow>>, ResMut<Rows<RegionRow>>),
) {
    if macro_rows.due(&clock) {
        macro_rows.push(MacroRow {
            tick: clock.tick,
            date: clock.date,
            economy: economy.clone(),
            regions_in_recession: regions.in_recession,
            regions_near_recession: regions.near_recession,
            grid_delayed_buildings: grid.delayed_buildings,
        });
    }
    if region_rows.due(&clock) {
        for (k, region) in regions.regions.iter().enumerate() {
            region_rows.push(RegionRow {
                tick: clock.tick,
                date: clock.date,
                region: k as u32 + 1,
                state: region.clone(),
                near_recession_threshold: params.regions.near_recession_growth_per_year,
            });
        }
    }
}

/// One sector's money and net worth.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SectorAccounts {
    /// Money held.
    pub cash_usd: f64,
    /// Debt owed: firms' loans and credit lines, SPVs' bonds, funds' margin loans.
    pub debt_usd: f64,
    /// Net worth (book equity, NAV at market, or cash plus equity held).
    pub net_worth_usd: f64,
}

impl SectorAccounts {
    fn of(sums: Sums) -> Self {
        Self {
            cash_usd: usd(sums.cash),
            debt_usd: usd(sums.debt),
            net_worth_usd: usd(sums.net_worth),
        }
    }
}

/// The sectors' books at the end of one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AccountsRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// Retail investors.
    pub households: SectorAccounts,
    /// Labs, hyperscalers, clouds, the chipmaker and the carmaker.
    pub firms: SectorAccounts,
    /// Private-equity sponsors and their SPVs.
    pub sponsors: SectorAccounts,
    /// Institutions and venture funds.
    pub funds: SectorAccounts,
    /// The closure's money.
    pub rest_of_economy_cash_usd: f64,
    /// All money summed over the sectors and the closure: zero when every payment left
    /// one account and entered another.
    pub money_residual_usd: f64,
    /// Gross payments posted in the tick.
    pub payments_usd: f64,
}

impl Row for AccountsRow {
    const TABLE: &'static str = "accounts";
    const ROW: &'static str = "the stock–flow accounts by sector at the end of a trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::f64("households_cash_usd", "USD", "money held by retail investors", |r| {
            r.households.cash_usd
        }),
        Column::f64(
            "households_net_worth_usd",
            "USD",
            "their cash + AI basket at the basket level",
            |r| r.households.net_worth_usd,
        ),
        Column::f64(
            "firms_cash_usd",
            "USD",
            "money held by labs, hyperscalers, clouds, the chipmaker and the carmaker",
            |r| r.firms.cash_usd,
        ),
        Column::f64("firms_debt_usd", "USD", "their loans and credit lines", |r| r.firms.debt_usd),
        Column::f64("firms_net_worth_usd", "USD", "their book equity", |r| r.firms.net_worth_usd),
        Column::f64(
            "sponsors_cash_usd",
            "USD",
            "money held by private-equity sponsors and their SPVs",
            |r| r.sponsors.cash_usd,
        ),
        Column::f64("sponsors_debt_usd", "USD", "their credit lines and SPV bonds outstanding", |r| {
            r.sponsors.debt_usd
        }),
        Column::f64("sponsors_net_worth_usd", "USD", "their book equity", |r| r.sponsors.net_worth_usd),
        Column::f64(
            "funds_cash_usd",
            "USD",
            "money held by institutions (cash) and venture funds (dry powder)",
            |r| r.funds.cash_usd,
        ),
        Column::f64("funds_debt_usd", "USD", "hedge funds' margin loans", |r| r.funds.debt_usd),
        Column::f64(
            "funds_net_worth_usd",
            "USD",
            "institutions' NAV at market marks + venture dry powder + stakes at the labs' last rounds",
            |r| r.funds.net_worth_usd,
        ),
        Column::f64(
            "rest_of_economy_cash_usd",
            "USD",
            "the closure's money (customers, suppliers, workers, lenders, the wider market, government): minus all the agents' money at the start",
            |r| r.rest_of_economy_cash_usd,
        ),
        Column::f64(
            "money_residual_usd",
            "USD",
            "all money, the closure's included, summed in fixed point (micro-dollars): zero when every payment left one account and entered another; the run stops if it exceeds accounting.tolerance_usd_per_usd × gross money",
            |r| r.money_residual_usd,
        ),
        Column::f64("payments_usd", "USD", "gross payments posted during the day", |r| r.payments_usd),
    ];
}

/// What the funds' net worth is marked from: listed prices, securities and the labs.
#[derive(bevy_ecs::system::SystemParam)]
pub struct FundMarks<'w, 's> {
    directory: Res<'w, Directory>,
    listed: Query<'w, 's, (&'static AgentId, &'static Listed)>,
    securities: Query<'w, 's, (&'static AgentId, &'static Security)>,
    institutions: Query<'w, 's, &'static Institution>,
    funds: Query<'w, 's, (&'static VentureFund, &'static Stakes)>,
    labs: Query<'w, 's, &'static Lab>,
}

/// At its cadence, records the accounts table from today's [`SectorBooks`], with the
/// funds' net worth marked to market: institutions' NAV, venture dry powder and stakes
/// at the labs' last rounds.
pub fn record_accounts(clock: Res<Clock>, books: Res<SectorBooks>, marks: FundMarks, mut out: ResMut<Rows<AccountsRow>>) {
    if !out.due(&clock) {
        return;
    }
    let mut funds = books.funds;
    let prices = Marks::new(marks.listed.iter(), marks.securities.iter());
    for investor in &marks.institutions {
        funds.add_net_worth(investor.nav_usd(&prices));
    }
    for (fund, stakes) in &marks.funds {
        let marked: f64 = stakes
            .units
            .iter()
            .map(|&(lab, units)| {
                marks
                    .directory
                    .try_get(lab)
                    .and_then(|e| marks.labs.get(e).ok())
                    .map_or(0.0, |l| l.stake_value_usd(units))
            })
            .sum();
        funds.add_net_worth(fund.dry_powder_usd + marked);
    }
    out.push(AccountsRow {
        tick: clock.tick,
        date: clock.date,
        households: SectorAccounts::of(books.households),
        firms: SectorAccounts::of(books.firms),
        sponsors: SectorAccounts::of(books.sponsors),
        funds: SectorAccounts::of(funds),
        rest_of_economy_cash_usd: usd(books.rest_of_economy),
        money_residual_usd: books.residual_usd,
        payments_usd: books.payments_usd,
    });
}
