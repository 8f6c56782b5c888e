//! The tick schedule: a fixed chain of phases, each a chain of systems, built with
//! ambiguity detection set to error so that two systems touching the same data in an
//! undefined order fail at start-up rather than at random. After every system that
//! moves money comes the stock–flow check ([`check_cash`]) named after it.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

use crate::ai_industry::adoption::adopt_and_churn;
use crate::ai_industry::circular::settle_contract;
use crate::ai_industry::demand::advance_demand;
use crate::ai_industry::funding::raise_or_fail;
use crate::ai_industry::pricing::price_queries;
use crate::ai_industry::revenue::settle_revenue;
use crate::ai_industry::venture::{allocate_venture, remark_venture};
use crate::beliefs::bubble::update_bubble_index;
use crate::beliefs::forecasts::update_forecasts;
use crate::beliefs::narrative::{observe_revenue_growth, update_narrative};
use crate::beliefs::news::release_models;
use crate::common::calendar::{month_start, quarter_start};
use crate::compute::capex::order::order_gpus;
use crate::compute::fleet::rebuild_fleet_index;
use crate::compute::market::clear_compute_market;
use crate::compute::obsolescence::{release_generations, revalue_cohorts};
use crate::economy::macroeconomy::update_economy;
use crate::economy::regions::update_regions;
use crate::economy::shock::apply_shock;
use crate::finance::fire_sales::day::run_fire_sales;
use crate::finance::institutions::{accrue_interest, collect_payments, place_new_issues};
use crate::finance::ratings::{assess_securities, review_ratings};
use crate::finance::securities::clear_cashflows;
use crate::finance::securitisation::{securitise_leases, service_pools};
use crate::finance::spv::service::service_spvs;
use crate::firms::accounting::close_months;
use crate::markets::fundamentals::report_earnings;
use crate::markets::payouts::pay_out_cash;
use crate::markets::prices::form_prices;
use crate::markets::rebalancing::rebalance_equities;
use crate::markets::retail::retail_sentiment;
use crate::real_estate::construction::build_datacenters;
use crate::real_estate::renegotiation::renegotiate_leases;
use crate::real_estate::rent::pay_lease_rent;
use crate::tick::cash_audit::{Holders, check_cash};
use crate::tick::money_audit::audit_money;
use crate::tick::observe::boom::record_boom;
use crate::tick::observe::credit::record_credit;
use crate::tick::observe::economy::{record_accounts, record_economy};
use crate::tick::observe::events::record_events;
use crate::tick::observe::firms::record_firms;
use crate::tick::observe::infrastructure::record_infrastructure;
use crate::tick::observe::markets::record_markets;
use crate::tick::observe::retail::record_retail;

/// The phases of a tick, in the order they run.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// News (model releases, monthly) and hype.
    Narrative,
    /// End-user demand and enterprise adoption, the compute market, revenue, the circular
    /// contract (installs, the chipmaker's investment, take-or-pay), venture allocation
    /// and funding rounds (monthly).
    DemandAndRevenue,
    /// Generation releases are in DemandAndRevenue; here: revaluation, impairment, retirement (monthly).
    Obsolescence,
    /// GPU orders (the circular contract's included) and construction (quarterly).
    Capex,
    /// Rent and renegotiation (monthly; renegotiation quarterly).
    Leases,
    /// New issues sold, construction draws, SPVs' and pools' cash flows, securitisation
    /// (quarterly), credit assessment, ratings and payments to holders (monthly).
    Credit,
    /// Retail investors switch and trade (daily).
    Sentiment,
    /// Institutions rebalance; constrained sales, margin calls and the fire-sale cascade (daily).
    Institutions,
    /// Prices form (daily).
    Market,
    /// Forecasts learn from the month, the economy and regions move, books close
    /// (monthly); earnings reports (quarterly).
    Accounting,
    /// The Goldfarb–Kirsch index (daily).
    Bubble,
    /// All money, the closure's included, must still sum to zero (daily).
    Audit,
    /// Rows are copied out for the recorder.
    Record,
}

/// The schedule every tick runs.
pub fn build_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..ScheduleBuildSettings::default()
    });
    schedule.configure_sets(
        (
            Phase::Narrative,
            Phase::DemandAndRevenue,
            Phase::Obsolescence,
            Phase::Capex,
            Phase::Leases,
            Phase::Credit,
            Phase::Sentiment,
            Phase::Institutions,
            Phase::Market,
            Phase::Accounting,
            Phase::Bubble,
            Phase::Audit,
            Phase::Record,
        )
            .chain(),
    );
    schedule.add_systems(
        (
            observe_revenue_growth.run_if(month_start),
            release_models.run_if(month_start),
            update_narrative,
        )
            .chain()
            .in_set(Phase::Narrative),
    );
    schedule.add_systems(
        (
            apply_shock,
            advance_demand,
            adopt_and_churn,
            price_queries,
            release_generations,
            rebuild_fleet_index,
            clear_compute_market,
            settle_revenue,
            check_cash("settle_revenue", Holders::FIRMS),
            settle_contract,
            check_cash("settle_contract", Holders::FIRMS),
            allocate_venture,
            check_cash("allocate_venture", Holders::FUNDS),
            raise_or_fail,
            check_cash("raise_or_fail", Holders::FIRMS.and(Holders::FUNDS)),
            remark_venture,
        )
            .chain()
            .run_if(month_start)
            .in_set(Phase::DemandAndRevenue),
    );
    // Revaluation books impairments only; the check confirms it moves no money.
    schedule.add_systems(
        (revalue_cohorts, check_cash("revalue_cohorts", Holders::FIRMS))
            .chain()
            .run_if(month_start)
            .in_set(Phase::Obsolescence),
    );
    schedule.add_systems(
        (rebuild_fleet_index, order_gpus, check_cash("order_gpus", Holders::FIRMS))
            .chain()
            .run_if(quarter_start)
            .in_set(Phase::Capex),
    );
    schedule.add_systems(
        (
            rebuild_fleet_index,
            pay_lease_rent,
            check_cash("pay_lease_rent", Holders::FIRMS),
            (renegotiate_leases, check_cash("renegotiate_leases", Holders::FIRMS))
                .chain()
                .run_if(quarter_start),
        )
            .chain()
            .run_if(month_start)
            .in_set(Phase::Leases),
    );
    schedule.add_systems(
        (
            clear_cashflows,
            // New pools and new SPV bonds (from Capex) are sold first, so SPVs have
            // their bond proceeds before the month's draws.
            securitise_leases.run_if(quarter_start),
            place_new_issues,
            check_cash("place_new_issues", Holders::FIRMS.and(Holders::INSTITUTIONS)),
            build_datacenters,
            check_cash("build_datacenters", Holders::FIRMS),
            service_spvs,
            check_cash("service_spvs", Holders::FIRMS),
            service_pools,
            check_cash("service_pools", Holders::FIRMS),
            assess_securities,
            review_ratings,
            collect_payments,
            check_cash("collect_payments", Holders::INSTITUTIONS),
            accrue_interest,
            check_cash("accrue_interest", Holders::INSTITUTIONS),
        )
            .chain()
            .run_if(month_start)
            .in_set(Phase::Credit),
    );
    schedule.add_systems(
        (retail_sentiment, check_cash("retail_sentiment", Holders::RETAIL))
            .chain()
            .in_set(Phase::Sentiment),
    );
    schedule.add_systems(
        (
            rebalance_equities,
            check_cash("rebalance_equities", Holders::INSTITUTIONS),
            run_fire_sales,
            check_cash("run_fire_sales", Holders::INSTITUTIONS),
        )
            .chain()
            .in_set(Phase::Institutions),
    );
    schedule.add_systems(form_prices.in_set(Phase::Market));
    schedule.add_systems(
        (
            update_forecasts,
            update_economy,
            update_regions.run_if(quarter_start),
            close_months,
            check_cash("close_months", Holders::FIRMS),
            report_earnings.run_if(quarter_start),
            pay_out_cash.run_if(quarter_start),
            check_cash("pay_out_cash", Holders::FIRMS.and(Holders::INSTITUTIONS).and(Holders::RETAIL)),
            rebuild_fleet_index,
        )
            .chain()
            .run_if(month_start)
            .in_set(Phase::Accounting),
    );
    schedule.add_systems(update_bubble_index.in_set(Phase::Bubble));
    schedule.add_systems(audit_money.in_set(Phase::Audit));
    schedule.add_systems(
        (
            record_markets,
            record_events,
            record_firms,
            record_retail,
            record_infrastructure,
            record_credit,
            record_boom,
            record_economy,
            record_accounts,
        )
            .chain()
            .in_set(Phase::Record),
    );
    schedule
}
