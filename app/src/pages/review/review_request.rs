use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::approvals::review::{
    get_review_detail, DecideRequest, DecisionView, NoDecision, ReviewDetail, TrailStep,
};
use crate::components::audit_words::trail_words;
use crate::components::form::{FormFeedback, FormSummary, TextAreaField};
use crate::components::problem::Problem;
use crate::pages::number_param;
use crate::pages::partner::state_name;
use locales::dates::{date_from_now, date_time};
use locales::Locale;

/// One request in full, with the earlier stages' decisions, and the decision form.
#[component]
pub fn ReviewRequestPage() -> impl IntoView {
    let l = language();
    let id = number_param("id");
    // Read again after a decision that comes back to this page (`?decided=`).
    let query = use_query_map();
    let detail = Resource::new(
        move || (id(), query.with(|q| q.get("decided"))),
        |(id, _)| get_review_detail(id),
    );
    view! {
        <Title text=td_string!(l, review.review_a_request) />
        <Suspense fallback=move || view! { <p>{td_string!(l, review.loading_the_request)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Detail detail /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(detail: ReviewDetail) -> impl IntoView {
    view! {
        <RequestFacts detail=detail.clone() />
        <DecisionCard detail />
    }
}

/// Who asks for what, why, what was decided so far and what happened to the request.
#[component]
fn RequestFacts(detail: ReviewDetail) -> impl IntoView {
    let l = language();
    let stage_text = if detail.stage_count > 1 {
        td_string!(
            l,
            review.stage_of,
            stage = detail.stage,
            stages = detail.stage_count
        )
        .to_string()
    } else {
        td_string!(l, review.one_stage).to_string()
    };
    view! {
        <section class="card card-medium">
            <p class="eyebrow"><a href="/review">{td_string!(l, review.review_requests)}</a>" / "{detail.resource_name.clone()}</p>
            <h1>{td_string!(l, review.asks_for, name = detail.display_name.clone(), resource = detail.resource_name.clone()).to_string()}</h1>
            <p><span class="badge">{state_name(l, detail.state)}</span>" "<span class="muted">{stage_text}</span></p>
            <dl class="facts">
                <dt>{td_string!(l, review.email)}</dt><dd>{detail.email.clone()}</dd>
                <dt>{td_string!(l, review.organisation)}</dt><dd>{detail.organisation.clone()}</dd>
                <dt>{td_string!(l, review.asked)}</dt><dd>{date_time(l, detail.created_at)}</dd>
                <dt>{td_string!(l, review.decide_by)}</dt><dd>{date_from_now(l, detail.now, detail.decide_by)}</dd>
                {detail.terms_version.map(|v| view! { <dt>{td_string!(l, review.terms_accepted)}</dt><dd>{td_string!(l, review.terms_version, version = v).to_string()}</dd> })}
            </dl>
            <h2>{td_string!(l, review.why_they_need_it)}</h2>
            <blockquote class="reason"><p>{detail.justification.clone()}</p></blockquote>
            {(!detail.answers.is_empty()).then(|| view! {
                <h2>{td_string!(l, review.answers)}</h2>
                <dl class="answers">
                    {detail.answers.iter().map(|a| view! { <dt>{a.question.clone()}</dt><dd>{a.answer.clone()}</dd> }).collect_view()}
                </dl>
            })}
            <Decisions decisions=detail.decisions.clone() />
            <Trail trail=detail.trail.clone() />
        </section>
    }
}

#[component]
fn Decisions(decisions: Vec<DecisionView>) -> impl IntoView {
    let l = language();
    (!decisions.is_empty()).then(|| view! {
        <h2>{td_string!(l, review.decisions_so_far)}</h2>
        <ul class="decisions">
            {decisions.iter().map(|d| {
                let (badge, word) = if d.approved { ("badge badge-ok", td_string!(l, review.decision_approved)) } else { ("badge badge-bad", td_string!(l, review.decision_denied)) };
                view! {
                    <li>
                        <span class=badge>{word}</span>
                        " "{td_string!(l, review.decided_stage_by, stage = d.stage, name = d.approver_name.clone(), when = date_time(l, d.decided_at)).to_string()}
                        {(!d.in_place_of.is_empty()).then(|| view! { " " <span class="badge badge-warn">{td_string!(l, review.in_place_of, names = d.in_place_of.clone()).to_string()}</span> })}
                        {(!d.justification.is_empty()).then(|| view! { <blockquote class="reason"><p>{d.justification.clone()}</p></blockquote> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

#[component]
fn Trail(trail: Vec<TrailStep>) -> impl IntoView {
    let l = language();
    (!trail.is_empty()).then(|| view! {
        <h2>{td_string!(l, review.history)}</h2>
        <ol class="trail">
            {trail.iter().map(|step| view! {
                <li><time>{date_time(l, step.at)}</time>" · "{step.actor.clone()}" · "{trail_words(l, &step.action, step.stage)}</li>
            }).collect_view()}
        </ol>
    })
}

/// The reader's decision: the form, or why there is none.
#[component]
fn DecisionCard(detail: ReviewDetail) -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let decided = query.with_untracked(|q| match q.get("decided").as_deref() {
        Some("approved") => Some(td_string!(l, review.decided_approved)),
        Some("denied") => Some(td_string!(l, review.decided_denied)),
        Some("advanced") => Some(td_string!(l, review.decided_advanced)),
        Some("recorded") => Some(td_string!(l, review.decided_recorded)),
        _ => None,
    });
    let action = ServerAction::<DecideRequest>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <section class="card card-medium">
            <h2>{td_string!(l, review.your_decision)}</h2>
            {decided.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            {detail.in_place_of.clone().map(|names| {
                let who = if names.is_empty() { td_string!(l, review.this_stages_approvers).to_string() } else { names.join(", ") };
                view! {
                    <p class="alert alert-warn" id="in-place-notice">
                        {td_string!(l, review.decide_in_place, who).to_string()}
                    </p>
                }
            })}
            {match detail.why_not {
                Some(reason) => view! { <p class="alert alert-info">{no_decision(l, reason)}</p> }.into_any(),
                None if detail.second_factor_first => view! {
                    <p class="alert alert-info">{td_string!(l, review.second_step_before_deciding)}</p>
                    <p><a class="button button-primary" href=format!("/sign-in/second-factor?next=/review/{}", detail.request_id)>{td_string!(l, review.confirm_it_is_you)}</a></p>
                }.into_any(),
                None => view! {
                    <FormSummary feedback />
                    <ActionForm action>
                        <input type="hidden" name="request_id" value=detail.request_id />
                        {detail.in_place_of.is_some().then(|| view! { <input type="hidden" name="in_place" value="yes" /> })}
                        <TextAreaField label=td_string!(l, review.justification) name="justification" maxlength=2000
                            hint=td_string!(l, review.required_to_deny_the_partner)
                            error=feedback.field("justification") value=feedback.typed("justification") />
                        <div class="form-actions">
                            <button type="submit" name="outcome" value="approve" class="button button-primary" disabled=move || action.pending().get()>{td_string!(l, review.approve)}</button>
                            <button type="submit" name="outcome" value="deny" class="button button-danger" disabled=move || action.pending().get()>{td_string!(l, review.deny)}</button>
                        </div>
                    </ActionForm>
                }
                .into_any(),
            }}
        </section>
    }
}

/// Why the reader may not decide, in their words.
fn no_decision(l: Locale, why: NoDecision) -> String {
    match why {
        NoDecision::OwnRequest => td_string!(l, review.own_request).to_string(),
        NoDecision::Closed(state) => td_string!(
            l,
            review.closed_request,
            state = state_name(l, state).to_lowercase()
        )
        .to_string(),
        NoDecision::DecidedThisStage => td_string!(l, review.decided_this_stage).to_string(),
        NoDecision::NotAnApprover => td_string!(l, review.not_an_approver).to_string(),
    }
}
