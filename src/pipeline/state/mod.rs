//! What a build keeps between runs, beside its output: the manifest of
//! what it read and wrote, and the words of every article for search.
//! Both only ever save work: without them, a build reads everything.
//! A caller that builds again and again also keeps the manifest's records
//! in memory between builds ([`warm`]).

pub mod manifest;
pub mod warm;
pub mod word_cache;
