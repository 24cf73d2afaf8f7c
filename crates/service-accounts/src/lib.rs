#![cfg_attr(docsrs, feature(doc_cfg))]
//! The service accounts area of the AgentOS Rust SDK: [`ServiceAccountsExt`] adds its calls
//! to [`AgentOsClient`].
//!
//! A service account is a machine identity (`sa:<name>`) with an opaque bearer token
//! (`agno_pat_...`) limited to the scopes it was granted. The token is shown once, when the
//! account is minted, as a [`SecretString`](agentos_core::SecretString) that never prints.
//! Minting needs a real credential: the OS security key, or a JWT whose scopes cover the
//! requested ones. Service accounts need an AgentOS with a database (else 503).
//!
//! ```no_run
//! # async fn demo(admin: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_core::AgentOsClient;
//! use agentos_service_accounts::ServiceAccountsExt;
//!
//! let minted = admin
//!     .create_service_account("ci-bot")
//!     .scopes(["agents:read", "agents:*:run"])
//!     .expires_in_days(30)
//!     .await?;
//! println!("minted {} ({})", minted.account.name, minted.account.principal);
//! let bot = AgentOsClient::builder()
//!     .base_url(admin.base_url())
//!     .bearer_token(minted.token.clone())
//!     .build()?;
//! let agents = bot.list_agents().await?;
//! admin.revoke_service_account(&minted.account.id).await?;
//! # Ok(()) }
//! ```

mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Response, Result};
use serde_json::{Map, Value, json};

pub use types::{CreatedServiceAccount, Extra, ServiceAccount, ServiceAccountScope};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    SERVICE_ACCOUNTS = "/service-accounts": POST, GET;
    SERVICE_ACCOUNTS_SERVICE_ACCOUNT_ID = "/service-accounts/{service_account_id}": DELETE;
}

/// The longest service-account name, in characters.
pub const MAX_NAME_CHARS: usize = 63;

/// Checks a name as the server does: a lowercase slug (a lowercase letter or digit, then
/// lowercase letters, digits, `_` or `-`; at most 63 characters).
fn check_name(name: &str) -> Result<()> {
    let slug_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut chars = name.chars();
    let ok = match chars.next() {
        Some(first) => {
            slug_char(first)
                && chars.all(|c| slug_char(c) || c == '_' || c == '-')
                && name.len() <= MAX_NAME_CHARS
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidRequest(format!(
            "the service account name {name:?} must be a lowercase slug: a lowercase letter or \
             digit, then lowercase letters, digits, '_' or '-' (at most {MAX_NAME_CHARS} characters)"
        )))
    }
}

/// Decodes the answer of a mint. On a mismatch the error does not keep the body, which holds
/// the token.
fn decode_created(resp: Response) -> Result<CreatedServiceAccount> {
    serde_json::from_slice(resp.json_bytes()?).map_err(|source| Error::Decode {
        method: resp.method.clone(),
        route: resp.route.clone(),
        body: "[redacted: the body holds the service-account token]".into(),
        body_len: resp.body.len(),
        source,
    })
}

/// `POST /service-accounts`, from [`ServiceAccountsExt::create_service_account`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateServiceAccount {
    call: Call<CreatedServiceAccount>,
    name: String,
    scopes: Option<Vec<String>>,
    expires_in_days: Option<u32>,
    never_expires: bool,
    allow_privileged_scopes: bool,
}

impl CreateServiceAccount {
    /// The scopes granted to the token, e.g. `agents:read`, `agents:my-agent:run`,
    /// `sessions:read`. Without it the server grants `agents:run`, `teams:run`,
    /// `workflows:run` and `sessions:read`. A caller can only grant scopes it holds (the
    /// security key holds all); unknown scopes answer 400.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Days until the token expires (1 to 3650; default 90).
    pub fn expires_in_days(mut self, days: u32) -> Self {
        self.expires_in_days = Some(days);
        self
    }

    /// Mints a token that never expires (overrides [`expires_in_days`](Self::expires_in_days)).
    pub fn never_expires(mut self) -> Self {
        self.never_expires = true;
        self
    }

    /// Allows privileged scopes: any `write` or `delete` action, the admin scope, or any
    /// `service_accounts` scope (without it the server refuses them with 400).
    pub fn allow_privileged_scopes(mut self, allow: bool) -> Self {
        self.allow_privileged_scopes = allow;
        self
    }

    fn finish(self) -> Call<CreatedServiceAccount> {
        if let Err(e) = check_name(&self.name) {
            return self.call.fail(e);
        }
        if let Some(days) = self.expires_in_days {
            if !(1..=3650).contains(&days) {
                return self.call.fail(Error::InvalidRequest(format!(
                    "expires_in_days must be between 1 and 3650, got {days}"
                )));
            }
        }
        let mut body = Map::new();
        body.insert("name".into(), json!(self.name));
        if let Some(scopes) = &self.scopes {
            if let Some(bad) = scopes
                .iter()
                .find(|s| s.trim().is_empty() || s.chars().any(char::is_whitespace))
            {
                return self.call.fail(Error::InvalidRequest(format!(
                    "invalid scope {bad:?}: scopes look like `resource:action` or `resource:id:action`"
                )));
            }
            let items: Vec<Value> = scopes
                .iter()
                .map(|s| json!({"scope": s, "effect": "allow"}))
                .collect();
            body.insert("scopes".into(), Value::Array(items));
        }
        if let Some(days) = self.expires_in_days {
            body.insert("expires_in_days".into(), json!(days));
        }
        if self.never_expires {
            body.insert("never_expires".into(), json!(true));
        }
        if self.allow_privileged_scopes {
            body.insert("allow_privileged_scopes".into(), json!(true));
        }
        self.call.try_with_request(|r| r.set_json(&body))
    }
}

agentos_core::call_builder! {
    /// `GET /service-accounts`, from [`ServiceAccountsExt::list_service_accounts`]: one page, or
    /// every page as a stream.
    pub struct ListServiceAccounts => Page<ServiceAccount>, paged(ServiceAccount, sorted);
}

impl ListServiceAccounts {
    /// Whether revoked accounts are listed too (default `true`).
    pub fn include_revoked(mut self, include: bool) -> Self {
        self.call = self.call.query("include_revoked", include);
        self
    }
}

agentos_core::impl_call_builder!(CreateServiceAccount => CreatedServiceAccount);

agentos_core::seal_extension_traits!();

/// The service-account calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait ServiceAccountsExt: sealed::Sealed {
    /// `POST /service-accounts`: mints a service account and its token (201). The token is
    /// in [`CreatedServiceAccount::token`] and is never shown again.
    ///
    /// The name is checked before sending (a lowercase slug, at most 63 characters), and so
    /// are the expiry range and the scopes' shape. The server answers 401 to an anonymous
    /// caller (even on an open AgentOS), 403 when the caller does not hold a requested scope,
    /// 400 for an unknown or an unflagged privileged scope, and 409 when an active account
    /// has the name (revoke it first to rotate).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_service_accounts::ServiceAccountsExt;
    /// let minted = client
    ///     .create_service_account("nightly-etl")
    ///     .scopes(["sessions:read", "sessions:write"])
    ///     .allow_privileged_scopes(true)
    ///     .never_expires()
    ///     .await?;
    /// store_somewhere_safe(minted.token.expose());
    /// # Ok(()) }
    /// # fn store_somewhere_safe(_: &str) {}
    /// ```
    fn create_service_account(&self, name: impl Into<String>) -> CreateServiceAccount;

    /// `GET /service-accounts`: a page of accounts (never their tokens), newest first;
    /// [`ListServiceAccounts::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_service_accounts::ServiceAccountsExt;
    /// let page = client.list_service_accounts().include_revoked(false).limit(50).await?;
    /// for sa in &page.data {
    ///     println!("{} {:?} expires {:?}", sa.name, sa.scope_strings(), sa.expires_at);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_service_accounts(&self) -> ListServiceAccounts;

    /// `DELETE /service-accounts/{service_account_id}`: revokes the account (204, idempotent);
    /// its token is refused from then on (401). 404 when there is none.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_service_accounts::ServiceAccountsExt;
    /// client.revoke_service_account("12ae...").await?;
    /// # Ok(()) }
    /// ```
    fn revoke_service_account(&self, service_account_id: &str) -> Call<()>;
}

impl ServiceAccountsExt for AgentOsClient {
    fn create_service_account(&self, name: impl Into<String>) -> CreateServiceAccount {
        CreateServiceAccount {
            call: Call::new(
                self,
                Request::post(route::SERVICE_ACCOUNTS, &[]),
                decode_created,
            ),
            name: name.into(),
            scopes: None,
            expires_in_days: None,
            never_expires: false,
            allow_privileged_scopes: false,
        }
    }

    fn list_service_accounts(&self) -> ListServiceAccounts {
        ListServiceAccounts {
            call: Call::new(
                self,
                Request::get(route::SERVICE_ACCOUNTS, &[]),
                decode_json,
            ),
        }
    }

    fn revoke_service_account(&self, service_account_id: &str) -> Call<()> {
        Call::new(
            self,
            Request::delete(
                route::SERVICE_ACCOUNTS_SERVICE_ACCOUNT_ID,
                &[service_account_id],
            ),
            decode_unit,
        )
    }
}

#[cfg(test)]
mod tests;
