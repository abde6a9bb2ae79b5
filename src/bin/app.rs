//! The web app. On wasm32 it mounts the Yew app (built by Trunk from index.html); on native targets it only says
//! where the app runs.

#[cfg(target_arch = "wasm32")]
fn main() {
    classiclink::ui::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("This is the Classiclink planner web app: it runs in the browser (build it with `trunk build`).");
    println!("For the terminal, use the `classiclink` command.");
}
