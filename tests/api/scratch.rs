//! A fresh, empty database of its own, removed when dropped: a file in the temporary
//! directory, or a database created on a PostgreSQL server (the database the server's URL
//! names is never touched).
//!
//! The integration suite and the benchmarks both use it; it names only std, tokio, sea-orm, url and
//! uuid, so that `benches/common` includes this file as a module of its own.

use std::io::Write;
use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database};

/// A new empty database, removed when dropped.
pub struct ScratchDatabase {
    /// The URL to connect to it with.
    pub url: String,
    place: Place,
}

/// Where a scratch database lives, so that it can be removed.
enum Place {
    SqliteFile(PathBuf),
    PostgresDatabase { server: String, name: String },
}

impl ScratchDatabase {
    /// A database file of its own in the temporary directory (created by its first
    /// connection).
    pub fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("skillgraph-scratch-{}.db", unique()));
        ScratchDatabase {
            url: format!("sqlite://{}", path.display()),
            place: Place::SqliteFile(path),
        }
    }

    /// A database of its own created on the PostgreSQL server `server` (a URL of it).
    pub async fn postgres(server: &str) -> Self {
        let name = format!("skillgraph_scratch_{}", unique());
        let admin = Database::connect(server)
            .await
            .expect("connect to the PostgreSQL server");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the scratch database");
        admin.close().await.ok();
        let mut url = url::Url::parse(server).expect("a valid PostgreSQL URL");
        url.set_path(&name);
        ScratchDatabase {
            url: url.to_string(),
            place: Place::PostgresDatabase {
                server: server.to_owned(),
                name,
            },
        }
    }

    /// Whether it is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self.place, Place::PostgresDatabase { .. })
    }
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        match &self.place {
            Place::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Place::PostgresDatabase { server, name } => {
                // Drop may run inside an async runtime, which cannot be blocked on: a thread
                // with a runtime of its own removes the database.
                let server = server.clone();
                let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    runtime.block_on(async {
                        let admin = Database::connect(&server).await?;
                        admin.execute_unprepared(&statement).await?;
                        admin.close().await
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    let _ = writeln!(std::io::stderr(), "could not drop scratch database {name}");
                }
            }
        }
    }
}
