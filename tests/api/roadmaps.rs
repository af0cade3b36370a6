//! The roadmap diagrams, read as geometry from the SVG the server sends: they fit a
//! 1,280-px screen, their text is sans-serif and 13 px or more, no edge crosses a box, the
//! legend and the dark and print variants are there, and curators' names are text, not
//! markup — for the built-in Backend Developer and for generated roles of hundreds of
//! skills, whose diagrams stay as wide and grow in proportion.

use std::time::{Duration, Instant};

use skillgraph::generator::GraphSize;
use skillgraph::keys::Scope;

use crate::helpers::{Backend, TestApp, backend_tests};

/// The value of attribute `name` in the tag `tag` (its text from `<` to `>`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// Every start tag `<name …>` of the document, as its text.
fn tags<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    svg.match_indices(&open)
        .filter_map(|(at, _)| svg[at..].find('>').map(|end| &svg[at..at + end + 1]))
        .collect()
}

fn number(tag: &str, name: &str) -> f64 {
    attribute(tag, name)
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {tag}"))
}

#[derive(Debug, Clone, Copy)]
struct Box {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// The axis-parallel segments of a path of absolute `M`, `H`, `V` and `L` commands.
fn segments(d: &str) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    let mut at = (0.0, 0.0);
    let mut rest = d.trim();
    while let Some(command) = rest.chars().next() {
        let body_end = rest[1..]
            .find(|c: char| c.is_ascii_alphabetic())
            .map_or(rest.len(), |i| i + 1);
        let values: Vec<f64> = rest[1..body_end]
            .split([',', ' '])
            .filter(|v| !v.is_empty())
            .map(|v| v.parse().unwrap_or_else(|_| panic!("a number in {d}")))
            .collect();
        let to = match command {
            'M' => {
                at = (values[0], values[1]);
                rest = &rest[body_end..];
                continue;
            }
            'H' => (values[0], at.1),
            'V' => (at.0, values[0]),
            'L' => (values[0], values[1]),
            other => panic!("unexpected path command {other} in {d}"),
        };
        out.push((at, to));
        at = to;
        rest = &rest[body_end..];
    }
    out
}

/// Whether the segment from `a` to `b` passes through the inside of `r` (touching its
/// border, as an edge does where it meets its box, is not crossing it).
fn crosses(a: (f64, f64), b: (f64, f64), r: &Box) -> bool {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let eps = 0.01;
    let inside_x = x1 > r.x + eps && x0 < r.x + r.w - eps;
    let inside_y = y1 > r.y + eps && y0 < r.y + r.h - eps;
    assert!(a.0 == b.0 || a.1 == b.1, "a slanted segment {a:?} → {b:?}");
    inside_x && inside_y
}

/// What a diagram must be, whatever the role; returns its boxes' count.
fn check_geometry(svg: &str, what: &str) -> usize {
    let root = tags(svg, "svg")[0];
    let width = number(root, "width");
    assert!(width <= 1280.0, "{what}: {width} px wide");
    let view: Vec<&str> = attribute(root, "viewBox").unwrap().split(' ').collect();
    assert_eq!(
        view[2].parse::<f64>().unwrap(),
        width,
        "{what}: drawn at 100 %"
    );
    let font = attribute(root, "font-family").unwrap();
    assert!(font.ends_with("sans-serif"), "{what}: {font}");
    assert_eq!(
        svg.matches("font-family").count(),
        1,
        "{what}: one font, the root's"
    );
    let style = &svg[svg.find("<style>").unwrap()..svg.find("</style>").unwrap()];
    assert!(!style.contains("font"), "{what}: sizes are attributes");
    assert!(
        style.contains("@media (prefers-color-scheme:dark)"),
        "{what}"
    );
    assert!(style.contains("@media print"), "{what}");

    let texts = tags(svg, "text");
    assert!(!texts.is_empty());
    for text in &texts {
        let size = number(text, "font-size");
        assert!(size >= 13.0, "{what}: text at {size} px: {text}");
    }

    let legend = &svg[svg.find(r#"<g class="legend">"#).expect("a legend")..];
    let legend = &legend[..legend.find("</g><g class=\"bands\">").unwrap()];
    for needed in [
        "Area",
        "Essential skill",
        "Optional skill",
        "next area",
        "Beginner",
        "Intermediate",
        "Advanced",
        "Expert",
    ] {
        assert!(legend.contains(needed), "{what}: the legend lacks {needed}");
    }

    let boxes: Vec<Box> = tags(svg, "rect")
        .into_iter()
        .filter(|tag| attribute(tag, "class") == Some("box"))
        .map(|tag| Box {
            x: number(tag, "x"),
            y: number(tag, "y"),
            w: number(tag, "width"),
            h: number(tag, "height"),
        })
        .collect();
    let height = number(root, "height");
    for b in &boxes {
        assert!(
            b.x >= 0.0 && b.x + b.w <= width && b.y >= 0.0 && b.y + b.h <= height,
            "{what}: a box outside the picture: {b:?}"
        );
    }
    // Boxes do not overlap (sorted by top, each is compared with those that start above
    // its bottom).
    let mut sorted = boxes.clone();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
    for (i, a) in sorted.iter().enumerate() {
        for b in sorted[i + 1..].iter().take_while(|b| b.y < a.y + a.h) {
            let apart = a.x + a.w <= b.x || b.x + b.w <= a.x;
            assert!(apart, "{what}: boxes overlap: {a:?} {b:?}");
        }
    }
    let edges: Vec<&str> = tags(svg, "path")
        .into_iter()
        .filter(|tag| attribute(tag, "class").is_some_and(|c| c.starts_with("edge")))
        .collect();
    let mut checked = 0;
    for edge in &edges {
        for (a, b) in segments(attribute(edge, "d").unwrap()) {
            checked += 1;
            for r in &boxes {
                assert!(
                    !crosses(a, b, r),
                    "{what}: the edge segment {a:?} → {b:?} crosses the box {r:?}"
                );
            }
        }
    }
    assert!(checked > 0, "{what}: no edges");
    boxes.len()
}

/// Backend Developer's diagram: every skill a box, the geometry sound, its size what the
/// README says.
async fn backend_developers_roadmap_reads_at_100_percent(app: &TestApp) {
    let svg = app
        .get("/roles/backend-developer/roadmap.svg")
        .await
        .text()
        .await
        .unwrap();
    let boxes = check_geometry(&svg, "backend-developer");
    // 49 skills and the legend's three samples.
    assert_eq!(boxes, 49 + 3);
    assert_eq!(svg.matches(r#"<g class="skill "#).count(), 49 + 3);
    let root = tags(&svg, "svg")[0];
    assert_eq!(attribute(root, "width"), Some("880"));
    assert!(svg.len() < 40_000, "{} bytes", svg.len());
    // The spine: areas in learning order, each prerequisite of an area before it.
    let areas: Vec<&str> = tags(&svg, "g")
        .into_iter()
        .filter(|tag| attribute(tag, "class").is_some_and(|c| c.starts_with("skill area")))
        .filter_map(|tag| attribute(tag, "data-slug"))
        .collect();
    assert_eq!(
        areas,
        [
            "server-side-programming",
            "database-management",
            "api-development",
            "security",
            "version-control",
            "infrastructure",
            "performance-optimization",
            "collaboration-and-problem-solving",
            "web-architecture",
        ]
    );
    // Where grouping cannot follow a prerequisite, the box says so.
    let api_security = &svg[svg.find(r#"data-slug="api-security""#).unwrap()..];
    let api_security = &api_security[..api_security.find("</g>").unwrap()];
    assert!(
        api_security.contains("after Authentication"),
        "{api_security}"
    );
    assert!(
        api_security.contains("Learn first: RESTful APIs, Authentication and Authorization."),
        "{api_security}"
    );
}

/// Names from curators are text: markup and ampersands are escaped, a very long name wraps
/// onto two lines and is cut there, whole in the box's tooltip.
async fn hostile_and_long_names_are_escaped_and_cut(app: &TestApp) {
    let key = app.key("curator", Scope::Write).await;
    let long = format!("Very {}Long Name", "Extraordinarily ".repeat(14));
    app.write(
        &key,
        &format!(
            r#"mutation {{
              a: createSkill(input: {{slug: "hostile", name: "<script>alert(\"x\")</script> & 'Co'", parent: "caching"}}) {{ revision }}
              b: createSkill(input: {{slug: "long-one", name: "{long}"}}) {{ revision }}
              c: setRoleSkill(input: {{role: "backend-developer", skill: "hostile", importance: OPTIONAL, level: EXPERT}}) {{ revision }}
              d: setRoleSkill(input: {{role: "backend-developer", skill: "long-one", importance: ESSENTIAL, level: BEGINNER}}) {{ revision }}
            }}"#
        ),
    )
    .await;
    let svg = app
        .get("/roles/backend-developer/roadmap.svg")
        .await
        .text()
        .await
        .unwrap();
    check_geometry(&svg, "hostile names");
    assert!(!svg.contains("<script"), "markup got through");
    assert!(
        svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"),
        "the name is not drawn escaped"
    );
    for (at, _) in svg.match_indices('&') {
        let entity = &svg[at..(at + 6).min(svg.len())];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "a bare ampersand: {entity}"
        );
    }
    let group = &svg[svg.find(r#"data-slug="long-one""#).unwrap()..];
    let group = &group[..group.find("</g>").unwrap()];
    assert!(group.contains(&format!("<title>{long}: ")), "{group}");
    let names: Vec<&str> = tags(group, "text")
        .into_iter()
        .filter(|tag| attribute(tag, "class") == Some("name"))
        .collect();
    assert_eq!(names.len(), 2, "{group}");
    assert!(group.contains("…</text>"), "{group}");
}

/// A generated role of 400 skills in deep trees and one of 300 skills without parts: the
/// diagram keeps its width, its geometry, and a size and drawing time in proportion.
async fn large_roles_stay_880_px_wide(backend: Backend) {
    for (size, what) in [
        (
            GraphSize {
                roles: 2,
                skills: 400,
                skill_depth: 5,
                skills_per_role: 400,
                ..GraphSize::small(1)
            },
            "a role of 400 skills in trees five deep",
        ),
        (
            GraphSize {
                roles: 2,
                skills: 6_000,
                skills_per_role: 300,
                ..GraphSize::small(1)
            },
            "a role of 300 skills, nearly all areas",
        ),
    ] {
        let skills = size.skills_per_role;
        let Some(app) = TestApp::builder(backend).generated(size).spawn().await else {
            return;
        };
        let started = Instant::now();
        let response = app.get("/roles/role-1/roadmap.svg").await;
        assert_eq!(response.status(), 200, "{what}");
        let svg = response.text().await.unwrap();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");
        let boxes = check_geometry(&svg, what);
        assert_eq!(boxes, skills + 3, "{what}");
        let root = tags(&svg, "svg")[0];
        assert_eq!(attribute(root, "width"), Some("880"), "{what}");
        let height = number(root, "height");
        assert!(height < 70.0 * skills as f64 + 400.0, "{what}: {height} px");
        assert!(
            svg.len() < 1_000 * skills + 10_000,
            "{what}: {} bytes",
            svg.len()
        );
    }
}

backend_tests!(
    backend_developers_roadmap_reads_at_100_percent,
    hostile_and_long_names_are_escaped_and_cut,
);

/// `per_backend!` beside `backend_tests!`: each declares `sqlite` and `postgres` modules.
mod generated {
    use super::large_roles_stay_880_px_wide;
    use crate::helpers::per_backend;

    per_backend!(large_roles_stay_880_px_wide);
}
