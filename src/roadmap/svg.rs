//! The placed diagram written as SVG: every text escaped, sizes as attributes (13 px and up),
//! colours in the document's own stylesheet with a dark variant (`prefers-color-scheme`) and
//! a print one (`@media print`: black on white, no fills but a light grey for essentials).
//! The rules are scoped to `.sg-roadmap`, since the explorer puts the SVG inside its page.

use std::fmt::Write;

use super::Roadmap;
use super::layout::{Drawing, Edge, Rect, Sample, Text, WIDTH};
use super::text::{escape, num};

/// Sans-serif faces, the common ones first.
pub(super) const FONT: &str =
    "'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'DejaVu Sans', sans-serif";

const STYLE: &str = "
.sg-roadmap .paper{fill:#ffffff}
.sg-roadmap text{fill:#1f2933}
.sg-roadmap .muted{fill:#475260}
.sg-roadmap .band{fill:#f2f5f9;stroke:#d5dde5}
.sg-roadmap .legend-frame{fill:#ffffff;stroke:#c4ced8}
.sg-roadmap .box{fill:#dde9fb;stroke:#1d4f91;stroke-width:2}
.sg-roadmap .optional .box{fill:#ffffff;stroke:#5b6775;stroke-width:1.5;stroke-dasharray:6 4}
.sg-roadmap .area .box{fill:#1d4f91;stroke:#1d4f91}
.sg-roadmap .area text{fill:#ffffff}
.sg-roadmap .area .note{fill:#ffe0b3}
.sg-roadmap .area.optional .box{fill:#ffffff;stroke:#1d4f91;stroke-width:2}
.sg-roadmap .area.optional text{fill:#1f2933}
.sg-roadmap .area.optional .note,.sg-roadmap .note{fill:#8a4500}
.sg-roadmap .edge{fill:none;stroke-width:2}
.sg-roadmap .spine{stroke:#1d4f91}
.sg-roadmap .tree{stroke:#7b8794}
.sg-roadmap .arrowhead{fill:#1d4f91}
@media (prefers-color-scheme:dark){
.sg-roadmap .paper{fill:#10171f}
.sg-roadmap text{fill:#e3e8ee}
.sg-roadmap .muted{fill:#b3bdc8}
.sg-roadmap .band{fill:#18222d;stroke:#2e3b49}
.sg-roadmap .legend-frame{fill:#10171f;stroke:#3a4856}
.sg-roadmap .box{fill:#1a3458;stroke:#7eaef5}
.sg-roadmap .optional .box{fill:#10171f;stroke:#9aa6b3}
.sg-roadmap .area .box{fill:#2f65b0;stroke:#7eaef5}
.sg-roadmap .area.optional .box{fill:#10171f;stroke:#7eaef5}
.sg-roadmap .area.optional text{fill:#e3e8ee}
.sg-roadmap .note,.sg-roadmap .area .note,.sg-roadmap .area.optional .note{fill:#ffc27a}
.sg-roadmap .spine{stroke:#7eaef5}
.sg-roadmap .tree{stroke:#8d9aa8}
.sg-roadmap .arrowhead{fill:#7eaef5}
}
@media print{
.sg-roadmap .paper,.sg-roadmap .legend-frame,.sg-roadmap .optional .box,.sg-roadmap .area.optional .box{fill:#ffffff}
.sg-roadmap text,.sg-roadmap .muted,.sg-roadmap .area text,.sg-roadmap .note,.sg-roadmap .area .note{fill:#000000}
.sg-roadmap .band{fill:none;stroke:#8c8c8c}
.sg-roadmap .box,.sg-roadmap .area .box{fill:#e6e6e6;stroke:#000000}
.sg-roadmap .optional .box{stroke:#000000}
.sg-roadmap .area .box{stroke-width:3}
.sg-roadmap .spine,.sg-roadmap .tree{stroke:#000000}
.sg-roadmap .arrowhead{fill:#000000}
}
";

fn text(out: &mut String, text: &Text) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}""#,
        num(text.x),
        num(text.y),
        num(text.size)
    );
    if text.bold {
        out.push_str(r#" font-weight="bold""#);
    }
    if text.italic {
        out.push_str(r#" font-style="italic""#);
    }
    if !text.class.is_empty() {
        let _ = write!(out, r#" class="{}""#, text.class);
    }
    let _ = write!(out, ">{}</text>", escape(&text.content));
}

fn rect(out: &mut String, class: &str, rect: &Rect, rounded: f64) {
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
        num(rect.x),
        num(rect.y),
        num(rect.w),
        num(rect.h),
        num(rounded)
    );
}

/// An edge as a path of absolute `M`, `H` and `V` commands (`L` for a slanted step, which
/// the layout never makes).
fn edge(out: &mut String, edge: &Edge) {
    let mut d = String::new();
    for line in &edge.lines {
        let mut at: Option<(f64, f64)> = None;
        for &(x, y) in line {
            match at {
                None => {
                    let _ = write!(d, "M{},{}", num(x), num(y));
                }
                Some((px, py)) if num(py) == num(y) && num(px) != num(x) => {
                    let _ = write!(d, "H{}", num(x));
                }
                Some((px, py)) if num(px) == num(x) && num(py) != num(y) => {
                    let _ = write!(d, "V{}", num(y));
                }
                Some((px, py)) if num(px) == num(x) && num(py) == num(y) => {}
                Some(_) => {
                    let _ = write!(d, "L{},{}", num(x), num(y));
                }
            }
            at = Some((x, y));
        }
    }
    let _ = write!(out, r#"<path class="{}" d="{d}""#, edge.class);
    if edge.arrow {
        out.push_str(r#" marker-end="url(#sg-arrow)""#);
    }
    out.push_str("/>");
}

/// The SVG document of a laid-out roadmap.
pub(super) fn write(drawing: &Drawing, roadmap: &Roadmap) -> String {
    let height = num(drawing.height);
    let mut out = String::with_capacity(4096 + 700 * drawing.boxes.len());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="sg-roadmap" width="{w}" height="{height}" viewBox="0 0 {w} {height}" font-family="{FONT}" role="img" aria-labelledby="sg-title sg-desc">"#,
        w = num(WIDTH),
    );
    let _ = write!(
        out,
        r#"<title id="sg-title">{}</title><desc id="sg-desc">{}</desc>"#,
        escape(&drawing.title),
        escape(&drawing.summary)
    );
    let _ = write!(out, "<style>{STYLE}</style>");
    out.push_str(concat!(
        r#"<defs><marker id="sg-arrow" viewBox="0 0 10 10" refX="9" refY="5" "#,
        r#"markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">"#,
        r#"<path class="arrowhead" d="M0,1L9,5L0,9z"/></marker></defs>"#
    ));
    let _ = write!(
        out,
        r#"<rect class="paper" x="0" y="0" width="{}" height="{height}"/>"#,
        num(WIDTH)
    );
    for line in &drawing.header {
        text(&mut out, line);
    }

    out.push_str(r#"<g class="legend">"#);
    rect(&mut out, "legend-frame", &drawing.legend_frame, 6.0);
    for (sample, label) in &drawing.legend {
        match sample {
            Sample::Box { rect: r, class } => {
                let _ = write!(out, r#"<g class="{class}">"#);
                rect(&mut out, "box", r, 6.0);
                text(&mut out, label);
                out.push_str("</g>");
            }
            Sample::Line { edge: e } => {
                edge(&mut out, e);
                text(&mut out, label);
            }
        }
    }
    for line in &drawing.legend_texts {
        text(&mut out, line);
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="bands">"#);
    for (area, band) in &drawing.bands {
        let _ = write!(
            out,
            r#"<g data-area="{}">"#,
            escape(&roadmap.skills[*area].slug)
        );
        rect(&mut out, "band", band, 10.0);
        out.push_str("</g>");
    }
    out.push_str(r#"</g><g class="edges">"#);
    for e in &drawing.edges {
        edge(&mut out, e);
    }
    out.push_str(r#"</g><g class="skills">"#);
    for b in &drawing.boxes {
        let skill = &roadmap.skills[b.skill];
        let _ = write!(
            out,
            r#"<g class="skill{}{}" data-slug="{}"><title>{}</title>"#,
            if b.area { " area" } else { "" },
            if skill.essential {
                " essential"
            } else {
                " optional"
            },
            escape(&skill.slug),
            escape(&b.title)
        );
        rect(&mut out, "box", &b.rect, 6.0);
        for line in &b.texts {
            text(&mut out, line);
        }
        out.push_str("</g>");
    }
    out.push_str("</g>");
    for line in &drawing.footer {
        text(&mut out, line);
    }
    out.push_str("</svg>\n");
    out
}
