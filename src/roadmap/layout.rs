//! Where everything goes: boxes in rows and three columns, edges in the gutters.
//!
//! The areas run down the first column (the spine) in learning order; an area's parts take
//! the second column, beginning on the area's own row, and their parts the third, further
//! levels indented within it. Each skill has a row of its own, except that the first part of
//! an area or a part (in the first two columns) shares its parent's row, and areas without
//! parts are packed three to a row. This gives the guarantees the diagram is for:
//!
//! - A tree edge runs from a parent's right side into the gutter beside it, down the gutter
//!   and right into each part; in the third column, from the parent's bottom down a lane
//!   left of the indented parts. The rows it passes hold only the parent's own descendants,
//!   and they lie right of the lane: no box is crossed.
//! - The spine runs down the first column, which holds nothing between two areas but the
//!   first area's parts to its right; from a packed area it drops into the gap below its row
//!   and runs along it to the next area.
//! - Every box is one of three columns of 256 px, so the diagram is 880 px wide whatever the
//!   role, and grows downwards only, by one row per skill at most.

use super::order::{Forest, arrange};
use super::text::{at_most, wrap};
use super::{Roadmap, Skill, level_word};

pub(super) const WIDTH: f64 = 880.0;
const MARGIN: f64 = 20.0;
const COLUMN: f64 = 256.0;
const GUTTER: f64 = 36.0;
/// How far each level below the third column is indented, and how many levels are.
const INDENT: f64 = 24.0;
const MOST_INDENTS: usize = 2;
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 7.0;
/// Room kept free at the right of a box's name, for the explorer's marks.
const BADGE_ROOM: f64 = 22.0;
const ROW_GAP: f64 = 12.0;
const PACKED_GAP: f64 = 22.0;
const GROUP_GAP: f64 = 32.0;
const BAND_PAD: f64 = 10.0;
const NAME_LINES: usize = 2;

pub(super) const SMALL: f64 = 13.0;
const SMALL_LINE: f64 = 17.0;

/// A rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.w
    }
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

/// One line of text; `y` is its baseline.
#[derive(Clone, Debug)]
pub(super) struct Text {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub bold: bool,
    pub italic: bool,
    pub class: &'static str,
    pub content: String,
}

/// A line of connected horizontal and vertical segments.
pub(super) type Polyline = Vec<(f64, f64)>;

/// An edge: one or more polylines, drawn as one `<path>`.
pub(super) struct Edge {
    pub class: &'static str,
    pub lines: Vec<Polyline>,
    pub arrow: bool,
}

/// A skill's box.
pub(super) struct SkillBox {
    pub skill: usize,
    pub rect: Rect,
    pub area: bool,
    pub texts: Vec<Text>,
    /// The box's tooltip: the whole name, what it belongs to, what to learn first.
    pub title: String,
}

/// A sample in the legend: a box or a line, with what it means.
pub(super) enum Sample {
    Box { rect: Rect, class: &'static str },
    Line { edge: Edge },
}

/// The diagram, placed.
pub(super) struct Drawing {
    pub height: f64,
    pub title: String,
    pub summary: String,
    pub header: Vec<Text>,
    pub legend_frame: Rect,
    pub legend: Vec<(Sample, Text)>,
    pub legend_texts: Vec<Text>,
    pub bands: Vec<(usize, Rect)>,
    pub edges: Vec<Edge>,
    pub boxes: Vec<SkillBox>,
    pub footer: Vec<Text>,
}

fn column_x(column: usize) -> f64 {
    MARGIN + column as f64 * (COLUMN + GUTTER)
}

/// Lines of `content` as [`Text`]s from baseline `y`, `step` apart.
fn lines_of(
    lines: Vec<String>,
    x: f64,
    y: f64,
    step: f64,
    size: f64,
    class: &'static str,
) -> Vec<Text> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, content)| Text {
            x,
            y: y + i as f64 * step,
            size,
            bold: false,
            italic: false,
            class,
            content,
        })
        .collect()
}

/// What a box's second line says: the level asked, and whether the skill is optional.
fn caption(skill: &Skill) -> String {
    match (skill.level, skill.essential) {
        (Some(level), true) => level_word(level).to_owned(),
        (Some(level), false) => format!("{} · optional", level_word(level)),
        (None, true) => "Essential".to_owned(),
        (None, false) => "Optional".to_owned(),
    }
}

/// `names` joined with commas, at most `most` of them, then how many more.
fn some_of(names: &[&str], most: usize) -> String {
    let mut out = names
        .iter()
        .take(most)
        .map(|name| at_most(name, 80))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > most {
        out.push_str(&format!(" and {} more", names.len() - most));
    }
    out
}

/// Lays the roadmap out.
pub(super) fn draw(roadmap: &Roadmap) -> Drawing {
    let skills = &roadmap.skills;
    let n = skills.len();
    let parents: Vec<Option<usize>> = skills.iter().map(|skill| skill.parent).collect();
    let forest = arrange(&parents, &roadmap.prerequisites);
    let Forest {
        parent,
        depth,
        children,
        roots,
        reading,
        place,
    } = &forest;

    // What each skill needs first, and which of those the reading order shows only later.
    let mut needs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(before, after) in &roadmap.prerequisites {
        if before < n && after < n && before != after && !needs[after].contains(&before) {
            needs[after].push(before);
        }
    }

    // Cells: the column, indent and row of every skill.
    let mut column = vec![0usize; n];
    let mut indent = vec![0usize; n];
    let mut row_of = vec![0usize; n];
    // Each row's area when it belongs to an area with parts; `None` for packed areas.
    let mut rows: Vec<Option<usize>> = Vec::new();
    let mut packed: Option<usize> = None;
    let mut area = 0;
    for &v in reading {
        if depth[v] == 0 {
            area = v;
            if children[v].is_empty() {
                match packed {
                    Some(next) if next < 3 && !rows.is_empty() => {
                        column[v] = next;
                        packed = Some(next + 1);
                    }
                    _ => {
                        rows.push(None);
                        column[v] = 0;
                        packed = Some(1);
                    }
                }
            } else {
                packed = None;
                rows.push(Some(v));
            }
            row_of[v] = rows.len() - 1;
            continue;
        }
        column[v] = depth[v].min(2);
        indent[v] = depth[v].saturating_sub(2).min(MOST_INDENTS);
        let p = parent[v].unwrap_or(v);
        if depth[p] < 2 && children[p].first() == Some(&v) {
            row_of[v] = row_of[p];
        } else {
            rows.push(Some(area));
            row_of[v] = rows.len() - 1;
        }
    }

    // Boxes: their size from their text.
    let mut boxes: Vec<SkillBox> = Vec::with_capacity(n);
    let mut box_of = vec![0usize; n];
    for &v in reading {
        let skill = &skills[v];
        let is_area = depth[v] == 0;
        let w = COLUMN - indent[v] as f64 * INDENT;
        let (size, line) = if is_area { (15.0, 19.0) } else { (14.0, 18.0) };
        let room = w - 2.0 * PAD_X - BADGE_ROOM;
        let (name_lines, _) = wrap(&skill.name, size, is_area, room, NAME_LINES);
        let x = column_x(column[v]) + indent[v] as f64 * INDENT;
        let mut texts = lines_of(
            name_lines,
            x + PAD_X,
            PAD_Y + line * 0.75,
            line,
            size,
            "name",
        );
        for text in &mut texts {
            text.bold = is_area;
        }
        let mut y = PAD_Y + line * texts.len().max(1) as f64;
        texts.push(Text {
            x: x + PAD_X,
            y: y + SMALL_LINE * 0.75,
            size: SMALL,
            bold: false,
            italic: false,
            class: "caption",
            content: caption(skill),
        });
        y += SMALL_LINE;
        let later: Vec<&str> = needs[v]
            .iter()
            .filter(|p| place[**p] > place[v])
            .map(|p| skills[*p].name.as_str())
            .collect();
        if !later.is_empty() {
            let note = format!("after {}", later.join(", "));
            let (note_lines, _) = wrap(&note, SMALL, false, w - 2.0 * PAD_X, 1);
            texts.extend(lines_of(
                note_lines,
                x + PAD_X,
                y + SMALL_LINE * 0.75,
                SMALL_LINE,
                SMALL,
                "note",
            ));
            for text in texts.iter_mut().filter(|text| text.class == "note") {
                text.italic = true;
            }
            y += SMALL_LINE;
        }
        let h = y + PAD_Y;
        let belongs = match parent[v] {
            Some(p) => format!("part of {}", at_most(&skills[p].name, 80)),
            None => "an area of the roadmap".to_owned(),
        };
        let importance = if skill.essential {
            "essential"
        } else {
            "optional"
        };
        let level = skill.level.map_or("no level given".to_owned(), |level| {
            level_word(level).to_lowercase()
        });
        let mut title = format!(
            "{}: {belongs}; {importance}, {level}.",
            at_most(&skill.name, 300)
        );
        if !needs[v].is_empty() {
            let names: Vec<&str> = needs[v].iter().map(|p| skills[*p].name.as_str()).collect();
            title.push_str(&format!(" Learn first: {}.", some_of(&names, 3)));
        }
        box_of[v] = boxes.len();
        boxes.push(SkillBox {
            skill: v,
            rect: Rect { x, y: 0.0, w, h },
            area: is_area,
            texts,
            title,
        });
    }

    // The header: title, summary and legend.
    let mut header = Vec::new();
    let title = format!("{}: roadmap", roadmap.role);
    let (title_lines, _) = wrap(&title, 22.0, true, WIDTH - 2.0 * MARGIN, 2);
    let mut y = 20.0;
    for content in title_lines {
        y += 28.0;
        header.push(Text {
            x: MARGIN,
            y: y - 6.0,
            size: 22.0,
            bold: true,
            italic: false,
            class: "heading",
            content,
        });
    }
    let areas_with_parts = roots.iter().filter(|r| !children[**r].is_empty()).count();
    let summary = format!(
        "{n} {} in {} {}{}. Read it from the top: each area of the spine in the order to \
         learn them, with its parts to its right.",
        if n == 1 { "skill" } else { "skills" },
        roots.len(),
        if roots.len() == 1 { "area" } else { "areas" },
        if areas_with_parts < roots.len() && areas_with_parts > 0 {
            format!(" ({areas_with_parts} with parts)")
        } else {
            String::new()
        },
    );
    let (summary_lines, _) = wrap(&summary, 14.0, false, WIDTH - 2.0 * MARGIN, 3);
    let count = summary_lines.len();
    header.extend(lines_of(
        summary_lines,
        MARGIN,
        y + 14.0,
        20.0,
        14.0,
        "muted",
    ));
    y += 20.0 * count as f64 + 12.0;
    let (legend_frame, legend, legend_texts) = legend(y);
    y = legend_frame.y + legend_frame.h + 24.0;

    // Rows: their heights, then their places.
    let mut heights = vec![0.0f64; rows.len()];
    for b in &boxes {
        let r = row_of[b.skill];
        heights[r] = heights[r].max(b.rect.h);
    }
    let mut tops = vec![0.0f64; rows.len()];
    for r in 0..rows.len() {
        if r > 0 {
            y += if rows[r] != rows[r - 1] {
                GROUP_GAP
            } else if rows[r].is_some() {
                ROW_GAP
            } else {
                PACKED_GAP
            };
        }
        tops[r] = y;
        y += heights[r];
    }
    for b in &mut boxes {
        let r = row_of[b.skill];
        let top = tops[r] + (heights[r] - b.rect.h) / 2.0;
        b.rect.y = top;
        for text in &mut b.texts {
            text.y += top;
        }
    }
    let rect = |v: usize| boxes[box_of[v]].rect;

    // Bands: an area with its parts.
    let mut bands = Vec::new();
    for &r in roots {
        if children[r].is_empty() {
            continue;
        }
        let first = row_of[r];
        let last = rows
            .iter()
            .rposition(|row| *row == Some(r))
            .unwrap_or(first);
        let top = tops[first] - BAND_PAD;
        let bottom = tops[last] + heights[last] + BAND_PAD;
        bands.push((
            r,
            Rect {
                x: MARGIN - 10.0,
                y: top,
                w: WIDTH - 2.0 * (MARGIN - 10.0),
                h: bottom - top,
            },
        ));
    }

    // The spine, from each area to the next.
    let mut edges = Vec::new();
    for pair in roots.windows(2) {
        let (a, b) = (rect(pair[0]), rect(pair[1]));
        let (ra, rb) = (row_of[pair[0]], row_of[pair[1]]);
        let line = if ra == rb {
            vec![(a.right(), a.cy()), (b.x, b.cy())]
        } else if column[pair[0]] == column[pair[1]] {
            vec![(a.cx(), a.bottom()), (b.cx(), b.y)]
        } else {
            // A packed area, the next area beginning the row below: along the gap between.
            let row_bottom = tops[ra] + heights[ra];
            let lane = row_bottom + (tops[rb] - row_bottom).max(0.0) / 2.0;
            vec![
                (a.cx(), a.bottom()),
                (a.cx(), lane),
                (b.cx(), lane),
                (b.cx(), b.y),
            ]
        };
        edges.push(Edge {
            class: "edge spine",
            lines: vec![line],
            arrow: true,
        });
    }

    // Tree edges, from each skill to its parts. Below the deepest indent, parts hang from
    // the skill whose lane runs left of them.
    let deepest = 2 + MOST_INDENTS;
    let mut drawn_parent = vec![None; n];
    let mut parts: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &v in reading {
        let Some(p) = parent[v] else { continue };
        let from = if depth[v] > deepest {
            drawn_parent[p]
        } else {
            Some(p)
        };
        drawn_parent[v] = from;
        if let Some(from) = from {
            parts[from].push(v);
        }
    }
    for &v in reading {
        let Some(&last) = parts[v].last() else {
            continue;
        };
        let p = rect(v);
        let end = rect(last).cy();
        let mut lines = Vec::new();
        if depth[v] < 2 {
            let lane = p.right() + GUTTER / 2.0;
            let mut trunk = vec![(p.right(), p.cy()), (lane, p.cy())];
            if end > p.cy() {
                trunk.push((lane, end));
            }
            lines.push(trunk);
            for &c in &parts[v] {
                let c = rect(c);
                lines.push(vec![(lane, c.cy()), (c.x, c.cy())]);
            }
        } else {
            let lane = p.x + INDENT / 2.0;
            lines.push(vec![(lane, p.bottom()), (lane, end)]);
            for &c in &parts[v] {
                let c = rect(c);
                lines.push(vec![(lane, c.cy()), (c.x, c.cy())]);
            }
        }
        edges.push(Edge {
            class: "edge tree",
            lines,
            arrow: false,
        });
    }

    let mut footer = Vec::new();
    if n == 0 {
        y += 8.0;
        footer.push(Text {
            x: MARGIN,
            y,
            size: 14.0,
            bold: false,
            italic: false,
            class: "muted",
            content: "This role needs no skills yet.".to_owned(),
        });
    }
    if roadmap.more {
        y += 28.0;
        footer.push(Text {
            x: MARGIN,
            y,
            size: 14.0,
            bold: false,
            italic: false,
            class: "muted",
            content: format!(
                "The role needs more skills: the first {} are drawn here; the API lists \
                 them all.",
                super::MOST_DRAWN
            ),
        });
    }
    Drawing {
        height: (y + 24.0).ceil(),
        title,
        summary,
        header,
        legend_frame,
        legend,
        legend_texts,
        bands,
        edges,
        boxes,
        footer,
    }
}

/// The legend, from `top`: its frame, its samples and its lines of text.
fn legend(top: f64) -> (Rect, Vec<(Sample, Text)>, Vec<Text>) {
    let left = MARGIN + 12.0;
    let right = WIDTH - MARGIN - 12.0;
    let mut x = left;
    let mut y = top + 12.0;
    let mut samples = Vec::new();
    let height = 30.0;
    let label = |x: f64, y: f64, content: &str| Text {
        x,
        y,
        size: SMALL,
        bold: false,
        italic: false,
        class: "",
        content: content.to_owned(),
    };
    for (class, content, bold) in [
        ("skill area essential", "Area", true),
        ("skill essential", "Essential skill", false),
        ("skill optional", "Optional skill", false),
    ] {
        let w = super::text::width(content, SMALL, bold) + 24.0;
        let rect = Rect { x, y, w, h: height };
        let mut text = label(x + 12.0, y + 19.5, content);
        text.bold = bold;
        samples.push((Sample::Box { rect, class }, text));
        x += w + 12.0;
    }
    for (class, content, arrow) in [
        ("edge spine", "next area", true),
        ("edge tree", "its parts", false),
    ] {
        let mid = y + height / 2.0;
        let line = vec![(x, mid), (x + 34.0, mid)];
        let text = label(x + 42.0, mid + 4.5, content);
        x += 42.0 + super::text::width(content, SMALL, false) + 16.0;
        samples.push((
            Sample::Line {
                edge: Edge {
                    class,
                    lines: vec![line],
                    arrow,
                },
            },
            text,
        ));
    }
    y += height + 8.0;
    let mut texts = Vec::new();
    for paragraph in [
        "Levels asked: Beginner knows the basics and works under guidance; Intermediate \
         works independently on common tasks; Advanced handles hard problems and guides \
         others; Expert designs and reviews others' work.",
        "“after …” names a skill to learn first that is drawn further down. Hover over a \
         box for its whole name and what to learn before it.",
    ] {
        let (lines, _) = wrap(paragraph, SMALL, false, right - left, 4);
        let count = lines.len();
        texts.extend(lines_of(
            lines,
            left,
            y + SMALL_LINE * 0.75,
            SMALL_LINE,
            SMALL,
            "",
        ));
        y += SMALL_LINE * count as f64 + 4.0;
    }
    let frame = Rect {
        x: MARGIN,
        y: top,
        w: WIDTH - 2.0 * MARGIN,
        h: y - top + 8.0,
    };
    (frame, samples, texts)
}
