//! Snapshots of the whole world, for checkpoints: every agent's components and every
//! resource (the clock, the RNG-free state the mechanisms carry, the parameters as
//! shocks left them), encoded with postcard. Random draws are derived from (seed,
//! purpose, tick, agent) ([`crate::common::rng`]), so there is no generator state to save beyond the seed.
//!
//! A restored world must iterate exactly as the original did, so that no float is summed
//! in another order: entities are saved archetype by archetype in table order and
//! re-created in that order. Each is spawned with a `Restoring` marker, given its
//! components one by one, and only then moved into its final archetype by removing the
//! marker — so the final archetypes are created, and filled, in the original order, and
//! none of the intermediate ones is ever an archetype a system queries.

use bevy_ecs::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::common::directory::Directory;
use crate::common::ids::{AgentId, IdAllocator};
use crate::tick::money_audit::SectorBooks;
use crate::tick::tables::{insert_row_buffers, rows_waiting};

/// Why a snapshot could not be taken or restored.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Postcard could not encode the world.
    #[error("the world could not be encoded: {0}")]
    Encode(postcard::Error),
    /// Part of the snapshot would not decode (a corrupt snapshot, or one from another build).
    #[error("the world could not be decoded ({what}): {source}")]
    Decode {
        /// The part: the whole world, or a component or resource type's name.
        what: &'static str,
        /// Postcard's error.
        source: postcard::Error,
    },
    /// The snapshot has a different number of component or resource types than this build.
    #[error("the snapshot lists {found} {what}, this build has {expected}")]
    Shape {
        /// What was counted: component types or resource types.
        what: &'static str,
        /// How many the snapshot has.
        found: usize,
        /// How many this build has.
        expected: usize,
    },
    /// A component row refers to an agent past the end of the snapshot's agent list.
    #[error("the snapshot places a component on agent #{position}, but it has only {agents} agents")]
    Position {
        /// The agent's position in the list, as the row gives it.
        position: u32,
        /// How many agents the snapshot lists.
        agents: usize,
    },
    /// Rows were recorded but not yet taken: drain the observations before a snapshot.
    #[error("rows were recorded but not handed to the recorder; drain the observations before a snapshot")]
    UndrainedObservations,
}

/// Marks an entity being restored, so that it reaches its final archetype in one move.
#[derive(Component)]
struct Restoring;

#[derive(Serialize, Deserialize)]
struct WorldSnapshot {
    /// Ticks simulated when the snapshot was taken.
    ticks_run: u32,
    /// Every agent, archetype by archetype in table order.
    agents: Vec<AgentId>,
    /// One blob per component type in `COMPONENTS` order: (position in `agents`, value).
    components: Vec<Vec<u8>>,
    /// One blob per resource type in `RESOURCES` order.
    resources: Vec<Vec<u8>>,
}

fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, SnapshotError> {
    postcard::to_allocvec(value).map_err(SnapshotError::Encode)
}

fn decode<T: DeserializeOwned>(bytes: &[u8], what: &'static str) -> Result<T, SnapshotError> {
    postcard::from_bytes(bytes).map_err(|source| SnapshotError::Decode { what, source })
}

/// Position of each agent entity in the snapshot, indexed by `Entity::index`.
struct Positions(Vec<u32>);

impl Positions {
    const NONE: u32 = u32::MAX;

    fn get(&self, entity: Entity) -> u32 {
        self.0.get(entity.index_u32() as usize).copied().unwrap_or(Self::NONE)
    }
}

fn save_component<C: Component + Serialize>(world: &mut World, positions: &Positions) -> Result<Vec<u8>, SnapshotError> {
    let mut query = world.query::<(Entity, &C)>();
    let mut rows: Vec<(u32, &C)> = query
        .iter(world)
        .map(|(entity, value)| (positions.get(entity), value))
        .filter(|(position, _)| *position != Positions::NONE)
        .collect();
    rows.sort_unstable_by_key(|(position, _)| *position);
    encode(&rows)
}

fn load_component<C: Component + DeserializeOwned>(world: &mut World, entities: &[Entity], blob: &[u8]) -> Result<(), SnapshotError> {
    let rows: Vec<(u32, C)> = decode(blob, std::any::type_name::<C>())?;
    for (position, value) in rows {
        let entity = *entities.get(position as usize).ok_or(SnapshotError::Position {
            position,
            agents: entities.len(),
        })?;
        world.entity_mut(entity).insert(value);
    }
    Ok(())
}

fn save_resource<R: Resource + Serialize>(world: &World) -> Result<Vec<u8>, SnapshotError> {
    encode(world.resource::<R>())
}

fn load_resource<R: Resource + DeserializeOwned>(world: &mut World, blob: &[u8]) -> Result<(), SnapshotError> {
    let value: R = decode(blob, std::any::type_name::<R>())?;
    world.insert_resource(value);
    Ok(())
}

/// The state types a snapshot holds. A component or resource added to the model must be
/// listed here, or a resumed run would lose it (the resume tests catch that).
macro_rules! registry {
    (components: [$($component:ty),* $(,)?], resources: [$($resource:ty),* $(,)?] $(,)?) => {
        const COMPONENTS: usize = [$(stringify!($component)),*].len();
        const RESOURCES: usize = [$(stringify!($resource)),*].len();

        fn save_components(world: &mut World, positions: &Positions) -> Result<Vec<Vec<u8>>, SnapshotError> {
            Ok(vec![$(save_component::<$component>(world, positions)?),*])
        }

        fn load_components(world: &mut World, entities: &[Entity], blobs: &[Vec<u8>]) -> Result<(), SnapshotError> {
            let mut blobs = blobs.iter();
            $(load_component::<$component>(world, entities, blobs.next().map(Vec::as_slice).unwrap_or_default())?;)*
            Ok(())
        }

        fn save_resources(world: &World) -> Result<Vec<Vec<u8>>, SnapshotError> {
            Ok(vec![$(save_resource::<$resource>(world)?),*])
        }

        fn load_resources(world: &mut World, blobs: &[Vec<u8>]) -> Result<(), SnapshotError> {
            let mut blobs = blobs.iter();
            $(load_resource::<$resource>(world, blobs.next().map(Vec::as_slice).unwrap_or_default())?;)*
            Ok(())
        }
    };
}

registry! {
    components: [
        crate::ai_industry::adoption::Adopter,
        crate::real_estate::construction::Construction,
        crate::real_estate::datacenters::DataCenter,
        crate::firms::firm::Firm,
        crate::money::accounts::Accounts,
        crate::firms::listed::Listed,
        crate::firms::roles::AiSeller,
        crate::firms::roles::Lab,
        crate::firms::roles::Stakes,
        crate::firms::roles::CoreBusiness,
        crate::firms::roles::Borrower,
        crate::firms::roles::Chipmaker,
        crate::firms::roles::Provider,
        crate::firms::roles::Sponsor,
        crate::beliefs::forecasts::Forecaster,
        crate::finance::institutions::Institution,
        crate::real_estate::leases::Lease,
        crate::compute::generations::GpuCohort,
        crate::finance::securities::Security,
        crate::finance::securities::Pool,
        crate::markets::retail::RetailInvestor,
        crate::finance::spv::vehicle::Spv,
        crate::ai_industry::venture::VentureFund,
    ],
    resources: [
        crate::ai_industry::adoption::AdoptionStats,
        IdAllocator,
        crate::beliefs::bubble::BubbleIndex,
        crate::common::calendar::Clock,
        crate::money::flows::FlowLog,
        crate::ai_industry::circular::CircularDeal,
        crate::compute::market::ComputeMarket,
        crate::ai_industry::demand::Demand,
        crate::economy::macroeconomy::Economy,
        crate::markets::rebalancing::InstitutionalOrders,
        crate::common::events::EventLog,
        crate::finance::fire_sales::orders::ForcedEquitySales,
        crate::compute::fleet::FleetIndex,
        crate::beliefs::forecasts::Forecasts,
        crate::real_estate::grid::Grid,
        crate::money::ledger::Ledger,
        crate::markets::index::AiIndex,
        crate::markets::index::OldEconomyIndex,
        crate::markets::index::EquityVolume,
        crate::beliefs::narrative::Narrative,
        crate::beliefs::news::NewsFlow,
        crate::compute::generations::Generations,
        crate::common::params::Params,
        crate::common::params::Seed,
        crate::economy::regions::Regions,
        crate::finance::securities::SecurityCashflows,
        crate::markets::retail::RetailFlow,
        crate::common::directory::KeyAgents,
        crate::economy::shock::Rates,
        crate::ai_industry::venture::Venture,
    ],
}

/// Encodes the world after `ticks_run` ticks. The observations must have been drained.
pub fn save(world: &mut World, ticks_run: u32) -> Result<Vec<u8>, SnapshotError> {
    if rows_waiting(world) {
        return Err(SnapshotError::UndrainedObservations);
    }
    let mut agents = Vec::new();
    let mut positions = Positions(Vec::new());
    for archetype in world.archetypes().iter() {
        for member in archetype.entities() {
            let entity = member.id();
            let Some(&id) = world.get::<AgentId>(entity) else { continue };
            let index = entity.index_u32() as usize;
            if positions.0.len() <= index {
                positions.0.resize(index + 1, Positions::NONE);
            }
            positions.0[index] = agents.len() as u32;
            agents.push(id);
        }
    }
    let snapshot = WorldSnapshot {
        ticks_run,
        components: save_components(world, &positions)?,
        resources: save_resources(world)?,
        agents,
    };
    encode(&snapshot)
}

/// Rebuilds a world from `bytes`; returns it with the ticks it had run.
pub fn load(bytes: &[u8]) -> Result<(World, u32), SnapshotError> {
    let snapshot: WorldSnapshot = decode(bytes, "the world")?;
    for (what, found, expected) in [
        ("component types", snapshot.components.len(), COMPONENTS),
        ("resource types", snapshot.resources.len(), RESOURCES),
    ] {
        if found != expected {
            return Err(SnapshotError::Shape { what, found, expected });
        }
    }
    let mut world = World::new();
    load_resources(&mut world, &snapshot.resources)?;
    let entities: Vec<Entity> = snapshot.agents.iter().map(|&id| world.spawn((Restoring, id)).id()).collect();
    load_components(&mut world, &entities, &snapshot.components)?;
    let mut directory = Directory::default();
    for (&id, &entity) in snapshot.agents.iter().zip(&entities) {
        world.entity_mut(entity).remove::<Restoring>();
        directory.insert(id, entity);
    }
    world.insert_resource(directory);
    insert_row_buffers(&mut world);
    world.insert_resource(SectorBooks::default());
    Ok((world, snapshot.ticks_run))
}
