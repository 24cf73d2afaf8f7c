//! TLS of the default transport against a real rustls server on loopback: a private CA added
//! with `add_root_certificate_pem` is trusted, an unknown issuer is a typed `Error::Tls` that
//! is not retried, and bad PEM is refused before anything is sent.
//!
//! `tests/data/` holds a test CA and a server certificate for `localhost` and `127.0.0.1`
//! (valid until 2126) made with openssl; the key is a throwaway used only here.

#![cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use agentos_core::{AgentOsClient, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

const CA: &[u8] = include_bytes!("data/ca.pem");
const CERT: &[u8] = include_bytes!("data/server.pem");
const KEY: &[u8] = include_bytes!("data/server.key");

/// An https server on 127.0.0.1 answering every request with `{"status":"ok"}`; returns its
/// port and the count of TCP connections it accepted.
async fn https_server() -> (u16, Arc<AtomicUsize>) {
    let certs = CertificateDer::pem_slice_iter(CERT)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = vec![0u8; 4096];
                let mut head = Vec::new();
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"status":"ok"}"#;
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, accepted)
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
