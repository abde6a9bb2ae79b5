//! Proves the browser test pipeline: this runs in headless Chromium through
//! wasm-bindgen-test-runner (see scripts/test.sh), not in Node.js.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().expect("a window: this must run in a browser").document().expect("a document")
}

#[wasm_bindgen_test]
fn runs_in_chromium() {
    // navigator.userAgent, read through js-sys so no extra web-sys feature is needed.
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).expect("navigator");
    let user_agent = js_sys::Reflect::get(&navigator, &JsValue::from_str("userAgent"))
        .expect("userAgent")
        .as_string()
        .expect("userAgent is a string");
    assert!(user_agent.contains("Chrome"), "expected Chromium, user agent is {user_agent:?}");
}

#[wasm_bindgen_test]
fn creates_and_finds_a_dom_element() {
    let document = document();
    let root = document.document_element().expect("a root element");
    root.insert_adjacent_html("beforeend", r#"<div id="smoke-test"><h1>Classiclink planner</h1></div>"#)
        .expect("insert html");
    let found = document.get_element_by_id("smoke-test").expect("the inserted element is in the DOM");
    let heading = found.query_selector("h1").expect("a valid selector").expect("an h1 inside");
    assert_eq!(heading.inner_html(), "Classiclink planner");
    found.remove();
}
