//! Beliefs: model releases as news, the narrative's hype, forecasters' views of AI
//! revenue growth, and the Goldfarb–Kirsch bubble index computed from the model's state.

pub mod bubble;
pub mod forecasts;
pub mod narrative;
pub mod news;
