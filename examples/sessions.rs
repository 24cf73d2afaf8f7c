//! Session management: create a session, run an agent in it, list sessions, read a session,
//! its runs and run previews, rename and update it, and delete it.
//!
//! Run it against a local AgentOS that the script starts (with the fake model):
//! `scripts/demo.sh`, or against your own server:
//! `AGENTOS_URL=http://localhost:7777 AGENT_ID=my-agent cargo run -p agentos-rs --example sessions`.

use agentos::sessions::{SessionDetail, SessionSummary, SessionType, SessionsExt};
use agentos::{AgentOsClient, Form, Request, SortOrder};
use futures::TryStreamExt;
use serde_json::json;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let agent_id = std::env::var("AGENT_ID").unwrap_or_else(|_| "echo-agent".into());
    let client = AgentOsClient::new(url)?;
    let user_id = format!("example-user-{}", std::process::id());
    let session_id = format!("example-session-{}", std::process::id());

    println!("1. Creating a session...");
    let session = client
        .create_session()
        .session_type(SessionType::Agent)
        .session_id(&session_id)
        .agent_id(&agent_id)
        .user_id(&user_id)
        .session_name("Example session")
        .session_state(&json!({"cart": []}))
        .await?;
    println!(
        "   created {} ({})",
        session.session_id(),
        session.session_type()
    );

    println!("\n2. Running the agent twice in it...");
    // A plain form POST keeps this example to the sessions feature; with the `runs` feature,
    // the runs area has typed calls for this.
    for message in ["Hello!", "What did I just say?"] {
        let mut form = Form::new();
        form.text("message", message)
            .bool("stream", false)
            .text("session_id", &session_id)
            .text("user_id", &user_id);
        let run = client
            .execute(Request::post("/agents/{agent_id}/runs", &[&agent_id])?.form(form))
            .await?
            .json::<serde_json::Value>()?;
        println!("   {message} -> {}", run["content"]);
    }

    println!("\n3. Listing the user's agent sessions...");
    let page = client
        .get_sessions()
        .session_type(SessionType::Agent)
        .user_id(&user_id)
        .sort_by("created_at")
        .sort_order(SortOrder::Desc)
        .await?;
    for s in &page.data {
        println!(
            "   - {} {:?} (agent {:?})",
            s.session_id, s.session_name, s.agent_id
        );
    }

    println!("\n4. Reading the session and its chat history...");
    match client.get_session(&session_id).await? {
        SessionDetail::Agent(s) => {
            println!("   {} messages:", s.chat_history.len());
            for m in &s.chat_history {
                println!(
                    "   [{}] {}",
                    m.role.as_deref().unwrap_or("?"),
                    m.text().unwrap_or("")
                );
            }
        }
        other => println!("   a {} session", other.session_type()),
    }

    println!("\n5. Its runs and run previews...");
    for run in client.get_session_runs(&session_id).await? {
        println!(
            "   {} {:?} at {:?}: {:?} -> {:?}",
            run.run_id,
            run.status,
            run.created_at.map(|t| t.to_string()),
            run.run_input,
            run.content_text()
        );
    }
    let previews = client.get_session_run_previews(&session_id).await?;
    if let Some(first) = previews.first() {
        let run = client.get_session_run(&session_id, &first.run_id).await?;
        println!(
            "   first preview {} -> {:?} messages",
            first.run_id,
            run.messages.map(|m| m.len())
        );
    }

    println!("\n6. Renaming and updating...");
    let renamed = client
        .rename_session(&session_id, "Renamed example")
        .await?;
    println!("   name: {}", renamed.session_name());
    let updated = client
        .update_session(&session_id)
        .session_state(&json!({"cart": ["tea"]}))
        .metadata(&json!({"source": "example"}))
        .summary(&SessionSummary::new("The user said hello twice.").topics(["greeting"]))
        .await?;
    println!("   state: {:?}", updated.session_state());
    println!(
        "   summary: {:?}",
        updated.session_summary().map(|s| &s.summary)
    );

    println!("\n7. Every session of the user, page by page...");
    let ids: Vec<String> = client
        .get_sessions()
        .user_id(&user_id)
        .limit(10)
        .into_stream()
        .map_ok(|s| s.session_id)
        .try_collect()
        .await?;
    println!("   {ids:?}");

    println!("\n8. Deleting...");
    client.delete_session(&session_id).await?;
    match client.get_session(&session_id).await {
        Err(e) if e.is_not_found() => println!("   gone"),
        other => println!("   unexpected: {other:?}"),
    }
    Ok(())
}
