//! Files a browser loads, compiled into the binary: the IDEs' vendored builds (`vendor/`, see
//! its README for where each comes from) and skillgraph's own page scripts. Nothing is
//! fetched from another host, so the IDEs work offline.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One file served under `/assets/`.
struct Asset {
    path: &'static str,
    bytes: &'static [u8],
    content_type: &'static str,
    /// Whether the path names a fixed version (a vendored package's folder carries its
    /// version), so that a browser may keep it for good.
    immutable: bool,
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const PNG: &str = "image/png";

/// A vendored file: `vendor/FOLDER/FILE`, served as `/assets/FOLDER/FILE`.
macro_rules! vendored {
    ($folder:literal, $file:literal, $content_type:expr) => {
        Asset {
            path: concat!($folder, "/", $file),
            bytes: include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/vendor/",
                $folder,
                "/",
                $file
            )),
            content_type: $content_type,
            immutable: true,
        }
    };
}

/// A page script of our own: `src/http/pages/FILE`, served as `/assets/skillgraph/FILE`.
macro_rules! own {
    ($file:literal, $content_type:expr) => {
        Asset {
            path: concat!("skillgraph/", $file),
            bytes: include_bytes!(concat!("pages/", $file)),
            content_type: $content_type,
            immutable: false,
        }
    };
}

static ASSETS: &[Asset] = &[
    vendored!("graphiql-4.1.2", "graphiql.min.js", JS),
    vendored!("graphiql-4.1.2", "graphiql.min.css", CSS),
    vendored!("graphiql-plugin-explorer-4.0.6", "index.umd.js", JS),
    vendored!("graphiql-plugin-explorer-4.0.6", "style.css", CSS),
    vendored!("react-18.3.1", "react.production.min.js", JS),
    vendored!("react-dom-18.3.1", "react-dom.production.min.js", JS),
    vendored!("graphql-playground-react-1.7.28", "middleware.js", JS),
    vendored!("graphql-playground-react-1.7.28", "index.css", CSS),
    vendored!("graphql-playground-react-1.7.28", "favicon.png", PNG),
    own!("graphiql.js", JS),
    own!("playground.js", JS),
    own!("explore.js", JS),
];

/// How long a browser may keep a file of ours whose path has no version in it.
const OWN_MAX_AGE: &str = "public, max-age=300";

/// `GET /assets/{*path}`.
pub(super) async fn asset(Path(path): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.path == path) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        OWN_MAX_AGE
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache),
        ],
        asset.bytes,
    )
        .into_response()
}
