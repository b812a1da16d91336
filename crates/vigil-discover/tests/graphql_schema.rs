//! Fixture ladder for `graphql/schema`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::run_extractor;
use vigil_discover::extractors::graphql_schema::GraphqlSchema;

fn endpoints(text: &str) -> Vec<String> {
    let out = run_extractor(&GraphqlSchema, &[("api/schema.graphql", text)]).unwrap();
    out.assets
        .iter()
        .map(|a| {
            format!(
                "{} auth={} line={}",
                a.name,
                a.attributes["authenticated"],
                a.evidence[0].line.unwrap()
            )
        })
        .collect()
}

#[test]
fn empty_files_and_types_without_operations() {
    assert!(endpoints("").is_empty());
    assert!(endpoints("# nothing\n").is_empty());
    assert!(endpoints("type User { id: ID! email: String }\n").is_empty());
}

#[test]
fn root_fields_are_endpoints() {
    let schema = r#""""
The shop API.
"""
type Query {
  "Products anyone can browse"
  products(first: Int, after: String): [Product!]! @public
  me: User @auth(requires: USER)
  order(
    id: ID!
  ): Order
}

type Mutation @auth {
  placeOrder(cart: ID!): Order
}

extend type Query {
  reviews(productId: ID!): [Review]
}

type Product { id: ID! name: String }
"#;
    assert_eq!(
        endpoints(schema),
        vec![
            "QUERY products auth=false line=6",
            "QUERY me auth=true line=7",
            "QUERY order auth=null line=8",
            "MUTATION placeOrder auth=true line=14",
            "QUERY reviews auth=null line=18",
        ]
    );
}

#[test]
fn a_schema_block_renames_the_roots() {
    let schema = "schema {\n  query: RootQuery\n  mutation: RootMutation\n}\ntype RootQuery {\n  health: Boolean\n}\ntype Query {\n  notRoot: Int\n}\n";
    assert_eq!(endpoints(schema), vec!["QUERY health auth=null line=6"]);
}

#[test]
fn garbage_never_panics() {
    for text in [
        "type Query {",
        "type Query { a(",
        "\"\"\"unterminated",
        "}}}}",
        "extend type",
        "type Query { ( ) } }",
    ] {
        let _ = run_extractor(&GraphqlSchema, &[("x.graphql", text)]).unwrap();
    }
}
