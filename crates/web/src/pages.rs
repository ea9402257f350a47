//! Public pages.

use axum::{extract::State, response::Html};
use passage_core::Context;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub async fn home(State(ctx): State<Context>) -> Html<String> {
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
