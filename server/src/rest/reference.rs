//! `/api/v1/docs`: the API reference for people, written from the OpenAPI document itself, so
//! it never says something the API does not do.

use std::fmt::Write;
use std::sync::OnceLock;

use axum::http::header;
use axum::response::{Html, IntoResponse};
use serde_json::Value;

use super::openapi::document_json;
use crate::security::headers::STATIC_PAGE_CSP;

pub async fn page() -> impl IntoResponse {
    static PAGE: OnceLock<String> = OnceLock::new();
    let html = PAGE.get_or_init(|| {
        let doc: Value = serde_json::from_str(document_json()).unwrap_or(Value::Null);
        render(&doc)
    });
    (
        [(header::CONTENT_SECURITY_POLICY, STATIC_PAGE_CSP)],
        Html(html.as_str()),
    )
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escaped text with `backticked` words set as code.
fn prose(text: &str) -> String {
    esc(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A schema's type in a word or two: `string`, `integer or null`, `Invitation`, `list of ...`.
fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_string();
    }
    if let Some(options) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        return options.iter().map(type_name).collect::<Vec<_>>().join(" or ");
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let words: Vec<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(|v| format!("\"{v}\""))
            .collect();
        return format!("one of {}", words.join(", "));
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_string(),
    };
    if kind.starts_with("array") {
        if let Some(items) = schema.get("items") {
            return format!("list of {}", type_name(items));
        }
    }
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{kind} ({format})"),
        None => kind,
    }
}

fn render(doc: &Value) -> String {
    let mut out = String::new();
    let info = &doc["info"];
    let css = app::front_end::stylesheet_href();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>API reference · Portico</title><link rel=\"stylesheet\" href=\"{css}\">\
         <link rel=\"stylesheet\" href=\"/branding.css\"></head><body><main id=\"main\" class=\"page api-reference\">\
         <p><a href=\"/\">← The portal</a></p><h1>{} (version {})</h1><p>{}</p>\
         <p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI {}).</p>",
        esc(text(info, "title")),
        esc(text(info, "version")),
        prose(text(info, "description")),
        esc(text(doc, "openapi")),
    );
    out.push_str("<nav aria-label=\"Operations\"><h2>Operations</h2><ul>");
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (path, item) in &paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let id = text(operation, "operationId");
            let _ = write!(
                out,
                "<li><a href=\"#{}\"><code>{} {}</code></a> {}</li>",
                esc(id),
                method.to_uppercase(),
                esc(path),
                prose(text(operation, "summary"))
            );
        }
    }
    out.push_str("</ul></nav>");
    for (path, item) in &paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            operation_section(&mut out, path, method, operation);
        }
    }
    out.push_str("<h2>Types</h2>");
    for (name, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
        let _ = write!(
            out,
            "<section class=\"card\" id=\"type-{0}\"><h3>{0}</h3>",
            esc(name)
        );
        if let Some(description) = schema.get("description").and_then(Value::as_str) {
            let _ = write!(out, "<p>{}</p>", prose(description));
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            out.push_str("<table><thead><tr><th>Field</th><th>Type</th><th>About</th></tr></thead><tbody>");
            for (field, property) in properties {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    if required.contains(&field.as_str()) {
                        " (required)"
                    } else {
                        ""
                    },
                    esc(&type_name(property)),
                    prose(text(property, "description"))
                );
            }
            out.push_str("</tbody></table>");
        } else {
            let _ = write!(out, "<p>{}</p>", esc(&type_name(schema)));
        }
        out.push_str("</section>");
    }
    out.push_str("</main></body></html>");
    out
}

fn operation_section(out: &mut String, path: &str, method: &str, operation: &Value) {
    let _ = write!(
        out,
        "<section class=\"card\" id=\"{}\"><h3><code>{} {}</code></h3><p>{}</p>",
        esc(text(operation, "operationId")),
        method.to_uppercase(),
        esc(path),
        esc(text(operation, "description")
            .trim()
            .if_empty(text(operation, "summary")))
    );
    if let Some(scopes) = operation["security"][0]["token"].as_array() {
        let scopes: Vec<&str> = scopes.iter().filter_map(Value::as_str).collect();
        let _ = write!(
            out,
            "<p>Token scope: <code>{}</code></p>",
            esc(&scopes.join(", "))
        );
    }
    if let Some(parameters) = operation["parameters"].as_array() {
        out.push_str(
            "<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>About</th></tr></thead><tbody>",
        );
        for parameter in parameters {
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(text(parameter, "name")),
                if parameter["required"].as_bool() == Some(true) {
                    " (required)"
                } else {
                    ""
                },
                esc(text(parameter, "in")),
                esc(&type_name(&parameter["schema"])),
                prose(text(parameter, "description"))
            );
        }
        out.push_str("</tbody></table>");
    }
    if let Some(body) = operation["requestBody"]["content"]["application/json"]["schema"].as_object() {
        let name = type_name(&Value::Object(body.clone()));
        let _ = write!(
            out,
            "<p>Body: <a href=\"#type-{0}\">{0}</a> (JSON)</p>",
            esc(&name)
        );
    }
    out.push_str("<ul class=\"api-responses\">");
    for (status, response) in operation["responses"].as_object().into_iter().flatten() {
        let body = response["content"]["application/json"]["schema"]
            .as_object()
            .map(|s| type_name(&Value::Object(s.clone())))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li><strong>{}</strong> {}{}</li>",
            esc(status),
            esc(text(response, "description")),
            if body.is_empty() {
                String::new()
            } else {
                format!(": <a href=\"#type-{0}\">{0}</a>", esc(&body))
            }
        );
    }
    out.push_str("</ul></section>");
}

trait IfEmpty {
    fn if_empty<'a>(&'a self, other: &'a str) -> &'a str;
}

impl IfEmpty for str {
    fn if_empty<'a>(&'a self, other: &'a str) -> &'a str {
        if self.is_empty() {
            other
        } else {
            self
        }
    }
}
