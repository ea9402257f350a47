//! Server-rendered HTML pages. For now the front page naming the instance; profile, post,
//! event and admin pages come with their issues.

use axum::{Router, extract::State, response::Html, routing::get};
use passage_core::Context;

pub fn router(ctx: Context) -> Router {
    Router::new().route("/", get(home)).with_state(ctx)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn home(State(ctx): State<Context>) -> Html<String> {
    let c = &ctx.config.instance;
    Html(format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><h1>{}</h1><p>{}</p></body></html>",
        escape(c.languages.first().map_or("en", String::as_str)),
        escape(&c.name),
        escape(&c.name),
        escape(&c.description)
    ))
}
