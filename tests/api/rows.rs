//! List statements read rows by column position without sqlx's type checks, for speed
//! (`src/data/rows.rs`). This holds them to SeaORM's own reading, by name and type-checked:
//! a column whose type or order no longer matches what the reader expects fails here.

use std::fmt::Debug;

use sea_orm::EntityTrait;
use skillgraph::data::lists::{List, PageArgs, root_page};
use skillgraph::data::model::NodeModel;
use skillgraph::data::rows::NodeColumns;

use crate::helpers::{TestApp, backend_tests};

async fn read_alike<N>(app: &TestApp, list: List)
where
    N: EntityTrait + Default,
    N::Model: NodeColumns + NodeModel + Clone + PartialEq + Debug,
{
    let page = root_page::<N>(&app.db, list, &PageArgs::default())
        .await
        .unwrap_or_else(|err| panic!("{list:?}: {}", err.detail()));
    let mut by_position: Vec<N::Model> =
        page.items.iter().map(|item| (*item.node).clone()).collect();
    let mut by_name = N::find()
        .all(&app.db.conn)
        .await
        .expect("SeaORM reads the table");
    by_position.sort_by_key(NodeModel::id);
    by_name.sort_by_key(NodeModel::id);
    assert!(
        !by_name.is_empty(),
        "{list:?}: the catalog fills every table"
    );
    assert_eq!(by_position, by_name, "{list:?}");
}

async fn rows_read_by_position_equal_rows_read_by_name(app: &TestApp) {
    read_alike::<entity::role::Entity>(app, List::Roles).await;
    read_alike::<entity::skill::Entity>(app, List::Skills).await;
    read_alike::<entity::language::Entity>(app, List::Languages).await;
    read_alike::<entity::framework::Entity>(app, List::Frameworks).await;
    read_alike::<entity::tool::Entity>(app, List::Tools).await;
}

backend_tests!(rows_read_by_position_equal_rows_read_by_name);
