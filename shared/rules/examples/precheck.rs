//! Decides a pre-check request read from standard input and prints the decision as JSON.
//!
//! `cargo run -p mentougou-rules --example precheck < shared/rules/data/example-precheck-request.json`

use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("reading standard input");
    let params = rules::Parameters::default();
    let out = match rules::precheck_json(&input, &params) {
        Ok(d) => serde_json::to_string_pretty(&d),
        Err(e) => serde_json::to_string_pretty(&e),
    };
    println!("{}", out.expect("serialising"));
}
