#![cfg_attr(docsrs, feature(doc_cfg))]
//! The components and the registry area of the AgentOS Rust SDK: [`ComponentsExt`] adds its
//! calls to [`AgentOsClient`].
//!
//! Components are agents, teams and workflows stored in the OS database (rather than defined
//! in code), with versioned configs: a config version is a `draft` (editable, deletable) or
//! `published` (frozen); the component's *current* version is the published one that runs.
//! Deleting a component archives it (its id stays reserved); restore brings it back. Writes
//! take an optional compare-and-set guard ([`UpdateComponent::if_current_version`],
//! [`CreateComponentConfig::if_latest_version`], ...): when the stored version differs, the
//! server answers 409 and changes nothing. Components need an AgentOS with a (sync) database
//! (else 503). The registry lists what the OS offers to stored components (tools, models,
//! dbs, agents, ...).
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_components::{ComponentType, ComponentsExt, ConfigStage};
//! use serde_json::json;
//!
//! let agent = client
//!     .create_component("Support Agent", ComponentType::Agent)
//!     .component_id("support-agent")
//!     .config(&json!({"name": "Support Agent", "instructions": ["Be brief."]}))
//!     .await?;
//! // Publish a new version, but only if nobody published one since we looked.
//! let v2 = client
//!     .create_component_config("support-agent", &json!({"name": "Support Agent", "instructions": ["Be kind."]}))
//!     .stage(ConfigStage::Published)
//!     .if_latest_version(1)
//!     .await?;
//! assert_eq!(client.get_component("support-agent").await?.current_version, Some(v2.version));
//! # Ok(()) }
//! ```

mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Result};
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use types::{
    ComponentConfigResponse, ComponentResponse, ComponentType, ConfigStage, Extra,
    RegistryContentResponse, RegistryResourceType,
};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    COMPONENTS = "/components": GET, POST;
    COMPONENTS_COMPONENT_ID = "/components/{component_id}": GET, PATCH, DELETE;
    COMPONENTS_COMPONENT_ID_RESTORE = "/components/{component_id}/restore": POST;
    COMPONENTS_COMPONENT_ID_CONFIGS = "/components/{component_id}/configs": GET, POST;
    COMPONENTS_COMPONENT_ID_CONFIGS_CURRENT = "/components/{component_id}/configs/current": GET;
    COMPONENTS_COMPONENT_ID_CONFIGS_VERSION = "/components/{component_id}/configs/{version}": GET, PATCH, DELETE;
    COMPONENTS_COMPONENT_ID_CONFIGS_VERSION_SET_CURRENT = "/components/{component_id}/configs/{version}/set-current": POST;
    REGISTRY = "/registry": GET;
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidRequest(msg.into())
}

/// Checks an explicit component id as the server does: no whitespace, no `/ \ ? # %`, no
/// control characters, not `.` or `..`.
fn check_component_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(invalid("component_id must not be empty"));
    }
    if id.chars().any(char::is_whitespace) {
        return Err(invalid(format!(
            "component_id {id:?} must not contain whitespace"
        )));
    }
    if let Some(c) = id
        .chars()
        .find(|c| matches!(c, '/' | '\\' | '?' | '#' | '%') || c.is_control())
    {
        return Err(invalid(format!(
            "component_id {id:?} must not contain {c:?}"
        )));
    }
    if id == "." || id == ".." {
        return Err(invalid("component_id must not be a path segment"));
    }
    Ok(())
}

/// Serializes `value` and stores it under `key` when it is a JSON value of the wanted shape,
/// or fails the call.
fn put_json<T: Serialize + ?Sized, O: Send + 'static>(
    call: Call<O>,
    body: &mut Map<String, Value>,
    key: &str,
    value: &T,
    want_array: bool,
) -> Call<O> {
    let shape = if want_array { "array" } else { "object" };
    match serde_json::to_value(value) {
        Ok(v @ Value::Object(_)) if !want_array => {
            body.insert(key.to_owned(), v);
            call
        }
        Ok(v @ Value::Array(_)) if want_array => {
            body.insert(key.to_owned(), v);
            call
        }
        Ok(_) => call.fail(invalid(format!("{key} must be a JSON {shape}"))),
        Err(e) => call.fail(invalid(format!("cannot encode {key} as JSON: {e}"))),
    }
}

fn guard(half: &str, version: u32) -> Value {
    json!({ half: version })
}

/// The call with `body` as its JSON body (a failure to encode it is reported on send).
fn with_body<O: Send + 'static, T: Serialize>(call: Call<O>, body: &T) -> Call<O> {
    call.try_with_request(|r| r.set_json(body))
}

agentos_core::call_builder! {
    /// `GET /components`, from [`ComponentsExt::list_components`]: one page, or every page as a
    /// stream.
    pub struct ListComponents => Page<ComponentResponse>, paged(ComponentResponse);
}

impl ListComponents {
    /// Only components of this kind.
    pub fn component_type(mut self, component_type: ComponentType) -> Self {
        self.call = self.call.query("component_type", component_type.as_str());
        self
    }

    /// Lists archived (deleted) components too, marked by `deleted_at` (default `false`).
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.call = self.call.query("include_deleted", include);
        self
    }
}

/// The `label`, `stage` and `notes` of a config version: of the first one when creating a
/// component, of `$of` otherwise.
macro_rules! version_setters {
    ($ty:ident, $of:literal) => {
        impl $ty {
            #[doc = concat!("A label for ", $of, ", e.g. `v1` or `stable`.")]
            pub fn label(mut self, label: impl Into<String>) -> Self {
                self.body.insert("label".into(), json!(label.into()));
                self
            }

            #[doc = concat!(
                "The stage of ", $of, ": published makes it current (a new config is a draft)."
            )]
            pub fn stage(mut self, stage: ConfigStage) -> Self {
                self.body.insert("stage".into(), json!(stage.as_str()));
                self
            }

            #[doc = concat!("Notes on ", $of, ".")]
            pub fn notes(mut self, notes: impl Into<String>) -> Self {
                self.body.insert("notes".into(), json!(notes.into()));
                self
            }
        }
    };
}

/// `POST /components`, from [`ComponentsExt::create_component`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateComponent {
    call: Call<ComponentResponse>,
    body: Map<String, Value>,
}

version_setters!(CreateComponent, "the first config");

impl CreateComponent {
    /// The id (default: made from the name, e.g. `Support Agent` → `support-agent`). It must
    /// not contain whitespace, `/ \ ? # %` or control characters (checked before sending).
    pub fn component_id(mut self, component_id: impl Into<String>) -> Self {
        self.body
            .insert("component_id".into(), json!(component_id.into()));
        self
    }

    /// A description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body
            .insert("description".into(), json!(description.into()));
        self
    }

    /// Free-form metadata (a JSON object).
    pub fn metadata<T: Serialize + ?Sized>(mut self, metadata: &T) -> Self {
        self.call = put_json(self.call, &mut self.body, "metadata", metadata, false);
        self
    }

    /// The first config (a JSON object: the agent's, team's or workflow's settings), stored
    /// as version 1. Team members and workflow steps must name agents the OS knows.
    pub fn config<T: Serialize + ?Sized>(mut self, config: &T) -> Self {
        self.call = put_json(self.call, &mut self.body, "config", config, false);
        self
    }

    fn finish(self) -> Call<ComponentResponse> {
        let name_empty = self
            .body
            .get("name")
            .and_then(Value::as_str)
            .is_none_or(|n| n.trim().is_empty());
        if name_empty {
            return self
                .call
                .fail(invalid("the component name must not be empty"));
        }
        if let Some(id) = self.body.get("component_id").and_then(Value::as_str) {
            if let Err(e) = check_component_id(id) {
                return self.call.fail(e);
            }
        }
        with_body(self.call, &self.body)
    }
}

agentos_core::call_builder! {
    /// `GET /components/{component_id}`, from [`ComponentsExt::get_component`].
    pub struct GetComponent => ComponentResponse;
}

impl GetComponent {
    /// Returns the component even when it is archived (default: 404 for an archived one).
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.call = self.call.query("include_deleted", include);
        self
    }
}

/// `PATCH /components/{component_id}`, from [`ComponentsExt::update_component`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateComponent {
    call: Call<ComponentResponse>,
    body: Map<String, Value>,
}

impl UpdateComponent {
    /// A new display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.insert("name".into(), json!(name.into()));
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body
            .insert("description".into(), json!(description.into()));
        self
    }

    /// A new kind.
    pub fn component_type(mut self, component_type: ComponentType) -> Self {
        self.body
            .insert("component_type".into(), json!(component_type.as_str()));
        self
    }

    /// New metadata (a JSON object; replaces the old).
    pub fn metadata<T: Serialize + ?Sized>(mut self, metadata: &T) -> Self {
        self.call = put_json(self.call, &mut self.body, "metadata", metadata, false);
        self
    }

    /// Makes this published version the current one (a rollback or a roll-forward).
    pub fn current_version(mut self, version: u32) -> Self {
        self.body.insert("current_version".into(), json!(version));
        self
    }

    /// Compare-and-set: applies the update only if the current version is still `version`
    /// (`0`: no version published yet); otherwise 409 and nothing changes.
    pub fn if_current_version(mut self, version: u32) -> Self {
        self.body
            .insert("guard".into(), guard("current_version", version));
        self
    }

    fn finish(self) -> Call<ComponentResponse> {
        with_body(self.call, &self.body)
    }
}

/// `if_current_version` and `finish` of a builder whose only option is the compare-and-set
/// guard on the current version (a `guard: Option<u32>` field): the body is sent only with one.
macro_rules! current_version_guard {
    ($ty:ident => $out:ty { $(#[$doc:meta])* }) => {
        impl $ty {
            $(#[$doc])*
            pub fn if_current_version(mut self, version: u32) -> Self {
                self.guard = Some(version);
                self
            }

            fn finish(self) -> Call<$out> {
                match self.guard {
                    Some(v) => with_body(self.call, &json!({ "guard": guard("current_version", v) })),
                    None => self.call,
                }
            }
        }
    };
}

/// `DELETE /components/{component_id}`, from [`ComponentsExt::delete_component`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct DeleteComponent {
    call: Call<()>,
    guard: Option<u32>,
}

current_version_guard!(DeleteComponent => () {
    /// Compare-and-set: archives the component only if its current version is still
    /// `version` (`0`: none published); otherwise 409.
});

agentos_core::call_builder! {
    /// `GET /components/{component_id}/configs`, from [`ComponentsExt::list_component_configs`].
    pub struct ListComponentConfigs => Vec<ComponentConfigResponse>;
}

impl ListComponentConfigs {
    /// `false` leaves the config bodies out (default `true`). agno 3.1.10 answers it with a
    /// 500 (its response model requires the config it left out); newer servers may not.
    pub fn include_config(mut self, include: bool) -> Self {
        self.call = self.call.query("include_config", include);
        self
    }
}

/// The setters shared by creating and updating a config version (`version_setters!`'s and
/// more).
macro_rules! config_setters {
    ($ty:ident) => {
        version_setters!($ty, "this config version");

        impl $ty {
            /// Explicit links to child components (a JSON array of
            /// `{child_component_id, child_version?, ...}`); by default the server derives
            /// them from the config's members or steps.
            pub fn links<T: Serialize + ?Sized>(mut self, links: &T) -> Self {
                self.call = put_json(self.call, &mut self.body, "links", links, true);
                self
            }

            /// Compare-and-set: writes only if the component's latest config version is still
            /// `version`; otherwise 409 and nothing changes.
            pub fn if_latest_version(mut self, version: u32) -> Self {
                self.body
                    .insert("guard".into(), guard("latest_version", version));
                self
            }

            fn finish(self) -> Call<ComponentConfigResponse> {
                with_body(self.call, &self.body)
            }
        }
    };
}

/// `POST /components/{component_id}/configs`, from
/// [`ComponentsExt::create_component_config`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateComponentConfig {
    call: Call<ComponentConfigResponse>,
    body: Map<String, Value>,
}

config_setters!(CreateComponentConfig);

/// `PATCH /components/{component_id}/configs/{version}`, from
/// [`ComponentsExt::update_component_config`]. Only drafts can be changed.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateComponentConfig {
    call: Call<ComponentConfigResponse>,
    body: Map<String, Value>,
}

config_setters!(UpdateComponentConfig);

impl UpdateComponentConfig {
    /// Replaces the config (a JSON object).
    pub fn config<T: Serialize + ?Sized>(mut self, config: &T) -> Self {
        self.call = put_json(self.call, &mut self.body, "config", config, false);
        self
    }
}

/// `POST /components/{component_id}/configs/{version}/set-current`, from
/// [`ComponentsExt::set_current_component_config`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct SetCurrentComponentConfig {
    call: Call<ComponentResponse>,
    guard: Option<u32>,
}

current_version_guard!(SetCurrentComponentConfig => ComponentResponse {
    /// Compare-and-set: switches only if the current version is still `version` (`0`: none
    /// published yet); otherwise 409.
});

agentos_core::call_builder! {
    /// `GET /registry`, from [`ComponentsExt::list_registry`]: one page, or every page as a
    /// stream.
    pub struct ListRegistry => Page<RegistryContentResponse>, paged(RegistryContentResponse);
}

agentos_core::query_setters!(ListRegistry {
    /// Only resources whose name contains this text (case-insensitive).
    name,
});

impl ListRegistry {
    /// Only resources of this kind.
    pub fn resource_type(mut self, resource_type: RegistryResourceType) -> Self {
        self.call = self.call.query("resource_type", resource_type.as_str());
        self
    }
}

agentos_core::impl_call_builder!(CreateComponent => ComponentResponse);
agentos_core::impl_call_builder!(UpdateComponent => ComponentResponse);
agentos_core::impl_call_builder!(DeleteComponent => ());
agentos_core::impl_call_builder!(CreateComponentConfig => ComponentConfigResponse);
agentos_core::impl_call_builder!(UpdateComponentConfig => ComponentConfigResponse);
agentos_core::impl_call_builder!(SetCurrentComponentConfig => ComponentResponse);

agentos_core::seal_extension_traits!();

/// The component and registry calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait ComponentsExt: sealed::Sealed {
    /// `GET /components`: a page of stored components (code-defined ones are not listed);
    /// [`ListComponents::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::{ComponentType, ComponentsExt};
    /// let page = client
    ///     .list_components()
    ///     .component_type(ComponentType::Agent)
    ///     .include_deleted(true)
    ///     .await?;
    /// for c in &page.data {
    ///     println!("{} v{:?} archived={}", c.component_id, c.current_version, c.is_archived());
    /// }
    /// # Ok(()) }
    /// ```
    fn list_components(&self) -> ListComponents;

    /// `POST /components`: stores a component (201), with its first config as version 1
    /// when [`config`](CreateComponent::config) is given. The name must not be empty and an
    /// explicit id must be a safe path segment (both checked before sending); 400 when the
    /// id is taken (`Component ID ... is not available`; archived ids stay reserved) or when
    /// a team member or workflow step
    /// names an unknown agent (members are `{"type": "agent", "agent_id": ...}` or
    /// `{"type": "team", "team_id": ...}`).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::{ComponentType, ComponentsExt, ConfigStage};
    /// use serde_json::json;
    /// let c = client
    ///     .create_component("Triage Agent", ComponentType::Agent)
    ///     .description("Routes tickets")
    ///     .metadata(&json!({"owner": "support"}))
    ///     .config(&json!({"name": "Triage Agent", "model": {"provider": "openai", "id": "gpt-4o"}}))
    ///     .label("v1")
    ///     .stage(ConfigStage::Published)
    ///     .notes("first cut")
    ///     .await?;
    /// assert_eq!(c.component_id, "triage-agent");
    /// # Ok(()) }
    /// ```
    fn create_component(
        &self,
        name: impl Into<String>,
        component_type: ComponentType,
    ) -> CreateComponent;

    /// `GET /components/{component_id}`: one component (404 when there is none or it is
    /// archived, unless [`include_deleted`](GetComponent::include_deleted)).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// let c = client.get_component("triage-agent").include_deleted(true).await?;
    /// # Ok(()) }
    /// ```
    fn get_component(&self, component_id: &str) -> GetComponent;

    /// `PATCH /components/{component_id}`: changes the fields set on the builder, and can
    /// move the current version; guard it with
    /// [`if_current_version`](UpdateComponent::if_current_version).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// // Roll back to version 1, unless someone moved the live version meanwhile.
    /// let c = client
    ///     .update_component("triage-agent")
    ///     .current_version(1)
    ///     .if_current_version(2)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_component(&self, component_id: &str) -> UpdateComponent;

    /// `DELETE /components/{component_id}`: archives the component (204) and disables the
    /// schedules aimed at it; [`restore_component`](Self::restore_component) undoes it. 409
    /// when other components pin it, or when the guard fails.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// client.delete_component("triage-agent").if_current_version(2).await?;
    /// # Ok(()) }
    /// ```
    fn delete_component(&self, component_id: &str) -> DeleteComponent;

    /// `POST /components/{component_id}/restore`: brings an archived component back (409
    /// when it is not archived).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// let c = client.restore_component("triage-agent").await?;
    /// assert!(!c.is_archived());
    /// # Ok(()) }
    /// ```
    fn restore_component(&self, component_id: &str) -> Call<ComponentResponse>;

    /// `GET /components/{component_id}/configs`: every config version (a bare list, not
    /// paged; drafts only for those allowed to see them).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// for v in client.list_component_configs("triage-agent").include_config(false).await? {
    ///     println!("v{} {:?} {:?}", v.version, v.stage, v.label);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_component_configs(&self, component_id: &str) -> ListComponentConfigs;

    /// `POST /components/{component_id}/configs`: adds the next config version (201). A
    /// published one becomes current. Guard it with
    /// [`if_latest_version`](CreateComponentConfig::if_latest_version).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::{ComponentsExt, ConfigStage};
    /// use serde_json::json;
    /// let v = client
    ///     .create_component_config("triage-agent", &json!({"name": "Triage Agent"}))
    ///     .label("v2")
    ///     .stage(ConfigStage::Draft)
    ///     .if_latest_version(1)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn create_component_config<T: Serialize + ?Sized>(
        &self,
        component_id: &str,
        config: &T,
    ) -> CreateComponentConfig;

    /// `GET /components/{component_id}/configs/current`: the live config; while none is
    /// published, the server answers with the latest draft (check
    /// [`stage`](ComponentConfigResponse::stage)). 404 when there is no config at all.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// let live = client.get_current_component_config("triage-agent").await?;
    /// println!("v{}: {:?}", live.version, live.config);
    /// # Ok(()) }
    /// ```
    fn get_current_component_config(&self, component_id: &str) -> Call<ComponentConfigResponse>;

    /// `GET /components/{component_id}/configs/{version}`: one config version.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// let v1 = client.get_component_config("triage-agent", 1).await?;
    /// # Ok(()) }
    /// ```
    fn get_component_config(
        &self,
        component_id: &str,
        version: u32,
    ) -> Call<ComponentConfigResponse>;

    /// `PATCH /components/{component_id}/configs/{version}`: changes a draft (400 for a
    /// published version); publishing it ([`stage`](UpdateComponentConfig::stage)) freezes it
    /// and makes it the current version.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::{ComponentsExt, ConfigStage};
    /// let v = client
    ///     .update_component_config("triage-agent", 2)
    ///     .notes("reviewed")
    ///     .stage(ConfigStage::Published)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_component_config(&self, component_id: &str, version: u32) -> UpdateComponentConfig;

    /// `DELETE /components/{component_id}/configs/{version}`: deletes a draft (204; 400 for
    /// a published version).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// client.delete_component_config("triage-agent", 3).await?;
    /// # Ok(()) }
    /// ```
    fn delete_component_config(&self, component_id: &str, version: u32) -> Call<()>;

    /// `POST /components/{component_id}/configs/{version}/set-current`: makes a published
    /// version the live one (400 for a draft); guard it with
    /// [`if_current_version`](SetCurrentComponentConfig::if_current_version).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::ComponentsExt;
    /// let c = client
    ///     .set_current_component_config("triage-agent", 1)
    ///     .if_current_version(2)
    ///     .await?;
    /// assert_eq!(c.current_version, Some(1));
    /// # Ok(()) }
    /// ```
    fn set_current_component_config(
        &self,
        component_id: &str,
        version: u32,
    ) -> SetCurrentComponentConfig;

    /// `GET /registry`: the resources the OS offers to stored components (tools, models,
    /// dbs, vector dbs, schemas, functions, agents, teams, workflows, ...), paged. Needs an
    /// AgentOS with a registry (else 503).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_components::{ComponentsExt, RegistryResourceType};
    /// let models = client
    ///     .list_registry()
    ///     .resource_type(RegistryResourceType::Model)
    ///     .await?;
    /// for m in &models.data {
    ///     println!("{} {:?}", m.name, m.metadata);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_registry(&self) -> ListRegistry;
}

impl ComponentsExt for AgentOsClient {
    fn list_components(&self) -> ListComponents {
        ListComponents {
            call: Call::new(self, Request::get(route::COMPONENTS, &[]), decode_json),
        }
    }

    fn create_component(
        &self,
        name: impl Into<String>,
        component_type: ComponentType,
    ) -> CreateComponent {
        let mut body = Map::new();
        body.insert("name".into(), json!(name.into()));
        body.insert("component_type".into(), json!(component_type.as_str()));
        CreateComponent {
            call: Call::new(self, Request::post(route::COMPONENTS, &[]), decode_json),
            body,
        }
    }

    fn get_component(&self, component_id: &str) -> GetComponent {
        GetComponent {
            call: Call::new(
                self,
                Request::get(route::COMPONENTS_COMPONENT_ID, &[component_id]),
                decode_json,
            ),
        }
    }

    fn update_component(&self, component_id: &str) -> UpdateComponent {
        UpdateComponent {
            call: Call::new(
                self,
                Request::patch(route::COMPONENTS_COMPONENT_ID, &[component_id]),
                decode_json,
            ),
            body: Map::new(),
        }
    }

    fn delete_component(&self, component_id: &str) -> DeleteComponent {
        DeleteComponent {
            call: Call::new(
                self,
                Request::delete(route::COMPONENTS_COMPONENT_ID, &[component_id]),
                decode_unit,
            ),
            guard: None,
        }
    }

    fn restore_component(&self, component_id: &str) -> Call<ComponentResponse> {
        Call::new(
            self,
            Request::post(route::COMPONENTS_COMPONENT_ID_RESTORE, &[component_id]),
            decode_json,
        )
    }

    fn list_component_configs(&self, component_id: &str) -> ListComponentConfigs {
        ListComponentConfigs {
            call: Call::new(
                self,
                Request::get(route::COMPONENTS_COMPONENT_ID_CONFIGS, &[component_id]),
                decode_json,
            ),
        }
    }

    fn create_component_config<T: Serialize + ?Sized>(
        &self,
        component_id: &str,
        config: &T,
    ) -> CreateComponentConfig {
        let mut body = Map::new();
        let call = Call::new(
            self,
            Request::post(route::COMPONENTS_COMPONENT_ID_CONFIGS, &[component_id]),
            decode_json,
        );
        let call = put_json(call, &mut body, "config", config, false);
        CreateComponentConfig { call, body }
    }

    fn get_current_component_config(&self, component_id: &str) -> Call<ComponentConfigResponse> {
        Call::new(
            self,
            Request::get(
                route::COMPONENTS_COMPONENT_ID_CONFIGS_CURRENT,
                &[component_id],
            ),
            decode_json,
        )
    }

    fn get_component_config(
        &self,
        component_id: &str,
        version: u32,
    ) -> Call<ComponentConfigResponse> {
        Call::new(
            self,
            Request::get(
                route::COMPONENTS_COMPONENT_ID_CONFIGS_VERSION,
                &[component_id, &version.to_string()],
            ),
            decode_json,
        )
    }

    fn update_component_config(&self, component_id: &str, version: u32) -> UpdateComponentConfig {
        UpdateComponentConfig {
            call: Call::new(
                self,
                Request::patch(
                    route::COMPONENTS_COMPONENT_ID_CONFIGS_VERSION,
                    &[component_id, &version.to_string()],
                ),
                decode_json,
            ),
            body: Map::new(),
        }
    }

    fn delete_component_config(&self, component_id: &str, version: u32) -> Call<()> {
        Call::new(
            self,
            Request::delete(
                route::COMPONENTS_COMPONENT_ID_CONFIGS_VERSION,
                &[component_id, &version.to_string()],
            ),
            decode_unit,
        )
    }

    fn set_current_component_config(
        &self,
        component_id: &str,
        version: u32,
    ) -> SetCurrentComponentConfig {
        SetCurrentComponentConfig {
            call: Call::new(
                self,
                Request::post(
                    route::COMPONENTS_COMPONENT_ID_CONFIGS_VERSION_SET_CURRENT,
                    &[component_id, &version.to_string()],
                ),
                decode_json,
            ),
            guard: None,
        }
    }

    fn list_registry(&self) -> ListRegistry {
        ListRegistry {
            call: Call::new(self, Request::get(route::REGISTRY, &[]), decode_json),
        }
    }
}

#[cfg(test)]
mod tests;
