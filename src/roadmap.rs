//! A role's roadmap as a diagram, read left to right: its skills (essential ones filled, each
//! with the level the role asks), how they nest (solid arrows, area → part) and what to learn
//! first (dashed arrows, prerequisite → skill). The explorer lists the role's languages with
//! their frameworks and its tools beside it.
//!
//! The layout is layout-rs's (a pure-Rust layered graph layout in the manner of Graphviz's
//! `dot`, with an SVG writer): layered drawing is what a learning order needs, and writing
//! graph layout by hand is a project of its own. The same SVG is served at
//! `/roles/{slug}/roadmap.svg` for embedding and drawn by the explorer page at `/explore`.

use std::collections::HashMap;

use entity::{role, skill};
use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::data::lists::{self, List, PageArgs};
use crate::data::nodes;
use crate::db::Db;
use crate::{Error, Result};

/// What the diagram of one role shows, read from the database.
pub struct Roadmap {
    skills: Vec<(skill::Model, bool, &'static str)>,
    /// `(prerequisite, skill)` pairs among the role's skills.
    prerequisites: Vec<(i32, i32)>,
}

/// The whole of a nested list for one parent.
async fn all_of<N>(db: &Db, list: List, parent: i32) -> Result<Vec<lists::Item<N::Model>>>
where
    N: sea_orm::EntityTrait + Default,
    N::Model: crate::data::NodeColumns,
{
    let mut pages = lists::nested_pages::<N>(db, list, &[parent], &PageArgs::default()).await?;
    Ok(pages
        .remove(&parent)
        .map(|page| page.items)
        .unwrap_or_default())
}

impl Roadmap {
    /// Reads the roadmap of the role with this slug; `None` when there is no such role.
    pub async fn read(db: &Db, slug: &str) -> Result<Option<Roadmap>> {
        let roles = nodes::by_keys::<role::Entity, String>(db, &[slug.to_owned()]).await?;
        let Some(role) = roles.get(slug) else {
            return Ok(None);
        };
        let skills = all_of::<skill::Entity>(db, List::RoleSkills, role.id).await?;
        let ids: Vec<i32> = skills.iter().map(|item| item.node.id).collect();
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
                if ids.contains(&item.node.id) {
                    prerequisites.push((item.node.id, *skill));
                }
            }
        }
        prerequisites.sort_unstable();
        let skills = skills
            .into_iter()
            .map(|item| {
                let essential = item.edge.importance == Some(entity::Importance::Essential);
                let level = match item.edge.level {
                    Some(entity::Proficiency::Beginner) => "beginner",
                    Some(entity::Proficiency::Intermediate) => "intermediate",
                    Some(entity::Proficiency::Advanced) => "advanced",
                    Some(entity::Proficiency::Expert) => "expert",
                    None => "",
                };
                ((*item.node).clone(), essential, level)
            })
            .collect();
        Ok(Some(Roadmap {
            skills,
            prerequisites,
        }))
    }

    /// Lays the diagram out and writes it as SVG. Layout takes time in proportion to the
    /// role's size: callers run it off the async executor.
    pub fn to_svg(&self) -> String {
        if self.skills.is_empty() {
            // The layout engine cannot sort a graph without nodes (it panics): a role whose
            // skills were all removed gets a picture that says so.
            return concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="360" height="60">"#,
                r#"<text x="16" y="36" font-family="sans-serif" font-size="14">"#,
                "This role needs no skills yet.</text></svg>"
            )
            .to_owned();
        }
        let mut graph = VisualGraph::new(Orientation::LeftToRight);
        let mut handles = HashMap::new();
        for (skill, essential, level) in &self.skills {
            let label = if level.is_empty() {
                skill.name.clone()
            } else {
                format!("{}\n{level}", skill.name)
            };
            let fill = if *essential { "#cfe3ff" } else { "white" };
            let line = if *essential { "#1d4f91" } else { "#7a7a7a" };
            let handle = graph.add_node(node(&label, fill, line));
            handles.insert(skill.id, handle);
        }
        for (skill, _, _) in &self.skills {
            if let Some(parent) = skill.parent_id
                && let (Some(from), Some(to)) = (handles.get(&parent), handles.get(&skill.id))
            {
                graph.add_edge(arrow(LineStyleKind::Normal, "#1d4f91"), *from, *to);
            }
        }
        for (prerequisite, skill) in &self.prerequisites {
            if let (Some(from), Some(to)) = (handles.get(prerequisite), handles.get(skill)) {
                graph.add_edge(arrow(LineStyleKind::Dashed, "#b35900"), *from, *to);
            }
        }
        let mut svg = SVGWriter::new();
        graph.do_it(false, false, false, &mut svg);
        svg.finalize()
    }
}

/// A box with a label, filled and outlined in the given colours.
fn node(label: &str, fill: &str, line: &str) -> Element {
    let look = StyleAttr::new(Color::fast(line), 2, Some(Color::fast(fill)), 6, 14);
    let shape = ShapeKind::new_box(label);
    let size = get_shape_size(Orientation::LeftToRight, &shape, look.font_size, false);
    Element::create(shape, look, Orientation::LeftToRight, size)
}

fn arrow(style: LineStyleKind, line: &str) -> Arrow {
    let look = StyleAttr::new(Color::fast(line), 2, None, 0, 12);
    Arrow::new(
        LineEndKind::None,
        LineEndKind::Arrow,
        style,
        "",
        &look,
        &None,
        &None,
    )
}

/// The roadmap of the role with this slug as SVG; `None` when there is no such role.
pub async fn role_svg(db: &Db, slug: &str) -> Result<Option<String>> {
    let Some(roadmap) = Roadmap::read(db, slug).await? else {
        return Ok(None);
    };
    let svg = tokio::task::spawn_blocking(move || roadmap.to_svg())
        .await
        .map_err(|err| Error::Internal(format!("laying out a roadmap failed: {err}")))?;
    Ok(Some(svg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_without_skills_is_drawn_without_the_layout() {
        let empty = Roadmap {
            skills: Vec::new(),
            prerequisites: Vec::new(),
        };
        let svg = empty.to_svg();
        assert!(
            svg.starts_with("<svg") && svg.contains("no skills"),
            "{svg}"
        );
    }
}
