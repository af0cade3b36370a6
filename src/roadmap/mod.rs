//! A role's roadmap as a diagram that reads at 100 % on a laptop screen: a vertical spine of
//! the role's areas in the order to learn them, each area banded together with its parts to
//! its right, essential skills filled and optional ones dashed, each box with the level the
//! role asks, and a legend that says all of this. The same SVG is served at
//! `/roles/{slug}/roadmap.svg` for embedding and drawn by the explorer page at `/explore`,
//! which marks on it what a learner has done and should learn next.
//!
//! Why this layout: a general layered graph layout (what Graphviz's `dot` does; this module
//! used layout-rs for it) drew every prerequisite as an arrow and gave a role of fifty skills
//! a picture 3,500 px wide, in which edges ran across boxes. A roadmap is read, not traced:
//! the order to learn in is what the reader wants, and it reads best as a column, top to
//! bottom, the way roadmap.sh draws its roadmaps. So the areas (the role's skills whose
//! parent the role does not need) form the spine in learning order — the catalog's order of
//! the role's skills, moved only as far as prerequisites require ([`order`]) — and the
//! parts sit beside each area in rows and columns ([`layout`]). A layout of our own can
//! promise what the issue asked and the tests check: a fixed width of 880 px (three columns
//! of boxes), text of 13 px and more, and edges only in the gutters between columns and rows,
//! so that none crosses a box. Prerequisites are not drawn as arrows: the order shows them,
//! and where grouping by area cannot (a part that needs a skill of a later area), the box
//! says `after …`; each box's tooltip lists what to learn first.
//!
//! Size: every skill is one box of a bounded size (names wrap to two lines and are cut
//! after, the whole name in the box's `<title>`), and adds at most one row; the document
//! grows by about 0.5 KB and 60 px per skill, and laying it out costs O(n log n + p·d) for
//! n skills, p prerequisites among them and a tree d deep. At most [`MOST_DRAWN`] skills are
//! drawn (the first, in the role's order), so no role makes a document of more than a few
//! megabytes.

mod layout;
mod order;
mod svg;
mod text;

use entity::{Proficiency, role, skill};

use crate::data::lists::{self, List, PageArgs};
use crate::data::nodes;
use crate::db::Db;
use crate::{Error, Result};

/// How many of a role's skills a diagram draws at most.
pub const MOST_DRAWN: usize = 1_000;

/// One skill of the diagram.
pub struct Skill {
    pub slug: String,
    pub name: String,
    /// The index of its parent among the roadmap's skills, when the role needs the parent.
    pub parent: Option<usize>,
    pub essential: bool,
    /// The level the role asks, when it says.
    pub level: Option<Proficiency>,
}

/// What the diagram of one role shows, read from the database.
pub struct Roadmap {
    /// The role's name.
    pub role: String,
    /// The role's skills, in the role's order.
    pub skills: Vec<Skill>,
    /// `(prerequisite, skill)` pairs of indices into `skills`.
    pub prerequisites: Vec<(usize, usize)>,
    /// Whether the role needs more skills than are drawn.
    pub more: bool,
}

/// The word for a level, as the diagram writes it.
fn level_word(level: Proficiency) -> &'static str {
    match level {
        Proficiency::Beginner => "Beginner",
        Proficiency::Intermediate => "Intermediate",
        Proficiency::Advanced => "Advanced",
        Proficiency::Expert => "Expert",
    }
}

impl Roadmap {
    /// Reads the roadmap of the role with this slug; `None` when there is no such role.
    pub async fn read(db: &Db, slug: &str) -> Result<Option<Roadmap>> {
        let roles = nodes::by_keys::<role::Entity, String>(db, &[slug.to_owned()]).await?;
        let Some(role) = roles.get(slug) else {
            return Ok(None);
        };
        let args = PageArgs {
            count: Some(u32::try_from(MOST_DRAWN).unwrap_or(u32::MAX)),
            ..PageArgs::default()
        };
        let mut pages =
            lists::nested_pages::<skill::Entity>(db, List::RoleSkills, &[role.id], &args).await?;
        let (items, more) = pages
            .remove(&role.id)
            .map(|page| (page.items, page.has_next_page))
            .unwrap_or_default();
        let ids: Vec<i32> = items.iter().map(|item| item.node.id).collect();
        let index: std::collections::HashMap<i32, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let prerequisite_pages = lists::nested_pages::<skill::Entity>(
            db,
            List::SkillPrerequisites,
            &ids,
            &PageArgs::default(),
        )
        .await?;
        let mut prerequisites = Vec::new();
        for (skill, page) in &prerequisite_pages {
            for item in &page.items {
                if let (Some(before), Some(after)) = (index.get(&item.node.id), index.get(skill)) {
                    prerequisites.push((*before, *after));
                }
            }
        }
        prerequisites.sort_unstable();
        let skills = items
            .iter()
            .map(|item| Skill {
                slug: item.node.slug.clone(),
                name: item.node.name.clone(),
                parent: item.node.parent_id.and_then(|id| index.get(&id).copied()),
                essential: item.edge.importance == Some(entity::Importance::Essential),
                level: item.edge.level,
            })
            .collect();
        Ok(Some(Roadmap {
            role: role.name.clone(),
            skills,
            prerequisites,
            more,
        }))
    }

    /// Lays the diagram out and writes it as SVG. It takes time in proportion to the role's
    /// size (see the module's documentation): callers run it off the async executor.
    pub fn to_svg(&self) -> String {
        svg::write(&layout::draw(self), self)
    }
}

/// The roadmap of the role with this slug as SVG; `None` when there is no such role.
pub async fn role_svg(db: &Db, slug: &str) -> Result<Option<String>> {
    let Some(roadmap) = Roadmap::read(db, slug).await? else {
        return Ok(None);
    };
    let svg = tokio::task::spawn_blocking(move || roadmap.to_svg())
        .await
        .map_err(|err| Error::Internal(format!("drawing a roadmap failed: {err}")))?;
    Ok(Some(svg))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// A role of `n` skills in areas of seven: every other area a chain six deep (deeper
    /// than the diagram indents), the others flat; a prerequisite between every other pair
    /// of neighbours and one across areas now and then.
    fn synthetic(n: usize) -> Roadmap {
        let skills = (0..n)
            .map(|i| Skill {
                slug: format!("skill-{i}"),
                name: format!("Synthetic skill number {i}"),
                parent: match (i / 7 % 2, i % 7) {
                    (_, 0) => None,
                    (0, _) => Some(i - 1),
                    (_, k) => Some(i - k),
                },
                essential: i % 3 != 0,
                level: Some(Proficiency::Intermediate),
            })
            .collect();
        let prerequisites = (1..n)
            .filter(|i| i % 2 == 0)
            .map(|i| (i - 1, i))
            .chain((20..n).step_by(13).map(|i| (i, i - 17)))
            .collect();
        Roadmap {
            role: "Synthetic".to_owned(),
            skills,
            prerequisites,
            more: false,
        }
    }

    /// The fastest of five drawings.
    fn time_to_draw(roadmap: &Roadmap) -> Duration {
        (0..5)
            .map(|_| {
                let started = Instant::now();
                let svg = roadmap.to_svg();
                assert!(svg.ends_with("</svg>\n"));
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    }

    #[test]
    fn drawing_takes_time_in_proportion_to_the_skills() {
        let small = time_to_draw(&synthetic(250));
        let large = time_to_draw(&synthetic(1_000));
        eprintln!("drawing 250 skills: {small:?}, 1,000 skills: {large:?}");
        // Four times the skills: four times the time if linear, sixteen if quadratic.
        assert!(
            large < small * 8 + Duration::from_millis(5),
            "250 skills: {small:?}, 1,000 skills: {large:?}"
        );
        let svg = synthetic(1_000).to_svg();
        assert!(svg.len() < 1_000 * 700, "{} bytes", svg.len());
        assert!(svg.contains(r#"width="880""#));
    }

    /// Whether the segment from `a` to `b` passes through the inside of `r`.
    fn crosses(a: (f64, f64), b: (f64, f64), r: &layout::Rect) -> bool {
        let eps = 0.01;
        a.0.max(b.0) > r.x + eps
            && a.0.min(b.0) < r.x + r.w - eps
            && a.1.max(b.1) > r.y + eps
            && a.1.min(b.1) < r.y + r.h - eps
    }

    #[test]
    fn no_edge_crosses_a_box_however_deep_the_tree() {
        let roadmap = synthetic(300);
        let drawing = layout::draw(&roadmap);
        assert_eq!(drawing.boxes.len(), 300);
        let mut segments = 0;
        for edge in &drawing.edges {
            for line in &edge.lines {
                for pair in line.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    assert!(a.0 == b.0 || a.1 == b.1, "slanted: {a:?} {b:?}");
                    segments += 1;
                    for skill in &drawing.boxes {
                        assert!(
                            !crosses(a, b, &skill.rect),
                            "{a:?} → {b:?} crosses {:?}",
                            skill.rect
                        );
                    }
                }
            }
        }
        assert!(segments > 300, "{segments} segments");
        for skill in &drawing.boxes {
            assert!(skill.rect.x >= 0.0 && skill.rect.x + skill.rect.w <= layout::WIDTH);
            for text in &skill.texts {
                assert!(text.size >= layout::SMALL);
            }
        }
    }

    #[test]
    fn a_role_without_skills_says_so() {
        let empty = Roadmap {
            role: "Empty".to_owned(),
            skills: Vec::new(),
            prerequisites: Vec::new(),
            more: false,
        };
        let svg = empty.to_svg();
        assert!(
            svg.starts_with("<svg") && svg.contains("no skills"),
            "{svg}"
        );
        let cut = Roadmap {
            more: true,
            ..synthetic(20)
        };
        assert!(cut.to_svg().contains("the first 1000 are drawn here"));
    }
}
