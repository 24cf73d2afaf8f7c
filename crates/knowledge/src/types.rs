//! The types of the knowledge routes.

use std::collections::BTreeMap;

use agentos_core::kit::de::null_default;
use agentos_core::{PageMeta, Timestamp};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

pub use agentos_core::Extra;

/// The key under which agno keeps its own bookkeeping inside a content's `metadata`
/// (`vectors_indexed`, `source_url`, `reader_id`, ...).
pub const AGNO_METADATA_KEY: &str = "_agno";

agentos_core::open_enum! {
    /// Where the ingestion of a content stands (`processing|completed|partial|failed`).
    pub enum ContentStatus {
        /// Still being read, chunked and embedded.
        Processing = "processing",
        /// Every chunk is stored and searchable.
        Completed = "completed",
        /// Some of it was stored (e.g. some pages of a site); see the status message.
        Partial = "partial",
        /// Nothing was stored; the status message says why.
        Failed = "failed",
    }
}

impl ContentStatus {
    /// True for every status after which the server no longer works on the content
    /// (`completed`, `partial`, `failed`). Values this SDK does not know count as not final.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            ContentStatus::Completed | ContentStatus::Partial | ContentStatus::Failed
        )
    }
}

agentos_core::open_enum! {
    /// How `search_knowledge` matches documents.
    pub enum SearchType {
        /// By embedding similarity: every document is ranked, best first.
        Vector = "vector",
        /// By full-text match: only documents containing the terms.
        Keyword = "keyword",
        /// Both, combined.
        Hybrid = "hybrid",
    }
}

agentos_core::open_enum! {
    /// The kind of a remote content source.
    pub enum SourceType {
        /// Amazon S3.
        S3 = "s3",
        /// Google Cloud Storage.
        Gcs = "gcs",
        /// SharePoint.
        Sharepoint = "sharepoint",
        /// GitHub.
        Github = "github",
        /// Azure Blob Storage.
        AzureBlob = "azureblob",
    }
}

/// Reads a value the server sends as a string (`"251261"`) or, from other versions, as a
/// number, keeping it as the string.
fn string_or_number<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

/// A content of a knowledge base (`ContentResponseSchema`): what upload, list, get, update,
/// refresh and delete return.
///
/// Upload, refresh and delete answer with only some fields (`id`, `name`, `status`, ...);
/// the others are `None` there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentResponseSchema {
    /// The content id. The server derives it from the name, description, metadata and the
    /// file name or URL (not from the bytes), so uploading under the same name again gives
    /// the same id.
    pub id: String,
    /// The name (by default the file name or the URL).
    pub name: Option<String>,
    /// The description (`""` when none was given).
    pub description: Option<String>,
    /// What was uploaded: the file's MIME type (`text/plain`), `manual` for text, `url` for a
    /// URL. Sent as `type`.
    #[serde(default, rename = "type")]
    pub content_type: Option<String>,
    /// The size in bytes as the server sends it: a string. See
    /// [`size_bytes`](Self::size_bytes) for the number. `GET /knowledge/content/{id}` reports
    /// `"0"` for text uploads while the list reports the real size (agno 3.1.10).
    #[serde(default, deserialize_with = "string_or_number")]
    pub size: Option<String>,
    /// The id of a related content, if any.
    pub linked_to: Option<String>,
    /// The metadata: what the uploader gave, plus agno's own under `_agno` (see
    /// [`user_metadata`](Self::user_metadata)).
    pub metadata: Option<Map<String, Value>>,
    /// How many times the content was read (not filled by agno 3.1.10).
    pub access_count: Option<u64>,
    /// Where its ingestion stands.
    pub status: Option<ContentStatus>,
    /// Why it failed or is partial (`""` otherwise).
    pub status_message: Option<String>,
    /// When it was uploaded.
    pub created_at: Option<Timestamp>,
    /// When it was last changed.
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ContentResponseSchema {
    /// The size in bytes as a number, when the server sent one that parses.
    pub fn size_bytes(&self) -> Option<u64> {
        self.size.as_deref().and_then(|s| s.trim().parse().ok())
    }

    /// The metadata the uploader gave, without agno's `_agno` bookkeeping.
    pub fn user_metadata(&self) -> Map<String, Value> {
        let mut m = self.metadata.clone().unwrap_or_default();
        m.remove(AGNO_METADATA_KEY);
        m
    }

    /// agno's bookkeeping inside the metadata (`vectors_indexed`, `source_url`, ...).
    pub fn agno_metadata(&self) -> Option<&Map<String, Value>> {
        self.metadata
            .as_ref()
            .and_then(|m| m.get(AGNO_METADATA_KEY))
            .and_then(Value::as_object)
    }
}

/// The ingestion status of a content (`ContentStatusResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentStatusResponse {
    /// The content id.
    pub id: Option<String>,
    /// Where the ingestion stands.
    pub status: ContentStatus,
    /// Why it failed or is partial (`""` otherwise).
    #[serde(default, deserialize_with = "null_default")]
    pub status_message: String,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One hit of `search_knowledge` (`VectorSearchResult`): a chunk of a content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VectorSearchResult {
    /// The chunk id (often null).
    pub id: Option<String>,
    /// The text of the chunk.
    #[serde(default, deserialize_with = "null_default")]
    pub content: String,
    /// The document name (the file name for file uploads, the given name for text).
    pub name: Option<String>,
    /// The chunk's metadata: the content's metadata plus `chunk`, `chunk_size`, ...
    pub meta_data: Option<Map<String, Value>>,
    /// Token usage of the embedding.
    pub usage: Option<Map<String, Value>>,
    /// The reranker's score, in -1..1 (null without a reranker).
    pub reranking_score: Option<f64>,
    /// The id of the content the chunk comes from.
    pub content_id: Option<String>,
    /// Where the content came from (a URL), if known.
    pub content_origin: Option<String>,
    /// The chunk size in bytes, if known.
    pub size: Option<u64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reader the knowledge base can use (`ReaderSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReaderSchema {
    /// The reader id, to pass as `reader_id`.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// What it reads.
    pub description: Option<String>,
    /// The chunkers it supports (keys of [`KnowledgeConfigResponse::chunkers`]).
    #[serde(default, deserialize_with = "null_default")]
    pub chunkers: Vec<String>,
    /// The content types it can read here.
    #[serde(default, deserialize_with = "null_default")]
    pub content_types: Vec<String>,
    /// Content types it could read with more packages, and those packages.
    pub unavailable_content_types: Option<BTreeMap<String, Vec<String>>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A chunking strategy (`ChunkerSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkerSchema {
    /// The key, to pass as `chunker` (e.g. `FixedSizeChunker`).
    pub key: String,
    /// Its display name.
    pub name: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// Its parameters and defaults.
    pub metadata: Option<Map<String, Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reader or chunker that this server cannot use, and why (`UnavailableReaderSchema`,
/// `UnavailableChunkerSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnavailableSchema {
    /// The reader or chunker id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// The Python packages it needs.
    #[serde(default, deserialize_with = "null_default")]
    pub missing_packages: Vec<String>,
    /// The import failure, with its install instruction.
    #[serde(default, deserialize_with = "null_default")]
    pub reason: String,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A vector database of the knowledge base (`VectorDbSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VectorDbSchema {
    /// Its id, to pass in [`SearchKnowledge::vector_db_ids`](crate::SearchKnowledge::vector_db_ids).
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// The search types it supports.
    #[serde(default, deserialize_with = "null_default")]
    pub search_types: Vec<SearchType>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A remote content source (S3, GCS, SharePoint, GitHub, Azure Blob) configured on the
/// knowledge base (`RemoteContentSourceSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemoteContentSourceSchema {
    /// The source id, to pass as `config_id` to `upload_remote_content`.
    pub id: String,
    /// Its display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Its kind. Sent as `type`.
    #[serde(rename = "type")]
    pub source_type: SourceType,
    /// Custom metadata of the source.
    pub metadata: Option<Map<String, Value>>,
    /// The default path prefix (only in `list_knowledge_sources`).
    pub prefix: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The configuration of a knowledge base (`GET /knowledge/config`): readers, chunkers,
/// vector dbs, filter keys and remote sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KnowledgeConfigResponse {
    /// The readers, by id.
    #[serde(default, deserialize_with = "null_default")]
    pub readers: BTreeMap<String, ReaderSchema>,
    /// For each content type or extension (`.txt`, `text/plain`), the ids of the readers that
    /// read it. Sent as `readersForType`.
    #[serde(default, rename = "readersForType", deserialize_with = "null_default")]
    pub readers_for_type: BTreeMap<String, Vec<String>>,
    /// The chunking strategies, by key.
    #[serde(default, deserialize_with = "null_default")]
    pub chunkers: BTreeMap<String, ChunkerSchema>,
    /// The metadata keys found on the contents, usable in search filters.
    #[serde(default, deserialize_with = "null_default")]
    pub filters: Vec<String>,
    /// The vector databases.
    #[serde(default, deserialize_with = "null_default")]
    pub vector_dbs: Vec<VectorDbSchema>,
    /// The remote content sources.
    #[serde(default, deserialize_with = "null_default")]
    pub remote_content_sources: Vec<RemoteContentSourceSchema>,
    /// Readers this server cannot use, by id.
    #[serde(default, deserialize_with = "null_default")]
    pub unavailable_readers: BTreeMap<String, UnavailableSchema>,
    /// Chunkers this server cannot use, by id.
    #[serde(default, deserialize_with = "null_default")]
    pub unavailable_chunkers: BTreeMap<String, UnavailableSchema>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A file of a remote content source (`SourceFileSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceFileSchema {
    /// The full key (path) of the file, to pass as `path` to `upload_remote_content`.
    pub key: String,
    /// The file name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Its size in bytes.
    pub size: Option<u64>,
    /// When it was last modified.
    pub last_modified: Option<Timestamp>,
    /// Its MIME type.
    pub content_type: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A folder of a remote content source (`SourceFolderSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceFolderSchema {
    /// The prefix that lists this folder.
    pub prefix: String,
    /// The folder name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Whether it holds no file.
    #[serde(default)]
    pub is_empty: bool,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One page of the files and folders of a remote content source
/// (`SourceFilesResponseSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceFilesResponseSchema {
    /// The source id.
    pub source_id: String,
    /// The source's display name.
    #[serde(default, deserialize_with = "null_default")]
    pub source_name: String,
    /// The prefix that was listed.
    pub prefix: Option<String>,
    /// The sub-folders at this level.
    #[serde(default, deserialize_with = "null_default")]
    pub folders: Vec<SourceFolderSchema>,
    /// The files at this level.
    #[serde(default, deserialize_with = "null_default")]
    pub files: Vec<SourceFileSchema>,
    /// The paging information.
    #[serde(default)]
    pub meta: PageMeta,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_decodes_the_wire_shapes() {
        let c: ContentResponseSchema = serde_json::from_value(json!({
            "id": "6cde8c89", "name": "ostrich", "description": "", "type": "manual",
            "size": "43", "linked_to": null,
            "metadata": {"topic": "birds", "_agno": {"vectors_indexed": true}},
            "access_count": null, "status": "completed", "status_message": "",
            "created_at": "2026-11-28T20:05:27Z", "updated_at": "2026-11-28T20:05:32",
            "brand_new": 1
        }))
        .unwrap();
        assert_eq!(c.size.as_deref(), Some("43"));
        assert_eq!(c.size_bytes(), Some(43));
        assert_eq!(c.content_type.as_deref(), Some("manual"));
        assert_eq!(c.status, Some(ContentStatus::Completed));
        assert_eq!(
            c.user_metadata(),
            json!({"topic": "birds"}).as_object().cloned().unwrap()
        );
        assert_eq!(c.agno_metadata().unwrap()["vectors_indexed"], true);
        assert_eq!(
            c.updated_at.unwrap().unix_seconds() - c.created_at.unwrap().unix_seconds(),
            5
        );
        assert_eq!(c.extra["brand_new"], 1);
        // Serializes back with the wire name `type`.
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["type"], "manual");
    }

    #[test]
    fn content_accepts_a_numeric_size_and_a_bare_id() {
        let c: ContentResponseSchema =
            serde_json::from_value(json!({"id": "x", "size": 1024})).unwrap();
        assert_eq!(c.size_bytes(), Some(1024));
        let c: ContentResponseSchema = serde_json::from_value(json!({"id": "x"})).unwrap();
        assert_eq!(c.size_bytes(), None);
        assert!(c.user_metadata().is_empty());
        assert!(c.agno_metadata().is_none());
        let c: ContentResponseSchema =
            serde_json::from_value(json!({"id": "x", "size": "n/a"})).unwrap();
        assert_eq!(c.size_bytes(), None);
    }

    #[test]
    fn statuses_are_open() {
        let s: ContentStatusResponse = serde_json::from_value(
            json!({"id": "x", "status": "queued_for_ocr", "status_message": null}),
        )
        .unwrap();
        assert_eq!(s.status, ContentStatus::Unknown("queued_for_ocr".into()));
        assert!(!s.status.is_final());
        assert_eq!(s.status_message, "");
        for (wire, fin) in [
            ("processing", false),
            ("completed", true),
            ("partial", true),
            ("FAILED", true),
        ] {
            assert_eq!(ContentStatus::from_wire(wire).is_final(), fin, "{wire}");
        }
    }

    #[test]
    fn config_decodes_nulls_and_camel_case() {
        let c: KnowledgeConfigResponse = serde_json::from_value(json!({
            "readers": {"text": {"id": "text", "name": "Text", "chunkers": ["FixedSizeChunker"],
                                 "content_types": [".txt"], "unavailable_content_types": null}},
            "readersForType": {".txt": ["text"]},
            "chunkers": {"FixedSizeChunker": {"key": "FixedSizeChunker", "metadata": {"chunk_size": 5000}}},
            "filters": ["topic"],
            "vector_dbs": [{"id": "v", "name": "V", "description": null, "search_types": ["vector", "keyword", "graph"]}],
            "remote_content_sources": null,
            "unavailable_readers": {"pdf": {"id": "pdf", "missing_packages": ["pypdf"], "reason": "no pypdf"}},
            "unavailable_chunkers": null
        }))
        .unwrap();
        assert_eq!(c.readers_for_type[".txt"], vec!["text"]);
        assert_eq!(c.readers["text"].chunkers, vec!["FixedSizeChunker"]);
        assert_eq!(
            c.vector_dbs[0].search_types,
            vec![
                SearchType::Vector,
                SearchType::Keyword,
                SearchType::Unknown("graph".into())
            ]
        );
        assert!(c.remote_content_sources.is_empty());
        assert_eq!(c.unavailable_readers["pdf"].missing_packages, vec!["pypdf"]);
        assert!(c.unavailable_chunkers.is_empty());
    }

    #[test]
    fn sources_and_files_decode() {
        let s: RemoteContentSourceSchema = serde_json::from_value(json!({
            "id": "fixture-s3", "name": "Fixture S3", "type": "s3",
            "metadata": {"purpose": "tests"}, "prefix": "docs/"
        }))
        .unwrap();
        assert_eq!(s.source_type, SourceType::S3);
        let f: SourceFilesResponseSchema = serde_json::from_value(json!({
            "source_id": "s", "source_name": "S", "prefix": "",
            "folders": [{"prefix": "docs/a/", "name": "a", "is_empty": false}],
            "files": [{"key": "docs/x.pdf", "name": "x.pdf", "size": 12,
                       "last_modified": "2026-01-01T00:00:00Z", "content_type": "application/pdf"}],
            "meta": {"page": 1, "limit": 100, "total_pages": 1, "total_count": 1}
        }))
        .unwrap();
        assert_eq!(f.files[0].size, Some(12));
        assert_eq!(f.folders[0].prefix, "docs/a/");
        assert_eq!(f.meta.total_count, Some(1));
    }

    #[test]
    fn search_hit_decodes() {
        let h: VectorSearchResult = serde_json::from_value(json!({
            "id": null, "content": "Ostriches cannot fly", "name": "ostrich",
            "meta_data": {"chunk": 1, "topic": "birds"}, "usage": {"total_tokens": 8},
            "reranking_score": null, "content_id": "c1", "content_origin": null, "size": null
        }))
        .unwrap();
        assert_eq!(h.content_id.as_deref(), Some("c1"));
        assert_eq!(h.meta_data.unwrap()["chunk"], 1);
        assert_eq!(h.reranking_score, None);
    }
}
