//! The types of the service-account routes. Timestamps are epoch seconds on the wire.

use agentos_core::kit::de::{empty_as_none, null_default};
use agentos_core::{SecretString, Timestamp};
use serde::{Deserialize, Serialize};

pub use agentos_core::Extra;

/// One scope granted to a token, parsed (`ScopeSchema`, the shared RBAC read shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceAccountScope {
    /// The scope as granted, e.g. `agents:*:run`.
    pub raw: String,
    /// The resource namespace, e.g. `agents`.
    #[serde(default)]
    pub namespace: String,
    /// The resource id or `*`, for per-resource scopes.
    #[serde(default)]
    pub sub_namespace: Option<String>,
    /// The action, e.g. `read`, `run`, `write`.
    #[serde(default)]
    pub permission: String,
    /// `allow` (tokens only carry grants).
    #[serde(default)]
    pub value: String,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A service account (`ServiceAccountResponse`): a machine identity with an opaque bearer
/// token. Never carries the token itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceAccount {
    /// The account id (to revoke it).
    pub id: String,
    /// The name (a lowercase slug).
    pub name: String,
    /// The identity runs made with its token are attributed to: `sa:<name>`.
    #[serde(default)]
    pub principal: String,
    /// The user it belongs to; `None` for a workspace-level account.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// The first characters of the token (`agno_pat_...`), for display.
    #[serde(default)]
    pub token_prefix: String,
    /// The scopes granted to the token.
    #[serde(default, deserialize_with = "null_default")]
    pub scopes: Vec<ServiceAccountScope>,
    /// When it was minted.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// When its token expires (`None`: never).
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    /// When its token was last used.
    #[serde(default)]
    pub last_used_at: Option<Timestamp>,
    /// When it was revoked (`None`: active).
    #[serde(default)]
    pub revoked_at: Option<Timestamp>,
    /// Who minted it (`None` for the security key, which is no user).
    #[serde(default)]
    pub created_by: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ServiceAccount {
    /// True once the account has been revoked.
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    /// The granted scopes as strings, e.g. `["agents:read", "sessions:read"]`.
    pub fn scope_strings(&self) -> Vec<&str> {
        self.scopes.iter().map(|s| s.raw.as_str()).collect()
    }
}

/// What `create_service_account` returns: the account and its token, shown this once. The
/// token is a [`SecretString`]: it never prints (`Debug` shows `[redacted]`); read it with
/// [`SecretString::expose`] and store it securely, it cannot be retrieved again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CreatedServiceAccount {
    /// The bearer token (`agno_pat_...`).
    pub token: SecretString,
    /// The account.
    #[serde(flatten)]
    pub account: ServiceAccount,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn created() -> Value {
        json!({
            "id": "sa1", "name": "ci-bot", "principal": "sa:ci-bot", "user_id": null,
            "token_prefix": "agno_pat_Z3W",
            "scopes": [{"id": null, "raw": "agents:read", "namespace": "agents",
                        "sub_namespace": null, "permission": "read", "value": "allow"}],
            "created_at": 1795896557, "expires_at": 1795982957, "last_used_at": null,
            "revoked_at": null, "created_by": null,
            "token": "agno_pat_Z3WndnKPKyUDUAHY2JXVI079UbYCidHsnD4OF87OCTw"
        })
    }

    #[test]
    fn the_token_is_kept_out_of_prints_and_extras() {
        let c: CreatedServiceAccount = serde_json::from_value(created()).unwrap();
        assert!(c.token.expose().starts_with("agno_pat_Z3Wnd"));
        let printed = format!("{c:?} {c:#?}");
        assert!(!printed.contains("Z3WndnKPKy"), "{printed}");
        assert!(printed.contains("[redacted]"));
        assert!(!c.account.extra.contains_key("token"));
        assert_eq!(c.account.scope_strings(), ["agents:read"]);
        assert_eq!(c.account.scopes[0].sub_namespace, None);
        assert!(!c.account.is_revoked());
        assert_eq!(c.account.expires_at.unwrap().unix_seconds(), 1_795_982_957);
        // A listed account (no token), revoked.
        let mut listed = created();
        listed.as_object_mut().unwrap().remove("token");
        listed["revoked_at"] = json!(1795896558);
        let a: ServiceAccount = serde_json::from_value(listed).unwrap();
        assert!(a.is_revoked());
        assert!(a.extra.is_empty());
    }
}
