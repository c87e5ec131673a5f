//! blatt's integration tests, one binary (as mdBook has it): linked once,
//! sharing `common` (sites in temp folders, the shared corpus, the binary)
//! and the fuzz properties. Run one file's tests with its module name:
//! `cargo test --test it incremental::`.

mod common;

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod props;

mod authors;
mod bad_input;
mod build;
mod check_cli;
mod cleaning_rules;
mod corpus;
mod crash;
mod details;
mod example_content;
mod feeds;
mod fuzz_replay;
mod import_cli;
mod import_score;
mod incremental;
mod incremental_files;
mod injection;
mod layers;
mod lead_image;
mod links;
mod markdown_roundtrip;
mod news;
mod output_folder;
mod redirects;
mod rescrape;
mod retag;
mod search;
mod serve;
