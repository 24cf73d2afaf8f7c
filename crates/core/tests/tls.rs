//! TLS of the default transport against a real rustls server on loopback: a private CA added
//! with `add_root_certificate_pem` is trusted, an unknown issuer is a typed `Error::Tls` that
//! is not retried, and bad PEM is refused before anything is sent. The server and its
//! certificates are in `tests/support/https.rs`.

#![cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]

mod support {
    pub mod https;
}

use std::sync::atomic::Ordering;

use agentos_core::{AgentOsClient, Error};
use support::https::{CA, KEY};

/// An https server answering every request with `{"status":"ok"}`.
async fn https_server() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    support::https::https_server(|_| {
        agentos_hostile::http_response("200 OK", &[], r#"{"status":"ok"}"#)
    })
    .await
}

#[tokio::test]
async fn a_private_ca_added_to_the_client_is_trusted() {
    let (port, _) = https_server().await;
    for host in ["localhost", "127.0.0.1"] {
        let client = AgentOsClient::builder()
            .base_url(format!("https://{host}:{port}"))
            .add_root_certificate_pem(CA)
            .build()
            .unwrap();
        let health = client.health().await.unwrap();
        assert_eq!(health.status, "ok", "{host}");
    }
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error_and_not_retried() {
    let (port, accepted) = https_server().await;
    let client = AgentOsClient::new(format!("https://localhost:{port}")).unwrap();
    let err = client.health().await.unwrap_err();
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
    assert!(!err.is_retryable());
    let shown = format!("{err}: {:?}", std::error::Error::source(&err));
    assert!(shown.to_lowercase().contains("certificate"), "{shown}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one handshake, no retry"
    );
}

#[tokio::test]
async fn pem_without_a_certificate_is_refused_when_building() {
    for bad in [&b"not a pem"[..], KEY] {
        let err = AgentOsClient::builder()
            .base_url("https://localhost:1")
            .add_root_certificate_pem(bad)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
}
