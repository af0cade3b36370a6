//! The server starts while PostgreSQL is unreachable, says so, and recovers by itself when the
//! database comes back, and again after a later outage. The outage is real: the server talks to
//! PostgreSQL through a TCP proxy in this test, which is cut and restored.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use skillgraph::startup::{Application, Settings};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::{Backend, ScratchDatabase, TestApp};

/// A TCP proxy on a fixed local port that can be cut (every connection dropped, the port
/// closed) and started again.
struct Proxy {
    listener: JoinHandle<()>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(port: u16, target: SocketAddr) -> Proxy {
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", port)).await {
                Ok(listener) => break listener,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let tracked = connections.clone();
        let listener = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let pipe = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tracked.lock().unwrap().push(pipe);
            }
        });
        Proxy {
            listener,
            connections,
        }
    }

    fn cut(self) {
        self.listener.abort();
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}

struct Server {
    address: String,
    client: reqwest::Client,
}

impl Server {
    async fn ready(&self) -> u16 {
        let url = format!("{}/ready", self.address);
        self.client.get(url).send().await.unwrap().status().as_u16()
    }

    async fn query(&self) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": r#"{ role(slug: "backend-developer") { name } }"# }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Polls until the role can be read again; returns how long that took.
    async fn wait_until_served(&self) -> Duration {
        let started = Instant::now();
        loop {
            let (status, body) = self.query().await;
            if status == 200 && body["data"]["role"]["name"] == "Backend Developer" {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no recovery: {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}

#[tokio::test]
async fn starts_without_postgres_and_recovers_from_outages() {
    let Some(database) = ScratchDatabase::create(Backend::Postgres).await else {
        return;
    };
    let real = url::Url::parse(&database.url).unwrap();
    let target: SocketAddr = format!(
        "{}:{}",
        real.host_str().unwrap(),
        real.port_or_known_default().unwrap()
    )
    .parse()
    .unwrap();
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut through_proxy = real.clone();
    through_proxy.set_host(Some("127.0.0.1")).unwrap();
    through_proxy.set_port(Some(port)).unwrap();

    // Start as `serve` does, with nothing listening where the database should be.
    let app = Application::build(&Settings::new(through_proxy.as_str()))
        .await
        .unwrap();
    let server = Server {
        address: format!("http://{}", app.address().unwrap()),
        client: reqwest::Client::new(),
    };
    let serving = tokio::spawn(async move {
        app.serve(std::future::pending()).await.unwrap();
    });

    assert_eq!(server.ready().await, 503);
    let (status, body) = server.query().await;
    assert_eq!(
        (status, code(&body)),
        (503, "SERVICE_UNAVAILABLE"),
        "{body}"
    );

    // The database appears: the server migrates, seeds and serves, by itself.
    let proxy = Proxy::start(port, target).await;
    let first_start = server.wait_until_served().await;
    assert_eq!(server.ready().await, 200);

    // An outage while serving: clear errors, not hangs, and no restart needed afterwards.
    proxy.cut();
    let cut_at = Instant::now();
    let (status, body) = server.query().await;
    assert!(status < 600, "{status}");
    assert_eq!(code(&body), "SERVICE_UNAVAILABLE", "{body}");
    assert!(
        !body.to_string().to_lowercase().contains("select"),
        "no SQL leaked: {body}"
    );
    let outage_answer = cut_at.elapsed();
    assert!(
        outage_answer < Duration::from_secs(10),
        "answered in {outage_answer:?}"
    );
    assert_eq!(server.ready().await, 503);

    let proxy = Proxy::start(port, target).await;
    let recovery = server.wait_until_served().await;
    assert_eq!(server.ready().await, 200);
    let _ = writeln!(
        std::io::stderr(),
        "database faults: first start served {first_start:?} after the database appeared; \
         an outage was answered in {outage_answer:?}; recovery took {recovery:?}"
    );

    proxy.cut();
    serving.abort();
}

#[tokio::test]
async fn slow_statements_are_cancelled_and_reported() {
    let Some(database) = ScratchDatabase::create(Backend::Postgres).await else {
        return;
    };
    let db = skillgraph::db::connect_with(&database.url, Duration::from_millis(200), None)
        .await
        .unwrap();
    let started = Instant::now();
    let err = db
        .conn
        .execute_unprepared("SELECT pg_sleep(5)")
        .await
        .expect_err("the statement is cancelled");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let err = skillgraph::Error::from(err);
    assert_eq!(err.code(), "SERVICE_UNAVAILABLE");
    assert!(
        err.detail().contains("statement timed out"),
        "{}",
        err.detail()
    );
    // The pool is fine afterwards.
    db.conn.execute_unprepared("SELECT 1").await.unwrap();
}

/// When PostgreSQL ends the server's sessions (as it does to every session when it shuts down
/// or restarts: `57P01 admin_shutdown`), the requests that meet a dead connection are told the
/// service is unavailable, a reason to retry, not an internal error; then the pool heals.
#[tokio::test]
async fn terminated_sessions_mean_unavailable() {
    let Some(app) = TestApp::builder(Backend::Postgres).spawn().await else {
        return;
    };
    let query = r#"{ role(slug: "backend-developer") { name } }"#;
    // Open a few pooled connections.
    for _ in 0..3 {
        app.data(query).await;
    }
    let database: String = {
        let row = app
            .db
            .conn
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT current_database() AS name",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "name").unwrap()
    };
    let admin =
        sea_orm::Database::connect(std::env::var(crate::helpers::POSTGRES_URL_VAR).unwrap())
            .await
            .unwrap();
    let terminate = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    );
    admin.execute_unprepared(&terminate).await.unwrap();
    admin.close().await.ok();

    let mut codes = Vec::new();
    for _ in 0..3 {
        let response = app.post(json!({ "query": query })).await;
        if let Some(code) = response["errors"][0]["extensions"]["code"].as_str() {
            codes.push(code.to_owned());
        }
    }
    assert!(
        codes.iter().all(|code| code == "SERVICE_UNAVAILABLE"),
        "{codes:?}"
    );
    let started = Instant::now();
    loop {
        let response = app.post(json!({ "query": query })).await;
        if response["data"]["role"]["name"] == "Backend Developer" {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{response}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
