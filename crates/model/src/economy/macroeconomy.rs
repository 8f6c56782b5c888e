//! The real economy: GDP by expenditure, employment, and the displacement of labour by
//! AI (outcome B). Monthly, after the forecasts have annualised the month's capex.
//!
//! - AI investment is the model's own GPU purchases and data-centre construction over
//!   the last quarter at an annual rate (`Forecasts::ai_capex_last_quarter_usd_per_year`),
//!   times `macro.ai_investment_per_model_capex` for the build-out outside the model's
//!   firms (or held at its first value, `macro.hold_ai_investment_flat`).
//! - The trend is the economy without the boom's swings: the non-AI economy on its
//!   (weak, recovering) path plus AI investment smoothed with a half-life of years; the
//!   output gap is GDP over trend − 1, so an AI boom lowers unemployment and its end
//!   raises it until the trend has caught down.
//! - Consumption, other investment and the rest (government and net exports) follow a
//!   non-AI trend that is weak at the start and recovers towards its long-run rate.
//!   Consumption moves with households' income (wages of the employed, benefits of the
//!   unemployed) and with their stock-market wealth (the wealth effect); other
//!   investment with last month's output gap (an accelerator) and against the policy
//!   rate's rise.
//! - Monetary policy closes the loop: a Taylor rule sets the policy rate from a
//!   Phillips-curve inflation proxy and the output gap, gradually and above a floor; its
//!   change moves every rate in the model ([`Rates`]).
//! - Employment follows Okun's law towards the level the output gap implies, less the
//!   workers AI has displaced and who have not yet found new work. Jobs are automated in
//!   proportion to enterprise AI revenue above its level at the start (labour cost
//!   replaced per dollar of AI revenue ÷ the wage), saturating at the automatable share
//!   of the labour force; displaced workers are re-employed at a monthly rate. So
//!   success can hurt: revenue that catches up with capex displaces workers, their lost
//!   wages cut consumption, and the output gap widens.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::ai_industry::demand::Demand;
use crate::beliefs::forecasts::Forecasts;
use crate::common::calendar::Clock;
use crate::common::params::Params;
use crate::compute::generations::{Generations, GpuCohort};
use crate::economy::shock::Rates;
use crate::firms::firm::{Firm, FirmKind};
use crate::firms::listed::Listed;
use crate::real_estate::construction::Construction;
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::grid::Grid;

/// Households' income in workers' wages: the employed's, and benefits of the unemployed.
fn household_income(params: &Params, employment: f64) -> f64 {
    let m = &params.macroeconomy;
    employment + m.benefit_replacement_rate * (m.labour_force - employment)
}

/// Values at the start that the economy's paths are indexed on.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
struct Start {
    consumption_usd_per_year: f64,
    other_investment_usd_per_year: f64,
    rest_usd_per_year: f64,
    equity_wealth_usd: f64,
    enterprise_ai_revenue_usd_per_year: f64,
    household_income: f64,
    /// AI investment in the first month.
    ai_investment_usd_per_year: f64,
}

/// The economy this month (flows at annual rates, USD).
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Economy {
    /// GDP: consumption + AI investment + other investment + the rest.
    pub gdp_usd_per_year: f64,
    /// Household consumption.
    pub consumption_usd_per_year: f64,
    /// AI investment: the model's GPU purchases and data-centre construction, scaled to the nation's.
    pub ai_investment_usd_per_year: f64,
    /// Business investment outside AI.
    pub other_investment_usd_per_year: f64,
    /// Government and net exports.
    pub rest_usd_per_year: f64,
    /// GDP on trend: the non-AI economy on its path, AI investment smoothed over years.
    pub trend_gdp_usd_per_year: f64,
    /// AI investment on trend: its smoothed path (`macro.trend_ai_investment_halflife_years`).
    pub trend_ai_investment_usd_per_year: f64,
    /// The policy rate set by the Taylor rule (0.01 = 1%).
    pub policy_rate: f64,
    /// The inflation proxy the rule reads: target + slope × output gap.
    pub inflation: f64,
    /// GDP / trend − 1.
    pub output_gap: f64,
    /// GDP over GDP twelve months earlier − 1 (NaN in the first year).
    pub gdp_growth_yoy: f64,
    /// The change in AI investment over twelve months ÷ GDP twelve months earlier.
    pub ai_contribution_to_growth_yoy: f64,
    /// AI's contribution ÷ GDP growth, when growth is positive (else NaN).
    pub ai_share_of_growth_yoy: f64,
    /// Workers employed.
    pub employment: f64,
    /// Share of the labour force (`macro.labour_force`) out of work, 0 … 1.
    pub unemployment_rate: f64,
    /// Jobs automated by enterprise AI since the start.
    pub automated_jobs: f64,
    /// Workers displaced by AI and not yet re-employed.
    pub displaced_workers: f64,
    /// Listed equity wealth (every listed firm's market cap) less its value at the start.
    pub equity_wealth_change_usd: f64,
    /// Chipmaker market cap ÷ carmaker market cap (NaN without a carmaker).
    pub chipmaker_to_carmaker_cap: f64,
    /// Data centres' grid connections in use, GW.
    pub datacenter_connected_gw: f64,
    /// Power drawn by the GPUs in service (GPUs × power per GPU × utilisation), GW.
    pub gpu_power_draw_gw: f64,
    /// Grid capacity available to data centres this month, GW.
    pub grid_capacity_gw: f64,
    /// Buildings whose construction is done but which wait for a grid connection.
    pub buildings_waiting_for_grid: u32,
    /// AI investment's share of GDP in the first month.
    pub first_ai_share_of_gdp: f64,
    /// The highest unemployment rate so far.
    pub peak_unemployment_rate: f64,
    /// The lowest year-on-year GDP growth so far (NaN in the first year).
    pub lowest_gdp_growth_yoy: f64,
    /// Employment before displacement: what Okun's law allows (it adjusts gradually).
    cyclical_employment: f64,
    /// Households' income against the start, smoothed (what consumption reads).
    smoothed_income_index: f64,
    non_ai_level: f64,
    start: Option<Start>,
    /// (GDP, AI investment) of the last thirteen months, newest last.
    history: VecDeque<(f64, f64)>,
}

impl Economy {
    /// The non-AI economy's yearly growth `years` after the start.
    pub fn non_ai_growth(params: &Params, years: f64) -> f64 {
        let m = &params.macroeconomy;
        let weight = 0.5f64.powf(years / m.non_ai_growth_recovery_halflife_years);
        m.non_ai_growth_per_year_long_run + (m.non_ai_growth_per_year_at_start - m.non_ai_growth_per_year_long_run) * weight
    }

    /// The AI share of GDP.
    pub fn ai_share_of_gdp(&self) -> f64 {
        if self.gdp_usd_per_year > 0.0 {
            self.ai_investment_usd_per_year / self.gdp_usd_per_year
        } else {
            0.0
        }
    }

    /// Consumption, other investment and the rest: GDP outside AI investment.
    pub fn non_ai_output_usd_per_year(&self) -> f64 {
        self.consumption_usd_per_year + self.other_investment_usd_per_year + self.rest_usd_per_year
    }

    /// The Taylor (1993) rule's rate for this month's inflation proxy and output gap,
    /// before smoothing and the floor.
    pub fn taylor_rate(params: &Params, inflation: f64, output_gap: f64) -> f64 {
        let m = &params.macroeconomy;
        m.neutral_real_rate
            + inflation
            + m.taylor_inflation_weight * (inflation - m.inflation_target)
            + m.taylor_output_gap_weight * output_gap
    }

    /// One month of the economy. `equity_wealth_usd` is every listed firm's market cap;
    /// `enterprise_ai_revenue_usd_per_year` the enterprise segment's revenue at an annual rate.
    pub fn advance(
        &mut self,
        params: &Params,
        month: u32,
        model_ai_capex_usd_per_year: f64,
        equity_wealth_usd: f64,
        enterprise_ai_revenue_usd_per_year: f64,
    ) {
        let m = &params.macroeconomy;
        let measured_ai_investment = model_ai_capex_usd_per_year * m.ai_investment_per_model_capex;
        let start = *self.start.get_or_insert_with(|| {
            let employment = m.labour_force * (1.0 - m.unemployment_rate_at_start);
            let consumption = m.consumption_share_of_gdp * m.gdp_usd_per_year;
            let other = m.other_investment_share_of_gdp * m.gdp_usd_per_year;
            self.cyclical_employment = employment;
            self.employment = employment;
            self.non_ai_level = 1.0;
            self.trend_ai_investment_usd_per_year = measured_ai_investment;
            self.policy_rate = m.policy_rate_at_start;
            self.inflation = m.inflation_target;
            Start {
                consumption_usd_per_year: consumption,
                other_investment_usd_per_year: other,
                rest_usd_per_year: m.gdp_usd_per_year - consumption - other - measured_ai_investment,
                ai_investment_usd_per_year: measured_ai_investment,
                equity_wealth_usd,
                enterprise_ai_revenue_usd_per_year,
                household_income: household_income(params, employment),
            }
        });
        let ai_investment_usd_per_year = if m.hold_ai_investment_flat {
            start.ai_investment_usd_per_year
        } else {
            measured_ai_investment
        };
        if !self.history.is_empty() {
            let years = f64::from(month) / 12.0;
            self.non_ai_level *= (1.0 + Self::non_ai_growth(params, years)).powf(1.0 / 12.0);
            let keep = 0.5f64.powf(1.0 / (12.0 * m.trend_ai_investment_halflife_years));
            self.trend_ai_investment_usd_per_year =
                keep * self.trend_ai_investment_usd_per_year + (1.0 - keep) * ai_investment_usd_per_year;
        }
        // Imported GPUs and servers add to investment and to imports alike: only the
        // domestic share of AI investment's change moves GDP (the rest's net exports
        // carry the imports).
        let imported = m.ai_investment_import_share;
        self.trend_gdp_usd_per_year = (m.gdp_usd_per_year - start.ai_investment_usd_per_year) * self.non_ai_level
            + (1.0 - imported) * self.trend_ai_investment_usd_per_year
            + imported * start.ai_investment_usd_per_year;
        // Displacement: jobs automated by enterprise AI above its level at the start.
        // Jobs AI could take, at the revenue's reach, saturating at the automatable share.
        let reach = (enterprise_ai_revenue_usd_per_year - start.enterprise_ai_revenue_usd_per_year).max(0.0)
            * m.labour_cost_replaced_per_ai_usd
            / m.wage_usd_per_year;
        let automatable = m.automatable_share_of_labour * m.labour_force;
        let automated = if automatable > 0.0 {
            automatable * (1.0 - (-reach / automatable).exp())
        } else {
            0.0
        };
        let newly_automated = automated - self.automated_jobs;
        self.automated_jobs = automated;
        self.displaced_workers = (self.displaced_workers * (1.0 - m.reemployment_per_month) + newly_automated).max(0.0);

        // Demand: last month's employment sets income; the gap drives other investment.
        // Households smooth consumption: they spend on income averaged over months
        // (permanent income), so a quarter's swing in jobs moves spending gradually.
        let income_now = household_income(params, self.employment) / start.household_income;
        let keep = 0.5f64.powf(1.0 / m.consumption_smoothing_halflife_months.max(1e-9));
        self.smoothed_income_index = if self.history.is_empty() {
            income_now
        } else {
            keep * self.smoothed_income_index + (1.0 - keep) * income_now
        };
        let income_index = self.smoothed_income_index;
        self.equity_wealth_change_usd = equity_wealth_usd - start.equity_wealth_usd;
        self.consumption_usd_per_year = start.consumption_usd_per_year * self.non_ai_level * income_index
            + m.wealth_effect_per_year * m.household_equity_share * self.equity_wealth_change_usd;
        let rate_rise_points = (self.policy_rate - m.policy_rate_at_start) * 100.0;
        self.other_investment_usd_per_year = (start.other_investment_usd_per_year
            * self.non_ai_level
            * (1.0 + m.other_investment_per_output_gap * self.output_gap - m.other_investment_per_rate_point * rate_rise_points))
            .max(0.0);
        self.rest_usd_per_year =
            start.rest_usd_per_year * self.non_ai_level - imported * (ai_investment_usd_per_year - start.ai_investment_usd_per_year);
        self.ai_investment_usd_per_year = ai_investment_usd_per_year;
        self.gdp_usd_per_year = self.non_ai_output_usd_per_year() + ai_investment_usd_per_year;
        self.output_gap = self.gdp_usd_per_year / self.trend_gdp_usd_per_year - 1.0;

        // Employment: Okun's law, adjusted gradually, less the displaced.
        let okun_employment = m.labour_force * (1.0 - m.natural_unemployment_rate + self.output_gap / m.okun_coefficient);
        self.cyclical_employment += m.employment_adjustment_per_month * (okun_employment - self.cyclical_employment);
        self.employment = (self.cyclical_employment - self.displaced_workers).clamp(0.0, m.labour_force);
        self.unemployment_rate = 1.0 - self.employment / m.labour_force;

        // Policy: the Taylor rule on this month's gap, reached gradually, above the floor.
        self.inflation = m.inflation_target + m.inflation_per_output_gap * self.output_gap;
        let target = Self::taylor_rate(params, self.inflation, self.output_gap);
        self.policy_rate =
            (m.policy_smoothing_per_month * self.policy_rate + (1.0 - m.policy_smoothing_per_month) * target).max(m.policy_rate_floor);

        if self.history.is_empty() {
            self.first_ai_share_of_gdp = self.ai_share_of_gdp();
            self.lowest_gdp_growth_yoy = f64::NAN;
        }
        self.peak_unemployment_rate = self.peak_unemployment_rate.max(self.unemployment_rate);
        self.history.push_back((self.gdp_usd_per_year, ai_investment_usd_per_year));
        if self.history.len() > 13 {
            self.history.pop_front();
        }
        (self.gdp_growth_yoy, self.ai_contribution_to_growth_yoy, self.ai_share_of_growth_yoy) = match self.history.front() {
            Some(&(gdp_before, ai_before)) if self.history.len() == 13 => {
                let growth = self.gdp_usd_per_year / gdp_before - 1.0;
                let contribution = (ai_investment_usd_per_year - ai_before) / gdp_before;
                (growth, contribution, if growth > 0.0 { contribution / growth } else { f64::NAN })
            }
            _ => (f64::NAN, f64::NAN, f64::NAN),
        };
        if !self.gdp_growth_yoy.is_nan() {
            // NaN until the first year-on-year figure: `min` keeps the number.
            self.lowest_gdp_growth_yoy = self.lowest_gdp_growth_yoy.min(self.gdp_growth_yoy);
        }
    }
}

/// What the economy reads from the rest of the model: AI capex (forecasts), enterprise AI revenue, the grid and the GPU generations.
#[derive(SystemParam)]
pub struct EconomyInputs<'w> {
    forecasts: Res<'w, Forecasts>,
    demand: Res<'w, Demand>,
    grid: Res<'w, Grid>,
    generations: Res<'w, Generations>,
}

/// What the policy rate moves: the rates and the parameters that carry them.
#[derive(SystemParam)]
pub struct PolicyLevers<'w> {
    params: ResMut<'w, Params>,
    rates: ResMut<'w, Rates>,
}

/// Monthly, after the forecasts: GDP, employment, displacement, the policy rate (and
/// through it every rate), power and the grid.
pub fn update_economy(
    levers: PolicyLevers,
    clock: Res<Clock>,
    listed: Query<(&Firm, &Listed)>,
    cohorts: Query<&GpuCohort>,
    sites: Query<(&DataCenter, &Construction)>,
    mut economy: ResMut<Economy>,
    inputs: EconomyInputs,
) {
    let EconomyInputs {
        forecasts,
        demand,
        grid,
        generations,
    } = inputs;
    // Sums in a fixed order: sort the caps before adding them.
    let mut caps: Vec<(FirmKind, f64)> = listed.iter().map(|(firm, l)| (firm.kind, l.shares * l.price_usd)).collect();
    caps.sort_by(|a, b| a.1.total_cmp(&b.1));
    let wealth: f64 = caps.iter().map(|(_, cap)| cap).sum();
    let cap_of = |kind: FirmKind| caps.iter().filter(|(k, _)| *k == kind).map(|(_, cap)| cap).sum::<f64>();
    let carmaker = cap_of(FirmKind::Carmaker);
    economy.chipmaker_to_carmaker_cap = if carmaker > 0.0 {
        cap_of(FirmKind::Chipmaker) / carmaker
    } else {
        f64::NAN
    };
    let enterprise = demand.enterprise.revenue_usd() * 12.0;
    let PolicyLevers { mut params, mut rates } = levers;
    economy.advance(
        &params,
        clock.month,
        forecasts.ai_capex_last_quarter_usd_per_year,
        wealth,
        enterprise,
    );
    rates.policy_change = economy.policy_rate - params.macroeconomy.policy_rate_at_start;
    rates.apply(&mut params);

    let month = clock.month as i32;
    economy.datacenter_connected_gw = grid.connected_gw(month);
    economy.grid_capacity_gw = grid.capacity_gw(month);
    let mut draws: Vec<f64> = cohorts
        .iter()
        .filter(|c| c.in_service(clock.month))
        .map(|c| f64::from(c.gpus) * generations.get(c.generation).power_kw * c.utilisation)
        .collect();
    draws.sort_by(f64::total_cmp);
    economy.gpu_power_draw_gw = draws.iter().sum::<f64>() / 1e6;
    economy.buildings_waiting_for_grid = sites
        .iter()
        .filter(|(dc, site)| site.ready_month <= month && !dc.completed(clock.month))
        .count() as u32;
}
