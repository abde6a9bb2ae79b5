//! The tools tab in a real browser: import from Tencent Cloud, export, baseline and diff, migration checklist, help.
//!
//! Run with `source scripts/env.sh; cargo test --target wasm32-unknown-unknown --test ui_tools`.
#![cfg(target_arch = "wasm32")]

mod common;

use classiclink::domain::migrate;
use classiclink::domain::tencent::import_bundle;
use common::{choose, choose_file, click, example, mount, type_into, Mounted};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const BUNDLE: &str = include_str!("fixtures/tencent/bundle-guangzhou.json");
const BROKEN_CIDR: &str = include_str!("fixtures/tencent/broken-missing-cidr.json");

impl Mounted {
    fn text(&self, id: &str) -> String {
        self.testid(id).text_content().unwrap_or_default()
    }

    fn value(&self, id: &str) -> String {
        self.testid(id).dyn_into::<HtmlTextAreaElement>().expect("a text area").value()
    }

    fn plan_name(&self) -> String {
        self.testid("plan-name").dyn_into::<HtmlInputElement>().unwrap().value()
    }

    async fn page(&self, page: &str) {
        if self.find("[data-testid=\"tools\"]").is_none() {
            click(&self.testid("tab-tools")).await;
        }
        click(&self.testid(&format!("tools-page-{page}"))).await;
    }
}

#[wasm_bindgen_test]
async fn a_tencent_bundle_imports_through_the_dialog_with_its_notes() {
    let app = mount(example()).await;
    click(&app.testid("tab-tools")).await;
    assert_eq!(app.attr("tools-page-import", "aria-selected"), "true", "the import page opens first");
    type_into(&app.testid("tencent-import-text"), BUNDLE).await;
    click(&app.testid("tencent-import-submit")).await;
    let expected = import_bundle(BUNDLE, None).unwrap();
    assert_eq!(app.plan_name(), expected.plan.name);
    assert_eq!(app.attr("gauge-vpc-prod", "data-links"), "2");
    assert!(app.find("[data-testid=\"node-ins-job01\"]").is_some(), "the imported CVMs are drawn");
    assert!(app.find("[data-testid=\"edge-ins-web01-vpc-prod\"]").is_some());
    assert_eq!(app.count("[data-testid=\"tencent-import-note\"]"), expected.notes.len() as u32);
    let notes = app.text("tencent-import-notes");
    assert!(notes.contains("region ap-guangzhou") && notes.contains("skipped"), "{notes}");
    // Undo brings the example back.
    click(&app.testid("undo")).await;
    assert_eq!(app.plan_name(), example().name);
}

#[wasm_bindgen_test]
async fn a_chosen_bundle_file_fills_the_tencent_import_text() {
    let app = mount(example()).await;
    click(&app.testid("tab-tools")).await;
    assert_eq!(app.value("tencent-import-text"), "");
    choose_file(&app.testid("tencent-import-file"), "bundle.json", BUNDLE, || {
        app.value("tencent-import-text") == BUNDLE
    })
    .await;
}

/// An empty file is refused as the CLI refuses it, at its location. Before, it emptied the field, turned the Import
/// button off, and said nothing: the file seemed not taken.
#[wasm_bindgen_test]
async fn an_empty_bundle_file_is_refused_at_its_location() {
    let app = mount(example()).await;
    click(&app.testid("tab-tools")).await;
    choose_file(&app.testid("tencent-import-file"), "empty.json", "", || {
        app.find("[data-testid=\"tencent-import-error\"]").is_some()
    })
    .await;
    assert_eq!(app.attr("tencent-import-error", "data-path"), ".");
    assert!(app.text("tencent-import-error").contains("empty"), "{}", app.text("tencent-import-error"));
    assert_eq!(app.plan_name(), example().name);
}

/// What is typed into the tools' fields stays while the page is open: a bundle and a region pasted, a look at
/// another page or tab, and they are there; a baseline pasted on the export page is on the diff page too. Both were
/// lost: each page drew its fields anew, empty.
#[wasm_bindgen_test]
async fn the_tools_keep_what_is_typed_across_pages_and_tabs() {
    let app = mount(example()).await;
    app.page("import").await;
    type_into(&app.testid("tencent-import-text"), BROKEN_CIDR).await;
    type_into(&app.testid("tencent-import-region"), "ap-guangzhou").await;
    app.page("export").await;
    type_into(&app.testid("baseline-text"), "{ \"format\": ").await;
    app.page("diff").await;
    assert_eq!(app.value("baseline-text"), "{ \"format\": ", "one baseline field for both pages");
    assert!(app.get("details.paste-baseline").has_attribute("open"), "shown, as it holds text");
    click(&app.testid("tab-selection")).await;
    app.page("import").await;
    assert_eq!(app.value("tencent-import-text"), BROKEN_CIDR);
    let region = app.testid("tencent-import-region").dyn_into::<HtmlInputElement>().unwrap().value();
    assert_eq!(region, "ap-guangzhou");
    // And it is what Import takes.
    click(&app.testid("tencent-import-submit")).await;
    assert_eq!(app.attr("tencent-import-error", "data-path"), "DescribeVpcs.VpcSet[0].CidrBlock");
}

#[wasm_bindgen_test]
async fn a_broken_bundle_lists_its_errors_and_keeps_the_plan() {
    let app = mount(example()).await;
    app.page("import").await;
    type_into(&app.testid("tencent-import-text"), BROKEN_CIDR).await;
    click(&app.testid("tencent-import-submit")).await;
    assert_eq!(app.attr("tencent-import-error", "data-path"), "DescribeVpcs.VpcSet[0].CidrBlock");
    assert!(app.find("[data-testid=\"tencent-import-notes\"]").is_none());
    assert_eq!(app.plan_name(), example().name);
    assert_eq!(app.attr("gauge-vpc-prod", "data-links"), "5");
}

#[wasm_bindgen_test]
async fn export_is_refused_for_error_findings_then_forced() {
    let app = mount(example()).await;
    app.page("export").await;
    assert!(app.find("[data-testid=\"export-output\"]").is_none());
    let refused = app.count("[data-testid=\"export-refused-finding\"]");
    let errors = classiclink::domain::check(&example())
        .findings
        .iter()
        .filter(|f| f.severity == classiclink::domain::Severity::Error)
        .count();
    assert!(errors > 0);
    assert_eq!(refused, errors as u32);
    click(&app.testid("export-force")).await;
    assert!(app.find("[data-testid=\"export-refused\"]").is_none());
    let out = app.value("export-output");
    assert!(
        out.contains("tccli vpc AttachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId vpc-prod"),
        "{out}"
    );
    choose(&app.testid("export-format"), "terraform").await;
    let out = app.value("export-output");
    assert!(out.contains("tencentcloud_vpc_classic_link_attachment"), "{out}");
    // Copy says what it did, whichever way the browser's clipboard answers.
    assert!(app.find("[data-testid=\"copied\"]").is_none());
    click(&app.testid("export-copy")).await;
    let mut said = None;
    for _ in 0..50 {
        if let Some(el) = app.find("[data-testid=\"copied\"]") {
            said = el.text_content();
            break;
        }
        common::settle().await;
    }
    let said = said.expect("a word after Copy");
    assert!(said.contains("Copied") || said.contains("Not copied"), "{said}");
}

#[wasm_bindgen_test]
async fn a_link_made_after_the_baseline_shows_in_the_diff_with_a_flow_gained() {
    let app = mount(example()).await;
    app.page("diff").await;
    assert!(app.find("[data-testid=\"diff-no-baseline\"]").is_some());
    click(&app.testid("baseline-set")).await;
    assert_eq!(app.attr("baseline-status", "data-set"), "true");
    assert_eq!(app.attr("diff", "data-same"), "true");
    // Link a CVM from its controls.
    click(&app.testid("node-ins-web04")).await;
    choose(&app.testid("link-target"), "vpc-prod").await;
    click(&app.testid("link-button")).await;
    assert_eq!(app.attr("gauge-vpc-prod", "data-links"), "6");
    click(&app.testid("tab-tools")).await;
    assert_eq!(app.attr("tools-page-diff", "aria-selected"), "true", "the tools remember their page");
    assert_eq!(app.attr("diff", "data-same"), "false");
    let link = app.get("[data-testid=\"diff-link\"][data-instance=\"ins-web04\"]");
    assert_eq!(link.get_attribute("data-change").as_deref(), Some("added"));
    assert_eq!(link.get_attribute("data-vpc").as_deref(), Some("vpc-prod"));
    let gained = app.count("[data-testid=\"diff-flows-gained\"] [data-from=\"ins-web04\"]")
        + app.count("[data-testid=\"diff-flows-gained\"] [data-to=\"ins-web04\"]");
    assert!(gained > 0, "{}", app.text("diff"));
    assert!(app.text("diff-flows-gained").contains("NOT_LINKED"));
    // The export of the changes holds only the new link.
    app.page("export").await;
    click(&app.testid("export-force")).await;
    let out = app.value("export-output");
    assert!(out.contains("ins-web04") && !out.contains("ins-web01"), "{out}");
    // A port that is not one is said so.
    app.page("diff").await;
    type_into(&app.testid("diff-port"), "0").await;
    click(&app.testid("diff-submit")).await;
    assert!(app.find("[data-testid=\"diff-error\"]").is_some());
}

#[wasm_bindgen_test]
async fn the_migration_checklist_lists_the_instances_with_markdown() {
    let app = mount(example()).await;
    app.page("migrate").await;
    let list = migrate::checklist(&example());
    assert!(!list.instances.is_empty());
    assert_eq!(app.count("[data-testid=\"migrate-instance\"]"), list.instances.len() as u32);
    for m in &list.instances {
        assert!(app.find(&format!("[data-testid=\"migrate-instance\"][data-id=\"{}\"]", m.instance)).is_some());
    }
    assert_eq!(app.value("migrate-markdown"), migrate::to_markdown(&list));
    assert!(app.text("migrate-instances").contains("ModifyInstancesVpcAttribute"));
}

/// At Tencent's largest size, text too long for a field (the plan's 3 MB of JSON, the checklist's Markdown) is not
/// put in one (laying it out stalled the page for seconds, and again on every edit): Copy and Download hand it over.
/// The checklist shows its instances a page at a time.
#[wasm_bindgen_test]
async fn at_scale_long_text_is_copied_or_downloaded_and_the_checklist_pages() {
    let app = mount(classiclink::domain::synth::plan(1)).await;
    click(&app.testid("export-open")).await;
    assert!(app.find("[data-testid=\"export-text\"]").is_none());
    assert!(app.text("export-text-too-long").contains("MB"), "{}", app.text("export-text-too-long"));
    assert!(app.find("[data-testid=\"export-download\"]").is_some());
    assert!(app.find("[data-testid=\"export-copy-json\"]").is_some());
    click(&app.testid("export-open")).await;

    app.page("migrate").await;
    assert_eq!(app.count("[data-testid=\"migrate-instance\"]"), 25);
    click(&app.testid("migrate-more")).await;
    assert_eq!(app.count("[data-testid=\"migrate-instance\"]"), 50);
    // The focus goes to the first instance shown, where reading goes on.
    let active = gloo::utils::document().active_element().expect("a focused element");
    assert_eq!(active.get_attribute("data-testid").as_deref(), Some("migrate-instance"));
    let list = app.testid("migrate-instances");
    assert!(list.children().item(25).is_some_and(|a| a.is_same_node(Some(&active))), "the 26th instance");
    assert!(app.find("[data-testid=\"migrate-markdown\"]").is_none());
    assert!(app.text("migrate-markdown-too-long").contains("lines"));
}

#[wasm_bindgen_test]
async fn the_help_shows_the_comparison_and_explains_a_rule() {
    let app = mount(example()).await;
    app.page("help").await;
    assert_eq!(app.count("[data-testid=\"help-comparison-row\"]"), 6);
    assert_eq!(app.count("[data-testid=\"help-shared-row\"]"), 6);
    let clb = app.get("[data-testid=\"help-shared-row\"][data-resource=\"Cloud Load Balancer\"]");
    let link = clb.query_selector("[data-testid=\"help-rule-link\"][data-rule=\"CL020\"]").unwrap().expect("CL020");
    click(&link).await;
    assert_eq!(app.attr("help-rule", "data-rule"), "CL020");
    let info = &classiclink::domain::rules::rule("CL020").unwrap().info;
    // The text reads without the catalogue's backticks, which mark code spans.
    assert!(app.text("help-rule").contains(&info.fix.replace('`', "")));
    // The explanation takes the focus (it may open far from the link), and names its source for a reader.
    let doc = web_sys::window().unwrap().document().unwrap();
    assert_eq!(doc.active_element().and_then(|e| e.get_attribute("data-testid")).as_deref(), Some("help-rule"));
    assert!(
        app.text("help-rule").contains("Tencent Cloud's overview of VPC and the classic network (Japanese)"),
        "{}",
        app.text("help-rule")
    );
    assert!(!app.text("help-rule").contains("seed 0"));
    // The seed is quoted in its own language (CL020's is Japanese): a screen reader reads it so.
    assert_eq!(app.attr("help-rule-seed", "lang"), "ja");
    assert_eq!(app.text("help-rule-seed"), info.seed);
    // Code spans are code: CL018 speaks of `supportedPlatforms`.
    let link = app.get("[data-testid=\"help-rule-link\"][data-rule=\"CL018\"]");
    click(&link).await;
    let codes: Vec<String> = (0..app.get("[data-testid=\"help-rule\"]").query_selector_all("p code").unwrap().length())
        .filter_map(|i| app.get("[data-testid=\"help-rule\"]").query_selector_all("p code").unwrap().item(i))
        .filter_map(|n| n.text_content())
        .collect();
    assert!(codes.iter().any(|c| c == "supportedPlatforms"), "{codes:?}");
    assert!(!app.text("help-rule").contains('`'));
}

/// The diff form's port field is off for the protocols whose flows have no port (ICMP, ALL), as the session says.
#[wasm_bindgen_test]
async fn the_diff_port_is_off_for_protocols_without_ports() {
    let app = mount(example()).await;
    app.page("diff").await;
    for (protocol, off) in [("ICMP", true), ("ALL", true), ("UDP", false), ("TCP", false)] {
        choose(&app.testid("diff-protocol"), protocol).await;
        assert_eq!(app.testid("diff-port").has_attribute("disabled"), off, "{protocol}");
    }
}
