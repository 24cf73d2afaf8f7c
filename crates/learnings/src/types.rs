//! The types of the learnings routes.

use agentos_core::Timestamp;
use agentos_core::kit::de::{empty_as_none, null_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use agentos_core::Extra;

agentos_core::open_enum! {
    /// The kind of a learning: which learning store it belongs to. The server accepts any
    /// string; the identity-keyed kinds (`user_profile`, `user_memory`, `session_context`,
    /// `entity_memory`) get an id derived from their identity fields, the others a UUID.
    pub enum LearningType {
        /// A user's profile, keyed by `user_id` (id `user_profile_<user_id>`).
        UserProfile = "user_profile",
        /// A user's memories, keyed by `user_id` (id `memories_<user_id>`).
        UserMemory = "user_memory",
        /// The context of a session, keyed by `session_id` (id `session_context_<session_id>`).
        SessionContext = "session_context",
        /// What is known about an entity, keyed by `entity_type` + `entity_id` and the
        /// namespace (and the user under namespace `user`).
        EntityMemory = "entity_memory",
        /// Knowledge the agent learned (one record per entry).
        LearnedKnowledge = "learned_knowledge",
        /// A decision log entry (one record per entry).
        DecisionLog = "decision_log",
    }
}

impl LearningType {
    /// True for the kinds whose record id is derived from identity fields (so creating a
    /// second one for the same identity answers 409).
    pub fn is_identity_keyed(&self) -> bool {
        matches!(
            self,
            LearningType::UserProfile
                | LearningType::UserMemory
                | LearningType::SessionContext
                | LearningType::EntityMemory
        )
    }
}

/// One learning record (`LearningResponse`). Timestamps are epoch seconds on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LearningResponse {
    /// The record id, e.g. `user_profile_u1`, or a UUID for kinds that are not identity-keyed.
    pub learning_id: String,
    /// The kind of learning.
    pub learning_type: LearningType,
    /// The namespace (`user`, `global` or a custom one), when the record has one.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub namespace: Option<String>,
    /// The user it belongs to.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// The agent it belongs to.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub agent_id: Option<String>,
    /// The team it belongs to.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub team_id: Option<String>,
    /// The session it belongs to.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub session_id: Option<String>,
    /// The entity it describes (entity memories).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub entity_id: Option<String>,
    /// The kind of that entity, e.g. `person`, `company`.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub entity_type: Option<String>,
    /// The learning itself (empty when the server sent none).
    #[serde(default, deserialize_with = "null_default")]
    pub content: Map<String, Value>,
    /// Free-form metadata.
    pub metadata: Option<Map<String, Value>>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it was last written.
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A user that owns learnings, from `list_learning_users` (`LearningUserStats`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LearningUserStats {
    /// The user.
    pub user_id: String,
    /// When the user's newest learning was written.
    pub last_learning_updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn learning_decodes_epochs_nulls_and_unknown_types() {
        let l: LearningResponse = serde_json::from_value(json!({
            "learning_id": "x1", "learning_type": "team_playbook", "namespace": null,
            "user_id": "", "content": null, "metadata": {"a": 1},
            "created_at": 1795896440, "updated_at": 1795896441, "new_field": true
        }))
        .unwrap();
        assert_eq!(
            l.learning_type,
            LearningType::Unknown("team_playbook".into())
        );
        assert!(!l.learning_type.is_identity_keyed());
        assert_eq!(l.user_id, None);
        assert!(l.content.is_empty());
        assert_eq!(l.metadata.unwrap()["a"], 1);
        assert_eq!(l.created_at.unwrap().unix_seconds(), 1_795_896_440);
        assert_eq!(l.extra["new_field"], true);
        assert!(LearningType::EntityMemory.is_identity_keyed());
    }

    #[test]
    fn user_stats_decode() {
        let s: LearningUserStats = serde_json::from_value(json!({
            "user_id": "u1", "last_learning_updated_at": 1795896440
        }))
        .unwrap();
        assert_eq!(s.user_id, "u1");
        assert_eq!(
            s.last_learning_updated_at.unwrap().unix_seconds(),
            1_795_896_440
        );
    }
}
