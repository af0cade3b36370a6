//! `schema.graphql` at the repository root is exactly the served schema: the contract, whose
//! every change shows in its diff.

#[test]
fn schema_file_matches_the_served_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql exists");
    let served = skillgraph::graphql::sdl();
    assert!(
        committed == served,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql`"
    );
}

/// Introspection gives the schema a description; the SDL states the same one, so that tools
/// that build a schema from introspection get exactly `schema.graphql`.
#[tokio::test]
async fn the_sdl_states_the_description_introspection_gives() {
    use async_graphql::{EmptyMutation, EmptySubscription, Schema};
    let schema = Schema::build(
        skillgraph::graphql::Query::default(),
        EmptyMutation,
        EmptySubscription,
    )
    .finish();
    let response = schema.execute("{ __schema { description } }").await;
    let data = response.data.into_json().unwrap();
    let description = skillgraph::graphql::SCHEMA_DESCRIPTION;
    assert_eq!(data["__schema"]["description"], description);
    // The SDL ends with the schema definition, described as introspection describes it.
    let definition = format!(
        "\"\"\"\n{description}\n\"\"\"\nschema {{\n\tquery: Query\n\tmutation: Mutation\n\tsubscription: Subscription\n}}\n"
    );
    let sdl = skillgraph::graphql::sdl();
    assert!(
        sdl.ends_with(&definition),
        "{}",
        &sdl[sdl.len().saturating_sub(400)..]
    );
    assert_eq!(
        sdl.matches("\nschema {").count(),
        1,
        "one schema definition"
    );
}
