//! Memory operations: create, list, filter, read, update, topics, statistics, optimize and
//! delete a user's memories.
//!
//! Run it against a local AgentOS that the script starts (with the fake model):
//! `scripts/demo.sh`, or against your own server:
//! `AGENTOS_URL=http://localhost:7777 cargo run -p agentos-rs --example memory`.

use agentos::memory::MemoryExt;
use agentos::{AgentOsClient, SortOrder};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    let user_id = format!("example-user-{}", std::process::id());

    println!("1. Creating memories for {user_id}...");
    let memory = client
        .create_memory("User prefers dark mode for all applications", &user_id)
        .topics(["preferences", "ui"])
        .await?;
    println!(
        "   created {}: {:?} {:?}",
        memory.memory_id, memory.memory, memory.topics
    );
    for text in [
        "User lives in Lisbon",
        "User is learning the piano",
        "User drinks green tea in the morning",
    ] {
        client
            .create_memory(text, &user_id)
            .topics(["personal"])
            .await?;
    }

    println!("\n2. Listing the user's memories, newest first...");
    let page = client
        .list_memories()
        .user_id(&user_id)
        .sort_order(SortOrder::Desc)
        .limit(10)
        .await?;
    println!(
        "   {} of {:?} memories:",
        page.data.len(),
        page.meta.total_count
    );
    for m in &page.data {
        println!("   - {}: {}", m.memory_id, m.memory);
    }

    println!("\n3. Filtering by topic and by text...");
    let personal = client
        .list_memories()
        .user_id(&user_id)
        .topics(["personal"])
        .await?;
    println!("   under 'personal': {}", personal.data.len());
    let tea = client
        .list_memories()
        .user_id(&user_id)
        .search_content("tea")
        .await?;
    println!(
        "   mentioning tea: {:?}",
        tea.data.iter().map(|m| &m.memory).collect::<Vec<_>>()
    );

    println!("\n4. Reading and updating one memory...");
    let read = client
        .get_memory(&memory.memory_id)
        .user_id(&user_id)
        .await?;
    println!("   read: {}", read.memory);
    let updated = client
        .update_memory(
            &memory.memory_id,
            "User strongly prefers dark mode for all applications and websites",
            &user_id,
        )
        .topics(["preferences", "ui", "accessibility"])
        .await?;
    println!("   updated: {} {:?}", updated.memory, updated.topics);

    println!("\n5. Topics and statistics...");
    let topics = client.get_memory_topics().user_id(&user_id).await?;
    println!("   topics: {topics:?}");
    let stats = client.get_user_memory_stats().user_id(&user_id).await?;
    for s in &stats.data {
        println!("   {} has {} memories", s.user_id, s.total_memories);
    }

    println!("\n6. Walking every memory, two per page...");
    let mut all = std::pin::pin!(
        client
            .list_memories()
            .user_id(&user_id)
            .limit(2)
            .into_stream()
    );
    while let Some(m) = all.try_next().await? {
        println!("   - {}", m.memory);
    }

    println!("\n7. Optimizing (a preview first, nothing is stored)...");
    match client.optimize_memories(&user_id).apply(false).await {
        Ok(preview) => println!(
            "   {} memories -> {}, {} tokens saved ({:.0}%)",
            preview.memories_before,
            preview.memories_after,
            preview.tokens_saved,
            preview.reduction_percentage
        ),
        // Optimizing calls a model: a server without one configured answers with an error.
        Err(e) => println!("   optimization is not available here: {e}"),
    }

    println!("\n8. Deleting...");
    client
        .delete_memory(&memory.memory_id)
        .user_id(&user_id)
        .await?;
    let rest: Vec<String> = client
        .list_memories()
        .user_id(&user_id)
        .into_stream()
        .map_ok(|m| m.memory_id)
        .try_collect()
        .await?;
    if !rest.is_empty() {
        client.delete_memories(rest).user_id(&user_id).await?;
    }
    let left = client.list_memories().user_id(&user_id).await?;
    println!("   memories left: {:?}", left.meta.total_count);
    Ok(())
}
