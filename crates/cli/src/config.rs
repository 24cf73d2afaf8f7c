//! Profiles: named servers in a config file, and the effective settings (URL, token, timeout)
//! with where each one came from.
//!
//! The file is TOML in the platform's config dir (`~/.config/agentos/config.toml` on Linux;
//! `AGENTOS_CONFIG` names another file):
//!
//! ```toml
//! current_profile = "prod"
//!
//! [profiles.local]
//! url = "http://localhost:7777"
//!
//! [profiles.prod]
//! url = "https://agentos.example.com"
//! token_env = "PROD_AGENTOS_KEY"          # or: token_command = "pass show agentos/prod"
//! timeout = "30s"
//! ```
//!
//! Precedence, highest first: the flag (`--url`, `--token`, `--timeout`), the environment
//! (`AGENTOS_URL`, `AGENTOS_SECURITY_KEY`), the profile (`--profile` / `AGENTOS_PROFILE`, else
//! the file's `current_profile`), the default. The token is never printed; a token written in
//! clear in the file (`token = "..."`) works, with a warning while others can read the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::out::{Failure, Out, code, dim, plain};

/// Names another config file (tests, several setups).
pub const CONFIG_ENV: &str = "AGENTOS_CONFIG";

/// The most a `token_command` may take, and the most it may print.
const TOKEN_COMMAND_WAIT: Duration = Duration::from_secs(10);
const TOKEN_COMMAND_MAX: u64 = 64 << 10;

/// The config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// The profile used when none is named.
    current_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// One named server.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    url: Option<String>,
    /// The name of the environment variable that holds the token.
    token_env: Option<String>,
    /// A command whose first line of output is the token (run by the shell).
    token_command: Option<String>,
    /// The token in clear (only when the user writes it there).
    token: Option<Secret>,
    timeout: Option<String>,
}

/// A token: never shown by `Debug`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Secret {
    /// Wraps a token.
    pub fn new(token: String) -> Secret {
        Secret(token)
    }
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(String),
    /// The config file's profile (and how: `token_env`, `token_command`, ...).
    Profile(String, &'static str),
    /// The file's `current_profile`.
    Current,
    /// Built in.
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(n) => write!(f, "--{n}"),
            Source::Env(n) => write!(f, "${n}"),
            Source::Profile(p, "") => write!(f, "profile {p}"),
            Source::Profile(p, how) => write!(f, "profile {p}, {how}"),
            Source::Current => f.write_str("current_profile in the config file"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// What the command line (or the environment, through clap) gave, with its source.
#[derive(Debug, Default)]
pub struct Given {
    pub url: Option<(String, Source)>,
    pub token: Option<(Secret, Source)>,
    pub timeout: Option<Duration>,
    pub profile: Option<(String, Source)>,
}

/// The effective settings.
#[derive(Debug)]
pub struct Settings {
    /// The config file (whether it exists or not).
    pub path: Option<PathBuf>,
    pub profile: Option<(String, Source)>,
    pub profiles: Vec<String>,
    pub url: (String, Source),
    pub token: Option<(Secret, Source)>,
    pub timeout: Option<(Duration, Source)>,
    /// What the user should fix (a token in clear that others can read).
    pub warnings: Vec<String>,
}

/// The config file's path: `$AGENTOS_CONFIG`, else `config.toml` in the platform's config
/// dir for agentos (none when the platform has no home dir).
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "agentos").map(|d| d.config_dir().join("config.toml"))
}

/// The most read of the config file: a bound on memory.
const CONFIG_MAX: u64 = 1 << 20;

/// Reads the text of the config file (`None` when it does not exist).
fn read_text(path: &Path) -> Result<Option<String>, Failure> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_failure(path, &e.to_string())),
    };
    let mut text = String::new();
    file.take(CONFIG_MAX + 1)
        .read_to_string(&mut text)
        .map_err(|e| file_failure(path, &e.to_string()))?;
    if text.len() as u64 > CONFIG_MAX {
        return Err(file_failure(path, "it is larger than 1 MiB"));
    }
    Ok(Some(text))
}

fn file_failure(path: &Path, why: &str) -> Failure {
    Failure::new(
        code::USAGE,
        format!("cannot read the config file {}: {why}", path.display()),
    )
    .hint(format!(
        "fix or remove it (or point {CONFIG_ENV} at another file)"
    ))
}

/// Reads and parses the config file (an empty one when it does not exist).
fn load(path: Option<&Path>) -> Result<ConfigFile, Failure> {
    let Some(path) = path else {
        return Ok(ConfigFile::default());
    };
    match read_text(path)? {
        None => Ok(ConfigFile::default()),
        Some(text) => {
            toml_edit::de::from_str(&text).map_err(|e| file_failure(path, &e.to_string()))
        }
    }
}

/// Whether the file can be read by its group or by others.
#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> Option<u32> {
    None
}

/// Resolves the effective settings from what was given, the config file and the defaults.
/// [`Settings::warnings`] tells when the file holds a token in clear and others can read it.
pub async fn resolve(given: Given) -> Result<Settings, Failure> {
    let path = config_path();
    let file = load(path.as_deref())?;
    let profiles: Vec<String> = file.profiles.keys().cloned().collect();
    let mut warnings = Vec::new();
    if let Some(p) = &path {
        if file.profiles.values().any(|p| p.token.is_some()) {
            if let Some(mode) = readable_by_others(p) {
                warnings.push(format!(
                    "{} holds a token in clear and others can read it (mode {mode:03o}): \
                     run chmod 600 on it, or use token_env / token_command",
                    p.display()
                ));
            }
        }
    }
    let profile = given.profile.or_else(|| {
        file.current_profile
            .clone()
            .map(|name| (name, Source::Current))
    });
    let chosen = match &profile {
        Some((name, _)) => Some((
            name.clone(),
            file.profiles
                .get(name)
                .ok_or_else(|| no_profile(name, &profiles, path.as_deref()))?,
        )),
        None => None,
    };
    let from_profile = |how: &'static str| -> Source {
        Source::Profile(
            chosen.as_ref().map(|(n, _)| n.clone()).unwrap_or_default(),
            how,
        )
    };

    let url = given
        .url
        .or_else(|| {
            chosen
                .as_ref()
                .and_then(|(_, p)| p.url.clone())
                .map(|u| (u, from_profile("")))
        })
        .unwrap_or_else(|| (crate::DEFAULT_URL.to_owned(), Source::Default));

    let token = match given.token {
        Some(t) => Some(t),
        None => match &chosen {
            Some((name, p)) => profile_token(name, p).await?,
            None => None,
        },
    };

    let timeout = match given.timeout {
        Some(t) => Some((t, Source::Flag("timeout"))),
        None => match chosen.as_ref().and_then(|(_, p)| p.timeout.as_deref()) {
            Some(t) => Some((
                crate::parse_duration(t).map_err(|e| {
                    Failure::new(code::USAGE, format!("the timeout of the profile: {e}"))
                })?,
                from_profile(""),
            )),
            None => None,
        },
    };
    Ok(Settings {
        path,
        profile,
        profiles,
        url,
        token,
        timeout,
        warnings,
    })
}

fn no_profile(name: &str, profiles: &[String], path: Option<&Path>) -> Failure {
    let shown = path.map_or("(no config file)".into(), |p| p.display().to_string());
    let f = Failure::new(code::USAGE, format!("no profile {name:?} in {shown}"));
    if profiles.is_empty() {
        f.hint("create one: agentos config set-profile NAME URL")
    } else {
        f.hint(format!("the profiles: {}", profiles.join(", ")))
    }
}

/// The token a profile names: from its environment variable, its command, or in clear.
async fn profile_token(name: &str, p: &Profile) -> Result<Option<(Secret, Source)>, Failure> {
    let src = |how| Source::Profile(name.to_owned(), how);
    if let Some(var) = &p.token_env {
        return match std::env::var(var) {
            Ok(t) if !t.is_empty() => Ok(Some((Secret(t), src("token_env")))),
            _ => Err(Failure::new(
                code::USAGE,
                format!("profile {name} takes its token from ${var}, which is not set"),
            )
            .hint(format!("export {var}=..., or pass --token"))),
        };
    }
    if let Some(cmd) = &p.token_command {
        return Ok(Some((
            Secret(run_token_command(name, cmd).await?),
            src("token_command"),
        )));
    }
    Ok(p.token.clone().map(|t| (t, src("token in the file"))))
}

/// Runs a profile's `token_command` with the shell; its first line of output is the token.
/// Bounded in time and in what is read; the output is never shown.
async fn run_token_command(name: &str, cmd: &str) -> Result<String, Failure> {
    use tokio::io::AsyncReadExt;
    let fail = |why: String| {
        Failure::new(
            code::ERROR,
            format!("the token_command of profile {name} failed: {why}"),
        )
        .hint("run the command yourself to check it prints the token")
    };
    let mut command = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.arg("/C").arg(cmd);
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c").arg(cmd);
        c
    };
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| fail(e.to_string()))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| fail("no output".into()))?;
    let work = async {
        let mut buf = Vec::new();
        (&mut stdout)
            .take(TOKEN_COMMAND_MAX)
            .read_to_end(&mut buf)
            .await?;
        drop(stdout);
        let status = child.wait().await?;
        Ok::<_, std::io::Error>((buf, status))
    };
    let (buf, status) = tokio::time::timeout(TOKEN_COMMAND_WAIT, work)
        .await
        .map_err(|_| {
            fail(format!(
                "it took more than {}",
                crate::out::duration(TOKEN_COMMAND_WAIT)
            ))
        })?
        .map_err(|e| fail(e.to_string()))?;
    if !status.success() {
        return Err(fail(format!("it exited with {status}")));
    }
    let text = String::from_utf8_lossy(&buf);
    match text.lines().next().map(str::trim) {
        Some(t) if !t.is_empty() => Ok(t.to_owned()),
        _ => Err(fail("it printed no token".into())),
    }
}

impl Settings {
    /// A client for these settings (with `timeout` instead of theirs when given).
    pub fn client_with(
        &self,
        timeout: Option<Duration>,
    ) -> Result<agentos::AgentOsClient, Failure> {
        let url = self.url.0.as_str();
        let url_hint = format!(
            "check the URL (from {}; set it with --url, AGENTOS_URL or a profile; e.g. \
             http://localhost:7777)",
            self.url.1
        );
        crate::check_base_url(url)
            .map_err(|m| Failure::new(code::USAGE, m).hint(url_hint.clone()))?;
        let mut b = agentos::AgentOsClient::builder().base_url(url.to_owned());
        if let Some((t, _)) = self.token.as_ref().filter(|(t, _)| !t.0.is_empty()) {
            b = b.bearer_token(t.0.clone());
        }
        if let Some(t) = timeout.or(self.timeout.as_ref().map(|t| t.0)) {
            b = b.timeout(t);
        }
        b.build().map_err(|e| {
            let mut f = Failure::from(e);
            // The SDK's message may quote the URL as given, user:password included.
            let url = url.trim();
            f.message = f.message.replace(url, &crate::out::redact_userinfo(url));
            if f.message.contains("token") {
                let from = self
                    .token
                    .as_ref()
                    .map_or("--token".into(), |t| t.1.to_string());
                f.hint(format!(
                    "check the token (from {from}; set with --token / AGENTOS_SECURITY_KEY or a \
                     profile): a single line, no control characters"
                ))
            } else {
                f.hint(url_hint)
            }
        })
    }

    /// A client for these settings.
    pub fn client(&self) -> Result<agentos::AgentOsClient, Failure> {
        self.client_with(None)
    }

    /// The settings as `config view` shows them: the token redacted.
    fn view(&self) -> Value {
        let pair = |v: Value, s: Option<&Source>| json!({"value": v, "source": s.map(ToString::to_string)});
        json!({
            "config_file": self.path.as_ref().map(|p| p.display().to_string()),
            "profile": pair(json!(self.profile.as_ref().map(|p| &p.0)), self.profile.as_ref().map(|p| &p.1)),
            "url": pair(json!(crate::out::redact_userinfo(&self.url.0)), Some(&self.url.1)),
            "token": pair(json!(self.token.as_ref().map(|_| "[redacted]")), self.token.as_ref().map(|t| &t.1)),
            "timeout_seconds": pair(json!(self.timeout.as_ref().map(|t| t.0.as_secs_f64())), self.timeout.as_ref().map(|t| &t.1)),
            "profiles": self.profiles,
        })
    }
}

/// `agentos config ...` (but the server's own config).
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCmd {
    /// Show the server's configuration (GET /config); also `agentos config` alone.
    Server,
    /// Show the effective settings (the token redacted) and where each one came from.
    View,
    /// Make a profile the current one (the one used when --profile is not given).
    UseProfile {
        /// The profile's name.
        name: String,
    },
    /// Create or change a profile (the file is created readable by you only).
    SetProfile {
        /// The profile's name.
        name: String,
        /// Its base URL.
        url: Option<String>,
        /// The environment variable that holds its token.
        #[arg(long, value_name = "VAR", conflicts_with = "token_command")]
        token_env: Option<String>,
        /// A command that prints its token (run by the shell when the profile is used).
        #[arg(long, value_name = "COMMAND")]
        token_command: Option<String>,
    },
}

/// `config view`.
pub fn view(s: &Settings, out: &Out) -> Result<(), Failure> {
    out.emit(&s.view(), |v| {
        for (label, key) in [
            ("config file", "config_file"),
            ("profile", "profile"),
            ("url", "url"),
            ("token", "token"),
            ("timeout", "timeout_seconds"),
        ] {
            let (value, source) = match &v[key] {
                Value::Object(o) => (
                    o.get("value").cloned().unwrap_or_default(),
                    o.get("source").cloned(),
                ),
                other => (other.clone(), None),
            };
            let shown = match (key, &value) {
                (_, Value::Null) => "(none)".to_owned(),
                ("timeout_seconds", Value::Number(n)) => {
                    crate::out::duration(Duration::from_secs_f64(n.as_f64().unwrap_or(0.0)))
                }
                (_, Value::String(s)) => s.clone(),
                (_, other) => other.to_string(),
            };
            let mut spans = vec![crate::out::bold(format!("{label:<12}")), plain(shown)];
            if let Some(Value::String(src)) = source {
                spans.push(dim(format!("  ({src})")));
            }
            out.print(&spans);
        }
        let names: Vec<&str> = v["profiles"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        out.print(&[
            crate::out::bold(format!("{:<12}", "profiles")),
            plain(if names.is_empty() {
                "(none)".into()
            } else {
                names.join(", ")
            }),
        ]);
    })
}

/// The config file to change, or a usage error.
fn writable_path() -> Result<PathBuf, Failure> {
    config_path().ok_or_else(|| {
        Failure::new(code::USAGE, "this platform has no config dir")
            .hint(format!("point {CONFIG_ENV} at a file"))
    })
}

/// Writes the config file: a new one readable by its owner only.
fn write_text(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::new(
            code::ERROR,
            format!("cannot write the config file {}: {e}", path.display()),
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path).map_err(fail)?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(fail)
}

/// Parses the file as an editable document (comments and layout kept).
fn document(path: &Path) -> Result<toml_edit::DocumentMut, Failure> {
    read_text(path)?
        .unwrap_or_default()
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| file_failure(path, &e.to_string()))
}

/// `config use-profile NAME`.
pub fn use_profile(name: &str, out: &Out) -> Result<(), Failure> {
    let path = writable_path()?;
    let file = load(Some(&path))?;
    if !file.profiles.contains_key(name) {
        let names: Vec<String> = file.profiles.keys().cloned().collect();
        return Err(no_profile(name, &names, Some(&path)));
    }
    let mut doc = document(&path)?;
    doc["current_profile"] = toml_edit::value(name);
    write_text(&path, &doc.to_string())?;
    out.emit(&json!({"current_profile": name}), |_| {
        out.print(&[plain(format!("using profile {name}"))]);
    })
}

/// `config set-profile NAME ...`.
pub fn set_profile(
    name: &str,
    url: Option<&str>,
    token_env: Option<&str>,
    token_command: Option<&str>,
    out: &Out,
) -> Result<(), Failure> {
    if let Some(u) = url {
        crate::check_base_url(u).map_err(|m| Failure::new(code::USAGE, m))?;
    }
    let path = writable_path()?;
    let mut doc = document(&path)?;
    let profiles = doc
        .entry("profiles")
        .or_insert(toml_edit::table())
        .as_table_mut()
        .ok_or_else(|| file_failure(&path, "`profiles` is not a table"))?;
    profiles.set_implicit(true);
    let p = profiles
        .entry(name)
        .or_insert(toml_edit::table())
        .as_table_mut()
        .ok_or_else(|| file_failure(&path, &format!("profiles.{name} is not a table")))?;
    if let Some(u) = url {
        p["url"] = toml_edit::value(u);
    }
    if token_env.is_some() || token_command.is_some() {
        for k in ["token_env", "token_command", "token"] {
            p.remove(k);
        }
    }
    if let Some(v) = token_env {
        p["token_env"] = toml_edit::value(v);
    }
    if let Some(c) = token_command {
        p["token_command"] = toml_edit::value(c);
    }
    let text = doc.to_string();
    // The result must still read as a config file.
    toml_edit::de::from_str::<ConfigFile>(&text)
        .map_err(|e| file_failure(&path, &e.to_string()))?;
    write_text(&path, &text)?;
    out.emit(
        &json!({"profile": name, "config_file": path.display().to_string()}),
        |_| {
            out.print(&[plain(format!("saved profile {name} in {}", path.display()))]);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_never_in_debug() {
        let p: Profile =
            toml_edit::de::from_str("url = \"http://h\"\ntoken = \"sk-very-secret\"").unwrap();
        let shown = format!("{p:?}");
        assert!(!shown.contains("sk-very-secret"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = toml_edit::de::from_str::<ConfigFile>("[profiles.a]\ntokn = \"x\"");
        assert!(e.is_err());
    }
}
