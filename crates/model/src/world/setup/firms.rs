//! The scenario's firms, spawned in a fixed order: labs, hyperscalers, clouds, the
//! chipmaker and the sponsors.

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::common::ids::AgentId;
use crate::firms::firm::FirmKind;
use crate::firms::listed::Listed;
use crate::firms::roles::{AiSeller, Borrower, Chipmaker, CoreBusiness, Lab, Provider, Sponsor, Stakes};
use crate::money::accounts::Accounts;
use crate::world::setup::spawner::{SetupSpawner, firm};

/// The firms other parts of the setup need: the providers with their starting
/// H100-equivalents, the chipmaker and the sponsors.
pub struct Founded {
    /// (provider, installed H100-equivalents), hyperscalers then clouds.
    pub providers: Vec<(AgentId, f64)>,
    /// The chipmaker.
    pub chipmaker: AgentId,
    /// The sponsors, in spawn order.
    pub sponsors: Vec<AgentId>,
}

/// Spawns every firm of the scenario.
pub fn spawn_firms(world: &mut World, spawner: &mut SetupSpawner, config: &Config) -> Founded {
    for lab in &config.labs {
        spawner.spawn(
            world,
            (
                firm(FirmKind::Lab, &lab.name),
                Accounts::with_cash(lab.cash_usd, 0.0, lab.cash_usd),
                AiSeller::new(lab.end_market_share, lab.training_gpu_hours_per_month, lab.training_growth_per_year),
                Lab::new(lab.other_opex_usd_per_month),
            ),
        );
    }
    let installed_total: f64 = config
        .hyperscalers
        .iter()
        .map(|h| h.installed_h100_equivalents)
        .chain(config.clouds.iter().map(|c| c.installed_h100_equivalents))
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mut providers: Vec<(AgentId, f64)> = Vec::new();
    for h in &config.hyperscalers {
        let id = spawner.spawn(
            world,
            (
                firm(FirmKind::Hyperscaler, &h.name),
                Accounts::with_cash(h.cash_usd, 0.0, h.book_equity_usd),
                Listed::new(h.shares_outstanding, h.share_price_usd),
                AiSeller::new(h.end_market_share, h.training_gpu_hours_per_month, h.training_growth_per_year),
                CoreBusiness {
                    revenue_usd_per_year: h.core_revenue_usd_per_year,
                    operating_margin: h.core_operating_margin,
                    growth_per_year: h.core_growth_per_year,
                },
                Provider {
                    plan_base_ai_revenue_usd_per_month: 0.0,
                    capacity_share: h.installed_h100_equivalents / installed_total,
                },
                // Debt it takes on when it builds on its own balance sheet.
                Borrower {
                    interest_rate: config.financing.risk_free_rate + config.financing.own_debt_spread,
                },
            ),
        );
        providers.push((id, h.installed_h100_equivalents));
    }
    for c in &config.clouds {
        let id = spawner.spawn(
            world,
            (
                firm(FirmKind::Cloud, &c.name),
                Accounts::with_cash(c.cash_usd, c.debt_usd, c.book_equity_usd),
                Listed::new(c.shares_outstanding, c.share_price_usd),
                Borrower {
                    interest_rate: c.interest_rate,
                },
                Provider {
                    plan_base_ai_revenue_usd_per_month: 0.0,
                    capacity_share: c.installed_h100_equivalents / installed_total,
                },
            ),
        );
        providers.push((id, c.installed_h100_equivalents));
    }
    let m = &config.chipmaker;
    let chipmaker = spawner.spawn(
        world,
        (
            firm(FirmKind::Chipmaker, &m.name),
            Accounts::with_cash(m.cash_usd, 0.0, m.book_equity_usd),
            Listed::new(m.shares_outstanding, m.share_price_usd),
            Chipmaker {
                gross_margin: m.gross_margin,
                other_revenue_usd_per_year: m.other_revenue_usd_per_year,
                operating_expenses_usd_per_year: m.operating_expenses_usd_per_year,
            },
            Stakes::default(),
        ),
    );
    let sponsors: Vec<AgentId> = (1..=config.sponsors.count)
        .map(|n| {
            spawner.spawn(
                world,
                (
                    firm(FirmKind::Sponsor, &format!("sponsor-{n}")),
                    Accounts::with_cash(config.sponsors.cash_usd, 0.0, config.sponsors.cash_usd),
                    Borrower {
                        interest_rate: config.sponsors.interest_rate,
                    },
                    Sponsor,
                ),
            )
        })
        .collect();
    Founded {
        providers,
        chipmaker,
        sponsors,
    }
}
