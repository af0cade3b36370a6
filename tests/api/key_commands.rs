//! `skillgraph keys create|list|revoke`, and a key is never written to the server's log.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Runs the binary with `args` on the SQLite file `database`.
fn skillgraph(database: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", database.display()))
        .args(args)
        .output()
        .expect("run skillgraph")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn keys_are_made_listed_revoked_and_never_logged() {
    let scratch = std::env::temp_dir().join(format!("skillgraph-keys-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let database = scratch.join("skillgraph.db");

    let created = skillgraph(
        &database,
        &["keys", "create", "--name", "ci", "--scope", "write"],
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let key = text(&created.stdout).trim().to_owned();
    assert!(
        key.starts_with("sgk_") && key.len() > 60,
        "one key on stdout: {key:?}"
    );
    assert!(text(&created.stderr).contains("shown this once"));

    let again = skillgraph(
        &database,
        &["keys", "create", "--name", "ci", "--scope", "admin"],
    );
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("exists"),
        "{}",
        text(&again.stderr)
    );
    let bad_scope = skillgraph(
        &database,
        &["keys", "create", "--name", "x", "--scope", "root"],
    );
    assert!(!bad_scope.status.success());

    let listed = skillgraph(&database, &["keys", "list"]);
    let listing = text(&listed.stdout);
    assert!(listing.contains("ci") && listing.contains("write") && listing.contains("active"));
    // `sgk_<prefix>_<secret>`: the secret is everything after the second underscore (its
    // URL-safe base64 may hold underscores of its own).
    let secret = key.splitn(3, '_').nth(2).unwrap_or_default();
    assert!(secret.len() >= 40, "the secret part: {secret:?}");
    assert!(!listing.contains(secret), "the list never shows a key");

    // The server, with every log line on, sees the key in use and refused once revoked.
    let log = scratch.join("server.log");
    let mut server = Command::new(env!("CARGO_BIN_EXE_skillgraph"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", database.display()))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start skillgraph");
    let mut address = String::new();
    for _ in 0..200 {
        let written = std::fs::read_to_string(&log).unwrap_or_default();
        if written.contains("database ready")
            && let Some((_, rest)) = written.split_once("listening on http://")
        {
            address = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!address.is_empty(), "the server started");
    let client = reqwest::Client::new();
    let mutation = serde_json::json!({"query": "mutation { updateSkill(input: {skill: \"caching\", name: \"C\"}) { revision } }"});
    let post = |key: String| {
        client
            .post(format!("http://{address}/graphql"))
            .bearer_auth(key)
            .json(&mutation)
            .send()
    };
    assert_eq!(post(key.clone()).await.expect("sent").status(), 200);
    let revoked = skillgraph(&database, &["keys", "revoke", "ci"]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert_eq!(post(key.clone()).await.expect("sent").status(), 401);
    assert!(
        !skillgraph(&database, &["keys", "revoke", "ci"])
            .status
            .success()
    );
    let _ = server.kill();
    let _ = server.wait();

    let written = std::fs::read_to_string(&log).expect("the log");
    assert!(written.contains("/graphql"), "requests were logged");
    assert!(!written.contains(secret), "the key is never logged");
    let listing = text(&skillgraph(&database, &["keys", "list"]).stdout);
    assert!(listing.contains("revoked"), "{listing}");
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A user's mistake is one line, `error: …`, and a failed exit, whatever `RUST_BACKTRACE`
/// says; commands other than `serve` log nothing at the default level.
#[tokio::test]
async fn commands_fail_in_one_line_and_are_otherwise_quiet() {
    let scratch = std::env::temp_dir().join(format!("skillgraph-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let database = scratch.join("skillgraph.db");
    let bad = scratch.join("bad.toml");
    std::fs::write(&bad, "[[roles]]\nslug = \"x\"\nname = \n").expect("write the file");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_skillgraph"))
            .arg("--database-url")
            .arg(format!("sqlite://{}", database.display()))
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .env_remove("RUST_LOG")
            .output()
            .expect("run skillgraph")
    };

    let migrated = run(&["migrate"]);
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert_eq!(text(&migrated.stderr), "", "no log lines");
    assert_eq!(text(&migrated.stdout), "database is up to date\n");

    let path = bad.display().to_string();
    let cases: [(&[&str], &str); 3] = [
        (&["import", "catalog", &path], "line 3, column 8"),
        (
            &["keys", "revoke", "nobody"],
            "no active key is named \"nobody\"",
        ),
        (
            &["import", "catalog", "/no/such/file.toml"],
            "/no/such/file.toml",
        ),
    ];
    for (args, said) in cases {
        let failed = run(args);
        let stderr = text(&failed.stderr);
        assert_eq!(failed.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(said),
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&scratch).ok();
}
