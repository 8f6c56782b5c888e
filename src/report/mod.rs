//! `bubblesim report DIR`: one self-contained HTML page of a finished run (`page`), its
//! charts (`charts`) drawn as inline SVG (`svg`) from the run's Parquet tables (`data`).

pub mod charts;
pub mod data;
pub mod page;
pub mod svg;
