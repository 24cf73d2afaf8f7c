//! The types of the component and registry routes. Timestamps are epoch seconds on the wire.

use agentos_core::Timestamp;
use agentos_core::kit::de::{empty_as_none, null_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use agentos_core::Extra;

/// The kind of a component: agent, team or workflow. The SDK's one agent/team/workflow
/// vocabulary, the same type as [`SessionType`](agentos_core::SessionType) (agno names it
/// `ComponentType` here and `SessionType` on sessions; the wire values are the same).
pub type ComponentType = agentos_core::SessionType;

agentos_core::open_enum! {
    /// The stage of a config version.
    pub enum ConfigStage {
        /// Editable and deletable; cannot be made current.
        Draft = "draft",
        /// Frozen; can be made current (live).
        Published = "published",
    }
}

/// A stored component (`ComponentResponse`): an agent, team or workflow whose configs are
/// versioned in the OS database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComponentResponse {
    /// The component id (also its id in the run routes, e.g. `/agents/{id}/runs`).
    pub component_id: String,
    /// Agent, team or workflow.
    pub component_type: ComponentType,
    /// The display name (follows the live config's `name`).
    pub name: Option<String>,
    /// The owner; `None` for a shared component.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// The live (current, published) config version; `None` until one is published.
    pub current_version: Option<u32>,
    /// Free-form metadata.
    pub metadata: Option<Map<String, Value>>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// When it was archived (deleted); only archived rows carry it.
    pub deleted_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ComponentResponse {
    /// True for an archived (deleted) component, which can be restored.
    pub fn is_archived(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// One config version of a component (`ComponentConfigResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComponentConfigResponse {
    /// The component.
    pub component_id: String,
    /// The version number, from 1.
    pub version: u32,
    /// A label, e.g. `stable`.
    pub label: Option<String>,
    /// Draft or published.
    pub stage: ConfigStage,
    /// The config (empty when listed with `include_config(false)`).
    #[serde(default, deserialize_with = "null_default")]
    pub config: Map<String, Value>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::open_enum! {
    /// The kind of a registry resource.
    pub enum RegistryResourceType {
        /// A tool.
        Tool = "tool",
        /// A model.
        Model = "model",
        /// A database.
        Db = "db",
        /// A vector database.
        VectorDb = "vector_db",
        /// An input or output schema.
        Schema = "schema",
        /// A function.
        Function = "function",
        /// An agent.
        Agent = "agent",
        /// A team.
        Team = "team",
        /// A workflow.
        Workflow = "workflow",
        /// A knowledge base.
        Knowledge = "knowledge",
        /// A memory manager.
        MemoryManager = "memory_manager",
        /// A session summary manager.
        SessionSummaryManager = "session_summary_manager",
        /// A learning machine.
        Learning = "learning",
    }
}

/// A resource the AgentOS registry offers to stored components (`RegistryContentResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegistryContentResponse {
    /// The name.
    pub name: String,
    /// The kind.
    #[serde(rename = "type")]
    pub resource_type: RegistryResourceType,
    /// The id, for resources that have one (agents, teams, workflows, ...).
    pub id: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// Details: the class path, and per kind the parameters, model id, db id, ...
    pub metadata: Option<Map<String, Value>>,
    /// True for an external agent that runs in a sandbox.
    #[serde(default)]
    pub sandboxed: bool,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn components_configs_and_registry_decode() {
        let c: ComponentResponse = serde_json::from_value(json!({
            "component_id": "a1", "component_type": "agent", "name": "A",
            "current_version": 2, "metadata": {"k": 1}, "created_at": 1795896638,
            "deleted_at": 1795896646
        }))
        .unwrap();
        assert!(c.is_archived());
        assert_eq!(c.current_version, Some(2));
        let cfg: ComponentConfigResponse = serde_json::from_value(json!({
            "component_id": "a1", "version": 1, "stage": "published", "created_at": 1795896638
        }))
        .unwrap();
        assert_eq!(cfg.stage, ConfigStage::Published);
        assert!(cfg.config.is_empty());
        let r: RegistryContentResponse = serde_json::from_value(json!({
            "name": "Echo Agent", "type": "agent", "id": "echo-agent",
            "metadata": {"class_path": "agno.agent.agent.Agent"}, "sandboxed": false
        }))
        .unwrap();
        assert_eq!(r.resource_type, RegistryResourceType::Agent);
        let r: RegistryContentResponse =
            serde_json::from_value(json!({"name": "x", "type": "prompt"})).unwrap();
        assert_eq!(
            r.resource_type,
            RegistryResourceType::Unknown("prompt".into())
        );
    }
}
