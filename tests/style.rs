//! The style sheet's text colours read against the backgrounds they are drawn on: at least 4.5:1, WCAG 2.x AA for
//! text (the warning amber on its pale background was 4.41:1, a reachable matrix cell 4.46:1).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const STYLE: &str = include_str!("../www/style.css");

/// The colour a custom property of `:root` is set to (`#rrggbb`).
fn colour(name: &str) -> [f64; 3] {
    let decl = format!("--{name}: #");
    let at = STYLE.find(&decl).unwrap_or_else(|| panic!("--{name} is not set in www/style.css")) + decl.len();
    let hex = &STYLE[at..at + 6];
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or_else(|_| panic!("--{name}: #{hex}"));
    [channel(0), channel(2), channel(4)].map(|c| f64::from(c) / 255.0)
}

/// WCAG 2.x relative luminance.
fn luminance([r, g, b]: [f64; 3]) -> f64 {
    let lin = |c: f64| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(colour(a)), luminance(colour(b)));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn text_colours_read_at_4_5_to_1_on_their_backgrounds() {
    // Each tone's text on its own soft background (badges, notices, matrix cells, the "not saved" pill), and on the
    // surfaces; the muted and body text on every surface.
    let mut pairs = Vec::new();
    for tone in ["ok", "warn", "err", "info", "accent"] {
        for bg in [format!("{tone}-soft"), "surface".into(), "surface-2".into(), "bg".into()] {
            pairs.push((tone.to_string(), bg));
        }
    }
    for text in ["text", "muted"] {
        for bg in ["surface", "surface-2", "bg", "accent-soft", "info-soft"] {
            pairs.push((text.to_string(), bg.to_string()));
        }
    }
    let low: Vec<String> = pairs
        .iter()
        .map(|(fg, bg)| (fg, bg, contrast(fg, bg)))
        .filter(|(_, _, c)| *c < 4.5)
        .map(|(fg, bg, c)| format!("--{fg} on --{bg}: {c:.2}:1"))
        .collect();
    assert!(low.is_empty(), "below 4.5:1: {low:?}");
}

#[test]
fn the_contrast_is_computed_as_wcag_does() {
    // Black on white is 21:1, a colour on itself 1:1.
    let (black, white) = (luminance([0.0; 3]), luminance([1.0; 3]));
    assert!(((white + 0.05) / (black + 0.05) - 21.0).abs() < 1e-9);
    assert!((contrast("ok", "ok") - 1.0).abs() < 1e-9);
}
