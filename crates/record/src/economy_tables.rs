//! The tables of the real economy and the accounts: `macro` (monthly GDP, employment,
//! displacement, power and the grid), `regions` (quarterly, one row per region) and
//! `accounts` (each sector's money, debt and net worth, and the stock–flow residual).

use crate::schema::ColumnType::{Bool, F64, U32};
use crate::schema::{TableSpec, col, nullable};
use crate::tables::{table, time};

pub fn macroeconomy() -> TableSpec {
    table(
        "macro",
        "the economy on the first trading day of each month; flows at annual rates",
        time(),
        vec![
            col(
                "gdp_usd_per_year",
                F64,
                "USD/year",
                "GDP: consumption + AI investment + other investment + the rest",
            ),
            col(
                "consumption_usd_per_year",
                F64,
                "USD/year",
                "households' consumption: the non-AI trend × their income (wages and benefits) + the wealth effect of listed equity",
            ),
            col(
                "ai_investment_usd_per_year",
                F64,
                "USD/year",
                "the model's GPU purchases and data-centre construction over the trailing twelve months, scaled to the nation (macro.ai_investment_usd_per_year_at_start at the start)",
            ),
            col(
                "other_investment_usd_per_year",
                F64,
                "USD/year",
                "investment outside AI (moves with the output gap)",
            ),
            col(
                "rest_usd_per_year",
                F64,
                "USD/year",
                "government and net exports (the non-AI trend)",
            ),
            col(
                "trend_gdp_usd_per_year",
                F64,
                "USD/year",
                "GDP with the non-AI economy on its path and AI investment at its starting level",
            ),
            col(
                "output_gap",
                F64,
                "share",
                "GDP / trend − 1 (drives employment and other investment)",
            ),
            col("ai_share_of_gdp", F64, "share", "AI investment / GDP"),
            nullable(
                "gdp_growth_yoy",
                F64,
                "share",
                "GDP over twelve months earlier − 1 (null in the first year)",
            ),
            nullable(
                "ai_contribution_to_growth_yoy",
                F64,
                "share of GDP",
                "change of AI investment over twelve months / GDP twelve months earlier (null in the first year)",
            ),
            nullable(
                "ai_share_of_growth_yoy",
                F64,
                "share",
                "AI's contribution / GDP growth, when growth is positive (else null)",
            ),
            col("employment", F64, "workers", "employed workers"),
            col("unemployment_rate", F64, "share", "1 − employment / labour force"),
            col(
                "automated_jobs",
                F64,
                "jobs",
                "jobs automated by enterprise AI: its revenue above the start × labour cost replaced per dollar / wage",
            ),
            col(
                "displaced_workers",
                F64,
                "workers",
                "workers displaced by AI and not yet re-employed",
            ),
            col(
                "equity_wealth_change_usd",
                F64,
                "USD",
                "every listed firm's market cap less its value at the start",
            ),
            nullable(
                "chipmaker_to_carmaker_cap",
                F64,
                "ratio",
                "the chipmaker's market cap / the carmaker's (≈ 94 in Oct 2025; null without a carmaker)",
            ),
            col("datacenter_connected_gw", F64, "GW", "grid connections of data centres open by now"),
            col(
                "gpu_power_draw_gw",
                F64,
                "GW",
                "power the GPUs in service draw at their utilisation",
            ),
            col("grid_capacity_gw", F64, "GW", "grid capacity available to the model's data centres"),
            col(
                "buildings_waiting_for_grid",
                U32,
                "count",
                "buildings whose construction is done but which wait for a connection",
            ),
            col(
                "grid_delayed_buildings",
                U32,
                "count",
                "buildings ordered so far whose connection came later than their construction",
            ),
            col(
                "regions_in_recession",
                U32,
                "count",
                "regions with two quarters of negative growth running",
            ),
            col(
                "regions_near_recession",
                U32,
                "count",
                "other regions whose annualised growth last quarter was below regions.near_recession_growth_per_year",
            ),
        ],
    )
}

pub fn regions() -> TableSpec {
    table(
        "regions",
        "one region (state) on the first trading day of each quarter",
        time(),
        vec![
            col(
                "region",
                U32,
                "id",
                "region number, 1 … regions.count (1 has the most non-AI activity)",
            ),
            col(
                "activity_share",
                F64,
                "share",
                "its share of the nation's non-AI output at the start",
            ),
            col(
                "datacenter_share",
                F64,
                "share",
                "its share of AI investment (data-centre construction)",
            ),
            col("gdp_usd_per_year", F64, "USD/year", "its output"),
            col("ai_investment_usd_per_year", F64, "USD/year", "AI investment in it"),
            nullable(
                "growth_annualised",
                F64,
                "share",
                "growth over the last quarter, annualised (null in the first quarter)",
            ),
            col(
                "growth_deviation_per_year",
                F64,
                "share/year",
                "the persistent deviation of its non-AI growth from the nation's",
            ),
            col("in_recession", Bool, "flag", "two quarters of negative growth running"),
            col("near_recession", Bool, "flag", "not in recession, but growth below the threshold"),
        ],
    )
}

pub fn accounts() -> TableSpec {
    let money = |name, holders| col(name, F64, "USD", holders);
    table(
        "accounts",
        "the stock–flow accounts by sector at the end of a trading day",
        time(),
        vec![
            money("households_cash_usd", "money held by retail investors"),
            money("households_net_worth_usd", "their cash + AI equity at the index level"),
            money(
                "firms_cash_usd",
                "money held by labs, hyperscalers, clouds, the chipmaker and the carmaker",
            ),
            money("firms_debt_usd", "their loans and credit lines"),
            money("firms_net_worth_usd", "their book equity"),
            money("sponsors_cash_usd", "money held by private-equity sponsors and their SPVs"),
            money("sponsors_debt_usd", "their credit lines and SPV bonds outstanding"),
            money("sponsors_net_worth_usd", "their book equity"),
            money("funds_cash_usd", "money held by institutions (cash) and venture funds (dry powder)"),
            money("funds_debt_usd", "hedge funds' margin loans"),
            money(
                "funds_net_worth_usd",
                "institutions' NAV at market marks + venture dry powder + stakes at the labs' last rounds",
            ),
            money(
                "rest_of_economy_cash_usd",
                "the closure's money (customers, suppliers, workers, lenders, the wider market, government): minus all the agents' money at the start",
            ),
            money(
                "money_residual_usd",
                "all money, the closure's included, summed in fixed point (micro-dollars): zero when every payment left one account and entered another; the run stops if it exceeds accounting.tolerance_usd_per_usd × gross money",
            ),
            money("payments_usd", "gross payments posted during the day"),
        ],
    )
}
