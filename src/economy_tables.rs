//! Glue for the economy's tables (`macro`, `regions`, `accounts`): rows into columns in
//! the order `bubblesim_record::tables` lists them.

use bubblesim_model::tick::observe_economy::{AccountsRow, MacroRow, RegionRow};
use bubblesim_record::ColumnData;

use ColumnData as C;

fn map<T, U>(rows: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
    rows.iter().map(f).collect()
}

/// NaN (undefined) is written as null.
fn defined(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

pub fn macroeconomy(rows: &[MacroRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::F64(map(rows, |r| r.economy.gdp_usd_per_year)),
        C::F64(map(rows, |r| r.economy.consumption_usd_per_year)),
        C::F64(map(rows, |r| r.economy.ai_investment_usd_per_year)),
        C::F64(map(rows, |r| r.economy.other_investment_usd_per_year)),
        C::F64(map(rows, |r| r.economy.rest_usd_per_year)),
        C::F64(map(rows, |r| r.economy.trend_gdp_usd_per_year)),
        C::F64(map(rows, |r| r.economy.output_gap)),
        C::F64(map(rows, |r| r.economy.ai_share_of_gdp())),
        C::OptF64(map(rows, |r| defined(r.economy.gdp_growth_yoy))),
        C::OptF64(map(rows, |r| defined(r.economy.ai_contribution_to_growth_yoy))),
        C::OptF64(map(rows, |r| defined(r.economy.ai_share_of_growth_yoy))),
        C::F64(map(rows, |r| r.economy.employment)),
        C::F64(map(rows, |r| r.economy.unemployment_rate)),
        C::F64(map(rows, |r| r.economy.automated_jobs)),
        C::F64(map(rows, |r| r.economy.displaced_workers)),
        C::F64(map(rows, |r| r.economy.equity_wealth_change_usd)),
        C::OptF64(map(rows, |r| defined(r.economy.chipmaker_to_carmaker_cap))),
        C::F64(map(rows, |r| r.economy.datacenter_connected_gw)),
        C::F64(map(rows, |r| r.economy.gpu_power_draw_gw)),
        C::F64(map(rows, |r| r.economy.grid_capacity_gw)),
        C::U32(map(rows, |r| r.economy.buildings_waiting_for_grid)),
        C::U32(map(rows, |r| r.grid_delayed_buildings)),
        C::U32(map(rows, |r| r.regions_in_recession)),
        C::U32(map(rows, |r| r.regions_near_recession)),
    ]
}

pub fn regions(rows: &[RegionRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::U32(map(rows, |r| r.region)),
        C::F64(map(rows, |r| r.state.activity_share)),
        C::F64(map(rows, |r| r.state.datacenter_share)),
        C::F64(map(rows, |r| r.state.gdp_usd_per_year)),
        C::F64(map(rows, |r| r.state.ai_investment_usd_per_year)),
        C::OptF64(map(rows, |r| defined(r.state.growth_annualised))),
        C::F64(map(rows, |r| r.state.growth_deviation_per_year)),
        C::Bool(map(rows, |r| r.state.in_recession())),
        C::Bool(map(rows, |r| r.state.near_recession(r.near_recession_threshold))),
    ]
}

pub fn accounts(rows: &[AccountsRow]) -> Vec<ColumnData> {
    vec![
        C::U32(map(rows, |r| r.tick)),
        C::Date32(map(rows, |r| r.date)),
        C::F64(map(rows, |r| r.households.cash_usd)),
        C::F64(map(rows, |r| r.households.net_worth_usd)),
        C::F64(map(rows, |r| r.firms.cash_usd)),
        C::F64(map(rows, |r| r.firms.debt_usd)),
        C::F64(map(rows, |r| r.firms.net_worth_usd)),
        C::F64(map(rows, |r| r.sponsors.cash_usd)),
        C::F64(map(rows, |r| r.sponsors.debt_usd)),
        C::F64(map(rows, |r| r.sponsors.net_worth_usd)),
        C::F64(map(rows, |r| r.funds.cash_usd)),
        C::F64(map(rows, |r| r.funds.debt_usd)),
        C::F64(map(rows, |r| r.funds.net_worth_usd)),
        C::F64(map(rows, |r| r.rest_of_economy_cash_usd)),
        C::F64(map(rows, |r| r.money_residual_usd)),
        C::F64(map(rows, |r| r.payments_usd)),
    ]
}
