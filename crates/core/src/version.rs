//! Which agno server the client talks to, and which routes came in which release.
//!
//! The SDK supports AgentOS servers of agno 2.7 to 3.1.x (see the README, "Server versions").
//! A call to a route that the server's release does not have fails with
//! [`Error::NotSupported`](crate::Error::NotSupported) ("not supported by this server
//! (agno X, needs Y)"), never with a bare 404 or 405: when such a route answers FastAPI's
//! default "Not Found" or "Method Not Allowed", the client looks up the server's version
//! (once, lazily, cached: [`AgentOsClient::server_version`](crate::AgentOsClient::server_version))
//! and compares it with the release that added the route.

use std::cmp::Ordering;
use std::fmt;

/// The oldest agno release this SDK supports.
pub const MIN_SUPPORTED_AGNO: &str = "2.7.0";

/// The agno release of the server, as `GET /info` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerVersion {
    /// `/info`'s `agno_version`; `None` when the server has no `/info` (agno before 2.5.13)
    /// or does not say.
    pub agno_version: Option<String>,
    /// Whether the server answered `/info` at all (it did from agno 2.5.13 on).
    pub has_info: bool,
}

impl ServerVersion {
    /// Whether the server is at least `version` (`None` when that cannot be told). A server
    /// without `/info` is older than 2.5.13.
    pub fn at_least(&self, version: &str) -> Option<bool> {
        match &self.agno_version {
            Some(v) => Some(compare(v, version) != Ordering::Less),
            // Older than 2.5.13: certainly older than anything from 2.5.13 on.
            None if !self.has_info => {
                (compare(version, "2.5.13") != Ordering::Less).then_some(false)
            }
            None => None,
        }
    }

    /// Whether the release is in the SDK's supported range (agno 2.7 and newer; `None` when
    /// unknown).
    pub fn is_supported(&self) -> Option<bool> {
        self.at_least(MIN_SUPPORTED_AGNO)
    }

    /// How the version reads in errors: `2.7.0`, or `older than 2.5.13 (no /info)`.
    pub(crate) fn describe(&self) -> Option<String> {
        match (&self.agno_version, self.has_info) {
            (Some(v), _) => Some(v.clone()),
            (None, false) => Some("older than 2.5.13 (no /info)".to_owned()),
            (None, true) => None,
        }
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.describe() {
            Some(d) => write!(f, "agno {d}"),
            None => f.write_str("agno (version unknown)"),
        }
    }
}

/// Compares dotted versions numerically (`2.10.0` > `2.9.1`); a missing or non-numeric part
/// counts as 0 (`3.1.10rc1` reads as 3.1.10).
pub fn compare(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<u64> {
        v.trim()
            .trim_start_matches('v')
            .split('.')
            .map(|p| {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().unwrap_or(0)
            })
            .collect()
    };
    let (a, b) = (parts(a), parts(b));
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        match x.cmp(&y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// The first agno release with this route (a route template as the SDK sends it), for routes
/// added after 2.5.0 or so; `None` for routes every supported server has.
pub fn route_added_in(route: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, &str)] = &[
        ("/filesystem", "3.1.0"),
        ("/learnings", "2.6.14"),
        ("/approvals", "2.5.0"),
        ("/schedules", "2.5.0"),
    ];
    const EXACT: &[(&str, &str)] = &[
        ("/info", "2.5.13"),
        ("/traces/search", "2.5.6"),
        ("/metrics/refresh/status", "2.8.6"),
        ("/knowledge/content/{content_id}/refresh", "3.1.0"),
        ("/sessions/{session_id}/run-previews", "3.1.10"),
        ("/teams/{team_id}/runs/{run_id}/continue", "2.6.0"),
        ("/workflows/{workflow_id}/runs/{run_id}/continue", "2.6.0"),
        ("/agents/{agent_id}/runs/{run_id}", "2.5.0"),
        ("/teams/{team_id}/runs/{run_id}", "2.5.0"),
        ("/workflows/{workflow_id}/runs/{run_id}", "2.5.0"),
    ];
    if route.ends_with("/runs/{run_id}/resume") {
        return Some("2.6.0");
    }
    if route.ends_with("/sessions/{session_id}/compact") {
        return Some("3.1.10");
    }
    EXACT
        .iter()
        .find(|(r, _)| route == *r)
        .or_else(|| PREFIXES.iter().find(|(p, _)| route.starts_with(p)))
        .map(|(_, v)| *v)
}

/// Whether an error body is FastAPI's answer for a route it does not have (not an
/// application's "Agent not found").
pub(crate) fn is_missing_route_answer(status: u16, message: Option<&str>) -> bool {
    match status {
        404 => message == Some("Not Found"),
        405 => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(compare("2.10.0", "2.9.1"), Ordering::Greater);
        assert_eq!(compare("3.1.10", "3.1.10"), Ordering::Equal);
        assert_eq!(compare("2.7", "2.7.0"), Ordering::Equal);
        assert_eq!(compare("3.1.10rc1", "3.1.9"), Ordering::Greater);
        assert_eq!(compare("2.5.13", "2.6.0"), Ordering::Less);
    }

    #[test]
    fn routes_know_their_release() {
        assert_eq!(route_added_in("/traces/search"), Some("2.5.6"));
        assert_eq!(route_added_in("/filesystem/files"), Some("3.1.0"));
        assert_eq!(route_added_in("/learnings/{learning_id}"), Some("2.6.14"));
        assert_eq!(
            route_added_in("/teams/{team_id}/runs/{run_id}/resume"),
            Some("2.6.0")
        );
        assert_eq!(
            route_added_in("/agents/{agent_id}/runs/{run_id}/continue"),
            None
        );
        assert_eq!(route_added_in("/agents"), None);
        assert_eq!(
            route_added_in("/agents/{agent_id}/sessions/{session_id}/compact"),
            Some("3.1.10")
        );
    }

    #[test]
    fn a_server_without_info_is_older_than_2_5_13() {
        let old = ServerVersion {
            agno_version: None,
            has_info: false,
        };
        assert_eq!(old.at_least("2.6.0"), Some(false));
        assert_eq!(old.at_least("2.5.0"), None);
        assert_eq!(old.is_supported(), Some(false));
        let v = ServerVersion {
            agno_version: Some("2.7.0".into()),
            has_info: true,
        };
        assert_eq!(v.at_least("3.1.0"), Some(false));
        assert_eq!(v.is_supported(), Some(true));
        assert_eq!(v.to_string(), "agno 2.7.0");
    }
}

#[cfg(test)]
mod client_tests {
    use agentos_hostile::{HostileServer, Reply, http_response};

    use crate::{AgentOsClient, Error, Request};

    /// An agno 2.5.0 server: `/info` answers, newer routes do not exist.
    async fn old_server(info: Option<&'static str>) -> HostileServer {
        HostileServer::start(move |r, _| {
            let (status, body) = match (r.path(), info) {
                ("/info", Some(info)) => ("200 OK", info),
                ("/info", None) => ("404 Not Found", r#"{"detail":"Not Found"}"#),
                ("/traces/search", _) => (
                    "405 Method Not Allowed",
                    r#"{"detail":"Method Not Allowed"}"#,
                ),
                ("/agents/nope/runs/r1", _) => ("404 Not Found", r#"{"detail":"Agent not found"}"#),
                _ => ("404 Not Found", r#"{"detail":"Not Found"}"#),
            };
            Reply::new().write(http_response(status, &[], body))
        })
        .await
    }

    #[tokio::test]
    async fn a_route_the_server_lacks_is_not_supported_with_both_versions() {
        let server = old_server(Some(r#"{"agno_version":"2.5.0","agent_count":1}"#)).await;
        let client = AgentOsClient::new(server.url()).unwrap();
        for _ in 0..2 {
            let err = client
                .execute(Request::post("/traces/search", &[]).unwrap())
                .await
                .unwrap_err();
            match &err {
                Error::NotSupported {
                    feature,
                    server_version,
                    needs,
                } => {
                    assert_eq!(feature, "POST /traces/search");
                    assert_eq!(server_version.as_deref(), Some("2.5.0"));
                    assert_eq!(needs, "2.5.6");
                }
                other => panic!("{other:?}"),
            }
            assert!(err.is_not_found());
        }
        let err = client
            .execute(Request::get("/learnings", &[]).unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotSupported { .. }), "{err:?}");
        // An application's 404 stays what it is.
        let err = client
            .execute(Request::get("/agents/{agent_id}/runs/{run_id}", &["nope", "r1"]).unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");
        // The version was looked up once.
        let infos = server
            .received()
            .iter()
            .filter(|r| r.path() == "/info")
            .count();
        assert_eq!(infos, 1);
        assert_eq!(
            client
                .server_version()
                .await
                .unwrap()
                .agno_version
                .as_deref(),
            Some("2.5.0")
        );
    }

    #[tokio::test]
    async fn a_server_without_info_is_older_than_2_5_13() {
        let server = old_server(None).await;
        let client = AgentOsClient::new(server.url()).unwrap();
        let v = client.server_version().await.unwrap();
        assert!(!v.has_info);
        let err = client
            .execute(Request::get("/filesystem/files", &[]).unwrap())
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(
                "not supported by this server (agno older than 2.5.13 (no /info), needs 3.1.0"
            ),
            "{err}"
        );
    }

    #[tokio::test]
    async fn info_decodes_without_os_id() {
        let server = old_server(Some(r#"{"agno_version":"2.7.0","agent_count":3}"#)).await;
        let client = AgentOsClient::new(server.url()).unwrap();
        let info = client.info().await.unwrap();
        assert_eq!(info.os_id, "");
        assert_eq!(info.agno_version.as_deref(), Some("2.7.0"));
        assert_eq!(info.agent_count, Some(3));
    }
}
