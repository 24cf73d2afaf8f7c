//! Every command except `run`: one SDK call each (or a few), printed as JSON or text.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos::AgentOsClient;
use agentos::prelude::*;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::out::{Failure, Out, bold, cell, code, dim, path, plain};

type R = Result<(), Failure>;

/// Parses a JSON argument.
fn parse_json(what: &str, s: &str) -> Result<Value, Failure> {
    serde_json::from_str(s)
        .map_err(|e| Failure::new(code::USAGE, format!("--{what} is not valid JSON: {e}")))
}

/// Refuses an empty (or blank) value.
fn non_empty(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(s.to_owned())
    }
}

/// A usage error for an update that would change nothing.
fn nothing_to_change(options: &str) -> Failure {
    Failure::new(code::USAGE, format!("nothing to change: give {options}"))
}

/// Parses a time argument (ISO-8601, e.g. `2026-11-28T10:00:00Z`, or epoch seconds).
fn parse_time(s: &str) -> Result<agentos::Timestamp, String> {
    let epoch = || {
        let secs: i64 = s.trim().parse().ok()?;
        agentos::observability::chrono::DateTime::from_timestamp(secs, 0).map(Into::into)
    };
    agentos::Timestamp::parse(s)
        .or_else(epoch)
        .ok_or_else(|| format!("not a time: {s:?} (e.g. 2026-11-28T10:00:00Z or 1764324000)"))
}

/// Paging options of list commands.
#[derive(Debug, Args, Clone, Copy)]
pub struct Paging {
    /// Items per page.
    #[arg(long)]
    limit: Option<u32>,
    /// The page (from 1).
    #[arg(long)]
    page: Option<u32>,
}

macro_rules! paged {
    ($b:expr, $p:expr) => {{
        let mut b = $b;
        if let Some(l) = $p.limit {
            b = b.limit(l);
        }
        if let Some(p) = $p.page {
            b = b.page(p);
        }
        b
    }};
}

macro_rules! opt {
    ($b:ident, $v:expr, $m:ident) => {
        if let Some(v) = &$v {
            $b = $b.$m(v.clone());
        }
    };
}

/// Prints a page (`{data, meta}`) as a table.
fn page_table(out: &Out, v: &Value, cols: &[(&str, &str)]) {
    let rows = v["data"].as_array().cloned().unwrap_or_default();
    out.table(&rows, cols);
    out.page_meta(v);
}

/// A list the server sends as a bare array, as `{"data": [...]}` with `--json`: every list
/// command prints that shape (the paged ones add `meta`), so `jq '.data[]'` works on all.
#[derive(serde::Serialize)]
struct List<'a, T: ?Sized> {
    data: &'a T,
}

/// Emits `items` as a [`List`]; `human` gets the array itself.
fn emit_list<T: serde::Serialize + ?Sized>(out: &Out, items: &T, human: impl FnOnce(&Value)) -> R {
    out.emit(&List { data: items }, |v| human(&v["data"]))
}

fn list_table(out: &Out, v: &Value, cols: &[(&str, &str)]) {
    let rows = v.as_array().cloned().unwrap_or_default();
    out.table(&rows, cols);
}

// ---------------------------------------------------------------- config, components

pub async fn config(c: &AgentOsClient, out: &Out) -> R {
    let cfg = c.get_config().await?;
    out.emit(&cfg, |v| {
        out.fields(
            v,
            &["os_id", "name", "description", "os_database", "databases"],
        );
        for (label, key) in [
            ("agents", "agents"),
            ("teams", "teams"),
            ("workflows", "workflows"),
        ] {
            let ids: Vec<String> = v[key]
                .as_array()
                .map(|a| a.iter().map(|x| cell(&x["id"])).collect())
                .unwrap_or_default();
            out.labelled(label, &ids.join(", "));
        }
        let models: Vec<String> = v["available_models"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| format!("{} ({})", cell(&m["id"]), cell(&m["provider"])))
                    .collect()
            })
            .unwrap_or_default();
        if !models.is_empty() {
            out.labelled("models", &models.join(", "));
        }
        let areas: Vec<&str> = [
            "session",
            "memory",
            "knowledge",
            "metrics",
            "evals",
            "traces",
            "learning",
            "filesystem",
            "schedules",
            "approvals",
        ]
        .into_iter()
        .filter(|k| !v[*k].is_null())
        .collect();
        out.labelled("areas", &areas.join(", "));
    })
}

/// `list` / `get` of agents, teams and workflows.
#[derive(Debug, Subcommand)]
pub enum ComponentCmd {
    /// List them.
    #[command(visible_alias = "ls")]
    List,
    /// Show one.
    Get {
        /// Its id.
        #[arg(add = crate::complete::components())]
        id: String,
    },
}

const COMPONENT_COLS: &[(&str, &str)] = &[
    ("ID", "id"),
    ("NAME", "name"),
    ("MODEL", "model.model"),
    ("DESCRIPTION", "description"),
];

fn show_component(out: &Out, v: &Value) {
    out.fields(
        v,
        &[
            "id",
            "name",
            "description",
            "db_id",
            "model.name",
            "model.model",
            "model.provider",
            "mode",
        ],
    );
    for key in ["tools", "members", "steps"] {
        if let Some(items) = v[key].as_array().or_else(|| v[key]["tools"].as_array()) {
            let names: Vec<String> = items
                .iter()
                .map(|t| {
                    let n = path(t, "name");
                    if n.is_null() { cell(&t["id"]) } else { cell(n) }
                })
                .collect();
            out.labelled(key, &names.join(", "));
        }
    }
}

pub async fn agents(c: &AgentOsClient, out: &Out, cmd: &ComponentCmd) -> R {
    match cmd {
        ComponentCmd::List => emit_list(out, &c.list_agents().await?, |v| {
            list_table(out, v, COMPONENT_COLS)
        }),
        ComponentCmd::Get { id } => out.emit(&c.get_agent(id).await?, |v| show_component(out, v)),
    }
}

pub async fn teams(c: &AgentOsClient, out: &Out, cmd: &ComponentCmd) -> R {
    match cmd {
        ComponentCmd::List => emit_list(out, &c.list_teams().await?, |v| {
            list_table(out, v, COMPONENT_COLS)
        }),
        ComponentCmd::Get { id } => out.emit(&c.get_team(id).await?, |v| show_component(out, v)),
    }
}

pub async fn workflows(c: &AgentOsClient, out: &Out, cmd: &ComponentCmd) -> R {
    match cmd {
        ComponentCmd::List => emit_list(out, &c.list_workflows().await?, |v| {
            list_table(
                out,
                v,
                &[
                    ("ID", "id"),
                    ("NAME", "name"),
                    ("DESCRIPTION", "description"),
                ],
            )
        }),
        ComponentCmd::Get { id } => {
            out.emit(&c.get_workflow(id).await?, |v| show_component(out, v))
        }
    }
}

// ---------------------------------------------------------------- sessions

/// A session kind.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Agent sessions.
    Agent,
    /// Team sessions.
    Team,
    /// Workflow sessions.
    Workflow,
}

impl Kind {
    fn session_type(self) -> agentos::sessions::SessionType {
        use agentos::sessions::SessionType;
        match self {
            Kind::Agent => SessionType::Agent,
            Kind::Team => SessionType::Team,
            Kind::Workflow => SessionType::Workflow,
        }
    }
}

/// `agentos sessions`.
#[derive(Debug, Subcommand)]
pub enum SessionsCmd {
    /// List sessions.
    #[command(visible_alias = "ls")]
    List {
        /// Only sessions of this kind.
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        /// Only this user's sessions.
        #[arg(short, long)]
        user: Option<String>,
        /// Only sessions of this agent, team or workflow.
        #[arg(long)]
        component: Option<String>,
        /// Only sessions whose name contains this.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a session and its chat history.
    Get {
        /// The session id.
        #[arg(add = crate::complete::sessions())]
        id: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: Option<String>,
    },
    /// List the runs of a session.
    Runs {
        /// The session id.
        #[arg(add = crate::complete::sessions())]
        id: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: Option<String>,
    },
    /// Rename a session.
    Rename {
        /// The session id.
        #[arg(add = crate::complete::sessions())]
        id: String,
        /// The new name.
        name: String,
    },
    /// Delete a session.
    #[command(visible_alias = "rm")]
    Delete {
        /// The session id.
        #[arg(add = crate::complete::sessions())]
        id: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: Option<String>,
    },
}

pub async fn sessions(c: &AgentOsClient, out: &Out, cmd: &SessionsCmd) -> R {
    use agentos::sessions::SessionsExt;
    match cmd {
        SessionsCmd::List {
            kind,
            user,
            component,
            name,
            paging,
        } => {
            let mut b = paged!(c.get_sessions(), paging);
            if let Some(k) = kind {
                b = b.session_type(k.session_type());
            }
            opt!(b, user, user_id);
            opt!(b, component, component_id);
            opt!(b, name, session_name);
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("SESSION", "session_id"),
                        ("NAME", "session_name"),
                        ("TYPE", "session_type"),
                        ("USER", "user_id"),
                        ("AGENT", "agent_id"),
                        ("TEAM", "team_id"),
                        ("WORKFLOW", "workflow_id"),
                        ("CREATED", "created_at"),
                    ],
                )
            })
        }
        SessionsCmd::Get { id, user } => {
            let mut b = c.get_session(id);
            opt!(b, user, user_id);
            out.emit(&b.await?, |v| {
                out.fields(
                    v,
                    &[
                        "session_id",
                        "session_name",
                        "user_id",
                        "agent_id",
                        "team_id",
                        "workflow_id",
                        "total_tokens",
                        "created_at",
                        "updated_at",
                        "session_summary.summary",
                    ],
                );
                if let Some(h) = v["chat_history"].as_array() {
                    out.print(&[bold("chat history:")]);
                    for m in h {
                        out.print(&[plain(format!(
                            "  [{}] {}",
                            cell(&m["role"]),
                            cell(&m["content"])
                        ))]);
                    }
                }
            })
        }
        SessionsCmd::Runs { id, user } => {
            let mut b = c.get_session_runs(id);
            opt!(b, user, user_id);
            emit_list(out, &b.await?, |v| {
                list_table(
                    out,
                    v,
                    &[
                        ("RUN", "run_id"),
                        ("STATUS", "status"),
                        ("INPUT", "run_input"),
                        ("CONTENT", "content"),
                        ("CREATED", "created_at"),
                    ],
                )
            })
        }
        SessionsCmd::Rename { id, name } => out.emit(&c.rename_session(id, name).await?, |v| {
            out.fields(v, &["session_id", "session_name"])
        }),
        SessionsCmd::Delete { id, user } => {
            let mut b = c.delete_session(id);
            opt!(b, user, user_id);
            b.await?;
            out.acted("deleted", "session", id)
        }
    }
}

// ---------------------------------------------------------------- memories

/// `agentos memories`.
#[derive(Debug, Subcommand)]
pub enum MemoriesCmd {
    /// List memories.
    #[command(visible_alias = "ls")]
    List {
        /// Only this user's memories.
        #[arg(short, long)]
        user: Option<String>,
        /// Only memories with this topic (repeatable).
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// Only memories whose text contains this.
        #[arg(long)]
        search: Option<String>,
        /// Only memories of this agent.
        #[arg(long)]
        agent: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a memory.
    Get {
        /// The memory id.
        id: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: Option<String>,
    },
    /// Create a memory.
    Create {
        /// The memory text.
        text: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: String,
        /// A topic (repeatable).
        #[arg(long = "topic", value_parser = non_empty)]
        topics: Vec<String>,
    },
    /// Replace a memory's text (and topics).
    Update {
        /// The memory id.
        id: String,
        /// The new text.
        text: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: String,
        /// A topic (repeatable).
        #[arg(long = "topic", value_parser = non_empty)]
        topics: Vec<String>,
    },
    /// Delete a memory.
    #[command(visible_alias = "rm")]
    Delete {
        /// The memory id.
        id: String,
        /// The user it belongs to.
        #[arg(short, long)]
        user: Option<String>,
    },
    /// List the memory topics.
    Topics {
        /// Only this user's topics.
        #[arg(short, long)]
        user: Option<String>,
    },
    /// Memory counts per user.
    Stats {
        #[command(flatten)]
        paging: Paging,
    },
}

const MEMORY_COLS: &[(&str, &str)] = &[
    ("MEMORY", "memory_id"),
    ("USER", "user_id"),
    ("TOPICS", "topics"),
    ("UPDATED", "updated_at"),
    ("TEXT", "memory"),
];
const MEMORY_FIELDS: &[&str] = &[
    "memory_id",
    "memory",
    "topics",
    "user_id",
    "agent_id",
    "team_id",
    "updated_at",
];

pub async fn memories(c: &AgentOsClient, out: &Out, cmd: &MemoriesCmd) -> R {
    use agentos::memory::MemoryExt;
    match cmd {
        MemoriesCmd::List {
            user,
            topics,
            search,
            agent,
            paging,
        } => {
            let mut b = paged!(c.list_memories(), paging);
            opt!(b, user, user_id);
            opt!(b, search, search_content);
            opt!(b, agent, agent_id);
            if !topics.is_empty() {
                b = b.topics(topics.clone());
            }
            out.emit(&b.await?, |v| page_table(out, v, MEMORY_COLS))
        }
        MemoriesCmd::Get { id, user } => {
            let mut b = c.get_memory(id);
            opt!(b, user, user_id);
            out.emit(&b.await?, |v| out.fields(v, MEMORY_FIELDS))
        }
        MemoriesCmd::Create { text, user, topics } => {
            let mut b = c.create_memory(text, user);
            if !topics.is_empty() {
                b = b.topics(topics.clone());
            }
            out.emit(&b.await?, |v| out.fields(v, MEMORY_FIELDS))
        }
        MemoriesCmd::Update {
            id,
            text,
            user,
            topics,
        } => {
            let mut b = c.update_memory(id, text, user);
            if !topics.is_empty() {
                b = b.topics(topics.clone());
            }
            out.emit(&b.await?, |v| out.fields(v, MEMORY_FIELDS))
        }
        MemoriesCmd::Delete { id, user } => {
            let mut b = c.delete_memory(id);
            opt!(b, user, user_id);
            b.await?;
            out.acted("deleted", "memory", id)
        }
        MemoriesCmd::Topics { user } => {
            let mut b = c.get_memory_topics();
            opt!(b, user, user_id);
            emit_list(out, &b.await?, |v| {
                for t in v.as_array().into_iter().flatten() {
                    out.print(&[plain(cell(t))]);
                }
            })
        }
        MemoriesCmd::Stats { paging } => {
            let b = paged!(c.get_user_memory_stats(), paging);
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("USER", "user_id"),
                        ("MEMORIES", "total_memories"),
                        ("UPDATED", "last_memory_updated_at"),
                    ],
                )
            })
        }
    }
}

// ---------------------------------------------------------------- knowledge

/// How upload progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Progress {
    /// A bar on a terminal, nothing otherwise.
    Auto,
    /// A bar (drawn only on a terminal).
    Bar,
    /// `upload: N%` lines on stderr (for logs and scripts), every 10%.
    Plain,
    /// Nothing.
    None,
}

/// A search type.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SearchKind {
    /// Embedding similarity.
    Vector,
    /// Full-text match.
    Keyword,
    /// Both.
    Hybrid,
}

/// `agentos knowledge`.
#[derive(Debug, Subcommand)]
pub enum KnowledgeCmd {
    /// Upload a file, a text or a URL, and wait until it is searchable.
    Upload {
        /// The file to upload.
        #[arg(required_unless_present_any = ["text", "from_url"])]
        file: Option<PathBuf>,
        /// Upload this text instead of a file.
        #[arg(long, conflicts_with_all = ["file", "from_url"])]
        text: Option<String>,
        /// Upload the document at this URL instead of a file.
        #[arg(long = "from-url", conflicts_with = "file")]
        from_url: Option<String>,
        /// The content's name.
        #[arg(long)]
        name: Option<String>,
        /// The content's description.
        #[arg(long)]
        description: Option<String>,
        /// Metadata (a JSON object), also usable as a search filter.
        #[arg(long)]
        metadata: Option<String>,
        /// Return once the upload is accepted, without waiting for the ingestion.
        #[arg(long)]
        no_wait: bool,
        /// How to show the upload's progress.
        #[arg(long, value_enum, default_value = "auto")]
        progress: Progress,
    },
    /// Search the knowledge base.
    Search {
        /// What to look for.
        query: String,
        /// The search type (always sent: the server remembers the last one).
        #[arg(long = "type", value_enum, default_value = "vector")]
        kind: SearchKind,
        /// Metadata filters (a JSON object).
        #[arg(long)]
        filters: Option<String>,
        /// At most this many hits.
        #[arg(long)]
        max_results: Option<u32>,
        #[command(flatten)]
        paging: Paging,
    },
    /// List the contents.
    #[command(visible_alias = "ls")]
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Change a content's name, description, metadata (merged key by key) or reader.
    Update {
        /// The content id.
        id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// Metadata to merge in (a JSON object).
        #[arg(long)]
        metadata: Option<String>,
        /// The reader to use (see `knowledge config`).
        #[arg(long)]
        reader: Option<String>,
    },
    /// Ingest a content again (e.g. after a reader change).
    Refresh {
        /// The content id.
        id: String,
    },
    /// Show a content's ingestion status.
    Status {
        /// The content id.
        id: String,
    },
    /// Show a content.
    Get {
        /// The content id.
        id: String,
    },
    /// Delete a content.
    #[command(visible_alias = "rm")]
    Delete {
        /// The content id.
        id: String,
    },
    /// Show the knowledge configuration (readers, chunkers, vector dbs).
    Config,
}

const CONTENT_COLS: &[(&str, &str)] = &[
    ("ID", "id"),
    ("NAME", "name"),
    ("TYPE", "type"),
    ("STATUS", "status"),
    ("SIZE", "size"),
    ("UPDATED", "updated_at"),
];
const CONTENT_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "type",
    "size",
    "status",
    "status_message",
    "metadata",
    "created_at",
    "updated_at",
];

pub async fn knowledge(c: &AgentOsClient, out: &Out, cmd: &KnowledgeCmd) -> R {
    use agentos::knowledge::{KnowledgeExt, SearchType};
    match cmd {
        KnowledgeCmd::Upload {
            file,
            text,
            from_url,
            name,
            description,
            metadata,
            no_wait,
            progress,
        } => {
            let mut b = c.upload_knowledge_content();
            if let Some(t) = text {
                b = b.text(t.clone());
            } else if let Some(u) = from_url {
                b = b.url(u.clone());
            } else if let Some(f) = file {
                b = b.file(f.clone());
            }
            opt!(b, name, name);
            opt!(b, description, description);
            if let Some(m) = metadata {
                b = b.metadata(parse_json("metadata", m)?);
            }
            let bar = upload_progress(*progress, out);
            if let Some(p) = &bar {
                let p = p.clone();
                b = b.progress(move |u| p.report(u.sent, u.total));
            }
            let res = b.await;
            if let Some(p) = &bar {
                p.finish();
            }
            let content = res?;
            if *no_wait {
                return out.emit(&content, |v| out.fields(v, CONTENT_FIELDS));
            }
            let pb = crate::out::spinner(format!("ingesting {}", content.id));
            let waited = c.wait_for_knowledge_content(&content.id).await;
            pb.finish_and_clear();
            let status = waited?;
            let doc = json!({"content": content, "status": status});
            out.emit(&doc, |v| {
                out.fields(
                    v,
                    &[
                        "content.id",
                        "content.name",
                        "status.status",
                        "status.status_message",
                    ],
                )
            })
        }
        KnowledgeCmd::Search {
            query,
            kind,
            filters,
            max_results,
            paging,
        } => {
            let t = match kind {
                SearchKind::Vector => SearchType::Vector,
                SearchKind::Keyword => SearchType::Keyword,
                SearchKind::Hybrid => SearchType::Hybrid,
            };
            let mut b = paged!(c.search_knowledge(query.clone()).search_type(t), paging);
            if let Some(f) = filters {
                b = b.filters(parse_json("filters", f)?);
            }
            if let Some(m) = max_results {
                b = b.max_results(*m);
            }
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[("ID", "id"), ("NAME", "name"), ("CONTENT", "content")],
                )
            })
        }
        KnowledgeCmd::List { paging } => {
            let b = paged!(c.list_knowledge_content(), paging);
            out.emit(&b.await?, |v| page_table(out, v, CONTENT_COLS))
        }
        KnowledgeCmd::Update {
            id,
            name,
            description,
            metadata,
            reader,
        } => {
            if name.is_none() && description.is_none() && metadata.is_none() && reader.is_none() {
                return Err(nothing_to_change(
                    "--name, --description, --metadata or --reader",
                ));
            }
            let mut b = c.update_knowledge_content(id);
            opt!(b, name, name);
            opt!(b, description, description);
            opt!(b, reader, reader_id);
            if let Some(m) = metadata {
                b = b.metadata(parse_json("metadata", m)?);
            }
            out.emit(&b.await?, |v| out.fields(v, CONTENT_FIELDS))
        }
        KnowledgeCmd::Refresh { id } => out.emit(&c.refresh_knowledge_content(id).await?, |v| {
            out.fields(v, CONTENT_FIELDS)
        }),
        KnowledgeCmd::Status { id } => out.emit(&c.get_knowledge_content_status(id).await?, |v| {
            out.fields(v, &["id", "status", "status_message"])
        }),
        KnowledgeCmd::Get { id } => out.emit(&c.get_knowledge_content(id).await?, |v| {
            out.fields(v, CONTENT_FIELDS)
        }),
        KnowledgeCmd::Delete { id } => {
            c.delete_knowledge_content(id).await?;
            out.acted("deleted", "content", id)
        }
        KnowledgeCmd::Config => out.emit(&c.get_knowledge_config().await?, |v| {
            let keys = |k: &str| -> String {
                match &v[k] {
                    Value::Object(o) => o.keys().cloned().collect::<Vec<_>>().join(", "),
                    other => cell(other),
                }
            };
            out.labelled("readers", &keys("readers"));
            out.labelled("chunkers", &keys("chunkers"));
            let dbs = v["vector_dbs"].as_array().cloned().unwrap_or_default();
            out.print(&[bold("vector dbs:")]);
            out.table(
                &dbs,
                &[
                    ("ID", "id"),
                    ("NAME", "name"),
                    ("SEARCH TYPES", "search_types"),
                ],
            );
        }),
    }
}

/// Upload progress: an indicatif bar, or plain percentage lines.
#[derive(Clone)]
struct UploadProgress {
    bar: Option<indicatif::ProgressBar>,
    plain: Option<Arc<Mutex<i64>>>,
}

fn upload_progress(mode: Progress, out: &Out) -> Option<UploadProgress> {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let mode = match mode {
        Progress::Auto if tty && !out.json => Progress::Bar,
        Progress::Auto => Progress::None,
        m => m,
    };
    match mode {
        Progress::Bar => {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(0),
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "uploading [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            Some(UploadProgress {
                bar: Some(bar),
                plain: None,
            })
        }
        Progress::Plain => {
            crate::out::eprint_plain("upload: 0%");
            Some(UploadProgress {
                bar: None,
                plain: Some(Arc::new(Mutex::new(0))),
            })
        }
        _ => None,
    }
}

impl UploadProgress {
    fn report(&self, sent: u64, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
            b.set_position(sent);
        }
        if let Some(last) = &self.plain {
            let pct = (sent.min(total) * 100).checked_div(total).unwrap_or(100) as i64;
            let step = if pct == 100 { 100 } else { pct / 10 * 10 };
            let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
            if step > *last {
                *last = step;
                crate::out::eprint_plain(&format!("upload: {step}% ({sent}/{total} bytes)"));
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

// ---------------------------------------------------------------- traces, metrics

/// `agentos traces`.
#[derive(Debug, Subcommand)]
pub enum TracesCmd {
    /// List traces.
    #[command(visible_alias = "ls")]
    List {
        /// Only the trace of this run.
        #[arg(long)]
        run: Option<String>,
        /// Only traces of this session.
        #[arg(short, long)]
        session: Option<String>,
        /// Only traces of this user.
        #[arg(short, long)]
        user: Option<String>,
        /// Only traces of this agent.
        #[arg(long)]
        agent: Option<String>,
        /// Only traces of this team.
        #[arg(long)]
        team: Option<String>,
        /// Only traces of this workflow.
        #[arg(long)]
        workflow: Option<String>,
        /// Only traces with this status (OK, ERROR, ...).
        #[arg(long)]
        status: Option<String>,
        /// Only traces that started at or after this time (ISO-8601 or epoch seconds).
        #[arg(long, value_parser = parse_time)]
        since: Option<agentos::Timestamp>,
        /// Only traces that ended at or before this time (ISO-8601 or epoch seconds).
        #[arg(long, value_parser = parse_time)]
        until: Option<agentos::Timestamp>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Search traces with a filter: every condition given must hold (or any, with --any).
    Search {
        /// The trace's name contains this text.
        #[arg(long)]
        name: Option<String>,
        /// Of this agent.
        #[arg(long)]
        agent: Option<String>,
        /// Of this team.
        #[arg(long)]
        team: Option<String>,
        /// Of this workflow.
        #[arg(long)]
        workflow: Option<String>,
        /// Of this session.
        #[arg(short, long)]
        session: Option<String>,
        /// Of this user.
        #[arg(short, long)]
        user: Option<String>,
        /// Of this run.
        #[arg(long)]
        run: Option<String>,
        /// With this status (repeatable: any of them).
        #[arg(long)]
        status: Vec<String>,
        /// Took longer than this (e.g. 2s, 500ms).
        #[arg(long, value_parser = crate::parse_duration)]
        slower_than: Option<Duration>,
        /// Took less than this.
        #[arg(long, value_parser = crate::parse_duration)]
        faster_than: Option<Duration>,
        /// Started at or after this time (ISO-8601 or epoch seconds).
        #[arg(long, value_parser = parse_time)]
        since: Option<agentos::Timestamp>,
        /// Started before this time (ISO-8601 or epoch seconds).
        #[arg(long, value_parser = parse_time)]
        until: Option<agentos::Timestamp>,
        /// Match traces meeting any one condition instead of all.
        #[arg(long)]
        any: bool,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a trace as an indented span tree with durations.
    Show {
        /// The trace id (see `traces list`).
        id: String,
    },
}

pub async fn traces(c: &AgentOsClient, out: &Out, cmd: &TracesCmd) -> R {
    use agentos::observability::ObservabilityExt;
    match cmd {
        TracesCmd::List {
            run,
            session,
            user,
            agent,
            team,
            workflow,
            status,
            since,
            until,
            paging,
        } => {
            let mut b = paged!(c.get_traces(), paging);
            if let Some(s) = status {
                b = b.status(agentos::observability::TraceStatus::from(s.as_str()));
            }
            opt!(b, since, start_time);
            opt!(b, until, end_time);
            opt!(b, run, run_id);
            opt!(b, session, session_id);
            opt!(b, user, user_id);
            opt!(b, agent, agent_id);
            opt!(b, team, team_id);
            opt!(b, workflow, workflow_id);
            out.emit(&b.await?, |v| page_table(out, v, TRACE_COLS))
        }
        TracesCmd::Search {
            name,
            agent,
            team,
            workflow,
            session,
            user,
            run,
            status,
            slower_than,
            faster_than,
            since,
            until,
            any,
            paging,
        } => {
            use agentos::observability::{TraceFilter, TraceStatus, trace_field as f};
            let text = [
                (f::NAME, name),
                (f::AGENT_ID, agent),
                (f::TEAM_ID, team),
                (f::WORKFLOW_ID, workflow),
                (f::SESSION_ID, session),
                (f::USER_ID, user),
                (f::RUN_ID, run),
            ];
            let mut conds: Vec<TraceFilter> = text
                .into_iter()
                .filter_map(|(field, v)| {
                    let v = v.clone()?;
                    Some(if field.key() == "name" {
                        field.contains(v)
                    } else {
                        field.eq(v)
                    })
                })
                .collect();
            if !status.is_empty() {
                conds.push(f::STATUS.is_in(status.iter().map(|s| TraceStatus::from(s.as_str()))));
            }
            conds.extend(slower_than.map(|d| f::DURATION.gt(d)));
            conds.extend(faster_than.map(|d| f::DURATION.lt(d)));
            conds.extend(since.map(|t| f::START_TIME.gte(t)));
            conds.extend(until.map(|t| f::START_TIME.lt(t)));
            let filter = if *any {
                TraceFilter::any_of(conds)
            } else {
                TraceFilter::all_of(conds)
            };
            let Some(filter) = filter else {
                return Err(Failure::new(
                    code::USAGE,
                    "give at least one condition (see `agentos traces search --help`)",
                ));
            };
            let b = paged!(c.search_traces().filter(filter), paging);
            out.emit(&b.await?, |v| page_table(out, v, TRACE_COLS))
        }
        TracesCmd::Show { id } => {
            let t = c.get_trace(id).await?;
            out.emit(&t, |_| {
                let status = t.status.as_ref().map(|s| s.as_str()).unwrap_or("?");
                out.print(&[
                    bold(&t.name),
                    plain(" "),
                    dim(&t.trace_id),
                    plain(format!(
                        " [{status}] {}",
                        fmt_duration(t.elapsed(), t.duration.as_deref())
                    )),
                ]);
                for (depth, span) in t.walk() {
                    let mut line = format!(
                        "{:indent$}└─ {} [{}] {}",
                        "",
                        span.name,
                        span.type_name(),
                        fmt_duration(span.elapsed(), span.duration.as_deref()),
                        indent = depth * 3
                    );
                    if let Some(s) = &span.status {
                        if s.as_str() != "OK" {
                            line.push_str(&format!(" {}", s.as_str()));
                        }
                    }
                    if let Some(m) = span.metadata_value("model") {
                        line.push_str(&format!(" model={}", cell(m)));
                    }
                    if let Some(e) = &span.error {
                        line.push_str(&format!(" error={}", crate::out::shorten(e, 60)));
                    }
                    out.print(&[plain(line)]);
                }
            })
        }
    }
}

/// The columns of a trace list.
const TRACE_COLS: &[(&str, &str)] = &[
    ("TRACE", "trace_id"),
    ("NAME", "name"),
    ("STATUS", "status"),
    ("DURATION", "duration"),
    ("SPANS", "total_spans"),
    ("RUN", "run_id"),
    ("START", "start_time"),
];

fn fmt_duration(d: Option<Duration>, raw: Option<&str>) -> String {
    match d {
        Some(d) if d.as_secs_f64() >= 1.0 => crate::out::duration(d),
        Some(d) => format!("{:.1} ms", d.as_secs_f64() * 1000.0),
        None => raw.unwrap_or("?").to_owned(),
    }
}

/// `agentos metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Recompute the metrics first (POST /metrics/refresh).
    #[arg(long)]
    refresh: bool,
    /// From this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// To this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
}

fn parse_date(s: &str) -> Result<agentos::observability::chrono::NaiveDate, Failure> {
    agentos::observability::chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        Failure::new(
            code::USAGE,
            format!("{s:?} is not a date (YYYY-MM-DD): {e}"),
        )
    })
}

pub async fn metrics(c: &AgentOsClient, out: &Out, args: &MetricsArgs) -> R {
    use agentos::observability::ObservabilityExt;
    if args.refresh {
        c.refresh_metrics().await?;
    }
    let mut b = c.get_metrics();
    if let Some(f) = &args.from {
        b = b.starting_date(parse_date(f)?);
    }
    if let Some(t) = &args.to {
        b = b.ending_date(parse_date(t)?);
    }
    out.emit(&b.await?, |v| {
        let rows = v["metrics"].as_array().cloned().unwrap_or_default();
        out.table(
            &rows,
            &[
                ("DATE", "date"),
                ("AGENT RUNS", "agent_runs_count"),
                ("TEAM RUNS", "team_runs_count"),
                ("WORKFLOW RUNS", "workflow_runs_count"),
                ("SESSIONS", "agent_sessions_count"),
                ("USERS", "users_count"),
                ("TOKENS", "token_metrics.total_tokens"),
            ],
        );
        if !v["updated_at"].is_null() {
            out.print(&[dim(format!("updated at {}", cell(&v["updated_at"])))]);
        }
    })
}

// ---------------------------------------------------------------- evals

/// An eval kind.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EvalKindArg {
    /// Does the answer match --expected (scored by a judge model)?
    Accuracy,
    /// How long does a run take (--iterations runs)?
    Performance,
    /// Are the --tool calls made?
    Reliability,
    /// Does the answer meet --criteria (judged)?
    Judge,
}

/// `agentos evals`.
#[derive(Debug, Subcommand)]
pub enum EvalsCmd {
    /// List eval runs.
    #[command(visible_alias = "ls")]
    List {
        /// Only evals of this agent.
        #[arg(long)]
        agent: Option<String>,
        /// Only evals of this team.
        #[arg(long)]
        team: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show an eval run.
    Get {
        /// The eval run id.
        id: String,
    },
    /// Run an eval against an agent (or a team with --team).
    Run {
        /// The agent id (a team id with --team).
        id: String,
        /// The input given to the agent.
        input: String,
        /// Evaluate a team.
        #[arg(long)]
        team: bool,
        /// The kind of eval.
        #[arg(long = "type", value_enum, default_value = "accuracy")]
        kind: EvalKindArg,
        /// The expected output (accuracy).
        #[arg(long, required_if_eq("kind", "accuracy"))]
        expected: Option<String>,
        /// The criteria (judge).
        #[arg(long, required_if_eq("kind", "judge"))]
        criteria: Option<String>,
        /// An expected tool call (reliability; repeatable).
        #[arg(long = "tool", required_if_eq("kind", "reliability"))]
        tools: Vec<String>,
        /// Measured runs (performance).
        #[arg(long)]
        iterations: Option<u32>,
        /// A name for the eval run.
        #[arg(long)]
        name: Option<String>,
    },
    /// Delete eval runs.
    #[command(visible_alias = "rm")]
    Delete {
        /// The eval run ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

const EVAL_COLS: &[(&str, &str)] = &[
    ("ID", "id"),
    ("NAME", "name"),
    ("TYPE", "eval_type"),
    ("AGENT", "agent_id"),
    ("TEAM", "team_id"),
    ("CREATED", "created_at"),
];

fn show_eval(out: &Out, v: &Value) {
    out.fields(
        v,
        &[
            "id",
            "name",
            "eval_type",
            "agent_id",
            "team_id",
            "model_id",
            "created_at",
        ],
    );
    let d = &v["eval_data"];
    for k in [
        "avg_score",
        "eval_status",
        "pass_rate",
        "avg_run_time",
        "run_times",
    ] {
        if !d[k].is_null() {
            out.labelled(k, &cell(&d[k]));
        }
    }
}

pub async fn evals(c: &AgentOsClient, out: &Out, cmd: &EvalsCmd) -> R {
    use agentos::evals::{
        AccuracyEval, AgentAsJudgeEval, EvalKind, EvalTarget, EvalsExt, PerformanceEval,
        ReliabilityEval,
    };
    match cmd {
        EvalsCmd::List {
            agent,
            team,
            paging,
        } => {
            let mut b = paged!(c.list_eval_runs(), paging);
            opt!(b, agent, agent_id);
            opt!(b, team, team_id);
            out.emit(&b.await?, |v| page_table(out, v, EVAL_COLS))
        }
        EvalsCmd::Get { id } => out.emit(&c.get_eval_run(id).await?, |v| show_eval(out, v)),
        EvalsCmd::Run {
            id,
            input,
            team,
            kind,
            expected,
            criteria,
            tools,
            iterations,
            name,
        } => {
            let target = if *team {
                EvalTarget::team(id)
            } else {
                EvalTarget::agent(id)
            };
            let k: EvalKind = match kind {
                EvalKindArg::Accuracy => {
                    AccuracyEval::new(expected.clone().unwrap_or_default()).into()
                }
                EvalKindArg::Performance => PerformanceEval::new().into(),
                EvalKindArg::Reliability => ReliabilityEval::new(tools.clone()).into(),
                EvalKindArg::Judge => {
                    AgentAsJudgeEval::binary(criteria.clone().unwrap_or_default()).into()
                }
            };
            let mut b = c.run_eval(target, input.clone(), k);
            opt!(b, name, name);
            if let Some(n) = iterations {
                b = b.num_iterations(*n);
            }
            let pb = crate::out::spinner("evaluating");
            let res = b.await;
            pb.finish_and_clear();
            out.emit(&res?, |v| show_eval(out, v))
        }
        EvalsCmd::Delete { ids } => {
            c.delete_eval_runs(ids.clone()).await?;
            out.emit(&json!({"deleted": ids}), |_| {
                out.print(&[plain(format!("deleted {} eval run(s)", ids.len()))])
            })
        }
    }
}

// ---------------------------------------------------------------- the other areas

/// `agentos learnings`.
#[derive(Debug, Subcommand)]
pub enum LearningsCmd {
    /// List learnings.
    #[command(visible_alias = "ls")]
    List {
        /// Only this user's learnings.
        #[arg(short, long)]
        user: Option<String>,
        /// Only this agent's learnings.
        #[arg(long)]
        agent: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Store a learning.
    Create {
        /// The learning type (e.g. user_profile, entity_memory, learned_knowledge).
        learning_type: String,
        /// The content (a JSON object).
        content: String,
        /// For this user.
        #[arg(short, long)]
        user: Option<String>,
        /// For this agent.
        #[arg(long)]
        agent: Option<String>,
        /// Metadata (a JSON object).
        #[arg(long)]
        metadata: Option<String>,
    },
    /// Replace a learning's content or metadata.
    Update {
        /// The learning id.
        id: String,
        /// The new content (a JSON object; replaces the old one).
        #[arg(long)]
        content: Option<String>,
        /// The new metadata (a JSON object).
        #[arg(long)]
        metadata: Option<String>,
    },
    /// Show a learning.
    Get {
        /// The learning id.
        id: String,
    },
    /// Delete a learning.
    #[command(visible_alias = "rm")]
    Delete {
        /// The learning id.
        id: String,
    },
}

pub async fn learnings(c: &AgentOsClient, out: &Out, cmd: &LearningsCmd) -> R {
    use agentos::learnings::LearningsExt;
    match cmd {
        LearningsCmd::List {
            user,
            agent,
            paging,
        } => {
            let mut b = paged!(c.list_learnings(), paging);
            opt!(b, user, user_id);
            opt!(b, agent, agent_id);
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("ID", "learning_id"),
                        ("TYPE", "learning_type"),
                        ("USER", "user_id"),
                        ("AGENT", "agent_id"),
                        ("CONTENT", "content"),
                        ("UPDATED", "updated_at"),
                    ],
                )
            })
        }
        LearningsCmd::Create {
            learning_type,
            content,
            user,
            agent,
            metadata,
        } => {
            let content = parse_json("content", content)?;
            let mut b = c.create_learning(learning_type.as_str(), &content);
            opt!(b, user, user_id);
            opt!(b, agent, agent_id);
            if let Some(m) = metadata {
                b = b.metadata(&parse_json("metadata", m)?);
            }
            out.emit(&b.await?, |v| out.fields(v, &[]))
        }
        LearningsCmd::Update {
            id,
            content,
            metadata,
        } => {
            if content.is_none() && metadata.is_none() {
                return Err(nothing_to_change("--content or --metadata"));
            }
            let mut b = c.update_learning(id);
            if let Some(v) = content {
                b = b.content(&parse_json("content", v)?);
            }
            if let Some(m) = metadata {
                b = b.metadata(&parse_json("metadata", m)?);
            }
            out.emit(&b.await?, |v| out.fields(v, &[]))
        }
        LearningsCmd::Get { id } => out.emit(&c.get_learning(id).await?, |v| out.fields(v, &[])),
        LearningsCmd::Delete { id } => {
            c.delete_learning(id).await?;
            out.acted("deleted", "learning", id)
        }
    }
}

/// `agentos schedules`.
#[derive(Debug, Subcommand)]
pub enum SchedulesCmd {
    /// List schedules.
    #[command(visible_alias = "ls")]
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a schedule.
    Get {
        /// The schedule id.
        id: String,
    },
    /// Create a schedule that calls an endpoint of this AgentOS on a cron.
    Create {
        /// Its name.
        name: String,
        /// The endpoint, e.g. /agents/echo-agent/runs.
        endpoint: String,
        /// The cron expression (5 fields), e.g. "0 9 * * *".
        #[arg(long)]
        cron: String,
        /// The request body (a JSON object), e.g. '{"message": "hello"}'.
        #[arg(long)]
        payload: Option<String>,
        /// The timezone of the cron, e.g. Europe/Lisbon.
        #[arg(long)]
        timezone: Option<String>,
    },
    /// Enable a schedule.
    Enable {
        /// The schedule id.
        id: String,
    },
    /// Disable a schedule.
    Disable {
        /// The schedule id.
        id: String,
    },
    /// Run a schedule now.
    Trigger {
        /// The schedule id.
        id: String,
    },
    /// Delete a schedule.
    #[command(visible_alias = "rm")]
    Delete {
        /// The schedule id.
        id: String,
    },
    /// List a schedule's runs.
    Runs {
        /// The schedule id.
        id: String,
        #[command(flatten)]
        paging: Paging,
    },
}

const SCHEDULE_FIELDS: &[&str] = &[
    "id",
    "name",
    "endpoint",
    "method",
    "cron_expr",
    "timezone",
    "enabled",
    "next_run_at",
    "payload",
];

pub async fn schedules(c: &AgentOsClient, out: &Out, cmd: &SchedulesCmd) -> R {
    use agentos::schedules::SchedulesExt;
    match cmd {
        SchedulesCmd::List { paging } => {
            let b = paged!(c.list_schedules(), paging);
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("ID", "id"),
                        ("NAME", "name"),
                        ("CRON", "cron_expr"),
                        ("ENDPOINT", "endpoint"),
                        ("ENABLED", "enabled"),
                        ("NEXT RUN", "next_run_at"),
                    ],
                )
            })
        }
        SchedulesCmd::Get { id } => out.emit(&c.get_schedule(id).await?, |v| out.fields(v, &[])),
        SchedulesCmd::Create {
            name,
            endpoint,
            cron,
            payload,
            timezone,
        } => {
            let mut b = c
                .create_schedule(name.clone(), endpoint.clone())
                .cron_expr(cron.clone());
            if let Some(p) = payload {
                b = b.payload(&parse_json("payload", p)?);
            }
            opt!(b, timezone, timezone);
            out.emit(&b.await?, |v| out.fields(v, SCHEDULE_FIELDS))
        }
        SchedulesCmd::Enable { id } => {
            out.emit(&c.enable_schedule(id).await?, |v| out.fields(v, &[]))
        }
        SchedulesCmd::Disable { id } => {
            out.emit(&c.disable_schedule(id).await?, |v| out.fields(v, &[]))
        }
        SchedulesCmd::Trigger { id } => {
            out.emit(&c.trigger_schedule(id).await?, |v| out.fields(v, &[]))
        }
        SchedulesCmd::Delete { id } => {
            c.delete_schedule(id).await?;
            out.acted("deleted", "schedule", id)
        }
        SchedulesCmd::Runs { id, paging } => {
            let b = paged!(c.list_schedule_runs(id), paging);
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("ID", "id"),
                        ("STATUS", "status"),
                        ("ATTEMPT", "attempt"),
                        ("STATUS CODE", "status_code"),
                        ("TRIGGERED", "triggered_at"),
                    ],
                )
            })
        }
    }
}

/// `agentos approvals`.
#[derive(Debug, Subcommand)]
pub enum ApprovalsCmd {
    /// List approvals.
    #[command(visible_alias = "ls")]
    List {
        /// Only approvals with this status (pending, approved, rejected, ...).
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show an approval.
    Get {
        /// The approval id.
        id: String,
    },
    /// Count the pending approvals.
    Count,
    /// Approve or reject a pending approval.
    Resolve {
        /// The approval id.
        id: String,
        /// The decision.
        #[arg(value_enum)]
        decision: Decision,
        /// Who resolved it.
        #[arg(long)]
        by: Option<String>,
    },
}

/// An approval decision.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Decision {
    /// The tool runs when the run continues.
    Approve,
    /// The tool is rejected.
    Reject,
}

pub async fn approvals(c: &AgentOsClient, out: &Out, cmd: &ApprovalsCmd) -> R {
    use agentos::approvals::{ApprovalStatus, ApprovalsExt};
    match cmd {
        ApprovalsCmd::List { status, paging } => {
            let mut b = paged!(c.list_approvals(), paging);
            if let Some(s) = status {
                b = b.status(ApprovalStatus::from(s.as_str()));
            }
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("ID", "id"),
                        ("STATUS", "status"),
                        ("TYPE", "approval_type"),
                        ("AGENT", "agent_id"),
                        ("RUN", "run_id"),
                        ("CREATED", "created_at"),
                    ],
                )
            })
        }
        ApprovalsCmd::Get { id } => out.emit(&c.get_approval(id).await?, |v| out.fields(v, &[])),
        ApprovalsCmd::Count => {
            let n = c.get_approval_count().await?;
            out.emit(&json!({"count": n}), |_| out.print(&[plain(n.to_string())]))
        }
        ApprovalsCmd::Resolve { id, decision, by } => {
            use agentos::approvals::ApprovalDecision;
            let d = match decision {
                Decision::Approve => ApprovalDecision::Approved,
                Decision::Reject => ApprovalDecision::Rejected,
            };
            let mut b = c.resolve_approval(id, d);
            opt!(b, by, resolved_by);
            out.emit(&b.await?, |v| {
                out.fields(v, &["id", "status", "resolved_by", "resolved_at", "run_id"])
            })
        }
    }
}

/// `agentos components`.
#[derive(Debug, Subcommand)]
pub enum ComponentsCmd {
    /// List stored components.
    #[command(visible_alias = "ls")]
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a component.
    Get {
        /// The component id.
        id: String,
    },
    /// Create a component (its first config is stored as version 1).
    Create {
        /// The display name.
        name: String,
        /// The kind.
        #[arg(long = "type", value_enum)]
        kind: ComponentKind,
        /// The id (default: made from the name).
        #[arg(long)]
        id: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// The first config (a JSON object).
        #[arg(long)]
        config: Option<String>,
        /// Metadata (a JSON object).
        #[arg(long)]
        metadata: Option<String>,
        /// Publish the first config (default: a draft).
        #[arg(long)]
        publish: bool,
    },
    /// Change a component's name, description, metadata or current version.
    Update {
        /// The component id.
        id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// New metadata (a JSON object; replaces the old).
        #[arg(long)]
        metadata: Option<String>,
        /// Make this published version the current one.
        #[arg(long)]
        current_version: Option<u32>,
        /// Only if the current version is still this one (0: none published); else exit 1
        /// with HTTP 409 and nothing changes.
        #[arg(long, value_name = "VERSION")]
        if_current_version: Option<u32>,
    },
    /// Delete (archive) a component.
    #[command(visible_alias = "rm")]
    Delete {
        /// The component id.
        id: String,
        /// Only if the current version is still this one (0: none published).
        #[arg(long, value_name = "VERSION")]
        if_current_version: Option<u32>,
    },
}

/// The kind of a component.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ComponentKind {
    Agent,
    Team,
    Workflow,
}

pub async fn components(c: &AgentOsClient, out: &Out, cmd: &ComponentsCmd) -> R {
    use agentos::components::ComponentsExt;
    match cmd {
        ComponentsCmd::List { paging } => {
            let b = paged!(c.list_components(), paging);
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("ID", "component_id"),
                        ("NAME", "name"),
                        ("TYPE", "component_type"),
                        ("VERSION", "current_version"),
                        ("UPDATED", "updated_at"),
                    ],
                )
            })
        }
        ComponentsCmd::Get { id } => out.emit(&c.get_component(id).await?, |v| out.fields(v, &[])),
        ComponentsCmd::Create {
            name,
            kind,
            id,
            description,
            config,
            metadata,
            publish,
        } => {
            use agentos::components::{ComponentType, ConfigStage};
            let kind = match kind {
                ComponentKind::Agent => ComponentType::Agent,
                ComponentKind::Team => ComponentType::Team,
                ComponentKind::Workflow => ComponentType::Workflow,
            };
            let mut b = c.create_component(name.as_str(), kind);
            opt!(b, id, component_id);
            opt!(b, description, description);
            if let Some(v) = config {
                b = b.config(&parse_json("config", v)?);
            }
            if let Some(m) = metadata {
                b = b.metadata(&parse_json("metadata", m)?);
            }
            if *publish {
                b = b.stage(ConfigStage::Published);
            }
            out.emit(&b.await?, |v| out.fields(v, &[]))
        }
        ComponentsCmd::Update {
            id,
            name,
            description,
            metadata,
            current_version,
            if_current_version,
        } => {
            if name.is_none()
                && description.is_none()
                && metadata.is_none()
                && current_version.is_none()
            {
                return Err(nothing_to_change(
                    "--name, --description, --metadata or --current-version",
                ));
            }
            let mut b = c.update_component(id);
            opt!(b, name, name);
            opt!(b, description, description);
            opt!(b, current_version, current_version);
            opt!(b, if_current_version, if_current_version);
            if let Some(m) = metadata {
                b = b.metadata(&parse_json("metadata", m)?);
            }
            out.emit(&b.await?, |v| out.fields(v, &[]))
        }
        ComponentsCmd::Delete {
            id,
            if_current_version,
        } => {
            let mut b = c.delete_component(id);
            opt!(b, if_current_version, if_current_version);
            b.await?;
            out.acted("deleted", "component", id)
        }
    }
}

/// `agentos service-accounts`.
#[derive(Debug, Subcommand)]
pub enum ServiceAccountsCmd {
    /// List service accounts (their tokens are never shown).
    #[command(visible_alias = "ls")]
    List {
        /// Include revoked accounts.
        #[arg(long)]
        include_revoked: bool,
        #[command(flatten)]
        paging: Paging,
    },
    /// Mint a service account. Its token is printed once, alone on stdout (the whole account
    /// with --json): store it now, it cannot be shown again.
    Create {
        /// The account's name.
        name: String,
        /// A scope to grant (repeatable), e.g. agents:read, agents:echo-agent:run.
        #[arg(long = "scope", value_name = "SCOPE", required = true)]
        scopes: Vec<String>,
        /// Days until the token expires (the server's default when left out).
        #[arg(long, conflicts_with = "never_expires")]
        expires_in_days: Option<u32>,
        /// A token that never expires.
        #[arg(long)]
        never_expires: bool,
        /// Allow write, delete or admin scopes.
        #[arg(long)]
        allow_privileged: bool,
    },
    /// Revoke a service account: its token is refused from now on.
    #[command(visible_alias = "rm")]
    Revoke {
        /// The service account id.
        id: String,
    },
}

pub async fn service_accounts(c: &AgentOsClient, out: &Out, cmd: &ServiceAccountsCmd) -> R {
    use agentos::service_accounts::ServiceAccountsExt;
    match cmd {
        ServiceAccountsCmd::List {
            include_revoked,
            paging,
        } => {
            let mut b = paged!(c.list_service_accounts(), paging);
            if *include_revoked {
                b = b.include_revoked(true);
            }
            out.emit(&b.await?, |v| {
                page_table(
                    out,
                    v,
                    &[
                        ("ID", "id"),
                        ("NAME", "name"),
                        ("SCOPES", "scopes"),
                        ("EXPIRES", "expires_at"),
                        ("REVOKED", "revoked_at"),
                    ],
                )
            })
        }
        ServiceAccountsCmd::Create {
            name,
            scopes,
            expires_in_days,
            never_expires,
            allow_privileged,
        } => {
            let mut b = c
                .create_service_account(name.as_str())
                .scopes(scopes.iter().map(String::as_str))
                .allow_privileged_scopes(*allow_privileged);
            if let Some(days) = expires_in_days {
                b = b.expires_in_days(*days);
            }
            if *never_expires {
                b = b.never_expires();
            }
            let created = b.await?;
            if out.json {
                // Asked for explicitly: the account and its token, in one document.
                let mut doc = serde_json::to_value(&created.account).unwrap_or(Value::Null);
                if let Some(o) = doc.as_object_mut() {
                    o.insert("token".into(), Value::from(created.token.expose()));
                }
                out.emit(&doc, |_| {})
            } else {
                out.eprint(&[plain(format!(
                    "Created service account {} ({}). Its token follows; it will not be shown again:",
                    created.account.name, created.account.id
                ))]);
                out.print(&[plain(created.token.expose())]);
                Ok(())
            }
        }
        ServiceAccountsCmd::Revoke { id } => {
            c.revoke_service_account(id).await?;
            out.acted("revoked", "service account", id)
        }
    }
}

/// `agentos filesystem`.
#[derive(Debug, Subcommand)]
pub enum FilesystemCmd {
    /// List the files of a workspace.
    #[command(visible_alias = "ls")]
    List {
        /// The namespace (see `agentos config`).
        #[arg(long)]
        namespace: Option<String>,
        /// The agent whose workspace it is.
        #[arg(long)]
        agent: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Print a file.
    Read {
        /// The file's path.
        path: String,
        /// The namespace.
        #[arg(long)]
        namespace: Option<String>,
        /// The agent whose workspace it is.
        #[arg(long)]
        agent: Option<String>,
    },
    /// Search the files' contents.
    Search {
        /// What to look for.
        query: String,
        /// The namespace.
        #[arg(long)]
        namespace: Option<String>,
        /// The agent whose workspace it is.
        #[arg(long)]
        agent: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
}

/// A filesystem page (`{entries, meta, ...}` on the wire) in the shape of every other list
/// this tool prints: `{data, meta, ...}`.
fn entries_as_data(page: impl serde::Serialize) -> Result<Value, Failure> {
    let mut v = crate::out::encode(&page)?;
    if let Some(fields) = v.as_object_mut() {
        if let Some(entries) = fields.remove("entries") {
            fields.insert("data".into(), entries);
        }
    }
    Ok(v)
}

pub async fn filesystem(c: &AgentOsClient, out: &Out, cmd: &FilesystemCmd) -> R {
    use agentos::filesystem::FilesystemExt;
    match cmd {
        FilesystemCmd::List {
            namespace,
            agent,
            paging,
        } => {
            let mut b = paged!(c.list_filesystem_files(), paging);
            opt!(b, namespace, namespace);
            opt!(b, agent, agent_id);
            out.emit(&entries_as_data(b.await?)?, |v| {
                let rows = v["data"].as_array().cloned().unwrap_or_default();
                out.table(
                    &rows,
                    &[
                        ("PATH", "path"),
                        ("SIZE", "size_bytes"),
                        ("UPDATED", "updated_at"),
                    ],
                );
                out.page_meta(v);
            })
        }
        FilesystemCmd::Read {
            path: p,
            namespace,
            agent,
        } => {
            let mut b = c.read_filesystem_content(p.clone());
            opt!(b, namespace, namespace);
            opt!(b, agent, agent_id);
            out.emit(&b.await?, |v| match v["content"].as_str() {
                Some(text) => out.print(&[plain(text.strip_suffix('\n').unwrap_or(text))]),
                None => out.fields(v, &[]),
            })
        }
        FilesystemCmd::Search {
            query,
            namespace,
            agent,
            paging,
        } => {
            let mut b = paged!(c.search_filesystem(query.clone()), paging);
            opt!(b, namespace, namespace);
            opt!(b, agent, agent_id);
            out.emit(&entries_as_data(b.await?)?, |v| {
                let rows = v["data"].as_array().cloned().unwrap_or_default();
                out.table(
                    &rows,
                    &[
                        ("PATH", "path"),
                        ("LINE", "line"),
                        ("MATCHES", "match_count"),
                        ("SNIPPET", "snippet"),
                    ],
                );
            })
        }
    }
}
