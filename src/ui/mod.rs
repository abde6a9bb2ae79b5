//! The Yew app.
