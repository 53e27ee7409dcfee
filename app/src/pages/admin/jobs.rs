use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date_time;

use crate::api::administration::jobs::{background_work, FailingMail, JobView, RunJobNow, WorkOverview};
use crate::components::problem::Problem;

/// Admin: the background jobs (last run, errors, run now) and mail that could not be sent.
#[component]
pub fn AdminJobsPage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let work = Resource::new(move || query.get(), |_| background_work());
    let queued = move || query.with(|q| q.get("queued"));
    view! {
        <Title text=td_string!(l, admin_system.background_work) />
        {move || queued().map(|name| view! {
            <div class="alert alert-success" role="status">{td_string!(l, admin_system.will_run_soon, name).to_string()}</div>
        })}
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
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
    let l = language();
    let WorkOverview {
        jobs,
        unsent_mail,
        failing_mail,
    } = work;
    view! {
        <section class="card">
            <h1>{td_string!(l, admin_system.background_work)}</h1>
            <p class="muted">
                {td_string!(l, admin_system.every_instance_runs_these_on)}
            </p>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">{td_string!(l, admin_system.jobs)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(l, admin_system.job)}</th>
                            <th scope="col">{td_string!(l, admin_system.last_success)}</th>
                            <th scope="col">{td_string!(l, admin_system.next_run)}</th>
                            <th scope="col">{td_string!(l, admin_system.status)}</th>
                            <th scope="col"><span class="visually-hidden">{td_string!(l, admin_system.actions)}</span></th>
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
    let l = language();
    let action = ServerAction::<RunJobNow>::new();
    let status = if job.running {
        view! { <span class="badge">{td_string!(l, admin_system.running)}</span> }.into_any()
    } else if job.failures > 0 {
        view! {
            <span class="badge badge-bad">{td_string!(l, admin_system.failures_in_a_row, count = job.failures).to_string()}</span>
            <div class="job-error">
                {job.last_error.clone().unwrap_or_default()}
                {job.last_error_at.map(|t| format!(" ({})", date_time(l, t)))}
            </div>
        }
        .into_any()
    } else {
        view! { <span class="badge badge-ok">{td_string!(l, admin_system.ok)}</span> }.into_any()
    };
    let every = if job.every_seconds >= 3600 {
        td_string!(l, admin_system.every_hours, n = job.every_seconds / 3600).to_string()
    } else if job.every_seconds >= 60 {
        td_string!(l, admin_system.every_minutes, n = job.every_seconds / 60).to_string()
    } else {
        td_string!(l, admin_system.every_seconds, n = job.every_seconds).to_string()
    };
    let label = td_string!(l, admin_system.run_now_aria, name = job.name.clone()).to_string();
    view! {
        <tr>
            <td>
                <strong>{job.name.clone()}</strong>
                <div class="muted">{locales::messages::word(l, &job.description)}" ("{every}")"</div>
            </td>
            <td>
                {match job.last_success_at {
                    Some(t) => td_string!(l, admin_system.done_changed, time = date_time(l, t), count = job.last_processed).to_string(),
                    None => td_string!(l, admin_system.not_yet).to_string(),
                }}
            </td>
            <td>{date_time(l, job.next_run_at.max(0))}</td>
            <td>{status}</td>
            <td>
                <ActionForm action>
                    <input type="hidden" name="name" value=job.name.clone() />
                    <button type="submit" class="button button-secondary button-small" aria-label=label>{td_string!(l, admin_system.run_now)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn MailQueue(unsent_mail: i64, failing_mail: Vec<FailingMail>) -> impl IntoView {
    let l = language();
    view! {
        <section class="card">
            <h2>{td_string!(l, admin_system.mail_queue)}</h2>
            <p>{match unsent_mail {
                0 => td_string!(l, admin_system.every_email_has_been_sent).to_string(),
                count => td_string!(l, admin_system.emails_waiting, count).to_string(),
            }}</p>
            {if failing_mail.is_empty() {
                view! { <p class="empty">{td_string!(l, admin_system.no_email_is_failing)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption>{td_string!(l, admin_system.emails_that_could_not_be)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{td_string!(l, admin_system.to)}</th>
                                    <th scope="col">{td_string!(l, admin_system.subject)}</th>
                                    <th scope="col">{td_string!(l, admin_system.tries)}</th>
                                    <th scope="col">{td_string!(l, admin_system.last_error)}</th>
                                    <th scope="col">{td_string!(l, admin_system.next_try)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {failing_mail.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.to}</td>
                                        <td>{m.subject}</td>
                                        <td>{m.attempts}</td>
                                        <td class="job-error">{m.error}</td>
                                        <td>{date_time(l, m.next_try_at)}</td>
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
