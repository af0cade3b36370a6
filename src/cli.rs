//! The `skillgraph` command line: `serve` (the default), `migrate`, `seed`, `schema`,
//! `generate`, `keys create|list|revoke`, `export` and `import catalog`.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::catalog::{self, SeedOutcome};
use crate::db::{self, DEFAULT_DATABASE_URL};
use crate::generator::{self, GraphSize};
use crate::graphql::{self, Limits, ListResolution, TrustedDocuments};
use crate::http::HttpConfig;
use crate::keys;
use crate::startup::{Application, Settings};
use crate::{Error, Result};

/// How log lines are written.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Parser, Debug)]
#[command(
    name = "skillgraph",
    version,
    about = "A GraphQL service over a graph of job roles, skills, languages, frameworks and tools."
)]
pub struct Cli {
    /// Log line format.
    #[arg(long, env = "SKILLGRAPH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Database to use: `sqlite://FILE` (created if missing) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate, load the built-in catalog into an empty database, and serve (the default).
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date.
    Migrate,
    /// Load the built-in catalog into an empty database.
    Seed {
        /// Delete whatever the database holds and load the catalog instead.
        #[arg(long)]
        replace: bool,
    },
    /// Print the GraphQL schema (SDL) the server serves.
    Schema,
    /// Fill an empty database with a deterministic synthetic graph (for load tests).
    Generate {
        #[command(flatten)]
        size: GraphSize,
        /// Delete whatever the database holds first.
        #[arg(long)]
        replace: bool,
    },
    /// Write an ESCO-shaped CSV bundle (ESCO v1.2's size by default) into DIR, for
    /// `import esco` without the download.
    GenerateEsco {
        dir: std::path::PathBuf,
        #[command(flatten)]
        size: crate::esco::generate::BundleSize,
    },
    /// Manage the API keys that may write.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write the whole graph in the catalog format (the built-in catalog's), to FILE or
    /// standard output, with every release made of it (each with its graph as it was), so
    /// that `import catalog` of the file restores the releases too.
    Export {
        /// `toml` (the built-in catalog's layout) or `json`; by FILE's extension if not given.
        #[arg(long, value_parser = ["toml", "json"])]
        format: Option<String>,
        /// Print the JSON Schema of the format instead.
        #[arg(long, conflicts_with = "format")]
        json_schema: bool,
        /// Export the named release as it was made, instead of the live graph.
        #[arg(long, value_name = "NAME", conflicts_with = "json_schema")]
        release: Option<String>,
        file: Option<std::path::PathBuf>,
    },
    /// Load data into the database.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// `skillgraph import ...`
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Load a file in the catalog format (TOML, or JSON by its `.json` extension), as
    /// `export` writes it, into an empty database; checked whole first, loaded in one
    /// transaction.
    Catalog {
        file: std::path::PathBuf,
        /// Delete whatever the database holds and load the file instead (one transaction).
        #[arg(long)]
        replace: bool,
        /// Run the whole import, checks included, and roll it back: say what it would change
        /// (nodes, edges, the roles whose needs change) and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import ESCO's CSV bundle (as downloaded from esco.ec.europa.eu) from DIR: occupations
    /// become roles, skills and skill groups skills. Importing again updates what changed,
    /// found by URI; nodes curated by hand are never touched. One transaction: a bundle with
    /// a mistake is refused with the file, line and column, and nothing is written.
    ///
    /// Text is repaired where the repair is unambiguous: mojibake (UTF-8 read as Latin-1 or
    /// Windows-1252, `â€™` → `’`), stray control characters, byte order marks, CRLF inside
    /// cells, whitespace around cells and labels, repeated alternative labels. The repairs are
    /// counted per kind on the terminal, with the first few. Concept URIs may be ESCO's or
    /// any http(s) URI of a taxonomy built on ESCO.
    Esco {
        dir: std::path::PathBuf,
        /// The languages of the files to read, by ESCO's file names: `en` reads
        /// `occupations_en.csv`, ...; `en,de,fr,sv` reads each (the concepts and relations from
        /// `en`'s, each other language's text as the concepts' labels in it); `all` every
        /// language in DIR. Without `en`, only the named languages' labels change.
        #[arg(long, default_value = "en")]
        language: String,
        /// Refuse the bundle at the first repair its text would need (with its place),
        /// instead of repairing; nothing is written.
        #[arg(long)]
        strict: bool,
        /// Write every repair to FILE, as plain text, one a line:
        /// `file:line:column: column name: kind: "before" → "after"`, the texts escaped as
        /// Rust writes them (`\u{80}`), cut after 200 characters. Written as the repairs are
        /// found, so also when the import is then refused.
        #[arg(long, value_name = "FILE")]
        report: Option<std::path::PathBuf>,
        /// Run the whole import, checks included, and roll it back: say what it would change
        /// (nodes, edges, the roles whose needs change) and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `skillgraph keys ...`
#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Make a key and print it: it is shown this once, and only its hash is stored.
    Create {
        /// Who holds the key; the change log names the key's writes by it.
        #[arg(long)]
        name: String,
        /// `write`: change the graph; `admin`: also see which key made each change in the log.
        #[arg(long, value_parser = ["write", "admin"])]
        scope: String,
    },
    /// List the keys (names, scopes, prefixes, whether revoked; never the keys).
    List,
    /// Revoke the key with this name; it stops working at once, on every replica.
    Revoke {
        /// The key's name.
        name: String,
    },
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SKILLGRAPH_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,

    /// The limits of one query.
    #[command(flatten)]
    pub limits: Limits,

    /// Milliseconds a statement may run on PostgreSQL before it is cancelled (reported to the
    /// client as `SERVICE_UNAVAILABLE`).
    #[arg(long, env = "SKILLGRAPH_STATEMENT_TIMEOUT_MS", default_value_t = db::DEFAULT_STATEMENT_TIMEOUT.as_millis() as u64)]
    pub statement_timeout_ms: u64,

    /// The most database connections this server opens (default: 2 on a SQLite file, 10 on
    /// PostgreSQL, where replicas × this must stay below the server's `max_connections`).
    #[arg(long, env = "SKILLGRAPH_DATABASE_CONNECTIONS")]
    pub database_connections: Option<u32>,

    /// The largest request body accepted, in bytes (larger: 413).
    #[arg(long, env = "SKILLGRAPH_MAX_BODY_BYTES", default_value_t = HttpConfig::default().max_body_bytes)]
    pub max_body_bytes: usize,

    /// The largest answer sent, in bytes (larger: an `ANSWER_TOO_LARGE` error instead).
    #[arg(long, env = "SKILLGRAPH_MAX_ANSWER_BYTES", default_value_t = HttpConfig::default().max_answer_bytes)]
    pub max_answer_bytes: usize,

    /// Seconds a request may take before it is abandoned (503).
    #[arg(long, env = "SKILLGRAPH_REQUEST_TIMEOUT", default_value_t = HttpConfig::default().request_timeout.as_secs())]
    pub request_timeout: u64,

    /// The most operations one POST may batch in a JSON array (more: 400); 1 turns batching off.
    #[arg(long, env = "SKILLGRAPH_MAX_BATCH_SIZE", default_value_t = HttpConfig::default().max_batch_size,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max_batch_size: u16,

    /// Origins allowed to call the API from a browser, comma-separated (`*` for any).
    #[arg(long, env = "SKILLGRAPH_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Seconds browsers and CDNs may keep a GET answer (`Cache-Control: max-age`).
    #[arg(long, env = "SKILLGRAPH_CACHE_MAX_AGE", default_value_t = HttpConfig::default().cache_max_age.as_secs())]
    pub cache_max_age: u64,

    /// Answers larger than this many bytes are gzip-compressed for clients that accept it.
    #[arg(long, env = "SKILLGRAPH_COMPRESS_ABOVE", default_value_t = HttpConfig::default().compress_above)]
    pub compress_above: u16,

    /// Whether list items answer their plain fields without a future each (`--fast-lists
    /// false` resolves every list through async-graphql alone; the answers are the same).
    #[arg(long, env = "SKILLGRAPH_FAST_LISTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub fast_lists: bool,

    /// Whether reading needs an API key too (writing always does).
    #[arg(long, env = "SKILLGRAPH_REQUIRE_KEY_FOR_READS", default_value_t = false, action = clap::ArgAction::Set)]
    pub require_key_for_reads: bool,

    /// Writes per second each API key and each client address may make on average (0: no
    /// limit); more get 429 with `Retry-After`.
    #[arg(long, env = "SKILLGRAPH_WRITE_RATE", default_value_t = HttpConfig::default().write_rate)]
    pub write_rate: u32,

    /// Writes each key and each address may make at once, above the rate.
    #[arg(long, env = "SKILLGRAPH_WRITE_BURST", default_value_t = HttpConfig::default().write_burst)]
    pub write_burst: u32,

    /// Read operations per second each API key and each client address may make on average
    /// (0, the default: no limit); more get 429 with `Retry-After`.
    #[arg(long, env = "SKILLGRAPH_READ_RATE", default_value_t = HttpConfig::default().read_rate)]
    pub read_rate: u32,

    /// Read operations each key and each address may make at once, above the rate.
    #[arg(long, env = "SKILLGRAPH_READ_BURST", default_value_t = HttpConfig::default().read_burst)]
    pub read_burst: u32,

    /// The most WebSocket connections this server holds open (more: 503).
    #[arg(long, env = "SKILLGRAPH_MAX_WEBSOCKETS", default_value_t = HttpConfig::default().max_websockets)]
    pub max_websockets: usize,

    /// The most subscriptions one WebSocket connection may run at once.
    #[arg(long, env = "SKILLGRAPH_MAX_SUBSCRIPTIONS", default_value_t = HttpConfig::default().max_subscriptions)]
    pub max_subscriptions: usize,

    /// The most operations (queries included) one WebSocket connection may run at once.
    #[arg(long, env = "SKILLGRAPH_MAX_SOCKET_OPERATIONS", default_value_t = HttpConfig::default().max_socket_operations)]
    pub max_socket_operations: usize,

    /// The most WebSocket connections one client address may hold (more: 429).
    #[arg(long, env = "SKILLGRAPH_MAX_WEBSOCKETS_PER_ADDRESS", default_value_t = HttpConfig::default().max_websockets_per_address)]
    pub max_websockets_per_address: usize,

    /// Seconds a new WebSocket has to send `connection_init` (then: close 4408).
    #[arg(long, env = "SKILLGRAPH_WEBSOCKET_INIT_TIMEOUT", default_value_t = HttpConfig::default().websocket_init_timeout.as_secs())]
    pub websocket_init_timeout: u64,

    /// Seconds between the server's pings on each WebSocket.
    #[arg(long, env = "SKILLGRAPH_WEBSOCKET_KEEPALIVE", default_value_t = HttpConfig::default().websocket_keepalive.as_secs())]
    pub websocket_keepalive: u64,

    /// Seconds a WebSocket may stay silent, answering no ping, before it is closed (1001).
    #[arg(long, env = "SKILLGRAPH_WEBSOCKET_IDLE_TIMEOUT", default_value_t = HttpConfig::default().websocket_idle_timeout.as_secs())]
    pub websocket_idle_timeout: u64,

    /// The locale answers speak when a request names none (`Accept-Language` or a field's
    /// `locale`), a BCP 47 tag; every text falls back to it, then to `en`.
    #[arg(long, env = "SKILLGRAPH_DEFAULT_LOCALE", default_value = crate::graph::locales::CATALOG)]
    pub default_locale: String,

    /// The most bytes of persisted-query documents a server remembers (the least recently
    /// used are forgotten first).
    #[arg(long, env = "SKILLGRAPH_PERSISTED_QUERY_BYTES", default_value_t = HttpConfig::default().persisted_query_bytes)]
    pub persisted_query_bytes: usize,

    /// Run only the documents this manifest lists (repeatable; comma-separated in the
    /// environment): Apollo's persisted query manifest or graphql-codegen's
    /// `persisted-documents.json`. Anything else is refused (`UNTRUSTED_DOCUMENT`,
    /// `PERSISTED_QUERY_NOT_FOUND` for an unknown id). Read again on SIGHUP.
    #[arg(
        long,
        env = "SKILLGRAPH_TRUSTED_DOCUMENTS",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub trusted_documents: Vec<std::path::PathBuf>,

    /// Whether a key with the `admin` scope may run any document, listed or not, when
    /// `--trusted-documents` is given (for operators and their tools).
    #[arg(long, env = "SKILLGRAPH_ADMIN_RUNS_ANY_DOCUMENT", default_value_t = false, action = clap::ArgAction::Set)]
    pub admin_runs_any_document: bool,
}

/// `serve` with its defaults (and environment), for when no subcommand is given.
#[derive(Parser)]
struct DefaultServe {
    #[command(flatten)]
    args: ServeArgs,
}

impl ServeArgs {
    /// The settings these arguments give, over `database_url`.
    fn settings(&self, database_url: &str) -> Result<Settings> {
        Ok(Settings {
            database_url: database_url.to_owned(),
            listen: self.listen,
            statement_timeout: std::time::Duration::from_millis(self.statement_timeout_ms),
            database_connections: self.database_connections,
            limits: self.limits()?,
            default_locale: crate::graph::locales::canonical(&self.default_locale).ok_or_else(
                || {
                    Error::bad_input(format!(
                        "--default-locale must be a BCP 47 language tag such as `en` or `pt-BR`, got {:?}",
                        self.default_locale
                    ))
                },
            )?,
            lists: if self.fast_lists {
                ListResolution::Fast
            } else {
                ListResolution::Generic
            },
            http: HttpConfig {
                max_body_bytes: self.max_body_bytes,
                max_answer_bytes: self.max_answer_bytes,
                request_timeout: std::time::Duration::from_secs(self.request_timeout),
                max_batch_size: self.max_batch_size,
                cors_origins: self.cors_origins.clone(),
                cache_max_age: std::time::Duration::from_secs(self.cache_max_age),
                compress_above: self.compress_above,
                require_key_for_reads: self.require_key_for_reads,
                write_rate: self.write_rate,
                write_burst: self.write_burst,
                read_rate: self.read_rate,
                read_burst: self.read_burst,
                max_websockets: self.max_websockets,
                max_subscriptions: self.max_subscriptions,
                persisted_query_bytes: self.persisted_query_bytes,
                max_socket_operations: self.max_socket_operations,
                max_websockets_per_address: self.max_websockets_per_address,
                websocket_init_timeout: Duration::from_secs(self.websocket_init_timeout),
                websocket_keepalive: Duration::from_secs(self.websocket_keepalive.max(1)),
                websocket_idle_timeout: Duration::from_secs(self.websocket_idle_timeout),
            },
            trusted_documents: self.trusted_documents.clone(),
            admin_runs_any_document: self.admin_runs_any_document,
        })
    }

    fn limits(&self) -> Result<Limits> {
        if self.limits.default_page_size > self.limits.max_page_size {
            return Err(Error::bad_input(
                "--default-page-size may not exceed --max-page-size",
            ));
        }
        Ok(self.limits)
    }
}

impl Cli {
    /// Whether the command is `serve` (also the default).
    pub fn serves(&self) -> bool {
        matches!(self.command, None | Some(Command::Serve(_)))
    }
}

/// What a failed command prints: the error and its causes on one line (`a: b: c`), whatever
/// `RUST_BACKTRACE` says. A parser's excerpt of the offending line (TOML's `3 | name =` and
/// its caret) is left out; the position it gives in words stays.
pub fn one_line(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    let excerpt = |line: &str| {
        let before_bar = line.split_once('|').map(|(head, _)| head.trim());
        before_bar.is_some_and(|head| head.chars().all(|c| c.is_ascii_digit()))
    };
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !excerpt(line))
        .collect();
    parts.join(": ").replace(":: ", ": ")
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(Box::new(DefaultServe::parse_from(["skillgraph"]).args)));
    match command {
        Command::Schema => print!("{}", graphql::sdl()),
        Command::Migrate => {
            prepared(&cli.database_url).await?;
            println!("database is up to date");
        }
        Command::Seed { replace } => {
            let db = prepared(&cli.database_url).await?;
            match catalog::seed(&db, &catalog::built_in()?, replace).await? {
                SeedOutcome::Loaded(summary) => println!("loaded the catalog: {summary}"),
                SeedOutcome::AlreadyHasData(existing) => {
                    anyhow::bail!(
                        "the database already holds data ({existing}); nothing was loaded. \
                         Run `skillgraph seed --replace` to replace it with the built-in catalog."
                    );
                }
            }
        }
        Command::Generate { size, replace } => {
            let db = prepared(&cli.database_url).await?;
            let started = std::time::Instant::now();
            let summary = generator::generate(&db, &size, replace).await?;
            println!("generated {summary} in {:.1?}", started.elapsed());
        }
        Command::GenerateEsco { dir, size } => {
            println!("wrote {}", crate::esco::generate::generate(&dir, &size)?);
        }
        Command::Export {
            format,
            json_schema,
            release,
            file,
        } => {
            let text = if json_schema {
                catalog::Catalog::json_schema()?
            } else {
                let db = prepared(&cli.database_url).await?;
                let exported = match release {
                    Some(name) => match crate::releases::catalog(&db, &name).await? {
                        Some((_, catalog)) => catalog,
                        None => anyhow::bail!("there is no release named {name:?}"),
                    },
                    None => catalog::export_all(&db.conn).await?,
                };
                let json = match format.as_deref() {
                    Some(format) => format == "json",
                    None => is_json(file.as_deref()),
                };
                if json {
                    exported.to_json()?
                } else {
                    exported.to_toml()?
                }
            };
            match file {
                Some(file) => std::fs::write(&file, text)
                    .map_err(|err| anyhow::anyhow!("write {}: {err}", file.display()))?,
                None => print!("{text}"),
            }
        }
        Command::Import(ImportCommand::Catalog {
            file,
            replace,
            dry_run,
        }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|err| anyhow::anyhow!("read {}: {err}", file.display()))?;
            let imported = if is_json(Some(&file)) {
                catalog::Catalog::parse_json(&text)?
            } else {
                catalog::Catalog::parse(&text)?
            };
            let db = prepared(&cli.database_url).await?;
            let (outcome, before) =
                catalog::import_with(&db, &imported, replace, "command line", dry_run).await?;
            match outcome {
                SeedOutcome::Loaded(summary) if dry_run => println!(
                    "dry run, nothing written: importing would load {summary}; it changes {}",
                    crate::releases::diff::impact(&before, &imported)?
                ),
                SeedOutcome::Loaded(summary) => println!("imported {summary}"),
                SeedOutcome::AlreadyHasData(existing) => anyhow::bail!(
                    "the database already holds data ({existing}); nothing was imported. \
                     Pass --replace to replace it with the file."
                ),
            }
        }
        Command::Import(ImportCommand::Esco {
            dir,
            language,
            strict,
            report: report_file,
            dry_run,
        }) => {
            let db = prepared(&cli.database_url).await?;
            let sink: Option<Box<dyn std::io::Write + Send>> = match &report_file {
                Some(file) => Some(Box::new(std::io::BufWriter::new(
                    std::fs::File::create(file)
                        .map_err(|err| anyhow::anyhow!("write {}: {err}", file.display()))?,
                ))),
                None => None,
            };
            // Five files of the catalog's locale, three of each other, and two steps more.
            let languages = crate::esco::languages(&dir, &language)?;
            let catalog_locale = crate::graph::locales::CATALOG;
            let others = languages
                .iter()
                .filter(|(_, l)| l != catalog_locale)
                .count();
            let en = usize::from(others < languages.len());
            let mut progress = Progress::new(5 * en + 3 * others + 2);
            let imported = crate::esco::import_with(
                &db,
                &dir,
                &language,
                "command line",
                crate::esco::Repairs::new(strict, sink),
                dry_run,
                &mut |step| progress.step(step),
            )
            .await?;
            progress.finish();
            print_repairs(&imported.repairs, report_file.as_deref());
            let report = &imported.report;
            if dry_run {
                println!(
                    "dry run, nothing written: importing ESCO from {} would do {report}; it changes {}",
                    dir.display(),
                    crate::releases::diff::impact(&imported.before, &imported.after)?
                );
            } else if report.changes() {
                println!("imported ESCO from {}: {report}", dir.display());
            } else {
                println!("nothing to change: the database already holds this bundle ({report})");
            }
        }
        Command::Keys(command) => {
            let db = prepared(&cli.database_url).await?;
            manage_keys(&db, command).await?;
        }
        Command::Serve(args) => serve(&cli.database_url, &args).await?,
    }
    Ok(())
}

/// How many repairs the summary of an import shows.
const REPAIRS_SHOWN: usize = 10;

/// The summary of an import's repairs: the count of each kind, and the first few.
fn print_repairs(repairs: &crate::esco::Repairs, report: Option<&std::path::Path>) {
    if repairs.total() == 0 {
        return;
    }
    println!("repaired the bundle's text: {repairs}");
    for repair in repairs.kept().iter().take(REPAIRS_SHOWN) {
        println!("  {repair}");
    }
    if repairs.total() > REPAIRS_SHOWN {
        let more = repairs.total() - REPAIRS_SHOWN;
        match report {
            Some(file) => println!("  … and {more} more, all of them in {}", file.display()),
            None => println!("  … and {more} more; --report FILE writes all of them"),
        }
    } else if let Some(file) = report {
        println!("  (written to {})", file.display());
    }
}

/// The database at `url`, connected and migrated: what every command but `serve` (which
/// prepares it in the background) and `schema` starts with.
async fn prepared(url: &str) -> Result<db::Db> {
    let db = db::connect(url).await?;
    db::migrate(&db).await?;
    Ok(db)
}

/// Whether a catalog file is JSON (by its extension; TOML otherwise).
fn is_json(file: Option<&std::path::Path>) -> bool {
    file.and_then(|file| file.extension())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
}

/// `keys create|list|revoke`. The key itself goes to standard output once, alone on its
/// line, so that a script can capture it; nothing else ever prints it.
async fn manage_keys(db: &db::Db, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create { name, scope } => {
            let scope = keys::Scope::parse(&scope)
                .ok_or_else(|| anyhow::anyhow!("--scope is write or admin"))?;
            let (model, key) = keys::create(db, &name, scope).await?;
            eprintln!(
                "created key {:?} (scope {}); it is shown this once, store it now:",
                model.name, model.scope
            );
            println!("{key}");
        }
        KeysCommand::List => {
            println!("{:<32} {:<6} {:<20} status", "name", "scope", "prefix");
            for key in keys::list(db).await? {
                let status = if key.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{:<32} {:<6} sgk_{:<16} {status}",
                    key.name, key.scope, key.prefix
                );
            }
        }
        KeysCommand::Revoke { name } => {
            if keys::revoke(db, &name).await? {
                println!("revoked key {name:?}");
            } else {
                anyhow::bail!("no active key is named {name:?}");
            }
        }
    }
    Ok(())
}

/// Builds the application, and serves until SIGINT or SIGTERM; the database is prepared
/// (migrated, seeded if empty) in the background, as soon as it answers. With trusted
/// documents, SIGHUP reads their manifests again.
async fn serve(database_url: &str, args: &ServeArgs) -> anyhow::Result<()> {
    let settings = args.settings(database_url)?;
    let app = Application::build(&settings).await?;
    let reloading = reload_on_hangup(app.trusted_documents());
    tracing::info!(
        "skillgraph listening on http://{} (GraphiQL at /, Playground at /playground)",
        app.address()?
    );
    let served = app.serve(shutdown_signal()).await;
    if let Some(reloading) = reloading {
        reloading.abort();
    }
    served?;
    Ok(())
}

/// Reads the manifests of `trusted` again at every SIGHUP, off the request threads; a
/// manifest that cannot be read or used leaves the documents before in force and is logged,
/// and the server goes on. Listens only when trusted documents are on: otherwise SIGHUP
/// keeps its usual meaning, the end of the process. The handler is in place when this
/// returns, so a SIGHUP sent once the server says it listens is never the end of it.
fn reload_on_hangup(trusted: TrustedDocuments) -> Option<tokio::task::JoinHandle<()>> {
    if !trusted.is_on() {
        return None;
    }
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(hangups) => hangups,
            Err(err) => {
                tracing::warn!(%err, "cannot listen for SIGHUP; the trusted documents will not be reloaded");
                return None;
            }
        };
        Some(tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                let reloaded = trusted.clone();
                match tokio::task::spawn_blocking(move || reloaded.reload()).await {
                    Ok(Ok(documents)) => tracing::info!(
                        "reloaded the trusted documents: {documents} documents of {} manifests",
                        trusted.files().len()
                    ),
                    Ok(Err(err)) => {
                        tracing::error!("{err}; the trusted documents loaded before stay in force")
                    }
                    Err(err) => tracing::error!(%err, "the reload of the trusted documents failed"),
                }
            }
        }))
    }
    #[cfg(not(unix))]
    {
        drop(trusted);
        None
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// What a long command is doing: a bar redrawn in place on a terminal, one log line per step
/// otherwise (a CI log, a file).
struct Progress {
    steps: usize,
    done: usize,
    terminal: bool,
    started: std::time::Instant,
}

impl Progress {
    fn new(steps: usize) -> Self {
        use std::io::IsTerminal;
        Progress {
            steps,
            done: 0,
            terminal: std::io::stderr().is_terminal(),
            started: std::time::Instant::now(),
        }
    }

    fn step(&mut self, what: &str) {
        self.done = (self.done + 1).min(self.steps);
        let elapsed = self.started.elapsed().as_secs_f64();
        if self.terminal {
            const WIDTH: usize = 30;
            let filled = WIDTH * self.done / self.steps.max(1);
            eprint!(
                "\r\x1b[2K[{}{}] {}/{} {elapsed:5.1}s {what}",
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                self.done,
                self.steps
            );
        } else {
            eprintln!("[{}/{}] {elapsed:.1}s {what}", self.done, self.steps);
        }
    }

    fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_one_line_with_its_position() {
        let toml = "TOML parse error at line 3, column 8\n  |\n3 | name = \n  |        ^\n\
                    string values must be quoted, expected literal string\n";
        let err = anyhow::anyhow!(toml.to_owned()).context("catalog");
        assert_eq!(
            one_line(&err),
            "catalog: TOML parse error at line 3, column 8: string values must be quoted, \
             expected literal string"
        );
        let err = anyhow::anyhow!("no active key is named \"x\"");
        assert_eq!(one_line(&err), "no active key is named \"x\"");
    }

    #[test]
    fn only_serve_logs_what_it_does() {
        let serves = |args: &[&str]| Cli::parse_from(args).serves();
        assert!(serves(&["skillgraph"]));
        assert!(serves(&["skillgraph", "serve"]));
        assert!(!serves(&["skillgraph", "migrate"]));
        assert!(!serves(&["skillgraph", "keys", "list"]));
    }
}
