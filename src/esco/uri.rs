//! What a concept URI of a bundle may be: ESCO's own, in the forms ESCO gives them, or the URI
//! of a concept that a taxonomy built on ESCO added (`https://taxonomy.example.org/skill/42`),
//! since such taxonomies publish their bundles in ESCO's layout with URIs of their own.

/// What every ESCO concept URI begins with.
pub const ESCO_URI: &str = "http://data.europa.eu/esco/";

/// The longest URI kept (the catalog's limit for a source URI).
pub const LONGEST_URI: usize = 512;

/// The kinds of concept ESCO's URIs name (`…/esco/<kind>/<id>`): occupations, skills and skill
/// groups, ISCO-08 groups, and the ISCED-F fields some knowledge groups are.
const ESCO_KINDS: [&str; 4] = ["occupation", "skill", "isco", "isced-f"];

/// Checks a concept URI; what is wrong with it, otherwise.
///
/// - Any absolute `http` or `https` URI with a host, of at most [`LONGEST_URI`] bytes, without
///   whitespace or control characters, whose last part (after the last `/`) holds an ASCII
///   letter or digit: a new concept's slug may take its suffix from there.
/// - In ESCO's namespace (`data.europa.eu/esco/`, by `http` or `https`), exactly
///   `http://data.europa.eu/esco/<kind>/<id>`, the kind one ESCO has ([`ESCO_KINDS`]) and the
///   id of ASCII letters, digits, `-`, `_` and `.`: a mistyped ESCO URI would otherwise import
///   as a concept of its own.
pub fn check(uri: &str) -> Result<(), String> {
    if uri.is_empty() {
        return Err("the URI is empty".into());
    }
    if uri.len() > LONGEST_URI {
        return Err(format!("a URI is at most {LONGEST_URI} bytes"));
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a URI holds no whitespace or control characters".into());
    }
    let scheme_len = ["http://", "https://"]
        .iter()
        .find(|scheme| {
            uri.get(..scheme.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
        })
        .map(|scheme| scheme.len())
        .ok_or("a concept URI begins with http:// or https://")?;
    let rest = &uri[scheme_len..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if !host_of(authority).is_some_and(sane_host) {
        return Err("the URI has no host".into());
    }
    if rest
        .get(..ESCO_HOST.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(ESCO_HOST))
    {
        return esco(uri);
    }
    let last = uri.rsplit('/').next().unwrap_or("");
    if !last.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return Err("the URI's last part (after the last /) holds no letter or digit".into());
    }
    Ok(())
}

/// ESCO's namespace without the scheme.
const ESCO_HOST: &str = "data.europa.eu/esco/";

/// Checks a URI in ESCO's namespace.
fn esco(uri: &str) -> Result<(), String> {
    let form = || format!("ESCO's URIs are {ESCO_URI}<kind>/<id>, the kind one of {ESCO_KINDS:?}");
    let rest = uri.strip_prefix(ESCO_URI).ok_or_else(form)?;
    let (kind, id) = rest.split_once('/').ok_or_else(form)?;
    let id_sane = !id.is_empty()
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if ESCO_KINDS.contains(&kind) && id_sane {
        Ok(())
    } else {
        Err(form())
    }
}

/// The host of an authority (`user@host:port`).
fn host_of(authority: &str) -> Option<&str> {
    let host = authority.rsplit('@').next()?;
    if host.starts_with('[') {
        // An IPv6 literal, `[…]` and an optional port.
        let end = host.find(']')?;
        let port = &host[end + 1..];
        return (port.is_empty() || port_sane(port)).then_some(&host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) => port_sane(port).then_some(name),
        None => Some(host),
    }
}

fn port_sane(port: &str) -> bool {
    port.strip_prefix(':')
        .unwrap_or(port)
        .bytes()
        .all(|b| b.is_ascii_digit())
}

fn sane_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.len() > 1
            && inner
                .trim_end_matches(']')
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esco_uris_in_their_forms_are_accepted() {
        for uri in [
            "http://data.europa.eu/esco/occupation/b1c2d3e4-7777-4000-8111-000000000od1",
            "http://data.europa.eu/esco/skill/0a1b2c3d-0000-4000-8000-00000000ict0",
            "http://data.europa.eu/esco/skill/tree-top",
            "http://data.europa.eu/esco/isco/C2512",
            "http://data.europa.eu/esco/isced-f/0613",
        ] {
            assert_eq!(check(uri), Ok(()), "{uri}");
        }
    }

    #[test]
    fn malformed_esco_uris_are_refused() {
        for uri in [
            "http://data.europa.eu/esco/",
            "http://data.europa.eu/esco/skill",
            "http://data.europa.eu/esco/skill/",
            "http://data.europa.eu/esco/skill/a/b",
            "http://data.europa.eu/esco/skill/../../etc",
            "http://data.europa.eu/esco/skill/%00",
            "http://data.europa.eu/esco/skil/5b6a1d2e",
            "https://data.europa.eu/esco/skill/5b6a1d2e",
            "HTTP://DATA.EUROPA.EU/esco/skill/5b6a1d2e",
        ] {
            let err = check(uri).expect_err(uri);
            assert!(err.starts_with("ESCO's URIs are"), "{uri}: {err}");
        }
    }

    #[test]
    fn extension_uris_are_accepted() {
        for uri in [
            "https://taxonomy.example.org/skill/42",
            "http://example.com/7d8e9f0a",
            "https://user@example.org:8443/concepts?id=7",
            "https://[2001:db8::1]/skill/x1",
            "https://bücher.example/skill/é1",
        ] {
            assert_eq!(check(uri), Ok(()), "{uri}");
        }
    }

    #[test]
    fn what_is_no_sane_uri_is_refused() {
        for (uri, what) in [
            ("", "empty"),
            ("skill/42", "begins with"),
            ("ftp://example.org/skill/42", "begins with"),
            ("urn:esco:skill:42", "begins with"),
            ("https:///skill/42", "no host"),
            ("https://:80/skill/42", "no host"),
            ("https://exa mple.org/skill/42", "whitespace"),
            ("https://example.org/skill/4\u{85}2", "control"),
            ("https://example.org/skill/", "last part"),
            ("https://example.org/skill/ü", "last part"),
        ] {
            let err = check(uri).expect_err(uri);
            assert!(err.contains(what), "{uri:?}: {err}");
        }
        let long = format!("https://example.org/{}", "a".repeat(LONGEST_URI));
        assert!(check(&long).expect_err("long").contains("at most 512"));
    }
}
