//! Prints the rules catalogue as Markdown: `cargo run --example rules_md > docs/rules.md`.

fn main() {
    print!("{}", classiclink::domain::rules::catalogue_markdown());
}
