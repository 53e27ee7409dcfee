//! Owners: bulk invites for one resource. A list (pasted or uploaded) is checked into a
//! report; confirming it starts the invitations, which the batch page follows live.

use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::invitations::bulk_invites::{
    bulk_batch, bulk_overview, BatchSummary, BatchView, BulkBatches, ConfirmBulkInvite, PrepareBulkInvite,
    StopBulkInvite,
};
use crate::components::form::{FormFeedback, FormSummary, SubmitButton, TextAreaField};
use crate::components::language::MessageLanguageField;
use crate::components::problem::Problem;
use crate::pages::number_param;
use locales::dates::date_time;
use locales::Locale;
use rules::invitations::bulk_list::{list_problem_message, MAX_ROWS};

/// The list form and the resource's earlier batches.
#[component]
pub fn BulkInvitePage() -> impl IntoView {
    let l = language();
    let id = number_param("id");
    let overview = Resource::new(id, bulk_overview);
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(l, review.loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <BulkForms overview /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BulkForms(overview: BulkBatches) -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let resource = overview.resource.clone();
    // The portal's default language, chosen at first on both forms.
    let (paste_language, upload_language) = (
        overview.message_language.clone(),
        overview.message_language.clone(),
    );
    let action = ServerAction::<PrepareBulkInvite>::new();
    let feedback = FormFeedback::of(action);
    let upload_error = move || {
        query
            .with(|q| q.get("upload_error"))
            .map(|code| locales::messages::word(l, &list_problem_message(&code)))
    };
    let upload_to = format!("/resources/{}/bulk/upload", resource.id);
    view! {
        <Title text=td_string!(l, review.bulk_invite_to, resource = resource.name.clone()).to_string() />
        <section class="card card-medium">
            <p class="eyebrow"><a href=format!("/resources/{}", resource.id)>{resource.name.clone()}</a></p>
            <h1>{td_string!(l, review.invite_many_partners)}</h1>
            <p class="muted">{td_string!(l, review.bulk_explained, rows = thousands(MAX_ROWS)).to_string()}</p>
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="resource_id" value=resource.id />
                <TextAreaField label=td_string!(l, review.paste_the_list) name="rows" rows=8
                    hint=td_string!(l, review.for_example_ann_partner_example)
                    error=feedback.field("rows") value=feedback.typed("rows") />
                <MessageLanguageField name="language" default=paste_language
                    error=feedback.field("language") typed=feedback.typed("language") />
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, review.check_the_list) busy_label=td_string!(l, review.checking) pending=action.pending() />
                </div>
            </ActionForm>
            <h2 class="section-break">{td_string!(l, review.or_upload_a_csv_file)}</h2>
            <form method="post" enctype="multipart/form-data" action=upload_to>
                <div class="field" class:field-invalid=move || upload_error().is_some()>
                    <label for="bulk-file">{td_string!(l, review.csv_file)}</label>
                    <input id="bulk-file" type="file" name="file" accept=".csv,text/csv,text/plain"
                        aria-describedby="bulk-file-error"
                        aria-invalid=move || if upload_error().is_some() { "true" } else { "false" } />
                    <p class="field-error" id="bulk-file-error" aria-live="polite">{upload_error}</p>
                </div>
                <MessageLanguageField name="language" id="field-upload-language"
                    default=upload_language />
                <div class="form-actions">
                    <button type="submit" class="button button-secondary">{td_string!(l, review.upload_and_check)}</button>
                </div>
            </form>
        </section>
        <section class="card">
            <h2>{td_string!(l, review.earlier_batches)}</h2>
            <Batches batches=overview.batches resource_id=resource.id />
        </section>
    }
}

#[component]
fn Batches(batches: Vec<BatchSummary>, resource_id: i64) -> impl IntoView {
    let l = language();
    if batches.is_empty() {
        return view! { <p class="empty">{td_string!(l, review.no_batch_has_been_sent)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, review.earlier_batches)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, review.list)}</th>
                        <th scope="col">{td_string!(l, review.checked)}</th>
                        <th scope="col">{td_string!(l, review.state)}</th>
                        <th scope="col">{td_string!(l, review.invited)}</th>
                        <th scope="col">{td_string!(l, review.failed)}</th>
                    </tr>
                </thead>
                <tbody>
                    {batches.into_iter().map(|batch| {
                        let href = format!("/resources/{resource_id}/bulk/{}", batch.id);
                        view! {
                            <tr>
                                <td><a href=href>{locales::messages::word(l, &batch.origin)}</a></td>
                                <td>{date_time(l, batch.created_at)}</td>
                                <td>{state_label(l, &batch.state)}</td>
                                <td>{batch.counts.invited}</td>
                                <td>{batch.counts.failed}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// 1000 -> "1,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn state_label(l: Locale, state: &str) -> &'static str {
    match state {
        "draft" => td_string!(l, review.batch_draft),
        "running" => td_string!(l, review.batch_running),
        "stopped" => td_string!(l, review.batch_stopped),
        _ => td_string!(l, review.batch_done),
    }
}

fn row_label(l: Locale, state: &str) -> &'static str {
    match state {
        "ready" => td_string!(l, review.row_ready),
        "rejected" => td_string!(l, review.row_rejected),
        "queued" => td_string!(l, review.row_queued),
        "invited" => td_string!(l, review.row_invited),
        "skipped" => td_string!(l, review.row_skipped),
        "failed" => td_string!(l, review.row_failed),
        _ => td_string!(l, review.batch_stopped),
    }
}

/// One batch: its report before confirming, its progress after.
#[component]
pub fn BulkBatchPage() -> impl IntoView {
    let l = language();
    let (id, batch) = (number_param("id"), number_param("batch"));
    // Bumped every second while the batch runs (with JavaScript) to fetch its progress again.
    let tick = RwSignal::new(0_u32);
    // The address changes after confirming or stopping (`?started`, `?stopped`): fetch again.
    let query = use_query_map();
    let view = Resource::new(
        move || (id(), batch(), tick.get(), query.get()),
        |(id, batch, _, _)| bulk_batch(id, batch),
    );
    view! {
        <Transition fallback=move || view! { <p>{td_string!(l, review.loading)}</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(batch) => view! { <Batch batch tick /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Batch(batch: BatchView, tick: RwSignal<u32>) -> impl IntoView {
    let l = language();
    let running = batch.batch.state == "running";
    if running {
        Effect::new(move |_| {
            set_timeout(
                move || tick.update(|t| *t = t.wrapping_add(1)),
                std::time::Duration::from_secs(1),
            );
        });
    }
    let resource = batch.resource.clone();
    let summary = batch.batch.clone();
    let back = format!("/resources/{}/bulk", resource.id);
    view! {
        <Title text=td_string!(l, review.bulk_invite_to, resource = resource.name.clone()).to_string() />
        // Without JavaScript, the page reloads itself while the batch runs.
        {running.then(|| view! { <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"# /> })}
        <section class="card">
            <p class="eyebrow"><a href=back.clone()>{td_string!(l, review.bulk_invites_to, resource = resource.name.clone()).to_string()}</a></p>
            <h1>{locales::messages::word(l, &summary.origin)}</h1>
            {if summary.state == "draft" {
                view! { <Report summary=summary.clone() resource_id=resource.id /> }.into_any()
            } else {
                view! { <Progress summary=summary.clone() resource_id=resource.id /> }.into_any()
            }}
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">{td_string!(l, review.rows)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(l, review.line)}</th>
                            <th scope="col">{td_string!(l, review.partner)}</th>
                            <th scope="col">{td_string!(l, review.outcome)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {batch.rows.into_iter().map(|row| view! {
                            <tr class:row-problem=row.state == "rejected" || row.state == "failed">
                                <td>{row.line}</td>
                                <td><strong>{row.display_name}</strong><div class="muted">{row.email}</div></td>
                                <td>
                                    <span class="badge" class:badge-bad=row.state == "rejected" || row.state == "failed">{row_label(l, &row.state)}</span>
                                    {(!row.note.is_empty()).then(|| view! { <div class="muted">{locales::messages::word(l, &row.note)}</div> })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Report(summary: BatchSummary, resource_id: i64) -> impl IntoView {
    let l = language();
    let confirm = ServerAction::<ConfirmBulkInvite>::new();
    let feedback = FormFeedback::of(confirm);
    let ready = summary.counts.ready;
    let rejected = summary.counts.rejected;
    view! {
        <p class="report-summary">
            {td_string!(l, review.report, ready, rejected).to_string()}
        </p>
        <FormSummary feedback />
        <div class="form-actions">
            {(ready > 0).then(|| view! {
                <ActionForm action=confirm>
                    <input type="hidden" name="resource_id" value=resource_id />
                    <input type="hidden" name="batch_id" value=summary.id />
                    <SubmitButton label=td_string!(l, review.send_invitations, ready).to_string() busy_label=td_string!(l, review.starting) pending=confirm.pending() />
                </ActionForm>
            })}
            <a href=format!("/resources/{resource_id}/bulk")>{td_string!(l, review.check_another_list)}</a>
        </div>
    }
}

#[component]
fn Progress(summary: BatchSummary, resource_id: i64) -> impl IntoView {
    let l = language();
    let stop = ServerAction::<StopBulkInvite>::new();
    let feedback = FormFeedback::of(stop);
    let c = summary.counts;
    let total = c.to_run();
    let mut text = td_string!(
        l,
        review.progress,
        done = c.done(),
        total,
        failed = c.failed,
        queued = c.queued
    )
    .to_string();
    if c.stopped > 0 {
        text.push_str(&td_string!(l, review.progress_stopped, stopped = c.stopped).to_string());
    }
    view! {
        <p class="report-summary"><span class="badge">{state_label(l, &summary.state)}</span></p>
        <label class="progress-label" for="bulk-progress">{text}</label>
        <progress id="bulk-progress" class="progress" max=total.max(1) value=c.done() + c.failed + c.stopped></progress>
        <FormSummary feedback />
        {(summary.state == "running").then(|| view! {
            <ActionForm action=stop>
                <input type="hidden" name="resource_id" value=resource_id />
                <input type="hidden" name="batch_id" value=summary.id />
                <button type="submit" class="button button-danger">{td_string!(l, review.stop_the_batch)}</button>
            </ActionForm>
        })}
    }
}
