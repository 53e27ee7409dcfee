//! Owners: bulk invites for one resource. A list (pasted or uploaded) is checked into a
//! report; confirming it starts the invitations, which the batch page follows live.

use leptos::form::ActionForm;
use leptos::prelude::*;
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
use rules::dates::format_date_time;
use rules::invitations::bulk_list::{list_problem_message, MAX_ROWS};

/// The list form and the resource's earlier batches.
#[component]
pub fn BulkInvitePage() -> impl IntoView {
    let id = number_param("id");
    let overview = Resource::new(id, bulk_overview);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
            .map(|code| list_problem_message(&code))
    };
    let upload_to = format!("/resources/{}/bulk/upload", resource.id);
    view! {
        <Title text=format!("Bulk invite to {}", resource.name) />
        <section class="card card-medium">
            <p class="eyebrow"><a href=format!("/resources/{}", resource.id)>{resource.name.clone()}</a></p>
            <h1>"Invite many partners"</h1>
            <p class="muted">{format!(
                "One partner per line: email, name and an optional message, separated by commas (a CSV file). Up to {} rows. You see a report of every row before anything is sent.",
                thousands(MAX_ROWS)
            )}</p>
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="resource_id" value=resource.id />
                <TextAreaField label="Paste the list" name="rows" rows=8
                    hint="For example: ann@partner.example, Ann Example, Welcome aboard"
                    error=feedback.field("rows") value=feedback.typed("rows") />
                <MessageLanguageField name="language" default=paste_language
                    error=feedback.field("language") typed=feedback.typed("language") />
                <div class="form-actions">
                    <SubmitButton label="Check the list" busy_label="Checking…" pending=action.pending() />
                </div>
            </ActionForm>
            <h2 class="section-break">"Or upload a CSV file"</h2>
            <form method="post" enctype="multipart/form-data" action=upload_to>
                <div class="field" class:field-invalid=move || upload_error().is_some()>
                    <label for="bulk-file">"CSV file"</label>
                    <input id="bulk-file" type="file" name="file" accept=".csv,text/csv,text/plain"
                        aria-describedby="bulk-file-error"
                        aria-invalid=move || if upload_error().is_some() { "true" } else { "false" } />
                    <p class="field-error" id="bulk-file-error" aria-live="polite">{upload_error}</p>
                </div>
                <MessageLanguageField name="language" id="field-upload-language"
                    default=upload_language />
                <div class="form-actions">
                    <button type="submit" class="button button-secondary">"Upload and check"</button>
                </div>
            </form>
        </section>
        <section class="card">
            <h2>"Earlier batches"</h2>
            <Batches batches=overview.batches resource_id=resource.id />
        </section>
    }
}

#[component]
fn Batches(batches: Vec<BatchSummary>, resource_id: i64) -> impl IntoView {
    if batches.is_empty() {
        return view! { <p class="empty">"No batch has been sent for this resource yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Earlier batches"</caption>
                <thead>
                    <tr>
                        <th scope="col">"List"</th>
                        <th scope="col">"Checked"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Invited"</th>
                        <th scope="col">"Failed"</th>
                    </tr>
                </thead>
                <tbody>
                    {batches.into_iter().map(|batch| {
                        let href = format!("/resources/{resource_id}/bulk/{}", batch.id);
                        view! {
                            <tr>
                                <td><a href=href>{batch.origin.clone()}</a></td>
                                <td>{format_date_time(batch.created_at)}</td>
                                <td>{state_label(&batch.state)}</td>
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

fn state_label(state: &str) -> &'static str {
    match state {
        "draft" => "Checked, not sent",
        "running" => "Sending",
        "stopped" => "Stopped",
        _ => "Done",
    }
}

fn row_label(state: &str) -> &'static str {
    match state {
        "ready" => "Will be invited",
        "rejected" => "Not invited",
        "queued" => "Waiting",
        "invited" => "Invited",
        "skipped" => "Skipped",
        "failed" => "Failed",
        _ => "Stopped",
    }
}

/// One batch: its report before confirming, its progress after.
#[component]
pub fn BulkBatchPage() -> impl IntoView {
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
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
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
        <Title text=format!("Bulk invite to {}", resource.name) />
        // Without JavaScript, the page reloads itself while the batch runs.
        {running.then(|| view! { <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"# /> })}
        <section class="card">
            <p class="eyebrow"><a href=back.clone()>{format!("Bulk invites to {}", resource.name)}</a></p>
            <h1>{summary.origin.clone()}</h1>
            {if summary.state == "draft" {
                view! { <Report summary=summary.clone() resource_id=resource.id /> }.into_any()
            } else {
                view! { <Progress summary=summary.clone() resource_id=resource.id /> }.into_any()
            }}
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Rows"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Line"</th>
                            <th scope="col">"Partner"</th>
                            <th scope="col">"Outcome"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {batch.rows.into_iter().map(|row| view! {
                            <tr class:row-problem=row.state == "rejected" || row.state == "failed">
                                <td>{row.line}</td>
                                <td><strong>{row.display_name}</strong><div class="muted">{row.email}</div></td>
                                <td>
                                    <span class="badge" class:badge-bad=row.state == "rejected" || row.state == "failed">{row_label(&row.state)}</span>
                                    {(!row.note.is_empty()).then(|| view! { <div class="muted">{row.note.clone()}</div> })}
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
    let confirm = ServerAction::<ConfirmBulkInvite>::new();
    let feedback = FormFeedback::of(confirm);
    let ready = summary.counts.ready;
    let rejected = summary.counts.rejected;
    view! {
        <p class="report-summary">
            {format!("{ready} will be invited; {rejected} will not (see why below). Nothing has been sent yet.")}
        </p>
        <FormSummary feedback />
        <div class="form-actions">
            {(ready > 0).then(|| view! {
                <ActionForm action=confirm>
                    <input type="hidden" name="resource_id" value=resource_id />
                    <input type="hidden" name="batch_id" value=summary.id />
                    <SubmitButton label=format!("Send {ready} invitations") busy_label="Starting…" pending=confirm.pending() />
                </ActionForm>
            })}
            <a href=format!("/resources/{resource_id}/bulk")>"Check another list"</a>
        </div>
    }
}

#[component]
fn Progress(summary: BatchSummary, resource_id: i64) -> impl IntoView {
    let stop = ServerAction::<StopBulkInvite>::new();
    let feedback = FormFeedback::of(stop);
    let c = summary.counts;
    let total = c.to_run();
    let text = format!(
        "{} of {total} done · {} failed · {} remaining{}",
        c.done(),
        c.failed,
        c.queued,
        if c.stopped > 0 {
            format!(" · {} not sent (stopped)", c.stopped)
        } else {
            String::new()
        }
    );
    view! {
        <p class="report-summary"><span class="badge">{state_label(&summary.state)}</span></p>
        <label class="progress-label" for="bulk-progress">{text}</label>
        <progress id="bulk-progress" class="progress" max=total.max(1) value=c.done() + c.failed + c.stopped></progress>
        <FormSummary feedback />
        {(summary.state == "running").then(|| view! {
            <ActionForm action=stop>
                <input type="hidden" name="resource_id" value=resource_id />
                <input type="hidden" name="batch_id" value=summary.id />
                <button type="submit" class="button button-danger">"Stop the batch"</button>
            </ActionForm>
        })}
    }
}
