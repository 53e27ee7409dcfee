use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::jobs::{background_work, FailingMail, JobView, RunJobNow, WorkOverview};
use crate::components::problem::Problem;
use rules::dates::format_date_time;

/// Admin: the background jobs (last run, errors, run now) and mail that could not be sent.
#[component]
pub fn AdminJobsPage() -> impl IntoView {
    let query = use_query_map();
    let work = Resource::new(move || query.get(), |_| background_work());
    let queued = move || query.with(|q| q.get("queued"));
    view! {
        <Title text="Background work" />
        {move || queued().map(|name| view! {
            <div class="alert alert-success" role="status">{format!("{name} will run within a few seconds.")}</div>
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match work.await {
                    Ok(work) => view! { <Work work /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Work(work: WorkOverview) -> impl IntoView {
    let WorkOverview {
        jobs,
        unsent_mail,
        failing_mail,
    } = work;
    view! {
        <section class="card">
            <h1>"Background work"</h1>
            <p class="muted">
                "Every instance runs these on a schedule; each run is done by one of them. A failed run is retried with growing pauses, and its error shows here until a run succeeds."
            </p>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Jobs"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Job"</th>
                            <th scope="col">"Last success"</th>
                            <th scope="col">"Next run"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{jobs.into_iter().map(|job| view! { <JobRow job /> }).collect_view()}</tbody>
                </table>
            </div>
        </section>
        <MailQueue unsent_mail failing_mail />
    }
}

#[component]
fn JobRow(job: JobView) -> impl IntoView {
    let action = ServerAction::<RunJobNow>::new();
    let status = if job.running {
        view! { <span class="badge">"Running"</span> }.into_any()
    } else if job.failures > 0 {
        view! {
            <span class="badge badge-bad">{format!("Failed {} time{} in a row", job.failures, if job.failures == 1 { "" } else { "s" })}</span>
            <div class="job-error">
                {job.last_error.clone().unwrap_or_default()}
                {job.last_error_at.map(|t| format!(" ({})", format_date_time(t)))}
            </div>
        }
        .into_any()
    } else {
        view! { <span class="badge badge-ok">"OK"</span> }.into_any()
    };
    let every = if job.every_seconds >= 3600 {
        format!("every {} h", job.every_seconds / 3600)
    } else if job.every_seconds >= 60 {
        format!("every {} min", job.every_seconds / 60)
    } else {
        format!("every {} s", job.every_seconds)
    };
    let label = format!("Run now: {}", job.name);
    view! {
        <tr>
            <td>
                <strong>{job.name.clone()}</strong>
                <div class="muted">{job.description.clone()}" ("{every}")"</div>
            </td>
            <td>
                {match job.last_success_at {
                    Some(t) => format!("{} ({} changed)", format_date_time(t), job.last_processed),
                    None => "Not yet".to_string(),
                }}
            </td>
            <td>{format_date_time(job.next_run_at.max(0))}</td>
            <td>{status}</td>
            <td>
                <ActionForm action>
                    <input type="hidden" name="name" value=job.name.clone() />
                    <button type="submit" class="button button-secondary button-small" aria-label=label>"Run now"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn MailQueue(unsent_mail: i64, failing_mail: Vec<FailingMail>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Mail queue"</h2>
            <p>{match unsent_mail {
                0 => "Every email has been sent.".to_string(),
                1 => "1 email is waiting to be sent.".to_string(),
                n => format!("{n} emails are waiting to be sent."),
            }}</p>
            {if failing_mail.is_empty() {
                view! { <p class="empty">"No email is failing."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption>"Emails that could not be sent yet"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"To"</th>
                                    <th scope="col">"Subject"</th>
                                    <th scope="col">"Tries"</th>
                                    <th scope="col">"Last error"</th>
                                    <th scope="col">"Next try"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {failing_mail.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.to}</td>
                                        <td>{m.subject}</td>
                                        <td>{m.attempts}</td>
                                        <td class="job-error">{m.error}</td>
                                        <td>{format_date_time(m.next_try_at)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
