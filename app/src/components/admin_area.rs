//! The admin area's frame: every route under `/admin` renders inside it, so a person who is not
//! an admin is refused here, before the page itself is drawn or asks for anything.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::api::admin_area::enter_admin_area;
use crate::components::problem::Problem;

#[component]
pub fn AdminArea() -> impl IntoView {
    let admitted = Resource::new(|| (), |_| enter_admin_area());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match admitted.await {
                    Ok(()) => view! { <Outlet /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
