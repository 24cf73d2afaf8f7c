//! The types of the memory routes.

use agentos_core::Timestamp;
use serde::{Deserialize, Serialize};

use agentos_core::kit::de::null_default;

pub use agentos_core::Extra;

/// A user memory (`UserMemorySchema`): what `create_memory`, `get_memory`, `update_memory` and
/// `list_memories` return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserMemorySchema {
    /// The memory id.
    pub memory_id: String,
    /// The text of the memory.
    pub memory: String,
    /// Its topics (empty when it has none).
    #[serde(default, deserialize_with = "null_default")]
    pub topics: Vec<String>,
    /// The agent that wrote it, if an agent did.
    pub agent_id: Option<String>,
    /// The team that wrote it, if a team did.
    pub team_id: Option<String>,
    /// The user it belongs to.
    pub user_id: Option<String>,
    /// When it was last written (ISO on the wire).
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Memory statistics of one user (`UserStatsSchema`), from `get_user_memory_stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserStatsSchema {
    /// The user.
    pub user_id: String,
    /// How many memories the user has.
    #[serde(default)]
    pub total_memories: u64,
    /// When the user's newest memory was written.
    pub last_memory_updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What `optimize_memories` did: the memories after optimization and the token counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OptimizeMemoriesResponse {
    /// The memories after optimization (with `apply(false)`, a preview that was not stored).
    #[serde(default, deserialize_with = "null_default")]
    pub memories: Vec<UserMemorySchema>,
    /// How many memories there were before.
    #[serde(default)]
    pub memories_before: u64,
    /// How many memories there are after.
    #[serde(default)]
    pub memories_after: u64,
    /// Tokens before.
    #[serde(default)]
    pub tokens_before: i64,
    /// Tokens after.
    #[serde(default)]
    pub tokens_after: i64,
    /// `tokens_before - tokens_after`.
    #[serde(default)]
    pub tokens_saved: i64,
    /// The share of tokens saved, in percent.
    #[serde(default)]
    pub reduction_percentage: f64,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_decodes_nulls_missing_and_unknown_fields() {
        let m: UserMemorySchema = serde_json::from_value(serde_json::json!({
            "memory_id": "m1",
            "memory": "likes tea",
            "topics": null,
            "user_id": "u1",
            "updated_at": "2026-11-28T17:58:55Z",
            "new_field": 7
        }))
        .unwrap();
        assert!(m.topics.is_empty());
        assert_eq!(m.user_id.as_deref(), Some("u1"));
        assert_eq!(m.updated_at.unwrap().unix_seconds(), 1_795_888_735);
        assert_eq!(m.extra["new_field"], 7);
        assert_eq!(m.agent_id, None);
    }

    #[test]
    fn stats_accept_epoch_or_iso() {
        let s: UserStatsSchema = serde_json::from_value(serde_json::json!({
            "user_id": "u", "total_memories": 3, "last_memory_updated_at": 1795888735
        }))
        .unwrap();
        assert_eq!(s.total_memories, 3);
        assert_eq!(
            s.last_memory_updated_at.unwrap().unix_seconds(),
            1_795_888_735
        );
    }
}
