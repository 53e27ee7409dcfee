//! The HTML shell, the frame every page shares, and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

use crate::api::accounts::auth::SignOut;
use crate::api::site::get_site_info;
use crate::components::admin_area::AdminArea;
#[cfg(feature = "ssr")]
use crate::components::document::content_security_policy;
use crate::components::document::{page_title, HeadBasics};
use crate::components::here::provide_here_from_router;
use crate::components::language::Languages;
use crate::components::layout::{Site, SiteFooter, SiteHeader};
use crate::pages::account::AccountPage;
use crate::pages::account_mfa::{AddAuthenticatorPage, RecoveryCodesPage};
use crate::pages::account_passkeys::AddPasskeyPage;
use crate::pages::admin::account_identities::AdminAccountPage;
use crate::pages::admin::accounts::AdminAccountsPage;
use crate::pages::admin::api_tokens::AdminApiTokensPage;
use crate::pages::admin::app_sign_in::AppSignInPage;
use crate::pages::admin::audit::AdminAuditPage;
use crate::pages::admin::dashboard::AdminDashboardPage;
use crate::pages::admin::edit_resource::{AdminResourcePage, NewResourcePage};
use crate::pages::admin::identity_providers::{AdminIdentityProviderPage, AdminIdentityProvidersPage};
use crate::pages::admin::invitations::AdminInvitationsPage;
use crate::pages::admin::jobs::AdminJobsPage;
use crate::pages::admin::policy::{DefaultPolicyPage, ResourcePolicyPage};
use crate::pages::admin::requests::AdminRequestsPage;
use crate::pages::admin::resources::AdminResourcesPage;
use crate::pages::admin::settings::AdminSettingsPage;
use crate::pages::admin::setup::SetupAdminPage;
use crate::pages::admin::signing_keys::AdminSigningKeysPage;
use crate::pages::admin::webhook_endpoint::AdminWebhookPage;
use crate::pages::admin::webhooks::AdminWebhooksPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::review::bulk_invite::{BulkBatchPage, BulkInvitePage};
use crate::pages::review::resource_people::{MyResourcesPage, ResourcePeoplePage};
use crate::pages::review::review_queue::ReviewQueuePage;
use crate::pages::review::review_request::ReviewRequestPage;
use crate::pages::review::welcome_owner::WelcomeOwnerPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::sign_in_app::{
    AfterAppSignOutPage, AppConsentPage, AppSignInProblemPage, AppSignOutPage, ContinueToAppPage,
    NoAppAccessPage,
};
use crate::pages::sign_in_code::SignInCodePage;
use crate::pages::sign_in_provider::{ContinueToProviderPage, SignInProviderPage};
use crate::pages::sign_in_second_factor::SecondFactorPage;
use crate::partner_pages::drawn_plain;

/// The document around the app, for the pages the router draws (staff pages and signing in; the
/// partner pages are drawn without it: partner_pages.rs). Runs only on the server, where it also
/// sends the Content-Security-Policy carrying this response's script nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    #[cfg(feature = "ssr")]
    let lang = locales::tag(crate::components::language::request_language());
    #[cfg(not(feature = "ssr"))]
    let lang = "en";
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <HeadBasics />
                <HydrationScripts options />
                <script src="/passkeys.js" nonce=use_nonce() defer></script>
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
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(Some(&nonce.to_string()))) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| page_title(&page) />
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
    provide_here_from_router();
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
                <Route path=path!("/") view=drawn_plain() ssr=SsrMode::Async />
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/code") view=SignInCodePage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/second-factor") view=SecondFactorPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/provider") view=SignInProviderPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/provider/continue") view=ContinueToProviderPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app") view=ContinueToAppPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/problem") view=AppSignInProblemPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/sign-out") view=AppSignOutPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/consent") view=AppConsentPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/signed-out") view=AfterAppSignOutPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/app/no-access/:slug") view=NoAppAccessPage ssr=SsrMode::Async />
                <Route path=path!("/setup/:token") view=SetupAdminPage ssr=SsrMode::Async />
                <Route path=path!("/request/:slug") view=drawn_plain() ssr=SsrMode::Async />
                <Route path=path!("/request/:slug/sent") view=drawn_plain() ssr=SsrMode::Async />
                <Route path=path!("/status/:token") view=drawn_plain() ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=drawn_plain() ssr=SsrMode::Async />
                <Route path=path!("/my-access") view=drawn_plain() ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/account/authenticator") view=AddAuthenticatorPage ssr=SsrMode::Async />
                <Route path=path!("/account/passkey") view=AddPasskeyPage ssr=SsrMode::Async />
                <Route path=path!("/account/recovery-codes") view=RecoveryCodesPage ssr=SsrMode::Async />
                <Route path=path!("/my-resources") view=MyResourcesPage ssr=SsrMode::Async />
                <Route path=path!("/resources/:id") view=ResourcePeoplePage ssr=SsrMode::Async />
                <Route path=path!("/resources/:id/bulk") view=BulkInvitePage ssr=SsrMode::Async />
                <Route path=path!("/resources/:id/sign-in") view=AppSignInPage ssr=SsrMode::Async />
                <Route path=path!("/resources/:id/bulk/:batch") view=BulkBatchPage ssr=SsrMode::Async />
                <Route path=path!("/review") view=ReviewQueuePage ssr=SsrMode::Async />
                <Route path=path!("/review/:id") view=ReviewRequestPage ssr=SsrMode::Async />
                <Route path=path!("/welcome/:token") view=WelcomeOwnerPage ssr=SsrMode::Async />
                // Admin pages open only behind AdminArea, which refuses everyone but admins.
                <Route path=path!("/admin") view=|| view! { <AdminArea><AdminDashboardPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/resources") view=|| view! { <AdminArea><AdminResourcesPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/new") view=|| view! { <AdminArea><NewResourcePage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/:id") view=|| view! { <AdminArea><AdminResourcePage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/:id/sign-in") view=|| view! { <AdminArea><AppSignInPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/resources/:id/policy") view=|| view! { <AdminArea><ResourcePolicyPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/policy") view=|| view! { <AdminArea><DefaultPolicyPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/jobs") view=|| view! { <AdminArea><AdminJobsPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/signing-keys") view=|| view! { <AdminArea><AdminSigningKeysPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=|| view! { <AdminArea><AdminAuditPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/accounts") view=|| view! { <AdminArea><AdminAccountsPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/accounts/:id") view=|| view! { <AdminArea><AdminAccountPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/identity-providers") view=|| view! { <AdminArea><AdminIdentityProvidersPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/identity-providers/:id") view=|| view! { <AdminArea><AdminIdentityProviderPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/invitations") view=|| view! { <AdminArea><AdminInvitationsPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/requests") view=|| view! { <AdminArea><AdminRequestsPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view=|| view! { <AdminArea><AdminSettingsPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/api-tokens") view=|| view! { <AdminArea><AdminApiTokensPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/webhooks") view=|| view! { <AdminArea><AdminWebhooksPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/admin/webhooks/:id") view=|| view! { <AdminArea><AdminWebhookPage /></AdminArea> } ssr=SsrMode::Async />
                <Route path=path!("/terms") view=drawn_plain() ssr=SsrMode::Async />
            </Routes>
        </main>
        <SiteFooter />
    }
}
