//! Discovery and configuration: `get_config`, `list_agents`, `get_agent`, `list_teams`,
//! `get_team`, `list_workflows`, `get_workflow`, `health`, `info`, `migrate_database`.
//!
//! Every type keeps the fields a newer server adds in `extra`, and unknown enum values in
//! `Unknown`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::call::{Call, decode_json};
use crate::client::AgentOsClient;
use crate::request::Request;
use crate::time::Timestamp;

/// The operations this module wraps: (method, path template as in the server's OpenAPI).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/config"),
    ("GET", "/health"),
    ("GET", "/info"),
    ("GET", "/agents"),
    ("GET", "/agents/{agent_id}"),
    ("GET", "/teams"),
    ("GET", "/teams/{team_id}"),
    ("GET", "/workflows"),
    ("GET", "/workflows/{workflow_id}"),
    ("POST", "/databases/{db_id}/migrate"),
    ("POST", "/databases/all/migrate"),
];

/// Fields the SDK does not model, kept as sent.
pub type Extra = Map<String, Value>;

crate::open_enum! {
    /// How a client authenticates (`/info` → `auth_mode`).
    pub enum AuthMode {
        /// Nothing is configured.
        None = "none",
        /// `OS_SECURITY_KEY` is set: send it as a bearer token.
        SecurityKey = "security_key",
        /// JWT authorization: send a JWT as a bearer token.
        Jwt = "jwt",
    }
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HealthResponse {
    /// `ok` when the server is healthy.
    pub status: String,
    /// When the AgentOS was started.
    #[serde(default)]
    pub instantiated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The MCP server of an AgentOS (`/info` → `mcp`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct McpInfo {
    /// Whether the MCP server is on.
    #[serde(default)]
    pub enabled: bool,
    /// Where it is mounted.
    #[serde(default)]
    pub path: Option<String>,
    /// Fields this SDK does not model (`oauth`, `tool_run_endpoint`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /info`: what the server is and how to authenticate. Needs no credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InfoResponse {
    /// The OS id (empty on agno 2.5.13 to 2.7.1, whose `/info` has only `agno_version` and
    /// the counts).
    #[serde(default)]
    pub os_id: String,
    /// The OS name.
    #[serde(default)]
    pub name: Option<String>,
    /// The AgentOS version.
    #[serde(default)]
    pub os_version: Option<String>,
    /// The agno version.
    #[serde(default)]
    pub agno_version: Option<String>,
    /// How many agents it serves.
    #[serde(default)]
    pub agent_count: Option<u64>,
    /// How many teams it serves.
    #[serde(default)]
    pub team_count: Option<u64>,
    /// How many workflows it serves.
    #[serde(default)]
    pub workflow_count: Option<u64>,
    /// The MCP server.
    #[serde(default)]
    pub mcp: Option<McpInfo>,
    /// How to authenticate.
    #[serde(default)]
    pub auth_mode: Option<AuthMode>,
    /// Whether each caller only sees its own rows.
    #[serde(default)]
    pub user_isolation: bool,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A model as listed in summaries: `{id, provider}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelSummary {
    /// The model id, e.g. `gpt-4o`.
    #[serde(default)]
    pub id: Option<String>,
    /// The provider, e.g. `OpenAI`.
    #[serde(default)]
    pub provider: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A model as described in full agent and team responses: `{name, model, provider}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelInfo {
    /// The model class name.
    #[serde(default)]
    pub name: Option<String>,
    /// The model id.
    #[serde(default)]
    pub model: Option<String>,
    /// The provider.
    #[serde(default)]
    pub provider: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An agent in `GET /config` → `agents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentSummary {
    /// The agent id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The id of its database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// Its model.
    #[serde(default)]
    pub model: Option<ModelSummary>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A team in `GET /config` → `teams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TeamSummary {
    /// The team id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The id of its database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// The team mode (`coordinate`, `route`, ...).
    #[serde(default)]
    pub mode: Option<String>,
    /// Its model.
    #[serde(default)]
    pub model: Option<ModelSummary>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A workflow in `GET /config` → `workflows` and in `GET /workflows`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WorkflowSummary {
    /// The workflow id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The id of its database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// Whether it is built per request by a factory.
    #[serde(default)]
    pub is_factory: bool,
    /// Whether it is a component stored in the database.
    #[serde(default)]
    pub is_component: bool,
    /// The current component version.
    #[serde(default)]
    pub current_version: Option<i64>,
    /// The component stage (`draft`, `published`).
    #[serde(default)]
    pub stage: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One database of a domain in `GET /config` (sessions, memory, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DomainDatabase {
    /// The database id, to pass as `db_id`.
    pub db_id: String,
    /// Its tables, to pass as `table`.
    #[serde(default)]
    pub tables: Option<Vec<String>>,
    /// Display settings.
    #[serde(default)]
    pub domain_config: Option<Value>,
}

/// The databases of one domain in `GET /config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct DomainConfig {
    /// The display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Its databases.
    #[serde(default)]
    pub dbs: Option<Vec<DomainDatabase>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A knowledge base served by the OS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KnowledgeInstance {
    /// The knowledge id, to pass as `knowledge_id`.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Its contents database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// Its contents table.
    #[serde(default)]
    pub table: Option<String>,
}

/// The knowledge section of `GET /config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct KnowledgeSection {
    /// The display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Its contents databases.
    #[serde(default)]
    pub dbs: Option<Vec<DomainDatabase>>,
    /// The knowledge bases.
    #[serde(default)]
    pub knowledge_instances: Option<Vec<KnowledgeInstance>>,
}

/// An interface mounted on the OS (Slack, A2A, AG-UI, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterfaceInfo {
    /// The interface type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its version.
    #[serde(default)]
    pub version: Option<String>,
    /// Where it is mounted.
    #[serde(default)]
    pub route: Option<String>,
}

/// `GET /config`: what the OS serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigResponse {
    /// The OS id.
    pub os_id: String,
    /// The OS name.
    #[serde(default)]
    pub name: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Models offered to the UI.
    #[serde(default)]
    pub available_models: Option<Vec<ModelSummary>>,
    /// The OS-level database id.
    #[serde(default)]
    pub os_database: Option<String>,
    /// Every database id.
    #[serde(default)]
    pub databases: Vec<String>,
    /// Session databases.
    #[serde(default)]
    pub session: Option<DomainConfig>,
    /// Metrics databases.
    #[serde(default)]
    pub metrics: Option<DomainConfig>,
    /// Memory databases.
    #[serde(default)]
    pub memory: Option<DomainConfig>,
    /// Learning databases.
    #[serde(default)]
    pub learning: Option<DomainConfig>,
    /// Eval databases.
    #[serde(default)]
    pub evals: Option<DomainConfig>,
    /// Trace databases.
    #[serde(default)]
    pub traces: Option<DomainConfig>,
    /// Knowledge bases.
    #[serde(default)]
    pub knowledge: Option<KnowledgeSection>,
    /// The agents.
    #[serde(default)]
    pub agents: Vec<AgentSummary>,
    /// The teams.
    #[serde(default)]
    pub teams: Vec<TeamSummary>,
    /// The workflows.
    #[serde(default)]
    pub workflows: Vec<WorkflowSummary>,
    /// The mounted interfaces.
    #[serde(default)]
    pub interfaces: Vec<InterfaceInfo>,
    /// Fields this SDK does not model (`chat`, `filesystem`, `queue`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /agents/{agent_id}`: an agent in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentResponse {
    /// The agent id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The id of its database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The role.
    #[serde(default)]
    pub role: Option<String>,
    /// Its model.
    #[serde(default)]
    pub model: Option<ModelInfo>,
    /// Its tools.
    #[serde(default)]
    pub tools: Option<Value>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// The JSON schema its input must follow, when it has one.
    #[serde(default)]
    pub input_schema: Option<Value>,
    /// Whether it is built per request by a factory.
    #[serde(default)]
    pub is_factory: bool,
    /// Whether it is a component stored in the database.
    #[serde(default)]
    pub is_component: bool,
    /// The current component version.
    #[serde(default)]
    pub current_version: Option<i64>,
    /// Fields this SDK does not model (`sessions`, `knowledge`, `memory`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /teams/{team_id}`: a team in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TeamResponse {
    /// The team id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The id of its database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The team mode.
    #[serde(default)]
    pub mode: Option<String>,
    /// Its model.
    #[serde(default)]
    pub model: Option<ModelInfo>,
    /// Its members: agents and teams, as the server describes them.
    #[serde(default)]
    pub members: Option<Vec<Value>>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /workflows/{workflow_id}`: a workflow in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WorkflowResponse {
    /// The workflow id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The id of its database.
    #[serde(default)]
    pub db_id: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The steps, as the server describes them.
    #[serde(default)]
    pub steps: Option<Vec<Value>>,
    /// The JSON schema its input must follow, when it has one.
    #[serde(default)]
    pub input_schema: Option<Value>,
    /// Its metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// The current component version.
    #[serde(default)]
    pub current_version: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of a migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MigrateResponse {
    /// What the server did.
    #[serde(default)]
    pub message: Option<String>,
    /// Databases that failed, by id (migrate-all answers 207 then).
    #[serde(default)]
    pub failed: Option<Map<String, Value>>,
    /// Databases that were skipped.
    #[serde(default)]
    pub skipped: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /workflows/{workflow_id}` with its optional `version`.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct GetWorkflow {
    call: Call<WorkflowResponse>,
}

impl GetWorkflow {
    /// Reads this component version instead of the current one.
    pub fn version(mut self, version: i64) -> Self {
        self.call = self.call.query("version", version);
        self
    }

    fn finish(self) -> Call<WorkflowResponse> {
        self.call
    }
}

crate::impl_call_builder!(GetWorkflow => WorkflowResponse);

/// `POST /databases/{db_id}/migrate` or `/databases/all/migrate`, with an optional target
/// version.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct MigrateDatabase {
    call: Call<MigrateResponse>,
}

impl MigrateDatabase {
    /// Migrates to this schema version (e.g. `"2.5.0"`) instead of the latest. It is sent as
    /// the `target_version` query parameter, where the server reads it.
    pub fn target_version(mut self, version: impl Into<String>) -> Self {
        self.call = self.call.query("target_version", version.into());
        self
    }

    fn finish(self) -> Call<MigrateResponse> {
        self.call
    }
}

crate::impl_call_builder!(MigrateDatabase => MigrateResponse);

impl AgentOsClient {
    fn get_json<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        route: &'static str,
        params: &[&str],
    ) -> Call<T> {
        Call::new(self, Request::get(route, params), decode_json::<T>)
    }

    /// `GET /config`: the OS, its databases, agents, teams and workflows.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let config = client.get_config().await?;
    /// println!("{} serves {} agents", config.os_id, config.agents.len());
    /// # Ok(()) }
    /// ```
    pub fn get_config(&self) -> Call<ConfigResponse> {
        self.get_json("/config", &[])
    }

    /// `GET /health`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// assert_eq!(client.health().await?.status, "ok");
    /// # Ok(()) }
    /// ```
    pub fn health(&self) -> Call<HealthResponse> {
        self.get_json("/health", &[])
    }

    /// `GET /info`: versions, counts and how to authenticate. Needs no credentials.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_core::AuthMode;
    /// let info = client.info().await?;
    /// if info.auth_mode == Some(AuthMode::SecurityKey) {
    ///     println!("this server wants a bearer token");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn info(&self) -> Call<InfoResponse> {
        self.get_json("/info", &[])
    }

    /// `GET /agents`: every agent in full.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// for agent in client.list_agents().await? {
    ///     println!("{:?}: {:?}", agent.id, agent.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_agents(&self) -> Call<Vec<AgentResponse>> {
        self.get_json("/agents", &[])
    }

    /// `GET /agents/{agent_id}`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let agent = client.get_agent("echo-agent").await?;
    /// println!("{:?}", agent.model);
    /// # Ok(()) }
    /// ```
    pub fn get_agent(&self, agent_id: &str) -> Call<AgentResponse> {
        self.get_json("/agents/{agent_id}", &[agent_id])
    }

    /// `GET /teams`: every team in full.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let teams = client.list_teams().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_teams(&self) -> Call<Vec<TeamResponse>> {
        self.get_json("/teams", &[])
    }

    /// `GET /teams/{team_id}`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let team = client.get_team("echo-team").await?;
    /// # Ok(()) }
    /// ```
    pub fn get_team(&self, team_id: &str) -> Call<TeamResponse> {
        self.get_json("/teams/{team_id}", &[team_id])
    }

    /// `GET /workflows`: every workflow, as summaries.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let workflows = client.list_workflows().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_workflows(&self) -> Call<Vec<WorkflowSummary>> {
        self.get_json("/workflows", &[])
    }

    /// `GET /workflows/{workflow_id}`, optionally at a component `version`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let workflow = client.get_workflow("echo-workflow").await?;
    /// # Ok(()) }
    /// ```
    pub fn get_workflow(&self, workflow_id: &str) -> GetWorkflow {
        GetWorkflow {
            call: self.get_json("/workflows/{workflow_id}", &[workflow_id]),
        }
    }

    /// `POST /databases/{db_id}/migrate`: migrates one database's schema.
    ///
    /// The Python client sends the target version in a JSON body, which the server ignores;
    /// this sends it as the `target_version` query parameter, where the server reads it.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let done = client.migrate_database("my-db").target_version("2.5.0").await?;
    /// println!("{:?}", done.message);
    /// # Ok(()) }
    /// ```
    pub fn migrate_database(&self, db_id: &str) -> MigrateDatabase {
        MigrateDatabase {
            call: Call::new(
                self,
                Request::post("/databases/{db_id}/migrate", &[db_id]),
                decode_json,
            ),
        }
    }

    /// `POST /databases/all/migrate`: migrates every database (207 when some failed; see
    /// [`MigrateResponse::failed`]).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let done = client.migrate_all_databases().await?;
    /// # Ok(()) }
    /// ```
    pub fn migrate_all_databases(&self) -> MigrateDatabase {
        MigrateDatabase {
            call: Call::new(
                self,
                Request::post("/databases/all/migrate", &[]),
                decode_json,
            ),
        }
    }
}
