//! The end-of-run summary printed after a run: the headline figures in sentences.

use std::fmt::Write as _;
use std::path::Path;

use bubblesim_model::prelude::Summary;
use bubblesim_record::Manifest;

pub(crate) fn print_summary(manifest: &Manifest, summary: &Summary, path: &Path) {
    let mut text = String::new();
    let totals = summary.totals;
    let economy = summary.economy;
    let seed = manifest.seed;
    let total_time = manifest.timings_seconds.get("total").copied().unwrap_or_default();
    let _ = writeln!(
        text,
        "bubblesim {} · seed {seed} · {} to {} ({} trading days) in {:.1}s",
        manifest.scenario, manifest.first_date, manifest.last_date, summary.ticks, total_time
    );
    let _ = writeln!(
        text,
        "  AI index: ends at {:.1}; deepest peak-to-trough fall {:.1}%",
        summary.ai_index_level,
        summary.ai_index_max_drawdown * 100.0
    );
    let _ = writeln!(
        text,
        "  leases: {} rent cuts, {} breaks, {} defaults",
        totals.lease_rent_cuts, totals.lease_breaks, totals.lease_defaults
    );
    let _ = writeln!(
        text,
        "  GPUs: ${:.1}B impaired, ${:.1}B written off at retirement; {} generations released",
        totals.impairments_usd / 1e9,
        totals.retirements_usd / 1e9,
        totals.generations_released
    );
    let _ = writeln!(
        text,
        "  bubble index: {}/8 at the start, lowest {}/8, highest {}/8, {}/8 at the end",
        summary.bubble_first, summary.bubble_lowest, summary.bubble_highest, summary.bubble_last
    );
    let _ = writeln!(
        text,
        "  labs: {} funding rounds, {} failures",
        totals.funding_rounds, totals.lab_failures
    );
    let deal = &summary.circular;
    if deal.lab.is_some() {
        let _ = writeln!(
            text,
            "  loop: chipmaker → lab ${:.1}B of equity, lab → cloud ${:.1}B take-or-pay (${:.1}B back as its capacity's market rent), cloud → chipmaker ${:.1}B of GPUs ({:.2} GW; contract {})",
            deal.invested_usd / 1e9,
            deal.paid_usd / 1e9,
            deal.credited_usd / 1e9,
            deal.gpus_bought_usd / 1e9,
            deal.deployed_gw,
            if deal.active { "in force" } else { "unwound or ended" }
        );
    }
    let _ = writeln!(
        text,
        "  credit: {} securities issued, {} downgrades, ${:.1}B of principal written off, {} guarantees called",
        totals.securities_issued,
        totals.downgrades,
        totals.tranche_losses_usd / 1e9,
        totals.guarantees_called
    );
    let _ = writeln!(
        text,
        "  holders: {} margin calls, ${:.1}B of forced sales",
        totals.margin_calls,
        totals.forced_sales_usd / 1e9
    );
    let lowest_growth = if economy.lowest_gdp_growth_yoy.is_nan() {
        String::new()
    } else {
        format!(", weakest year-on-year GDP growth {:+.1}%", economy.lowest_gdp_growth_yoy * 100.0)
    };
    let _ = writeln!(
        text,
        "  economy: AI investment {:.1}% of GDP at the start; unemployment {:.1}% → peak {:.1}%{lowest_growth}; at most {} of {} regions in recession",
        economy.first_ai_share_of_gdp * 100.0,
        economy.first_unemployment_rate * 100.0,
        economy.peak_unemployment_rate * 100.0,
        economy.most_regions_in_recession,
        economy.regions
    );
    let _ = writeln!(
        text,
        "  accounts: money conserved on every trading day (largest residual ${:.2})",
        economy.largest_money_residual_usd
    );
    let _ = writeln!(text, "  tables: {}", path.display());
    crate::failure::print_stdout(&text);
}
