//! The checks that make a catalog loadable: slugs unique per kind, references to nodes that
//! exist, no cycles, texts within the bounds every writer keeps, sane sources. Every problem
//! is collected, so that one run shows them all.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Catalog;
use crate::graph::rules::{any_cycle, check_label, check_list, check_name, check_slug, check_text};
use crate::graph::{EdgeKind, Kind};
use crate::{Error, Result};

/// A kind as problems name it (`skill`, `role`).
fn kind_word(kind: Kind) -> String {
    kind.name().to_lowercase()
}

/// Collects every problem instead of stopping at the first, so one run shows them all.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(problem());
        }
    }

    fn slugs<'a>(&mut self, kind: &str, slugs: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for slug in slugs {
            if let Err(err) = check_slug("slug", slug) {
                self.0.push(format!("{kind} {slug:?}: {}", err.detail()));
            }
            self.check(seen.insert(slug), || {
                format!("{kind} slug {slug:?} appears twice")
            });
        }
        seen
    }

    fn refs<'a>(
        &mut self,
        owner: &str,
        kind: &str,
        known: &HashSet<&str>,
        refs: impl Iterator<Item = &'a str>,
    ) {
        let mut seen = HashSet::new();
        for slug in refs {
            self.check(known.contains(slug), || {
                format!("{owner} names unknown {kind} {slug:?}")
            });
            self.check(seen.insert(slug), || {
                format!("{owner} names {kind} {slug:?} twice")
            });
        }
    }
}

impl Catalog {
    /// Checks the catalog as a whole (every writer's rules, references, cycles). Its
    /// enumerated values were checked as it was read ([`super::values`]).
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::default();
        let mut known: HashMap<Kind, HashSet<&str>> = HashMap::new();
        for kind in Kind::ALL {
            let slugs = self
                .nodes()
                .filter(|node| node.kind == *kind)
                .map(|node| node.slug);
            known.insert(*kind, p.slugs(&kind_word(*kind), slugs));
        }
        let known_of = |kind: Kind| known.get(&kind).cloned().unwrap_or_default();

        let languages = known_of(Kind::Language);
        for f in &self.frameworks {
            let owner = format!("framework {:?}", f.slug);
            p.refs(
                &owner,
                "language",
                &languages,
                [f.language.as_str()].into_iter(),
            );
        }
        let skills = known_of(Kind::Skill);
        let mut parents = HashMap::new();
        for s in &self.skills {
            let owner = format!("skill {:?}", s.slug);
            p.refs(
                &owner,
                "parent",
                &skills,
                s.parent.iter().map(String::as_str),
            );
            parents.insert(
                s.slug.as_str(),
                s.parent.iter().map(String::as_str).collect(),
            );
        }
        if let Some(cycle) = any_cycle(&parents) {
            p.0.push(format!("skill parents form a cycle: {}", cycle.join(" → ")));
        }
        let deprecated: HashSet<(Kind, &str)> = self
            .nodes()
            .filter(|node| node.deprecated)
            .map(|node| (node.kind, node.slug))
            .collect();
        for edge in EdgeKind::ALL {
            let spec = edge.spec();
            if spec.replaces {
                // The lifecycle's rules, as `data::lifecycle` checks them in the database.
                let word = kind_word(spec.owner.kind);
                for e in self.edges(*edge) {
                    if !deprecated.contains(&(spec.owner.kind, e.owner)) {
                        p.0.push(format!(
                            "{word} {:?} is active, so nothing replaces it (replaced_by names {:?})",
                            e.owner, e.target
                        ));
                    } else if deprecated.contains(&(spec.target.kind, e.target)) {
                        p.0.push(format!(
                            "{word} {:?} is replaced by {:?}, which is deprecated itself",
                            e.owner, e.target
                        ));
                    }
                }
            }
            let targets = known_of(spec.target.kind);
            let mut by_owner: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for e in self.edges(*edge) {
                by_owner.entry(e.owner).or_default().push(e.target);
            }
            let owner_word = kind_word(spec.owner.kind);
            for (owner, slugs) in &by_owner {
                for target in slugs {
                    if let Err(err) = crate::graph::rules::check_ends(*edge, owner, target) {
                        p.0.push(format!("{owner_word} {owner:?}: {}", err.detail()));
                    }
                }
                p.refs(
                    &format!("{owner_word} {owner:?}"),
                    spec.target.field,
                    &targets,
                    slugs.iter().copied(),
                );
            }
            if spec.acyclic {
                let next: HashMap<&str, Vec<&str>> = by_owner.into_iter().collect();
                if let Some(cycle) = any_cycle(&next) {
                    p.0.push(format!(
                        "{owner_word} {} form a cycle: {}",
                        spec.list,
                        cycle.join(" → ")
                    ));
                }
            }
        }
        self.check_texts(&mut p);
        self.check_sources(&mut p);
        self.check_labels(&mut p, &known);
        let mut names = HashSet::new();
        for release in &self.releases {
            let name = release.name.as_str();
            p.check(super::releases::is_name(name), || {
                format!("release name {name:?} is not 1 to 64 letters, digits, `.`, `-` or `_`")
            });
            p.check(names.insert(name), || {
                format!("release {name:?} appears twice")
            });
            p.check(release.catalog.releases.is_empty(), || {
                format!("release {name:?}: the graph of a release holds no releases")
            });
            if let Err(err) = release.catalog.check() {
                p.0.push(format!("release {name:?}: {}", err.detail()));
            }
        }
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(Error::bad_input(format!("catalog: {}", p.0.join("; "))))
        }
    }

    /// Each label of a known node, once per locale, in its tag's canonical case (so that the
    /// tables and an export hold one spelling of each), and within the graph's rules.
    fn check_labels(&self, p: &mut Problems, known: &HashMap<Kind, HashSet<&str>>) {
        let mut seen = HashSet::new();
        for label in &self.labels {
            let what = format!(
                "label {:?} of {} {:?}",
                label.locale, label.kind, label.slug
            );
            let Some(kind) = Kind::from_name(&label.kind) else {
                p.0.push(format!(
                    "{what}: kind must be one of Role, Skill, Language, Framework, Tool"
                ));
                continue;
            };
            p.check(
                known
                    .get(&kind)
                    .is_some_and(|slugs| slugs.contains(label.slug.as_str())),
                || format!("{what}: there is no such node"),
            );
            match check_label(&label.text()) {
                Ok(locale) => p.check(locale == label.locale, || {
                    format!("{what}: write the tag as {locale:?}")
                }),
                Err(err) => p.0.push(format!("{what}: {}", err.detail())),
            }
            p.check(seen.insert((kind, &label.slug, &label.locale)), || {
                format!("{what} appears twice")
            });
        }
    }

    /// Names, descriptions and lists within the bounds every writer keeps.
    fn check_texts(&self, p: &mut Problems) {
        for node in self.nodes() {
            let checks = [
                check_name("name", node.name),
                check_text("description", node.description),
                check_list("aliases", node.aliases),
            ];
            for err in checks.into_iter().filter_map(|check| check.err()) {
                let kind = node.kind.name().to_lowercase();
                p.0.push(format!("{kind} {:?}: {}", node.slug, err.detail()));
            }
        }
        for r in &self.roles {
            for (field, list) in [
                ("responsibilities", &r.responsibilities),
                ("domains", &r.domains),
            ] {
                if let Err(err) = check_list(field, list) {
                    p.0.push(format!("role {:?}: {}", r.slug, err.detail()));
                }
            }
        }
    }

    /// The imported nodes' sources: URIs unique per kind and of a sane length (their value
    /// sets are checked as the file is read).
    fn check_sources(&self, p: &mut Problems) {
        let uri_ok =
            |uri: &str| !uri.is_empty() && uri.len() <= 512 && !uri.contains(char::is_whitespace);
        let mut uris = HashSet::new();
        for (slug, source) in self
            .skills
            .iter()
            .filter_map(|s| Some((&s.slug, s.external.as_ref()?)))
        {
            let owner = format!("skill {slug:?}");
            p.check(uri_ok(&source.uri), || {
                format!("{owner} has a bad URI {:?}", source.uri)
            });
            p.check(uris.insert(source.uri.as_str()), || {
                format!("{owner} repeats the URI {:?}", source.uri)
            });
            for uri in &source.other_broader {
                p.check(uri_ok(uri), || {
                    format!("{owner} has a bad broader URI {uri:?}")
                });
            }
        }
        let mut uris = HashSet::new();
        for (slug, source) in self
            .roles
            .iter()
            .filter_map(|r| Some((&r.slug, r.external.as_ref()?)))
        {
            let owner = format!("role {slug:?}");
            p.check(uri_ok(&source.uri), || {
                format!("{owner} has a bad URI {:?}", source.uri)
            });
            p.check(uris.insert(source.uri.as_str()), || {
                format!("{owner} repeats the URI {:?}", source.uri)
            });
            if let Some(group) = &source.isco_group {
                p.check(
                    !group.is_empty()
                        && group.len() <= 16
                        && group
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'.'),
                    || format!("{owner} has a bad ISCO group {group:?}"),
                );
            }
        }
    }
}
