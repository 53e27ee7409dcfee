use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::approvals::review::{
    get_review_detail, DecideRequest, DecisionView, ReviewDetail, TrailStep,
};
use crate::components::form::{FormFeedback, FormSummary, TextAreaField};
use crate::components::problem::Problem;
use crate::pages::number_param;
use rules::dates::{format_date, format_date_time};

/// One request in full, with the earlier stages' decisions, and the decision form.
#[component]
pub fn ReviewRequestPage() -> impl IntoView {
    let id = number_param("id");
    // Read again after a decision that comes back to this page (`?decided=`).
    let query = use_query_map();
    let detail = Resource::new(
        move || (id(), query.with(|q| q.get("decided"))),
        |(id, _)| get_review_detail(id),
    );
    view! {
        <Title text="Review a request" />
        <Suspense fallback=|| view! { <p>"Loading the request…"</p> }>
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
    let stage_text = if detail.stage_count > 1 {
        format!("Stage {} of {}", detail.stage, detail.stage_count)
    } else {
        "One approval stage".to_string()
    };
    view! {
        <section class="card card-medium">
            <p class="eyebrow"><a href="/review">"Review requests"</a>" / "{detail.resource_name.clone()}</p>
            <h1>{format!("{} asks for {}", detail.display_name, detail.resource_name)}</h1>
            <p><span class="badge">{detail.state.label()}</span>" "<span class="muted">{stage_text}</span></p>
            <dl class="facts">
                <dt>"Email"</dt><dd>{detail.email.clone()}</dd>
                <dt>"Organisation"</dt><dd>{detail.organisation.clone()}</dd>
                <dt>"Asked"</dt><dd>{format_date_time(detail.created_at)}</dd>
                <dt>"Decide by"</dt><dd>{format_date(detail.decide_by)}</dd>
                {detail.terms_version.map(|v| view! { <dt>"Terms accepted"</dt><dd>{format!("Version {v}")}</dd> })}
            </dl>
            <h2>"Why they need it"</h2>
            <blockquote class="reason"><p>{detail.justification.clone()}</p></blockquote>
            {(!detail.answers.is_empty()).then(|| view! {
                <h2>"Answers"</h2>
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
    (!decisions.is_empty()).then(|| view! {
        <h2>"Decisions so far"</h2>
        <ul class="decisions">
            {decisions.iter().map(|d| {
                let (badge, word) = if d.approved { ("badge badge-ok", "Approved") } else { ("badge badge-bad", "Denied") };
                view! {
                    <li>
                        <span class=badge>{word}</span>
                        {format!(" stage {} by {}, {}", d.stage, d.approver_name, format_date_time(d.decided_at))}
                        {(!d.in_place_of.is_empty()).then(|| view! { " " <span class="badge badge-warn">{format!("In place of {}", d.in_place_of)}</span> })}
                        {(!d.justification.is_empty()).then(|| view! { <blockquote class="reason"><p>{d.justification.clone()}</p></blockquote> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

#[component]
fn Trail(trail: Vec<TrailStep>) -> impl IntoView {
    (!trail.is_empty()).then(|| view! {
        <h2>"History"</h2>
        <ol class="trail">
            {trail.iter().map(|step| view! {
                <li><time>{format_date_time(step.at)}</time>" · "{step.actor.clone()}" · "{step.what.clone()}</li>
            }).collect_view()}
        </ol>
    })
}

/// The reader's decision: the form, or why there is none.
#[component]
fn DecisionCard(detail: ReviewDetail) -> impl IntoView {
    let query = use_query_map();
    let decided = query.with_untracked(|q| match q.get("decided").as_deref() {
        Some("approved") => Some("Approved: the partner has been invited."),
        Some("denied") => Some("Denied: the partner has been told why."),
        Some("advanced") => Some("Approved at this stage: the request moved on to the next one."),
        Some("recorded") => Some("Your decision is recorded."),
        _ => None,
    });
    let action = ServerAction::<DecideRequest>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <section class="card card-medium">
            <h2>"Your decision"</h2>
            {decided.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            {detail.in_place_of.clone().map(|names| {
                let who = if names.is_empty() { "this stage's approvers".to_string() } else { names.join(", ") };
                view! {
                    <p class="alert alert-warn" id="in-place-notice">
                        {format!("You are not an approver of this stage. As an admin you may decide in place of {who}; the decision completes the stage and is recorded as made in their place.")}
                    </p>
                }
            })}
            {match detail.why_not.clone() {
                Some(reason) => view! { <p class="alert alert-info">{reason}</p> }.into_any(),
                None => view! {
                    <FormSummary feedback />
                    <ActionForm action>
                        <input type="hidden" name="request_id" value=detail.request_id />
                        {detail.in_place_of.is_some().then(|| view! { <input type="hidden" name="in_place" value="yes" /> })}
                        <TextAreaField label="Justification" name="justification" maxlength=2000
                            hint="Required to deny: the partner receives it. Later approvers see it too."
                            error=feedback.field("justification") value=feedback.typed("justification") />
                        <div class="form-actions">
                            <button type="submit" name="outcome" value="approve" class="button button-primary" disabled=move || action.pending().get()>"Approve"</button>
                            <button type="submit" name="outcome" value="deny" class="button button-danger" disabled=move || action.pending().get()>"Deny"</button>
                        </div>
                    </ActionForm>
                }
                .into_any(),
            }}
        </section>
    }
}
