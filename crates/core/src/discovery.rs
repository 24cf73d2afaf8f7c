//! Discovery and configuration: `get_config`, `list_agents`, `get_agent`, `list_teams`,
//! `get_team`, `list_workflows`, `get_workflow`, `health`, `info`, `migrate_database`.
//!
//! Every type keeps the fields a newer server adds in `extra`, and unknown enum values in
//! `Unknown`. What the server always sends is not an `Option`: an agent, team or workflow
//! always has an `id` and a config an `os_id`, so an answer without them (e.g. another route's
//! document) is an [`Error::Decode`](crate::Error::Decode), not a value full of `None`s.
//!
//! Team members are [`TeamMember`]s and workflow steps [`WorkflowStep`]s; every type has a
//! constructor (`AgentResponse::new(id)`, ...) so tests can build them, e.g. for the canned
//! responses of the `mock` feature.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::call::{Call, decode_json};
use crate::client::AgentOsClient;
use crate::kinds::StepKind;
use crate::kit::CallKit;
use crate::request::Request;
use crate::time::Timestamp;

crate::routes! {
    /// The operations this module wraps: (method, path template as in the server's OpenAPI).
    CONFIG = "/config": GET;
    HEALTH = "/health": GET;
    INFO = "/info": GET;
    AGENTS = "/agents": GET;
    AGENTS_AGENT_ID = "/agents/{agent_id}": GET;
    TEAMS = "/teams": GET;
    TEAMS_TEAM_ID = "/teams/{team_id}": GET;
    WORKFLOWS = "/workflows": GET;
    WORKFLOWS_WORKFLOW_ID = "/workflows/{workflow_id}": GET;
    DATABASES_DB_ID_MIGRATE = "/databases/{db_id}/migrate": POST;
    DATABASES_ALL_MIGRATE = "/databases/all/migrate": POST;
}

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
    pub name: Option<String>,
    /// The AgentOS version.
    pub os_version: Option<String>,
    /// The agno version.
    pub agno_version: Option<String>,
    /// How many agents it serves.
    pub agent_count: Option<u64>,
    /// How many teams it serves.
    pub team_count: Option<u64>,
    /// How many workflows it serves.
    pub workflow_count: Option<u64>,
    /// The MCP server.
    pub mcp: Option<McpInfo>,
    /// How to authenticate.
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
    pub id: Option<String>,
    /// The provider, e.g. `OpenAI`.
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
    pub name: Option<String>,
    /// The model id.
    pub model: Option<String>,
    /// The provider.
    pub provider: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

crate::response_types! {
    // What an agent, a team and a workflow have, in `GET /config` and in full.
    shared {
        /// The id of the agent, team or workflow. Every one has an id: a response without
        /// it is a decode error.
        pub id: String,
        /// The name.
        pub name: Option<String>,
        /// The description.
        pub description: Option<String>,
        /// The id of its database.
        pub db_id: Option<String>,
    }

    /// An agent in `GET /config` → `agents`.
    pub struct AgentSummary {
        ..shared,
        /// Its model.
        pub model: Option<ModelSummary>,
        /// Its metadata.
        pub metadata: Option<Value>,
    }

    /// A team in `GET /config` → `teams`.
    pub struct TeamSummary {
        ..shared,
        /// The team mode (`coordinate`, `route`, ...).
        pub mode: Option<String>,
        /// Its model.
        pub model: Option<ModelSummary>,
        /// Its metadata.
        pub metadata: Option<Value>,
    }

    /// A workflow in `GET /config` → `workflows` and in `GET /workflows`.
    pub struct WorkflowSummary {
        ..shared,
        /// Whether it is built per request by a factory.
        #[serde(default)]
        pub is_factory: bool,
        /// Whether it is a component stored in the database.
        #[serde(default)]
        pub is_component: bool,
        /// The current component version.
        pub current_version: Option<i64>,
        /// The component stage (`draft`, `published`).
        pub stage: Option<String>,
    }

    /// `GET /agents/{agent_id}`: an agent in full. What this SDK does not model (`sessions`,
    /// `knowledge`, `memory`, ...) is in `extra`.
    pub struct AgentResponse {
        ..shared,
        /// The role.
        pub role: Option<String>,
        /// Its model.
        pub model: Option<ModelInfo>,
        /// Its tools.
        pub tools: Option<Value>,
        /// Its metadata.
        pub metadata: Option<Value>,
        /// The JSON schema its input must follow, when it has one.
        pub input_schema: Option<Value>,
        /// Whether it is built per request by a factory.
        #[serde(default)]
        pub is_factory: bool,
        /// Whether it is a component stored in the database.
        #[serde(default)]
        pub is_component: bool,
        /// The current component version.
        pub current_version: Option<i64>,
    }

    /// `GET /teams/{team_id}`: a team in full.
    pub struct TeamResponse {
        ..shared,
        /// The team mode.
        pub mode: Option<String>,
        /// Its model.
        pub model: Option<ModelInfo>,
        /// Its members: agents and nested teams.
        pub members: Option<Vec<TeamMember>>,
        /// Its metadata.
        pub metadata: Option<Value>,
    }

    /// `GET /workflows/{workflow_id}`: a workflow in full.
    pub struct WorkflowResponse {
        ..shared,
        /// The steps, in order (nested steps inside them).
        pub steps: Option<Vec<WorkflowStep>>,
        /// The JSON schema its input must follow, when it has one.
        pub input_schema: Option<Value>,
        /// Its metadata.
        pub metadata: Option<Value>,
        /// The current component version.
        pub current_version: Option<i64>,
    }
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
    pub display_name: Option<String>,
    /// Its databases.
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
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Models offered to the UI.
    pub available_models: Option<Vec<ModelSummary>>,
    /// The OS-level database id.
    pub os_database: Option<String>,
    /// Every database id.
    #[serde(default)]
    pub databases: Vec<String>,
    /// Session databases.
    pub session: Option<DomainConfig>,
    /// Metrics databases.
    pub metrics: Option<DomainConfig>,
    /// Memory databases.
    pub memory: Option<DomainConfig>,
    /// Learning databases.
    pub learning: Option<DomainConfig>,
    /// Eval databases.
    pub evals: Option<DomainConfig>,
    /// Trace databases.
    pub traces: Option<DomainConfig>,
    /// Knowledge bases.
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

/// A member of a team (`GET /teams/{team_id}` → `members`): an agent, or a nested team.
///
/// The server sends both kinds without a tag; a member with a `members` or `mode` field is a
/// team.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum TeamMember {
    /// An agent.
    Agent(Box<AgentResponse>),
    /// A nested team.
    Team(Box<TeamResponse>),
}

impl TeamMember {
    /// The member's id.
    pub fn id(&self) -> &str {
        match self {
            TeamMember::Agent(a) => &a.id,
            TeamMember::Team(t) => &t.id,
        }
    }

    /// The member's name.
    pub fn name(&self) -> Option<&str> {
        match self {
            TeamMember::Agent(a) => a.name.as_deref(),
            TeamMember::Team(t) => t.name.as_deref(),
        }
    }

    /// The agent, when the member is one.
    pub fn as_agent(&self) -> Option<&AgentResponse> {
        match self {
            TeamMember::Agent(a) => Some(a),
            TeamMember::Team(_) => None,
        }
    }

    /// The team, when the member is one.
    pub fn as_team(&self) -> Option<&TeamResponse> {
        match self {
            TeamMember::Team(t) => Some(t),
            TeamMember::Agent(_) => None,
        }
    }
}

impl From<AgentResponse> for TeamMember {
    fn from(agent: AgentResponse) -> Self {
        TeamMember::Agent(Box::new(agent))
    }
}

impl From<TeamResponse> for TeamMember {
    fn from(team: TeamResponse) -> Self {
        TeamMember::Team(Box::new(team))
    }
}

impl<'de> Deserialize<'de> for TeamMember {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let map = Map::<String, Value>::deserialize(d)?;
        // The server leaves out empty fields, and an agent has neither key; this SDK writes a
        // team's absent ones as null, so the kind survives a round trip too.
        let is_team = map.contains_key("members") || map.contains_key("mode");
        let value = Value::Object(map);
        if is_team {
            TeamResponse::deserialize(value)
                .map(TeamMember::from)
                .map_err(D::Error::custom)
        } else {
            AgentResponse::deserialize(value)
                .map(TeamMember::from)
                .map_err(D::Error::custom)
        }
    }
}

/// A step of a workflow (`GET /workflows/{workflow_id}` → `steps`): a step that runs an
/// agent, a team, a function or a nested workflow, or a container of steps (loop, parallel,
/// condition, router).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WorkflowStep {
    /// The step's name.
    pub name: Option<String>,
    /// What kind of step it is (unknown kinds are kept in `StepKind::Unknown`).
    #[serde(rename = "type")]
    pub kind: StepKind,
    /// The description.
    pub description: Option<String>,
    /// The agent the step runs.
    pub agent: Option<Box<AgentResponse>>,
    /// The team the step runs.
    pub team: Option<Box<TeamResponse>>,
    /// The nested workflow the step runs.
    pub workflow_id: Option<String>,
    /// The steps inside a loop, parallel, condition, router, `Steps` or nested workflow
    /// (for a router, its choices).
    pub steps: Option<Vec<WorkflowStep>>,
    /// The steps a condition runs when it is false.
    pub else_steps: Option<Vec<WorkflowStep>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl WorkflowStep {
    /// A step of this kind and name, with nothing else set.
    pub fn new(kind: StepKind, name: impl Into<String>) -> Self {
        WorkflowStep {
            name: Some(name.into()),
            kind,
            description: None,
            agent: None,
            team: None,
            workflow_id: None,
            steps: None,
            else_steps: None,
            extra: Extra::new(),
        }
    }
}

/// The answer of a migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MigrateResponse {
    /// What the server did.
    pub message: Option<String>,
    /// Databases that failed, by id (migrate-all answers 207 then).
    pub failed: Option<Map<String, Value>>,
    /// Databases that were skipped.
    pub skipped: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `new(id)` for the agents, teams and workflows: this id, every other field empty (`None`,
/// `false`, no extras). The shared fields are set here; each type lists the rest of its own.
macro_rules! new_with_id {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident),* } )+) => {$(
        impl $name {
            $(#[$doc])*
            pub fn new(id: impl Into<String>) -> Self {
                $name {
                    id: id.into(),
                    name: None,
                    description: None,
                    db_id: None,
                    $( $field: Default::default(), )*
                    extra: Extra::new(),
                }
            }
        }
    )+};
}

new_with_id! {
    /// An agent summary with this id and nothing else set.
    AgentSummary { model, metadata }
    /// A team summary with this id and nothing else set.
    TeamSummary { mode, model, metadata }
    /// A workflow summary with this id and nothing else set.
    WorkflowSummary { is_factory, is_component, current_version, stage }
    /// An agent with this id and nothing else set.
    ///
    /// ```
    /// use agentos_core::AgentResponse;
    /// let mut agent = AgentResponse::new("echo-agent");
    /// agent.name = Some("Echo".into());
    /// assert_eq!(agent.id, "echo-agent");
    /// ```
    AgentResponse {
        role, model, tools, metadata, input_schema, is_factory, is_component, current_version
    }
    /// A team with this id and nothing else set.
    TeamResponse { mode, model, members, metadata }
    /// A workflow with this id and nothing else set.
    WorkflowResponse { steps, input_schema, metadata, current_version }
}

impl HealthResponse {
    /// A health answer with this status (`ok` when healthy).
    pub fn new(status: impl Into<String>) -> Self {
        HealthResponse {
            status: status.into(),
            instantiated_at: None,
            extra: Extra::new(),
        }
    }
}

impl InfoResponse {
    /// An info answer for this OS id, with nothing else set.
    pub fn new(os_id: impl Into<String>) -> Self {
        InfoResponse {
            os_id: os_id.into(),
            name: None,
            os_version: None,
            agno_version: None,
            agent_count: None,
            team_count: None,
            workflow_count: None,
            mcp: None,
            auth_mode: None,
            user_isolation: false,
            extra: Extra::new(),
        }
    }
}

impl ConfigResponse {
    /// A config of this OS id that serves nothing.
    ///
    /// ```
    /// use agentos_core::{AgentSummary, ConfigResponse};
    /// let mut config = ConfigResponse::new("test-os");
    /// config.agents.push(AgentSummary::new("echo-agent"));
    /// assert_eq!(config.agents[0].id, "echo-agent");
    /// ```
    pub fn new(os_id: impl Into<String>) -> Self {
        ConfigResponse {
            os_id: os_id.into(),
            name: None,
            description: None,
            available_models: None,
            os_database: None,
            databases: Vec::new(),
            session: None,
            metrics: None,
            memory: None,
            learning: None,
            evals: None,
            traces: None,
            knowledge: None,
            agents: Vec::new(),
            teams: Vec::new(),
            workflows: Vec::new(),
            interfaces: Vec::new(),
            extra: Extra::new(),
        }
    }
}

crate::call_builder! {
    /// `GET /workflows/{workflow_id}` with its optional `version`.
    pub struct GetWorkflow => WorkflowResponse;
}

impl GetWorkflow {
    /// Reads this component version instead of the current one.
    pub fn version(mut self, version: i64) -> Self {
        self.call = self.call.query("version", version);
        self
    }
}

crate::call_builder! {
    /// `POST /databases/{db_id}/migrate` or `/databases/all/migrate`, with an optional target
    /// version.
    pub struct MigrateDatabase => MigrateResponse;
}

impl MigrateDatabase {
    /// Migrates to this schema version (e.g. `"2.5.0"`) instead of the latest. It is sent as
    /// the `target_version` query parameter, where the server reads it.
    pub fn target_version(mut self, version: impl Into<String>) -> Self {
        self.call = self.call.query("target_version", version.into());
        self
    }
}

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
        self.get_json(route::CONFIG, &[])
    }

    /// `GET /health`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// assert_eq!(client.health().await?.status, "ok");
    /// # Ok(()) }
    /// ```
    pub fn health(&self) -> Call<HealthResponse> {
        self.get_json(route::HEALTH, &[])
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
        self.get_json(route::INFO, &[])
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
        self.get_json(route::AGENTS, &[])
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
        self.get_json(route::AGENTS_AGENT_ID, &[agent_id])
    }

    /// `GET /teams`: every team in full.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let teams = client.list_teams().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_teams(&self) -> Call<Vec<TeamResponse>> {
        self.get_json(route::TEAMS, &[])
    }

    /// `GET /teams/{team_id}`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let team = client.get_team("echo-team").await?;
    /// # Ok(()) }
    /// ```
    pub fn get_team(&self, team_id: &str) -> Call<TeamResponse> {
        self.get_json(route::TEAMS_TEAM_ID, &[team_id])
    }

    /// `GET /workflows`: every workflow, as summaries.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let workflows = client.list_workflows().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_workflows(&self) -> Call<Vec<WorkflowSummary>> {
        self.get_json(route::WORKFLOWS, &[])
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
            call: self.get_json(route::WORKFLOWS_WORKFLOW_ID, &[workflow_id]),
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
                Request::post(route::DATABASES_DB_ID_MIGRATE, &[db_id]),
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
                Request::post(route::DATABASES_ALL_MIGRATE, &[]),
                decode_json,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Error;

    #[test]
    fn a_component_without_an_id_is_a_decode_error() {
        // The root document, or any other route's answer, is not an agent.
        let root = json!({"name": "AgentOS API", "version": "1.0", "detail": "ok"});
        let e = serde_json::from_value::<AgentResponse>(root.clone()).unwrap_err();
        assert!(e.to_string().contains("missing field `id`"), "{e}");
        assert!(serde_json::from_value::<TeamResponse>(root.clone()).is_err());
        assert!(serde_json::from_value::<WorkflowResponse>(root.clone()).is_err());
        assert!(serde_json::from_value::<AgentSummary>(root.clone()).is_err());
        assert!(serde_json::from_value::<TeamSummary>(root.clone()).is_err());
        assert!(serde_json::from_value::<WorkflowSummary>(root.clone()).is_err());
        let e = serde_json::from_value::<ConfigResponse>(root).unwrap_err();
        assert!(e.to_string().contains("missing field `os_id`"), "{e}");
        // A null id is no id either.
        assert!(serde_json::from_value::<AgentResponse>(json!({"id": null})).is_err());
    }

    #[cfg(feature = "mock")]
    #[tokio::test]
    async fn get_agent_on_a_document_that_is_not_an_agent_keeps_the_body() {
        use crate::mock;
        let body = json!({"name": "AgentOS API", "docs": "/docs"});
        let answer = body.clone();
        let (client, _) = mock::recording(move |_| mock::json(200, answer.clone()));
        // A proxy or a misrouted path answering with the root document. (`get_agent("..")`,
        // which used to climb to the root, is now refused before sending.)
        match client.get_agent("some-agent").await {
            Err(Error::Decode {
                route, body: raw, ..
            }) => {
                assert_eq!(route, "/agents/{agent_id}");
                assert_eq!(serde_json::from_str::<Value>(&raw).unwrap(), body);
            }
            other => panic!("not a decode error: {other:?}"),
        }
    }

    #[test]
    fn team_members_are_typed_agents_and_teams_with_extras_kept() {
        let team: TeamResponse = serde_json::from_value(json!({
            "id": "outer",
            "mode": "coordinate",
            "members": [
                {"id": "a1", "name": "One", "role": "writer", "filesystem": false,
                 "new_field": {"x": 1}},
                {"id": "inner", "mode": "route", "members": [{"id": "a2"}], "stage": "draft"},
            ]
        }))
        .unwrap();
        let members = team.members.as_deref().unwrap();
        assert_eq!(members.len(), 2);
        let a1 = members[0].as_agent().expect("an agent");
        assert_eq!(a1.id, "a1");
        assert_eq!(a1.role.as_deref(), Some("writer"));
        assert_eq!(a1.extra["new_field"], json!({"x": 1}));
        assert_eq!(a1.extra["filesystem"], json!(false));
        let inner = members[1].as_team().expect("a team");
        assert_eq!(inner.mode.as_deref(), Some("route"));
        assert_eq!(inner.extra["stage"], json!("draft"));
        assert_eq!(inner.members.as_deref().unwrap()[0].id(), "a2");
        // Nothing is lost on the way back out.
        let again: TeamResponse =
            serde_json::from_value(serde_json::to_value(&team).unwrap()).unwrap();
        assert_eq!(again, team);
        // A member without an id fails the whole team, with the reason.
        let e =
            serde_json::from_value::<TeamResponse>(json!({"id": "t", "members": [{"name": "x"}]}))
                .unwrap_err();
        assert!(e.to_string().contains("id"), "{e}");
    }

    #[test]
    fn workflow_steps_are_typed_nested_and_unknown_kinds_kept() {
        let wf: WorkflowResponse = serde_json::from_value(json!({
            "id": "wf",
            "steps": [
                {"name": "draft", "type": "Step", "agent": {"id": "writer", "sandboxed": false}},
                {"name": "review", "type": "Condition", "steps": [
                    {"name": "fix", "type": "Step", "team": {"id": "fixers", "mode": "route"}}
                ], "else_steps": [{"name": "ship", "type": "Function"}]},
                {"name": "later", "type": "Teleport", "portal": 7},
            ]
        }))
        .unwrap();
        let steps = wf.steps.as_deref().unwrap();
        assert_eq!(steps[0].kind, StepKind::Step);
        assert_eq!(steps[0].agent.as_ref().unwrap().id, "writer");
        assert_eq!(
            steps[0].agent.as_ref().unwrap().extra["sandboxed"],
            json!(false)
        );
        assert_eq!(steps[1].kind, StepKind::Condition);
        let inner = &steps[1].steps.as_deref().unwrap()[0];
        assert_eq!(inner.team.as_ref().unwrap().id, "fixers");
        assert_eq!(
            steps[1].else_steps.as_deref().unwrap()[0].kind,
            StepKind::Function
        );
        assert_eq!(steps[2].kind, StepKind::Unknown("Teleport".into()));
        assert_eq!(steps[2].extra["portal"], json!(7));
        let out = serde_json::to_value(&wf).unwrap();
        assert_eq!(out["steps"][2]["type"], "Teleport");
        assert_eq!(out["steps"][2]["portal"], 7);
        // A step without a kind is refused.
        assert!(serde_json::from_value::<WorkflowStep>(json!({"name": "x"})).is_err());
    }

    #[test]
    fn constructors_build_what_the_server_would_send() {
        let mut agent = AgentResponse::new("echo");
        agent.name = Some("Echo".into());
        let back: AgentResponse =
            serde_json::from_value(serde_json::to_value(&agent).unwrap()).unwrap();
        assert_eq!(back, agent);
        let mut team = TeamResponse::new("t");
        team.members = Some(vec![agent.into(), TeamResponse::new("nested").into()]);
        let back: TeamResponse =
            serde_json::from_value(serde_json::to_value(&team).unwrap()).unwrap();
        assert_eq!(back, team);
        assert!(back.members.as_deref().unwrap()[1].as_team().is_some());
        let mut config = ConfigResponse::new("os");
        config.workflows.push(WorkflowSummary::new("wf"));
        let back: ConfigResponse =
            serde_json::from_value(serde_json::to_value(&config).unwrap()).unwrap();
        assert_eq!(back, config);
    }
}
