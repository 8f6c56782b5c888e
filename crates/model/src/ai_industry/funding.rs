//! Funding rounds and failures. A lab whose cash covers fewer than
//! `runway_trigger_months` of burn tries to raise `round_size_months` of burn. The round
//! closes with a chance that rises with hype, and only as far as venture funds have AI
//! dry powder (`venture`); it is priced at a sentiment valuation: pre-money = annualised
//! AI revenue × `valuation_revenue_multiple` × e^{sensitivity × (hype − 0.5)}. Funds take
//! units pro rata to their dry powder. A lab whose cash runs out before a round closes
//! fails: it stops buying compute (its customers move to the remaining sellers), its
//! take-or-pay contract is unwound (`circular`), its investors' stakes are worth nothing
//! (the chipmaker writes its stake off), and the news knocks hype down.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::ai_industry::circular::CircularDeal;
use crate::ai_industry::venture::{Venture, VentureFund};
use crate::beliefs::narrative::Narrative;
use crate::beliefs::news::NewsFlow;
use crate::common::calendar::Clock;
use crate::common::directory::KeyAgents;
use crate::common::events::EventKind;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::rng::{Purpose, stream};
use crate::common::today::Today;
use crate::firms::firm::Firm;
use crate::firms::roles::{Lab, Stakes};
use crate::money::accounts::Accounts;
use crate::money::bookkeeping::Bookkeeping;
use crate::money::flows::FlowKind;
use rand::Rng;

/// Pre-money valuation of a lab at this hype: revenue × multiple × e^{s·(hype − 0.5)}.
pub fn pre_money_usd(params: &Params, ai_revenue_usd_per_year: f64, hype: f64) -> f64 {
    let v = &params.venture;
    ai_revenue_usd_per_year.max(0.0) * v.valuation_revenue_multiple * (v.valuation_hype_sensitivity * (hype - 0.5)).exp()
}

/// The state a round or a failure changes besides the lab: the deal, venture money and
/// the news, and the key agents.
#[derive(SystemParam)]
pub struct FundingState<'w> {
    key: Res<'w, KeyAgents>,
    narrative: Res<'w, Narrative>,
    deal: ResMut<'w, CircularDeal>,
    venture: ResMut<'w, Venture>,
    news: ResMut<'w, NewsFlow>,
}

/// Labs and the venture funds and chipmaker that hold their stakes.
type Labs<'w, 's> = Query<'w, 's, (&'static AgentId, &'static mut Firm, &'static mut Accounts, &'static mut Lab)>;
type Funds<'w, 's> = Query<'w, 's, (&'static AgentId, &'static mut VentureFund, &'static mut Stakes)>;
type StakeHolders<'w, 's> = Query<'w, 's, (&'static AgentId, &'static mut Accounts, &'static Stakes), (Without<Lab>, Without<VentureFund>)>;

/// The chance a round closes at this hype.
pub fn round_success_probability(params: &Params, hype: f64) -> f64 {
    let f = &params.funding;
    f.success_probability_at_no_hype + (f.success_probability_at_full_hype - f.success_probability_at_no_hype) * hype
}

/// A round closes: the lab sells equity at `pre_money` and the funds pay in pro rata to
/// their dry powder.
fn close_round(
    clock: &Clock,
    (id, accounts, lab): (AgentId, &mut Accounts, &mut Lab),
    (round, pre_money, dry_powder): (f64, f64, f64),
    funds: &mut Funds,
    state: &mut FundingState,
    books: &mut Bookkeeping,
) {
    accounts.month.funding_usd += round;
    lab.rounds_raised += 1;
    let units = lab.sell_equity(round, pre_money);
    state.venture.invested_this_month_usd += round;
    for (&fund_id, mut fund, mut stakes) in funds.iter_mut().sort::<&AgentId>() {
        let part = round * fund.dry_powder_usd / dry_powder;
        fund.dry_powder_usd -= part;
        accounts.cash_usd += part;
        books.ledger.pay(fund_id, id, part);
        stakes.add(id, units * part / round, part);
        books.flows.record(clock, fund_id, id, FlowKind::VentureRound, part, false);
    }
    books.events.record(
        clock,
        EventKind::FundingRound,
        id,
        None,
        Some(round),
        format!(
            "round {} closes at ${:.1}B post-money (hype {:.2})",
            lab.rounds_raised,
            lab.valuation_usd / 1e9,
            state.narrative.hype
        ),
    );
}

/// A lab fails: it stops operating, the news knocks hype down, its contract is unwound
/// and the chipmaker writes its stake off.
fn fail_lab(
    (params, clock): (&Params, &Clock),
    (id, firm, cash_usd, lab): (AgentId, &mut Firm, f64, &mut Lab),
    forced: bool,
    chipmaker: &mut StakeHolders,
    state: &mut FundingState,
    books: &mut Bookkeeping,
) {
    firm.active = false;
    lab.valuation_usd = 0.0;
    state.news.hype_jump -= params.news.hype_per_lab_failure;
    books.events.record(
        clock,
        EventKind::LabFailure,
        id,
        None,
        (!forced).then_some(-cash_usd),
        if forced {
            "defaults (the scenario's shock); customers move to other sellers".to_owned()
        } else {
            "cash ran out before a round closed; customers move to other sellers".to_owned()
        },
    );
    state.deal.unwind(params, clock, id, &mut books.events);
    if let Some((_, mut chip_accounts, stakes)) = chipmaker.iter_mut().find(|(c, _, _)| **c == state.key.chipmaker) {
        chip_accounts.month.impairment_usd += stakes.invested_in(id);
    }
}

/// Monthly, after revenue: runway checks, rounds and failures.
pub fn raise_or_fail(
    today: Today,
    mut labs: Labs,
    mut funds: Funds,
    mut chipmaker: StakeHolders,
    mut state: FundingState,
    mut books: Bookkeeping,
) {
    let (params, seed, clock) = (&*today.params, today.seed.0, &*today.clock);
    let f = &params.funding;
    let success = round_success_probability(params, state.narrative.hype);
    for (&id, mut firm, mut accounts, mut lab) in labs.iter_mut().sort::<&AgentId>() {
        if !firm.active {
            continue;
        }
        let revenue_per_year = accounts.month.ai_product_revenue_usd * 12.0;
        let pre_money = pre_money_usd(params, revenue_per_year, state.narrative.hype);
        if lab.valuation_usd <= 0.0 {
            // The first mark, before any round in the run.
            lab.valuation_usd = pre_money;
        }
        let burn = -accounts.month.earnings_usd();
        let short_runway = burn > 0.0 && accounts.cash_usd < f.runway_trigger_months * burn;
        let dry_powder: f64 = funds.iter().sort::<&AgentId>().map(|(_, fund, _)| fund.dry_powder_usd).sum();
        let round = (f.round_size_months * burn).min(dry_powder);
        // A round too small to cover a month of burn, or for a lab with nothing to value,
        // does not close.
        // A lab the scenario defaults fails on the first trading day of the shock's month
        // (its first round check from then), whatever its cash.
        let shock = &params.shock;
        let forced = !shock.lab_default.is_empty() && *firm.name == *shock.lab_default && clock.month >= shock.start_month;
        let closes = !forced
            && short_runway
            && round >= burn
            && pre_money > 0.0
            && stream(seed, Purpose::Funding, clock.tick, id.0).random::<f64>() < success;
        if closes {
            close_round(
                clock,
                (id, &mut accounts, &mut lab),
                (round, pre_money, dry_powder),
                &mut funds,
                &mut state,
                &mut books,
            );
        } else if forced || accounts.cash_usd < 0.0 {
            let cash = accounts.cash_usd;
            fail_lab(
                (params, clock),
                (id, &mut firm, cash, &mut lab),
                forced,
                &mut chipmaker,
                &mut state,
                &mut books,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::common::params::Seed;
    use crate::money::flows::FlowLog;
    use crate::prelude::EventLog;
    use std::sync::Arc;

    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::firms::firm::FirmKind;

    /// A lab out of cash, with no venture money to raise from, fails: its contract is
    /// unwound, the chipmaker writes its stake off at cost, the venture funds' stake in it
    /// is worth nothing, and the news knocks hype down.
    #[test]
    fn a_lab_out_of_cash_with_no_dry_powder_fails_and_everything_it_touched_follows() {
        let params = Params(Arc::new(bubblesim_config::Config::baseline()));
        let mut world = World::new();
        let (lab, cloud, chipmaker, fund) = (AgentId(1), AgentId(2), AgentId(3), AgentId(4));
        let firm = |kind, name: &str| Firm {
            kind,
            name: Arc::from(name),
            active: true,
        };
        let mut lab_accounts = Accounts::with_cash(-1e9, 0.0, 0.0);
        lab_accounts.month.ai_product_revenue_usd = 1e9;
        lab_accounts.month.other_costs_usd = 3e9;
        let mut lab_state = Lab::new(0.0);
        let units = lab_state.sell_equity(1e10, 9e10);
        world.spawn((lab, firm(FirmKind::Lab, "lab"), lab_accounts, lab_state));
        let mut chip_stakes = Stakes::default();
        chip_stakes.add(lab, units, 1e10);
        world.spawn((
            chipmaker,
            firm(FirmKind::Chipmaker, "chipmaker"),
            Accounts::with_cash(1e11, 0.0, 1e11),
            chip_stakes,
        ));
        let mut fund_stakes = Stakes::default();
        fund_stakes.add(lab, units, 1e10);
        let venture_fund = VentureFund {
            name: Arc::from("venture-fund-1"),
            dry_powder_usd: 0.0,
        };
        world.spawn((fund, venture_fund, fund_stakes));
        world.insert_resource(CircularDeal {
            lab: Some(lab),
            cloud: Some(cloud),
            active: true,
            paid_usd: 1e10,
            ..CircularDeal::default()
        });
        world.insert_resource(KeyAgents {
            chipmaker,
            sponsors: Vec::new(),
        });
        world.insert_resource(params.clone());
        world.insert_resource(Seed(1));
        world.insert_resource(Clock::new(20_000, 1.0));
        world.insert_resource(Narrative::new(0.9));
        world.insert_resource(Venture::default());
        world.insert_resource(NewsFlow::default());
        world.insert_resource(FlowLog::default());
        world.insert_resource(EventLog::default());
        world.insert_resource(crate::money::ledger::Ledger::default());
        world.run_system_once(raise_or_fail).expect("the system runs");

        let mut labs = world.query::<(&Firm, &Lab)>();
        let (lab_firm, lab_state) = labs.single(&world).unwrap();
        assert!(!lab_firm.active && lab_state.valuation_usd == 0.0);
        assert_eq!(lab_state.stake_value_usd(units), 0.0, "the venture funds' stake is worth nothing");
        assert!(!world.resource::<CircularDeal>().active, "the contract is unwound");
        let mut chip = world.query::<(&AgentId, &Accounts)>();
        let chip_accounts = chip.iter(&world).find(|(id, _)| **id == chipmaker).unwrap().1;
        assert_eq!(
            chip_accounts.month.impairment_usd, 1e10,
            "the chipmaker writes its stake off at cost"
        );
        assert_eq!(world.resource::<NewsFlow>().hype_jump, -params.news.hype_per_lab_failure);
        let totals = world.resource::<EventLog>().totals;
        assert_eq!(totals.lab_failures, 1);
        assert_eq!(totals.funding_rounds, 0);
    }

    #[test]
    fn a_lab_with_no_pre_money_value_sells_no_equity() {
        let mut lab = Lab::new(0.0);
        assert_eq!(lab.sell_equity(1e9, 0.0), 0.0);
        assert_eq!((lab.valuation_usd, lab.dilution), (0.0, 1.0));
        let units = lab.sell_equity(25.0, 75.0);
        assert_eq!((units, lab.valuation_usd, lab.dilution), (0.25 / 0.75, 100.0, 0.75));
        assert!((lab.stake_value_usd(units) - 25.0).abs() < 1e-9);
        assert_eq!(
            pre_money_usd(&Params(Arc::new(bubblesim_config::Config::baseline())), 0.0, 0.9),
            0.0
        );
    }
}
