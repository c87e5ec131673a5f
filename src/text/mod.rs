//! Rules for text that every layer shares: the characters no page or feed
//! may carry, German-aware slugs, and which URLs may become links. At the
//! bottom of the layers, so that `site.yaml`, articles, the index and the
//! importer all apply the same ones.

pub mod chars;
pub mod cut;
pub mod slug;
pub mod url;
