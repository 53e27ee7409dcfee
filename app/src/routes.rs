//! The route table's pages, each loaded on its own. With `cargo leptos build --split` every page's
//! code goes into a WebAssembly chunk of its own, fetched when the page is first shown, so a
//! browser downloads the frame plus the page it opens rather than every page's code. On the
//! server (and in a build without `--split`) a lazy page renders as before.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::components::admin_area::AdminArea;
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
use crate::pages::partner::accept_terms::AcceptTermsPage;
use crate::pages::partner::catalog::HomePage;
use crate::pages::partner::my_access::MyAccessPage;
use crate::pages::partner::redeem_invitation::RedeemInvitationPage;
use crate::pages::partner::request_access::{RequestAccessPage, RequestSentPage};
use crate::pages::partner::request_status::RequestStatusPage;
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

/// A page loaded on its own: `$route` is the route's type, `$view` what it shows.
macro_rules! lazy_page {
    ($route:ident => $($view:tt)+) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { $($view)+ }.into_any()
            }
        }
    };
}

lazy_page!(Home => <HomePage />);
lazy_page!(SignIn => <SignInPage />);
lazy_page!(SignInCode => <SignInCodePage />);
lazy_page!(SecondFactor => <SecondFactorPage />);
lazy_page!(SignInProvider => <SignInProviderPage />);
lazy_page!(ContinueToProvider => <ContinueToProviderPage />);
lazy_page!(ContinueToApp => <ContinueToAppPage />);
lazy_page!(AppSignInProblem => <AppSignInProblemPage />);
lazy_page!(AppSignOut => <AppSignOutPage />);
lazy_page!(AppConsent => <AppConsentPage />);
lazy_page!(AfterAppSignOut => <AfterAppSignOutPage />);
lazy_page!(NoAppAccess => <NoAppAccessPage />);
lazy_page!(SetupAdmin => <SetupAdminPage />);
lazy_page!(RequestAccess => <RequestAccessPage />);
lazy_page!(RequestSent => <RequestSentPage />);
lazy_page!(RequestStatus => <RequestStatusPage />);
lazy_page!(RedeemInvitation => <RedeemInvitationPage />);
lazy_page!(MyAccess => <MyAccessPage />);
lazy_page!(Account => <AccountPage />);
lazy_page!(AddAuthenticator => <AddAuthenticatorPage />);
lazy_page!(AddPasskey => <AddPasskeyPage />);
lazy_page!(RecoveryCodes => <RecoveryCodesPage />);
lazy_page!(MyResources => <MyResourcesPage />);
lazy_page!(ResourcePeople => <ResourcePeoplePage />);
lazy_page!(BulkInvite => <BulkInvitePage />);
lazy_page!(AppSignIn => <AppSignInPage />);
lazy_page!(BulkBatch => <BulkBatchPage />);
lazy_page!(ReviewQueue => <ReviewQueuePage />);
lazy_page!(ReviewRequest => <ReviewRequestPage />);
lazy_page!(WelcomeOwner => <WelcomeOwnerPage />);
lazy_page!(AcceptTerms => <AcceptTermsPage />);

// Admin pages open only behind AdminArea, which refuses everyone but admins.
lazy_page!(AdminDashboard => <AdminArea><AdminDashboardPage /></AdminArea>);
lazy_page!(AdminResources => <AdminArea><AdminResourcesPage /></AdminArea>);
lazy_page!(AdminNewResource => <AdminArea><NewResourcePage /></AdminArea>);
lazy_page!(AdminResource => <AdminArea><AdminResourcePage /></AdminArea>);
lazy_page!(AdminAppSignIn => <AdminArea><AppSignInPage /></AdminArea>);
lazy_page!(AdminResourcePolicy => <AdminArea><ResourcePolicyPage /></AdminArea>);
lazy_page!(AdminDefaultPolicy => <AdminArea><DefaultPolicyPage /></AdminArea>);
lazy_page!(AdminJobs => <AdminArea><AdminJobsPage /></AdminArea>);
lazy_page!(AdminSigningKeys => <AdminArea><AdminSigningKeysPage /></AdminArea>);
lazy_page!(AdminAudit => <AdminArea><AdminAuditPage /></AdminArea>);
lazy_page!(AdminAccounts => <AdminArea><AdminAccountsPage /></AdminArea>);
lazy_page!(AdminAccount => <AdminArea><AdminAccountPage /></AdminArea>);
lazy_page!(AdminIdentityProviders => <AdminArea><AdminIdentityProvidersPage /></AdminArea>);
lazy_page!(AdminIdentityProvider => <AdminArea><AdminIdentityProviderPage /></AdminArea>);
lazy_page!(AdminInvitations => <AdminArea><AdminInvitationsPage /></AdminArea>);
lazy_page!(AdminRequests => <AdminArea><AdminRequestsPage /></AdminArea>);
lazy_page!(AdminSettings => <AdminArea><AdminSettingsPage /></AdminArea>);
lazy_page!(AdminApiTokens => <AdminArea><AdminApiTokensPage /></AdminArea>);
lazy_page!(AdminWebhooks => <AdminArea><AdminWebhooksPage /></AdminArea>);
lazy_page!(AdminWebhook => <AdminArea><AdminWebhookPage /></AdminArea>);
