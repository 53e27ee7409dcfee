//! The trip to a partner's provider and back: sent there when the email's domain belongs to a
//! provider, back at `/api/federation_callback`, and a clear page for every failure.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

/// A failed trip as the problem page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemView {
    /// A message code (worded in the reader's language).
    pub message: String,
    /// Whether "Try a different account" can start the trip again.
    pub can_retry: bool,
    /// Where "Start again" goes: the invitation or the sign-in page.
    pub start_again: String,
}

#[cfg(feature = "ssr")]
pub mod trip {
    use serde::{Deserialize, Serialize};
    use tower_sessions::Session;

    use crate::api::session::internal;
    use crate::state::AppState;
    use rules::error::AppError;
    use services::federation::flow::{begin, Flow, FlowError, FlowPurpose};
    use storage::federation::providers::{provider_for_domain, ProviderRecord};

    const FLOW_KEY: &str = "federation_flow";
    const PROBLEM_KEY: &str = "federation_problem";
    const URL_KEY: &str = "federation_url";

    /// A problem kept for the page, with what a retry needs.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct KeptProblem {
        pub message: String,
        pub retry: Option<(i64, String, FlowPurpose)>,
        pub start_again: String,
    }

    /// The provider serving this address's domain, if any.
    pub async fn provider_for(state: &AppState, email: &str) -> Result<Option<ProviderRecord>, AppError> {
        let Ok(email) = rules::email::normalise_email(email) else {
            return Ok(None);
        };
        let domain = rules::email::email_domain(&email);
        provider_for_domain(state.store.read(), domain)
            .await
            .map_err(internal)
    }

    /// Sends the browser to the provider: keeps the trip in the session and redirects.
    pub async fn go(
        state: &AppState,
        session: &Session,
        provider: &ProviderRecord,
        (email, purpose): (&str, FlowPurpose),
        select_account: bool,
    ) -> Result<(), FlowError> {
        let settings = &state.settings;
        let now = state.clock.now();
        let (url, flow) = begin(
            &state.federation,
            &settings.server_key,
            provider,
            (email, purpose),
            select_account,
            now,
        )
        .await?;
        session
            .insert(FLOW_KEY, &flow)
            .await
            .map_err(|e| FlowError::Refused(e.to_string()))?;
        if crate::api::session::is_plain_form_post() {
            // A form's redirect may not leave the site (form-action 'self'): a page of ours
            // sends the browser on.
            session
                .insert(URL_KEY, &url)
                .await
                .map_err(|e| FlowError::Refused(e.to_string()))?;
            leptos_axum::redirect("/sign-in/provider/continue");
        } else {
            leptos_axum::redirect(&url);
        }
        Ok(())
    }

    /// Where the browser goes next, and to which provider: for the page that sends it on.
    pub async fn next_stop(session: &Session) -> Result<Option<(String, String)>, AppError> {
        let url: Option<String> = session.get(URL_KEY).await.map_err(internal)?;
        let flow: Option<Flow> = session.get(FLOW_KEY).await.map_err(internal)?;
        Ok(url.zip(flow).map(|(url, flow)| (flow.provider_name, url)))
    }

    /// The trip this browser is on, taken: a callback works once.
    pub async fn take_flow(session: &Session) -> Result<Option<Flow>, AppError> {
        session.remove::<Flow>(FLOW_KEY).await.map_err(internal)
    }

    pub async fn keep_problem(session: &Session, problem: &KeptProblem) -> Result<(), AppError> {
        session.insert(PROBLEM_KEY, problem).await.map_err(internal)
    }

    pub async fn problem(session: &Session) -> Result<Option<KeptProblem>, AppError> {
        session.get(PROBLEM_KEY).await.map_err(internal)
    }

    pub async fn take_problem(session: &Session) -> Result<Option<KeptProblem>, AppError> {
        session.remove(PROBLEM_KEY).await.map_err(internal)
    }

    /// Where "Start again" goes for this purpose.
    pub fn start_again(purpose: &FlowPurpose) -> String {
        match purpose {
            FlowPurpose::SignIn { .. } => "/sign-in".into(),
            FlowPurpose::Invitation { token, .. } => format!("/invite/{token}"),
        }
    }

    /// A provider that could not be reached when setting out, as the person reads it.
    pub fn setting_out_problem(provider: &ProviderRecord, error: &FlowError) -> String {
        tracing::warn!(provider = %provider.row.issuer, %error, "could not send a partner to their provider");
        rules::message::with("federation_provider_down", &[("provider", &provider.row.name)])
    }
}

/// Where the provider sends the person back (its redirect URI). Every outcome ends in a
/// redirect: into the portal, or to the problem page.
#[server(prefix = "/api", endpoint = "federation_callback", input = GetUrl)]
pub async fn federation_callback(
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::{app_state, session};
    use services::federation::flow::Callback;

    let app = app_state()?;
    let session = session().await?;
    let callback = Callback {
        code,
        state,
        error,
        iss,
    };
    match super::callback::come_back(&app, &session, &callback).await? {
        Ok(()) => Ok(()),
        Err(problem) => {
            trip::keep_problem(&session, &problem).await?;
            leptos_axum::redirect("/sign-in/provider");
            Ok(())
        }
    }
}

/// The provider this browser is on its way to: its name and the address to go on to.
#[server(prefix = "/api", endpoint = "federation_next_stop")]
pub async fn federation_next_stop() -> Result<Option<(String, String)>, AppError> {
    let session = crate::api::session::session().await?;
    trip::next_stop(&session).await
}

/// The last failed trip of this browser, for the problem page.
#[server(prefix = "/api", endpoint = "federation_problem")]
pub async fn federation_problem() -> Result<Option<ProblemView>, AppError> {
    use crate::api::session::session;
    let session = session().await?;
    Ok(trip::problem(&session).await?.map(|kept| ProblemView {
        message: kept.message,
        can_retry: kept.retry.is_some(),
        start_again: kept.start_again,
    }))
}

/// "Try a different account": the same trip again, with the provider asked to let the person
/// choose their account.
#[server(prefix = "/api", endpoint = "retry_federation")]
pub async fn retry_federation() -> Result<(), AppError> {
    use crate::api::session::{app_state, internal, session};
    let state = app_state()?;
    let session = session().await?;
    let Some((provider_id, email, purpose)) = trip::take_problem(&session).await?.and_then(|p| p.retry)
    else {
        leptos_axum::redirect("/sign-in");
        return Ok(());
    };
    let provider = storage::federation::providers::find_provider(state.store.read(), provider_id)
        .await
        .map_err(internal)?;
    let Some(provider) = provider else {
        leptos_axum::redirect("/sign-in");
        return Ok(());
    };
    if let Err(error) = trip::go(&state, &session, &provider, (&email, purpose.clone()), true).await {
        let problem = trip::KeptProblem {
            message: trip::setting_out_problem(&provider, &error),
            retry: Some((provider_id, email, purpose.clone())),
            start_again: trip::start_again(&purpose),
        };
        trip::keep_problem(&session, &problem).await?;
        leptos_axum::redirect("/sign-in/provider");
    }
    Ok(())
}
