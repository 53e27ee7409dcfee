//! After a request was sent: the same answer whatever the portal knew about the address. Drawn
//! without the router (`crate::plain_page`).

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::components::here::here;
use crate::components::language::language;
use crate::plain_page::Drawn;

/// The receipt; `?outcome=invited` when the address was let in at once (an invitation is on its
/// way instead of a review).
pub async fn request_sent_page() -> Drawn {
    let l = language();
    let invited = here().query.get_untracked().get("outcome").as_deref() == Some("invited");
    let said = if invited {
        view! {
            <h1>{td_string!(l, partner.invited_heading)}</h1>
            <p>{td_string!(l, partner.invited_text)}</p>
        }
        .into_any()
    } else {
        view! {
            <h1>{td_string!(l, partner.received_heading)}</h1>
            <p>{td_string!(l, partner.received_text)}</p>
            <p class="muted">{td_string!(l, partner.received_no_email)}</p>
        }
        .into_any()
    };
    Drawn {
        title: td_string!(l, partner.sent_title).to_string(),
        body: view! {
            <section class="card card-narrow">
                {said}
                <p><a href="/">{td_string!(l, partner.back_to_catalog)}</a></p>
            </section>
        }
        .into_any(),
    }
}
