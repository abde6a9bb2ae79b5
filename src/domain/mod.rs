//! The domain core. Nothing here imports a browser crate.
