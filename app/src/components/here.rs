//! Where the page is: its path and its query. Pages the router draws take it from the router;
//! pages drawn without it (`plain_page.rs`) from the request. Whatever shows or links back to
//! the current page (the menus, the language switch, a sign-in prompt) reads it here, so it
//! serves both kinds of page.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

#[derive(Clone, Copy)]
pub struct Here {
    /// The path, without the query.
    pub path: Signal<String>,
    /// The query, without its "?".
    pub search: Signal<String>,
    pub query: Signal<ParamsMap>,
}

/// The current page (provided by the frame, routed or plain).
pub fn here() -> Here {
    expect_context::<Here>()
}

/// Inside the router: the router's location, which follows navigation in the browser.
pub fn provide_here_from_router() {
    let location = leptos_router::hooks::use_location();
    provide_context(Here {
        path: location.pathname.into(),
        search: location.search.into(),
        query: location.query.into(),
    });
}

/// For a page drawn without the router: the address it was asked for (path and query). As the
/// router does, it also hands a form's error, sent back in the address after a post without
/// JavaScript, to that form's `ServerAction`.
#[cfg(feature = "ssr")]
pub fn provide_here_from_request(path_and_query: &str) {
    use leptos_router::location::RequestUrl;
    let (path, search, query) = match RequestUrl::new(path_and_query).parse() {
        Ok(url) => {
            url.provide_server_action_error();
            (
                url.path().to_string(),
                url.search().to_string(),
                url.search_params().clone(),
            )
        }
        Err(_) => (path_and_query.to_string(), String::new(), ParamsMap::new()),
    };
    provide_context(Here {
        path: Signal::stored(path),
        search: Signal::stored(search),
        query: Signal::stored(query),
    });
}

impl Here {
    /// The path and query, as a link back here writes them (tracked).
    pub fn address(&self) -> String {
        let search = self.search.get();
        match search.trim_start_matches('?') {
            "" => self.path.get(),
            query => format!("{}?{query}", self.path.get()),
        }
    }
}
