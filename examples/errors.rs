//! Error handling: a server that is not there, an HTTP error with the server's detail, and a
//! request refused before it is sent.
//!
//! `AGENTOS_URL=http://localhost:7777 cargo run -p agentos-rs --example errors`

use agentos::{AgentOsClient, Error};

#[tokio::main]
async fn main() -> agentos::Result<()> {
    // 1. Nothing listens on this port: the error says which server was unavailable and why;
    // its `source()` chain holds the causes below (what `anyhow` prints as "Caused by").
    let offline = AgentOsClient::new("http://127.0.0.1:9")?;
    match offline.get_config().await {
        Err(e @ Error::RemoteServerUnavailable { .. }) => {
            println!("{e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                println!("  caused by: {c}");
                cause = c.source();
            }
        }
        other => println!("unexpected: {other:?}"),
    }

    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    // 2. An HTTP error keeps the status, the server's detail and the raw body.
    match client.get_agent("no-such-agent").await {
        Err(e) if e.is_not_found() => {
            let http = e.http().expect("an HTTP error");
            println!(
                "HTTP {} on {} {}: {}",
                http.status,
                http.method,
                http.route,
                http.message().unwrap_or_default()
            );
        }
        other => println!("unexpected: {other:?}"),
    }

    // 3. Bad input is refused before anything is sent.
    match client.get_agent("").await {
        Err(Error::InvalidRequest(why)) => println!("refused before sending: {why}"),
        other => println!("unexpected: {other:?}"),
    }

    // Whether trying again may help.
    let e = offline.health().await.unwrap_err();
    println!("retryable: {}", e.is_retryable());
    Ok(())
}
