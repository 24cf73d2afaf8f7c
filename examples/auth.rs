//! Authentication: a bearer token for the whole client (the OS security key or a JWT), and
//! extra headers on one call.
//!
//! `AGENTOS_URL=... AGENTOS_SECURITY_KEY=... cargo run -p agentos-rs --example auth`

use agentos::{AgentOsClient, AuthMode};

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());

    // /info needs no credentials and says how to authenticate.
    let anonymous = AgentOsClient::new(&url)?;
    let info = anonymous.info().await?;
    println!("auth mode: {:?}", info.auth_mode);

    let client = match (info.auth_mode, std::env::var("AGENTOS_SECURITY_KEY")) {
        (Some(AuthMode::None), _) | (None, _) => anonymous.clone(),
        (_, Ok(key)) => AgentOsClient::builder()
            .base_url(&url)
            .bearer_token(key) // sent as `Authorization: Bearer ...` on every call
            .header("x-client", "agentos-rs-example") // a default header on every call
            .build()?,
        (_, Err(_)) => {
            eprintln!("this server wants a key: set AGENTOS_SECURITY_KEY");
            std::process::exit(2);
        }
    };
    // The token never appears in Debug output.
    println!("{client:?}");

    let config = client.get_config().await?;
    println!(
        "Connected to: {}",
        config.name.as_deref().unwrap_or(&config.os_id)
    );

    // Extra headers on one call only (the Python client's `headers=`).
    let agents = client
        .list_agents()
        .header("x-request-id", "example-42")
        .await?;
    println!("{} agents", agents.len());
    Ok(())
}
