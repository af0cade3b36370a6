//! Graceful shutdown of the `skillgraph` binary: on SIGTERM the request in flight is finished,
//! new connections are refused, and the process exits cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server process, killed if the test fails before it exits by itself.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a scratch SQLite file and returns it with the address it listens on.
fn start(database: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", database.display()))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start skillgraph");
    let stderr = child.stderr.take().expect("stderr");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("database ready") {
                let _ = sender.send(None);
            } else if let Some((_, rest)) = line.split_once("listening on http://") {
                let address = rest.split_whitespace().next().unwrap_or_default();
                let _ = sender.send(Some(address.to_owned()));
            }
        }
    });
    let server = Server(child);
    let wait = Duration::from_secs(20);
    let address = receiver
        .recv_timeout(wait)
        .ok()
        .flatten()
        .expect("an address");
    receiver
        .recv_timeout(wait)
        .expect("the database gets ready");
    (server, address)
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits() {
    let database = std::env::temp_dir().join(format!("skillgraph-{}.db", uuid::Uuid::new_v4()));
    let (mut server, address) = start(&database);

    // A request whose body arrives in two parts, with the signal sent in between.
    let body = r#"{"query":"{ roles { totalCount } }"}"#;
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());

    // New connections are refused once the server has seen the signal.
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(&address).is_ok() {
        assert!(Instant::now() < deadline, "still accepting connections");
        std::thread::sleep(Duration::from_millis(20));
    }

    // The request in flight is still answered in full.
    stream.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#"{"data":{"roles":{"totalCount":5}}}"#),
        "{answer}"
    );

    // And the process exits by itself, cleanly.
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
}
