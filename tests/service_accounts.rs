//! Integration tests of service accounts against the real AgentOS: accounts are minted with the
//! secured instance's security key; their tokens are then used as bearer tokens, inside and
//! outside their scopes, and after they are revoked. Each test uses its own account names
//! (`common::unique`), so the tests run in parallel against one shared server.

mod common;

use std::collections::HashSet;

use agentos::service_accounts::{CreatedServiceAccount, ServiceAccountsExt};
use agentos::{AgentOsClient, Error, Form, Request, SecretString};
use futures::TryStreamExt;
use serde_json::Value;

/// A client of the secured instance that authenticates with `token`.
fn client_with(token: &SecretString) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(common::secured_url())
        .bearer_token(token.clone())
        .build()
        .unwrap()
}

/// A GET on a raw route, for routes of other areas (no dependency on their crates).
async fn get(client: &AgentOsClient, route: &'static str) -> agentos::Result<Value> {
    client.execute(Request::get(route, &[])?).await?.json()
}

async fn run_echo(client: &AgentOsClient, session: &str) -> agentos::Result<Value> {
    let mut form = Form::new();
    form.text("message", "hello from a service account")
        .text("session_id", session)
        .bool("stream", false);
    let req = Request::post("/agents/{agent_id}/runs", &["echo-agent"])?.form(form);
    client.execute(req).await?.json()
}

fn status(e: &Error) -> Option<u16> {
    e.status().map(|s| s.as_u16())
}

#[tokio::test]
async fn a_minted_token_works_within_its_scopes_and_is_refused_once_revoked() {
    let admin = common::secured_client();
    let name = common::unique("sa-scoped");

    let minted: CreatedServiceAccount = admin
        .create_service_account(&name)
        .scopes(["agents:read", "sessions:read"])
        .expires_in_days(1)
        .await
        .unwrap();
    let account = &minted.account;
    assert_eq!(account.name, name);
    assert_eq!(account.principal, format!("sa:{name}"));
    assert_eq!(account.scope_strings(), ["agents:read", "sessions:read"]);
    assert_eq!(account.scopes[0].namespace, "agents");
    assert_eq!(account.scopes[0].permission, "read");
    assert!(!account.is_revoked());
    let token = minted.token.expose();
    assert!(
        token.starts_with("agno_pat_"),
        "a token of the documented shape"
    );
    assert!(token.starts_with(&account.token_prefix));
    let created = account.created_at.unwrap().unix_seconds();
    let expires = account.expires_at.expect("an expiry").unix_seconds();
    assert_eq!(expires - created, 86_400);
    // The token never prints.
    assert!(!format!("{minted:?}").contains(token));

    // A name in use is a conflict while the account is active.
    let e = admin.create_service_account(&name).await.unwrap_err();
    assert_eq!(status(&e), Some(409), "{e}");

    // Inside its scopes.
    let bot = client_with(&minted.token);
    let agents = bot.list_agents().await.unwrap();
    assert!(agents.iter().any(|a| a.id == "echo-agent"));
    get(&bot, "/sessions").await.unwrap();
    // Outside them: 403, naming the missing scope.
    for route in ["/memories", "/service-accounts", "/schedules"] {
        let e = get(&bot, route).await.unwrap_err();
        assert!(e.is_forbidden(), "{route}: {e}");
    }
    let e = run_echo(&bot, &common::unique("sa-session"))
        .await
        .unwrap_err();
    assert!(e.is_forbidden(), "{e}");
    assert!(e.to_string().contains("agents:run"), "{e}");

    // The account is listed, without its token.
    let listed: Vec<_> = admin
        .list_service_accounts()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let mine = listed.iter().find(|a| a.id == account.id).expect("listed");
    assert_eq!(mine.name, name);
    assert!(!mine.is_revoked());
    assert!(!mine.extra.contains_key("token"));

    admin.revoke_service_account(&account.id).await.unwrap();
    let e = bot.list_agents().await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    // Revoking is idempotent; revoked accounts are listed unless asked not to.
    admin.revoke_service_account(&account.id).await.unwrap();
    let all: Vec<_> = admin
        .list_service_accounts()
        .include_revoked(true)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let revoked = all
        .iter()
        .find(|a| a.id == account.id)
        .expect("still listed");
    assert!(revoked.is_revoked());
    let active: Vec<_> = admin
        .list_service_accounts()
        .include_revoked(false)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(active.iter().all(|a| a.id != account.id && !a.is_revoked()));

    // Revoked, the name can be minted again (rotation), with a new token.
    let rotated = admin.create_service_account(&name).await.unwrap();
    assert_ne!(rotated.account.id, account.id);
    assert_ne!(rotated.token.expose(), token);
    admin
        .revoke_service_account(&rotated.account.id)
        .await
        .unwrap();
}

#[tokio::test]
async fn default_scopes_run_agents_as_the_service_account() {
    let admin = common::secured_client();
    let name = common::unique("sa-default");
    let minted = admin
        .create_service_account(&name)
        .never_expires()
        .await
        .unwrap();
    assert_eq!(minted.account.expires_at, None);
    let scopes = minted.account.scope_strings();
    for expected in ["agents:run", "teams:run", "workflows:run", "sessions:read"] {
        assert!(scopes.contains(&expected), "{scopes:?}");
    }

    let bot = client_with(&minted.token);
    let run = run_echo(&bot, &common::unique("sa-run")).await.unwrap();
    assert_eq!(run["status"], "COMPLETED");
    assert_eq!(run["content"], "Echo: hello from a service account");
    // Runs made with the token are attributed to the account's principal.
    assert_eq!(run["user_id"], minted.account.principal);
    // Reading agents is not among the default scopes.
    let e = bot.list_agents().await.unwrap_err();
    assert!(e.is_forbidden(), "{e}");

    admin
        .revoke_service_account(&minted.account.id)
        .await
        .unwrap();
    let e = run_echo(&bot, &common::unique("sa-run")).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
}

#[tokio::test]
async fn the_server_guards_minting() {
    // An anonymous caller cannot mint, even on an open instance.
    let open = common::client();
    let e = open
        .create_service_account(common::unique("sa-anon"))
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    // Nor on the secured one.
    let anonymous = AgentOsClient::new(common::secured_url()).unwrap();
    let e = anonymous
        .create_service_account(common::unique("sa-anon"))
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e}");

    let admin = common::secured_client();
    // Privileged scopes need the flag; unknown scopes are refused.
    let e = admin
        .create_service_account(common::unique("sa-priv"))
        .scopes(["sessions:write"])
        .await
        .unwrap_err();
    assert_eq!(status(&e), Some(400), "{e}");
    assert!(e.to_string().contains("allow_privileged_scopes"), "{e}");
    let e = admin
        .create_service_account(common::unique("sa-bogus"))
        .scopes(["bogus"])
        .await
        .unwrap_err();
    assert_eq!(status(&e), Some(400), "{e}");
    let privileged = admin
        .create_service_account(common::unique("sa-priv"))
        .scopes(["sessions:write"])
        .allow_privileged_scopes(true)
        .await
        .unwrap();
    assert_eq!(privileged.account.scope_strings(), ["sessions:write"]);
    admin
        .revoke_service_account(&privileged.account.id)
        .await
        .unwrap();

    // A name that is not a slug never reaches the server.
    let e = admin
        .create_service_account("Not A Slug")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = admin
        .revoke_service_account("no-such-account")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

#[tokio::test]
async fn service_accounts_page() {
    let admin = common::secured_client();
    let mut ids = HashSet::new();
    for _ in 0..3 {
        let minted = admin
            .create_service_account(common::unique("sa-page"))
            .scopes(["agents:read"])
            .await
            .unwrap();
        ids.insert(minted.account.id);
    }
    let first = admin.list_service_accounts().limit(1).await.unwrap();
    assert_eq!(first.data.len(), 1);
    assert!(first.meta.total_count.unwrap() >= 3);
    // Newest first, and other tests mint meanwhile: walk until all of ours are seen.
    let walked: Vec<_> = admin
        .list_service_accounts()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let seen: HashSet<_> = walked.iter().map(|a| a.id.clone()).collect();
    assert!(ids.is_subset(&seen), "every account of ours is walked");
    for id in &ids {
        admin.revoke_service_account(id).await.unwrap();
    }
}
