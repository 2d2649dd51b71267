//! A client that never finishes its headers is cut off; a normal one is served.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

async fn start() -> (std::net::SocketAddr, CancellationToken) {
    let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let router = Router::new().route("/", get(|| async { "ok" }));
    tokio::spawn(tyndau_http::serve(listener, router, shutdown.clone()));
    (addr, shutdown)
}

#[tokio::test]
async fn trickled_headers_are_cut_off() {
    let (addr, shutdown) = start().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: tyndau\r\n")
        .await
        .unwrap();
    let mut buffer = Vec::new();
    // The server must end the connection on its own, soon after its header deadline.
    let ended = tokio::time::timeout(
        tyndau_http::serve::HEADER_READ_TIMEOUT + Duration::from_secs(5),
        stream.read_to_end(&mut buffer),
    )
    .await;
    assert!(
        ended.is_ok(),
        "the server kept a connection with unfinished headers open"
    );
    assert!(!String::from_utf8_lossy(&buffer).contains("200 OK"));
    shutdown.cancel();
}

#[tokio::test]
async fn complete_requests_are_served() {
    let (addr, shutdown) = start().await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: tyndau\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = Vec::new();
    stream.read_to_end(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer).starts_with("HTTP/1.1 200 OK"));
    shutdown.cancel();
}
