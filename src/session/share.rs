//! Share links: the whole plan in the URL fragment (`#plan=…`).
//!
//! The plan's compact JSON is deflated with `miniz_oxide` (pure Rust, no C, the deflate backend of `flate2` and of
//! the standard library's backtraces: it builds for wasm32 unchanged) in a zlib stream, whose Adler-32 checksum
//! refuses a link damaged in a way that still inflates (one character changed could rename objects), and written as
//! URL-safe base64 without padding (`base64`, no dependencies). Links made before the checksum carry raw deflate
//! data and still open. Decoding runs the ordinary import, so a shared plan is validated like a file.

use crate::domain::load::{import, LoadError, PlanError};
use crate::domain::model::Plan;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;

/// The key in the fragment: `#plan=…`.
pub const FRAGMENT_KEY: &str = "plan=";

/// The largest plan JSON a share link may inflate to (bytes): a guard against a hostile link.
pub const MAX_INFLATED: usize = 16 * 1024 * 1024;

/// The plan, deflated and base64url-encoded (no `#plan=` prefix).
pub fn encode_share(plan: &Plan) -> String {
    let json = plan.to_json_compact();
    // Level 6, deflate's default: at Tencent's largest scale it takes two thirds of level 9's time (21 ms against 33
    // ms natively, in the size-optimised build) for a link 1.5% longer.
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6);
    URL_SAFE_NO_PAD.encode(packed)
}

/// The fragment for a plan: `plan=…` (without the `#`).
pub fn share_fragment(plan: &Plan) -> String {
    format!("{FRAGMENT_KEY}{}", encode_share(plan))
}

/// The `name` of the plan in plan JSON (empty when it has none), reading nothing else as a plan: to offer a kept
/// plan by its name without importing it. `None` when the text is not a JSON object.
pub fn plan_name(json: &str) -> Option<String> {
    // As a JSON value, read as an import reads one (the same parser, so this adds none to the web app).
    match crate::domain::load::parse_json(json, "a plan").ok()? {
        serde_json::Value::Object(o) => Some(o.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_string()),
        _ => None,
    }
}

/// Reads a plan from an encoded share string (see [`encode_share`]). Errors name the location `#plan`.
pub fn decode_share(encoded: &str) -> Result<Plan, LoadError> {
    let err = |m: String| LoadError::from(PlanError { path: "#plan".to_string(), message: m });
    let encoded = encoded.trim().trim_end_matches('=');
    if encoded.is_empty() {
        return Err(err("the share link carries no plan after #plan=".to_string()));
    }
    // Said in the user's words: the decoders' own errors name their internals.
    let packed = URL_SAFE_NO_PAD.decode(encoded).map_err(|e| {
        let why = match e {
            base64::DecodeError::InvalidByte(at, byte) => {
                format!("{:?} at character {} cannot be in a share link", char::from(byte), at + 1)
            }
            _ => "it ends part-way through a character".to_string(),
        };
        err(format!("the share link is damaged, or cut short ({why})"))
    })?;
    let bytes = inflate_whole(&packed, MAX_INFLATED).map_err(|e| match e {
        Inflate::Status(TINFLStatus::Adler32Mismatch) => {
            err("the share link is damaged (its plan does not match the checksum it carries)".to_string())
        }
        Inflate::Status(TINFLStatus::HasMoreOutput) => {
            err(format!("the share link's plan is larger than {} MB: share it as a file", MAX_INFLATED >> 20))
        }
        Inflate::Status(TINFLStatus::FailedCannotMakeProgress) => {
            err("the share link is cut short (its compressed plan ends early)".to_string())
        }
        Inflate::Status(_) => err("the share link is damaged (its compressed plan cannot be read)".to_string()),
        Inflate::Trailing(n) => err(format!(
            "the share link is damaged (its compressed plan is followed by {})",
            crate::domain::rules::count(n, "more byte", "more bytes")
        )),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| err("the share link does not hold UTF-8 text".to_string()))?;
    import(&text)
}

/// Why [`inflate_whole`] read no plan: the inflater's status, or the count of bytes left after the compressed data.
enum Inflate {
    Status(TINFLStatus),
    Trailing(usize),
}

/// Whether `packed` opens with a zlib header (deflate, no preset dictionary, its check bits right): a link with the
/// checksum. A link made before it opens with a raw deflate block, which never looks so: the compressor starts
/// plan JSON with a Huffman-coded block, whose first byte is never 0x78 (a stored block's type bits).
fn zlib_header(packed: &[u8]) -> bool {
    matches!(packed, [cmf, flg, ..] if *cmf == 0x78 && flg & 0x20 == 0 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0)
}

/// `packed`, a zlib stream (its checksum checked) or, from an older link, raw deflate data, inflated to at most
/// `limit` bytes; refused when bytes follow the end of the compressed data (`decompress_to_vec_with_limit` stops
/// there and drops them unread: a link damaged after its plan opened as if whole). The output grows by doubling, as
/// in that function.
fn inflate_whole(packed: &[u8], limit: usize) -> Result<Vec<u8>, Inflate> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    let zlib = if zlib_header(packed) { inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER } else { 0 };
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF | zlib;
    let mut out = vec![0; packed.len().saturating_mul(2).clamp(1, limit.max(1))];
    let mut state = Box::<DecompressorOxide>::default();
    let (mut input, mut at) = (packed, 0);
    loop {
        let (status, read, written) = decompress(&mut state, input, &mut out, at, flags);
        at += written;
        input = input.get(read..).unwrap_or_default();
        match status {
            TINFLStatus::Done if input.is_empty() => {
                out.truncate(at);
                return Ok(out);
            }
            TINFLStatus::Done => return Err(Inflate::Trailing(input.len())),
            TINFLStatus::HasMoreOutput if out.len() < limit => out.resize(out.len().saturating_mul(2).min(limit), 0),
            status => return Err(Inflate::Status(status)),
        }
    }
}

/// The plan named by a URL fragment (with or without the leading `#`), if it carries one.
pub fn plan_from_fragment(fragment: &str) -> Option<Result<Plan, LoadError>> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    f.split('&').find_map(|part| part.strip_prefix(FRAGMENT_KEY)).map(decode_share)
}
