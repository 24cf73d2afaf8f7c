//! Knowledge: upload text, a file (streamed from disk, with a progress bar) and bytes, wait
//! for the asynchronous ingestion, search them (vector and keyword, with a metadata filter),
//! and clean up.
//!
//! Run it against a local AgentOS that the script starts (with the fake model):
//! `scripts/demo.sh knowledge`, or against your own server:
//! `AGENTOS_URL=http://localhost:7777 cargo run -p agentos-rs --example knowledge`.

use std::io::Write;

use agentos::knowledge::{ContentStatus, KnowledgeExt, SearchType};
use agentos::{AgentOsClient, Error};
use serde_json::json;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    // Content ids come from the name (not the text): give each document a name of its own.
    let run = format!("example-{}", std::process::id());

    println!("1. The knowledge base...");
    let config = client.get_knowledge_config().await?;
    for db in &config.vector_dbs {
        println!(
            "   vector db {} ({:?}), search types {:?}",
            db.id, db.name, db.search_types
        );
    }
    println!(
        "   readers: {:?}",
        config.readers.keys().collect::<Vec<_>>()
    );

    println!("\n2. Uploading text, a file and bytes...");
    let text = client
        .upload_knowledge_content()
        .text("Ostriches cannot fly, but they run at seventy kilometres an hour.")
        .name(format!("{run}-ostriches"))
        .metadata(json!({"topic": "birds", "example": run}))
        .await?;
    println!("   text  -> {} ({:?})", text.id, text.status);

    let path = std::env::temp_dir().join(format!("{run}-penguins.txt"));
    std::fs::write(
        &path,
        "Penguins cannot fly either; they swim in cold water and eat krill.\n".repeat(2000),
    )
    .map_err(|source| Error::File {
        path: path.clone(),
        source,
    })?;
    let file = client
        .upload_knowledge_content()
        .file(&path)
        .name(format!("{run}-penguins"))
        .metadata(json!({"topic": "birds", "example": run}))
        .progress(|p| {
            let filled = (p.fraction() * 30.0) as usize;
            print!(
                "\r   file  [{}{}] {:5.1}% of {} bytes",
                "#".repeat(filled),
                " ".repeat(30 - filled),
                p.percent(),
                p.total
            );
            let _ = std::io::stdout().flush();
        })
        .await?;
    println!("\n   file  -> {} ({:?})", file.id, file.status);

    let bytes = client
        .upload_knowledge_content()
        .bytes(
            format!("{run}-volcanoes.md"),
            b"# Volcanoes\n\nMagma rises through the crust and erupts as lava.\n".to_vec(),
        )
        .metadata(json!({"topic": "geology", "example": run}))
        .await?;
    println!("   bytes -> {} ({:?})", bytes.id, bytes.status);

    println!("\n3. Waiting for the ingestion (202 Accepted, then processing in the background)...");
    for c in [&text, &file, &bytes] {
        match client.wait_for_knowledge_content(&c.id).await {
            Ok(status) => println!("   {}: {}", c.id, status.status),
            Err(Error::JobFailed { message, .. }) => println!("   {}: failed: {message}", c.id),
            Err(e) => return Err(e),
        }
    }

    println!("\n4. Searching...");
    for search_type in [SearchType::Vector, SearchType::Keyword] {
        let hits = client
            .search_knowledge("how fast do ostriches run")
            .search_type(search_type.clone())
            .filters(json!({"example": run}))
            .limit(3)
            .await?;
        println!("   {search_type}: {} hits", hits.data.len());
        for hit in &hits.data {
            let preview: String = hit
                .content
                .chars()
                .map(|c| if c == '\n' { ' ' } else { c })
                .take(60)
                .collect();
            println!("     - {:?}: {preview}", hit.name);
        }
    }
    let geology = client
        .search_knowledge("lava")
        .search_type(SearchType::Vector)
        .filters(json!({"example": run, "topic": "geology"}))
        .await?;
    println!(
        "   filtered on topic=geology: {:?}",
        geology
            .data
            .iter()
            .map(|h| h.name.clone())
            .collect::<Vec<_>>()
    );

    println!("\n5. Listing, reading back and updating...");
    let page = client.list_knowledge_content().limit(5).await?;
    for c in &page.data {
        println!(
            "   {} {:?} {:?} {:?} bytes",
            c.id,
            c.name,
            c.status.as_ref().map(ContentStatus::as_str),
            c.size_bytes()
        );
    }
    let updated = client
        .update_knowledge_content(&text.id)
        .description("Facts about ostriches")
        .metadata(json!({"reviewed": true}))
        .await?;
    println!(
        "   updated {}: {:?}, metadata {:?}",
        updated.id,
        updated.description,
        updated.user_metadata()
    );

    println!("\n6. Deleting what this example uploaded...");
    for c in [&text, &file, &bytes] {
        client.delete_knowledge_content(&c.id).await?;
    }
    let _ = std::fs::remove_file(&path);
    match client.get_knowledge_content(&text.id).await {
        Err(e) if e.is_not_found() => println!("   gone (404, as expected)"),
        other => println!("   unexpected: {other:?}"),
    }
    Ok(())
}
