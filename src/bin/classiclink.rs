//! The `classiclink` command: checks plans in a terminal or a CI pipeline. See `classiclink::cli`.

use std::io::{Read, Write};
use std::process::ExitCode;

use std::collections::HashMap;
use std::ffi::OsString;

/// The real process's files and standard streams.
struct RealIo {
    /// Whether standard input was read already (it can be read once).
    stdin_read: bool,
    /// The arguments that are not UTF-8 (a file name in GBK, say), by the text the command sees for them: each byte
    /// that is not UTF-8 shown as U+FFFD. Files are opened by the name as it was given.
    raw: HashMap<String, OsString>,
}

impl RealIo {
    /// The file a path of the command line names.
    fn os_path(&self, path: &str) -> OsString {
        self.raw.get(path).cloned().unwrap_or_else(|| path.into())
    }
}

impl classiclink::cli::Io for RealIo {
    fn read(&mut self, path: &str) -> Result<String, String> {
        let bytes = if path == "-" {
            if std::mem::replace(&mut self.stdin_read, true) {
                return Err("standard input ('-') can be read only once: give the other plan as a file".to_string());
            }
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
            bytes
        } else {
            std::fs::read(self.os_path(path)).map_err(|e| format!("cannot read {path}: {e}"))?
        };
        classiclink::domain::text_from_bytes(bytes)
    }

    fn write(&mut self, path: &str, text: &str) -> Result<(), String> {
        if path == "-" {
            std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string())
        } else {
            // A link is written through, to the file it names (a rename would replace the link itself).
            let path = self.os_path(path);
            let target = std::fs::canonicalize(&path).unwrap_or_else(|_| std::path::PathBuf::from(path));
            match std::fs::metadata(&target) {
                // Not a file (/dev/null, a pipe, /dev/stdout): written to as it is. A rename would put a file in
                // its place, and everything that writes to /dev/null afterwards would fill that file.
                Ok(m) if !m.is_file() => std::fs::write(&target, text).map_err(|e| e.to_string()),
                // A file, or none yet: written beside it, then renamed over it, so that an interrupted write never
                // leaves half a plan.
                _ => {
                    let mut tmp = target.clone().into_os_string();
                    tmp.push(".tmp-classiclink");
                    std::fs::write(&tmp, text).map_err(|e| e.to_string())?;
                    std::fs::rename(&tmp, &target).map_err(|e| e.to_string())
                }
            }
        }
    }
}

fn main() -> ExitCode {
    let mut args = Vec::new();
    let mut raw = HashMap::new();
    for arg in std::env::args_os().skip(1) {
        let text = arg.to_string_lossy().into_owned();
        if text.as_str() != arg {
            // Two names that differ only in bytes that are not UTF-8 would read as one: refuse rather than guess.
            if raw.insert(text.clone(), arg.clone()).is_some_and(|other| other != arg) {
                eprintln!("classiclink: two arguments read as {text:?} (bytes that are not UTF-8): rename a file");
                return ExitCode::from(classiclink::cli::EXIT_UNUSABLE as u8);
            }
        }
        args.push(text);
    }
    let out = classiclink::cli::run(&args, &mut RealIo { stdin_read: false, raw });
    let mut code = out.code;
    // A reader that stops early (`classiclink ... | head`) closes the pipe: the rest is not wanted, which is no
    // reason to fail (print! panics on a closed pipe, and the release build aborts on a panic). Any other failure
    // (a full disk under `> plan.json`) is: the answer or the plan did not arrive.
    if let Err(e) = std::io::stdout().lock().write_all(out.stdout.as_bytes()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(std::io::stderr(), "classiclink: cannot write standard output: {e}");
            code = classiclink::cli::EXIT_UNUSABLE;
        }
    }
    let _ = std::io::stderr().lock().write_all(out.stderr.as_bytes());
    ExitCode::from(code as u8)
}
