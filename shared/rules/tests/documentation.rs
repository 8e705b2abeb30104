//! The documentation's example stays the real answer. `data/example-precheck-answer.json`
//! was written from the code's own answer, so this is a golden file: it catches an answer
//! that changes without the documentation changing with it, and proves no rule — the
//! rules are proven by `rules_by_id.rs`, each against the measures' own numbers.

mod common;

use common::*;

/// The crate docs' example answer is the answer the code gives today.
#[test]
fn the_documented_example_answer_is_the_answer() {
    let d = rules::precheck_json(EXAMPLE, &params()).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("../data/example-precheck-answer.json")).unwrap();
    assert_eq!(serde_json::to_value(&d).unwrap(), expected);
}
