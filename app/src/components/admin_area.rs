//! The door of the admin area: every page under `/admin` is drawn inside it, so a person who is
//! not an admin is refused here, at the route, before the page itself is drawn or asks for anything.

use leptos::prelude::*;

use crate::api::administration::admin_area::enter_admin_area;
use crate::components::problem::Problem;

#[component]
pub fn AdminArea(children: ChildrenFn) -> impl IntoView {
    let admitted = Resource::new(|| (), |_| enter_admin_area());
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match admitted.await {
                    Ok(()) => children().into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
