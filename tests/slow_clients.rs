//! Slow and idle clients over raw TCP: a client that does not finish its
//! headers, or its body, in time loses its connection (a body gets a 408
//! first), connections past the cap wait for a free slot, and other callers
//! are answered all along. The tests wait on sockets closing, never on sleeps.

mod common;

use std::{net::SocketAddr, time::Duration};

use common::TestApp;
use light_runbook::http::{HttpLimits, serve::ConnectionLimits};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const HEADER_TIMEOUT: Duration = Duration::from_secs(1);
const BODY_TIMEOUT: Duration = Duration::from_secs(1);

/// A guard against a test hanging when the server never closes: far longer
/// than any timeout configured here.
const GIVE_UP: Duration = Duration::from_secs(20);

async fn spawn(max_connections: u32) -> TestApp {
    common::spawn_app(true, |s| {
        s.connection_limits = ConnectionLimits {
            header_timeout: HEADER_TIMEOUT,
            max_connections,
        };
        s.http_limits = HttpLimits {
            body_timeout: BODY_TIMEOUT,
            body_bytes: 4096,
            ..HttpLimits::default()
        };
    })
    .await
}

/// Opens a connection and sends `bytes` on it.
async fn send(address: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    stream.write_all(bytes).await.expect("sent");
    stream
}

/// Everything the server sends until it closes the connection.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let read = tokio::time::timeout(GIVE_UP, stream.read_to_end(&mut received)).await;
    match read {
        Ok(Ok(_)) => {}
        // A reset is the server closing too (unread bytes were pending).
        Ok(Err(e)) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
        Err(_) => panic!("the server kept the connection open for {GIVE_UP:?}"),
    }
    String::from_utf8_lossy(&received).into_owned()
}

/// A normal caller's `GET /health`.
async fn health_is_answered(app: &TestApp) {
    // A fresh connection: a pooled one may be the idle one the header timeout just closed.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let response = client.get(app.url("/health")).send().await;
    let response = response.expect("answered");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), "ok");
}

#[tokio::test]
async fn a_client_that_stops_sending_its_headers_is_disconnected_after_the_header_timeout() {
    let app = spawn(16).await;
    let halves: [&[u8]; 4] = [
        b"",
        b"PRI * HTTP/2.0\r\n",
        b"GET /health HT",
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
    ];
    let started = std::time::Instant::now();
    let mut slow = Vec::new();
    for half in halves {
        slow.push(send(app.address, half).await);
    }
    health_is_answered(&app).await;
    for (stream, half) in slow.iter_mut().zip(halves) {
        let received = until_closed(stream).await;
        assert!(
            !received.contains("200 OK"),
            "{half:?} was answered: {received}"
        );
    }
    assert!(
        started.elapsed() >= HEADER_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
    health_is_answered(&app).await;
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed_after_the_header_timeout() {
    let app = spawn(16).await;
    let mut stream = send(app.address, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let mut first = [0u8; 512];
    let n = stream.read(&mut first).await.expect("answered");
    let answer = String::from_utf8_lossy(&first[..n]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with("\r\n\r\nok"), "{answer}");
    // Kept alive, then left idle: closed with nothing more sent.
    assert_eq!(until_closed(&mut stream).await, "");
    health_is_answered(&app).await;
}

#[tokio::test]
async fn a_client_that_stops_sending_its_body_is_answered_408_and_disconnected() {
    let app = spawn(16).await;
    let query = r#"{"query":"{ __typename }"}"#;
    let cases = [
        // Half of a declared length.
        format!(
            "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            query.len(),
            &query[..query.len() / 2]
        ),
        // A declared length and no byte of it.
        "POST /alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n".to_owned(),
        // One chunk, then silence before the last one.
        format!(
            "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{query}\r\n",
            query.len()
        ),
    ];
    let mut slow = Vec::new();
    for case in &cases {
        slow.push(send(app.address, case.as_bytes()).await);
    }
    health_is_answered(&app).await;
    for (stream, case) in slow.iter_mut().zip(&cases) {
        let received = until_closed(stream).await;
        assert!(
            received.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "{case:?}: {received}"
        );
        assert!(received.contains("not received within"), "{received}");
    }
    health_is_answered(&app).await;
}

#[tokio::test]
async fn a_body_sent_whole_in_time_is_served_and_one_past_the_limit_is_413() {
    let app = spawn(16).await;
    let query = r#"{"query":"{ __typename }"}"#;
    let whole = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{query}\r\n0\r\n\r\n",
        query.len()
    );
    let received = until_closed(&mut send(app.address, whole.as_bytes()).await).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    assert!(
        received.contains(r#"{"data":{"__typename":"Query"}}"#),
        "{received}"
    );
    // Chunked, so no length to refuse up front: the limit trips while reading.
    let big = "x".repeat(5000);
    let too_large = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    let received = until_closed(&mut send(app.address, too_large.as_bytes()).await).await;
    assert!(
        received.starts_with("HTTP/1.1 413 Payload Too Large"),
        "{received}"
    );
}

#[tokio::test]
async fn a_connection_past_the_cap_is_served_only_once_a_slot_frees() {
    let app = spawn(2).await;
    let mut idle = [send(app.address, b"").await, send(app.address, b"").await];
    let request = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let mut third = send(app.address, request).await;
    let received = until_closed(&mut third).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    // The third was served only after the header timeout closed an idle
    // one: by the time its answer came, one of them is closed already.
    let mut closed = 0;
    for stream in &idle {
        let mut byte = [0u8; 1];
        match stream.try_read(&mut byte) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Ok(0) | Err(_) => closed += 1,
            Ok(_) => panic!("an idle connection was sent something"),
        }
    }
    assert!(
        closed >= 1,
        "the third connection was served while both others held their slots"
    );
    for stream in &mut idle {
        assert_eq!(until_closed(stream).await, "");
    }
    health_is_answered(&app).await;
}
