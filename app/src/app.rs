//! The HTML shell, the frame every page shares, and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, SsrMode};

use crate::api::accounts::auth::SignOut;
use crate::api::site::get_site_info;
use crate::components::language::Languages;
use crate::components::layout::{Site, SiteFooter, SiteHeader};
use crate::pages::not_found::NotFoundPage;
use crate::routes;

/// The document around the app. Runs only on the server, where it also sends the
/// Content-Security-Policy carrying this response's script nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    // Partner pages go without the app's script (see partner_pages.rs).
    #[cfg(feature = "ssr")]
    let hydrate = !use_context::<http::request::Parts>()
        .is_some_and(|request| crate::partner_pages::is_partner_page(request.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let hydrate = true;
    // Read once per process (leptos_meta's HashedStylesheet reads the hash file on every render).
    #[cfg(feature = "ssr")]
    let stylesheet = crate::front_end::stylesheet_href();
    #[cfg(not(feature = "ssr"))]
    let stylesheet = "";
    #[cfg(feature = "ssr")]
    let lang = locales::tag(crate::components::language::request_language());
    #[cfg(not(feature = "ssr"))]
    let lang = "en";
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link id="portico" rel="stylesheet" href=stylesheet />
                {hydrate.then(|| view! {
                    <HydrationScripts options=options.clone() />
                    <script src="/passkeys.js" nonce=use_nonce() defer></script>
                })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use http::header::{HeaderValue, CONTENT_SECURITY_POLICY};
    let Some(nonce) = use_nonce() else { return };
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| if page.is_empty() { "Portico".to_string() } else { format!("{page} · Portico") } />
        <Languages>
            <Router>
                <Frame />
            </Router>
        </Languages>
    }
}

/// Every page runs in Async SSR mode: the whole page arrives at once, so it reads and works
/// without JavaScript and can set its own status code.
#[component]
fn Frame() -> impl IntoView {
    let location = use_location();
    let sign_out = ServerAction::<SignOut>::new();
    let info = Resource::new(
        move || {
            (
                location.pathname.get(),
                location.search.get(),
                sign_out.version().get(),
            )
        },
        |_| get_site_info(),
    );
    provide_context(Site { info, sign_out });
    view! {
        <SiteHeader />
        <main id="main" class="page">
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view={Lazy::<routes::Home>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in") view={Lazy::<routes::SignIn>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/code") view={Lazy::<routes::SignInCode>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/second-factor") view={Lazy::<routes::SecondFactor>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/provider") view={Lazy::<routes::SignInProvider>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/provider/continue") view={Lazy::<routes::ContinueToProvider>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app") view={Lazy::<routes::ContinueToApp>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/problem") view={Lazy::<routes::AppSignInProblem>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/sign-out") view={Lazy::<routes::AppSignOut>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/consent") view={Lazy::<routes::AppConsent>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/signed-out") view={Lazy::<routes::AfterAppSignOut>::new()} ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/no-access/:slug") view={Lazy::<routes::NoAppAccess>::new()} ssr=SsrMode::Async />
                <Route path=path!("/setup/:token") view={Lazy::<routes::SetupAdmin>::new()} ssr=SsrMode::Async />
                <Route path=path!("/request/:slug") view={Lazy::<routes::RequestAccess>::new()} ssr=SsrMode::Async />
                <Route path=path!("/request/:slug/sent") view={Lazy::<routes::RequestSent>::new()} ssr=SsrMode::Async />
                <Route path=path!("/status/:token") view={Lazy::<routes::RequestStatus>::new()} ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view={Lazy::<routes::RedeemInvitation>::new()} ssr=SsrMode::Async />
                <Route path=path!("/my-access") view={Lazy::<routes::MyAccess>::new()} ssr=SsrMode::Async />
                <Route path=path!("/account") view={Lazy::<routes::Account>::new()} ssr=SsrMode::Async />
                <Route path=path!("/account/authenticator") view={Lazy::<routes::AddAuthenticator>::new()} ssr=SsrMode::Async />
                <Route path=path!("/account/passkey") view={Lazy::<routes::AddPasskey>::new()} ssr=SsrMode::Async />
                <Route path=path!("/account/recovery-codes") view={Lazy::<routes::RecoveryCodes>::new()} ssr=SsrMode::Async />
                <Route path=path!("/my-resources") view={Lazy::<routes::MyResources>::new()} ssr=SsrMode::Async />
                <Route path=path!("/resources/:id") view={Lazy::<routes::ResourcePeople>::new()} ssr=SsrMode::Async />
                <Route path=path!("/resources/:id/bulk") view={Lazy::<routes::BulkInvite>::new()} ssr=SsrMode::Async />
                <Route path=path!("/resources/:id/sign-in") view={Lazy::<routes::AppSignIn>::new()} ssr=SsrMode::Async />
                <Route path=path!("/resources/:id/bulk/:batch") view={Lazy::<routes::BulkBatch>::new()} ssr=SsrMode::Async />
                <Route path=path!("/review") view={Lazy::<routes::ReviewQueue>::new()} ssr=SsrMode::Async />
                <Route path=path!("/review/:id") view={Lazy::<routes::ReviewRequest>::new()} ssr=SsrMode::Async />
                <Route path=path!("/welcome/:token") view={Lazy::<routes::WelcomeOwner>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin") view={Lazy::<routes::AdminDashboard>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/resources") view={Lazy::<routes::AdminResources>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/new") view={Lazy::<routes::AdminNewResource>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/:id") view={Lazy::<routes::AdminResource>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/:id/sign-in") view={Lazy::<routes::AdminAppSignIn>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/:id/policy") view={Lazy::<routes::AdminResourcePolicy>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/policy") view={Lazy::<routes::AdminDefaultPolicy>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/jobs") view={Lazy::<routes::AdminJobs>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/signing-keys") view={Lazy::<routes::AdminSigningKeys>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view={Lazy::<routes::AdminAudit>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/accounts") view={Lazy::<routes::AdminAccounts>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/accounts/:id") view={Lazy::<routes::AdminAccount>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/identity-providers") view={Lazy::<routes::AdminIdentityProviders>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/identity-providers/:id") view={Lazy::<routes::AdminIdentityProvider>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/invitations") view={Lazy::<routes::AdminInvitations>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/requests") view={Lazy::<routes::AdminRequests>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view={Lazy::<routes::AdminSettings>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/api-tokens") view={Lazy::<routes::AdminApiTokens>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/webhooks") view={Lazy::<routes::AdminWebhooks>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/webhooks/:id") view={Lazy::<routes::AdminWebhook>::new()} ssr=SsrMode::Async />
                <Route path=path!("/terms") view={Lazy::<routes::AcceptTerms>::new()} ssr=SsrMode::Async />
            </Routes>
        </main>
        <SiteFooter />
    }
}
