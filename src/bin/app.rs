//! The web app, built for wasm32 by Trunk (index.html). Minimal mount for now.

#[cfg(target_arch = "wasm32")]
#[yew::function_component]
fn App() -> yew::Html {
    yew::html! { <h1>{ "Classiclink planner" }</h1> }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The web app runs in the browser: build it with `trunk build` or run scripts/serve.sh"
    );
}
