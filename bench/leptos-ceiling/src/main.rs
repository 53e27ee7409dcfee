//! For `make bench`: the ceiling of a routed, hydrated page on this machine. Portico's staff
//! pages (the review queue among them) are drawn by Leptos's router for the browser to hydrate;
//! this is the least such a page can be, with the portal's own stack and allocator and nothing of
//! Portico's: the document with its hydration scripts and meta tags, a router with one route, and
//! a page whose resource (25 rows made in memory, no database, no session) is awaited in a
//! `Suspense` and written into the page for hydration, as the review queue's is. The bench
//! measures it in turn with the review queue, like the argon2 ceiling beside the sign-in.
//!
//!   leptos-ceiling PORT    serves http://127.0.0.1:PORT/queue until killed

use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router as PageRouter, Routes};
use leptos_router::{path, SsrMode};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The rows the page shows, as many as the review queue's first page.
const ROWS: usize = 25;

#[tokio::main]
async fn main() {
    let Some(port) = std::env::args().nth(1).and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("usage: leptos-ceiling PORT");
        std::process::exit(2);
    };
    let options = LeptosOptions::builder().output_name("ceiling").build();
    let app = Router::new()
        .leptos_routes(&options, generate_route_list(App), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("the port is free");
    axum::serve(listener, app).await.expect("the server runs");
}

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <PageRouter>
            <main>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/queue") view=Queue ssr=SsrMode::Async />
                </Routes>
            </main>
        </PageRouter>
    }
}

#[component]
fn Queue() -> impl IntoView {
    let rows = Resource::new(
        || (),
        |_| async {
            (1..=ROWS)
                .map(|n| (n, format!("partner-{n}@example.org")))
                .collect::<Vec<_>>()
        },
    );
    view! {
        <Title text="Waiting for you" />
        <h1>"Waiting for you"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = rows.await;
                view! {
                    <table>
                        <tbody>
                            {rows.into_iter().map(|(n, email)| view! {
                                <tr><td>{n}</td><td>{email}</td><td><a href=format!("/queue/{n}")>"Review"</a></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </Suspense>
    }
}
