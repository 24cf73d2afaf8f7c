//! The filesystem answers carry their items in `entries` instead of `data`; core's
//! paginator walks them through [`Paged`] (same stop rules as every other list).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use agentos_core::PageMeta;
use agentos_core::pagination::Paged;

use crate::types::{
    FileSystemEntry, FileSystemFile, FileSystemFiles, FileSystemListing, FileSystemSearchHit,
    FileSystemSearchResults,
};

macro_rules! entries_page {
    ($page:ty => $item:ty) => {
        impl Paged for $page {
            type Item = $item;

            fn decode(body: &[u8]) -> serde_json::Result<(Self, u64)> {
                let page: Self = serde_json::from_slice(body)?;
                let mut hasher = DefaultHasher::new();
                serde_json::to_string(&page.entries)?.hash(&mut hasher);
                Ok((page, hasher.finish()))
            }

            fn meta(&self) -> &PageMeta {
                &self.meta
            }

            fn is_empty(&self) -> bool {
                self.entries.is_empty()
            }

            fn into_items(self) -> Vec<$item> {
                self.entries
            }
        }
    };
}

entries_page!(FileSystemFiles => FileSystemFile);
entries_page!(FileSystemListing => FileSystemEntry);
entries_page!(FileSystemSearchResults => FileSystemSearchHit);
