//! The README's rules table is the catalogue's: every rule, with its severity, summary, seeds and API code.

use classiclink::domain::rules::catalogue;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const README: &str = include_str!("../README.md");

#[test]
fn the_readme_lists_every_rule_as_the_catalogue_has_it() {
    let rows: Vec<&str> = README.lines().filter(|l| l.starts_with("| CL")).collect();
    assert_eq!(rows.len(), catalogue().len(), "one README row per rule");
    for (row, rule) in rows.iter().zip(catalogue()) {
        let i = &rule.info;
        let api = i.api_error.map(|a| format!("`{a}`")).unwrap_or_else(|| "-".to_string());
        let want = format!("| {} | {} | {} | {} | {} |", i.id, i.severity, i.summary, i.seed_docs.join(", "), api);
        assert_eq!(*row, want, "README row for {} (regenerate it from docs/rules.md)", i.id);
    }
}
