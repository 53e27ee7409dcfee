use crate::components::language::language;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use locales::dates::{date, day_month};

use crate::api::administration::dashboard::{
    admin_dashboard, Dashboard, EndingRow, PendingRow, CHART_DAYS, ENDING_WITHIN_DAYS,
};
use crate::components::chart::{bar_height, scale_top};
use crate::components::problem::Problem;
use rules::administration::dashboard::DayCounts;

/// Admin: what waits for someone, what is about to lapse, and the last 30 days.
#[component]
pub fn AdminDashboardPage() -> impl IntoView {
    let l = language();
    let dashboard = Resource::new(|| (), |_| admin_dashboard());
    view! {
        <Title text=td_string!(l, admin_system.dashboard) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <Overview dashboard /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(dashboard: Dashboard) -> impl IntoView {
    let l = language();
    let waiting: i64 = dashboard.pending_requests.iter().map(|p| p.pending).sum();
    let stale: i64 = dashboard
        .pending_requests
        .iter()
        .map(|p| p.older_than_a_week)
        .sum();
    view! {
        <section class="card">
            <h1>{td_string!(l, admin_system.dashboard)}</h1>
            <ul class="tiles stats">
                <li><a class="tile" href="/admin/requests?state=pending&sort=oldest">
                    <strong class="stat" id="stat-requests">{waiting}</strong>
                    <span>{td_string!(l, admin_system.requests_waiting, stale).to_string()}</span>
                </a></li>
                <li><a class="tile" href="/admin/invitations?state=pending">
                    <strong class="stat" id="stat-invitations">{dashboard.invitations_pending}</strong>
                    <span>{td_string!(l, admin_system.invitations_not_yet_redeemed)}</span>
                </a></li>
                <li><a class="tile" href="/admin/invitations?state=expiring&sort=oldest">
                    <strong class="stat" id="stat-expiring">{dashboard.invitations_expiring}</strong>
                    <span>{td_string!(l, admin_system.invitations_lapse_within_48_hours)}</span>
                </a></li>
                <li><a class="tile" href="#ending">
                    <strong class="stat" id="stat-ending">{dashboard.memberships_ending}</strong>
                    <span>{td_string!(l, admin_system.memberships_end_within, days = ENDING_WITHIN_DAYS).to_string()}</span>
                </a></li>
            </ul>
        </section>
        <section class="card">
            <h2 id="activity-heading">{td_string!(l, admin_system.the_last_days, days = CHART_DAYS).to_string()}</h2>
            <ActivityChart days=dashboard.days.clone() />
        </section>
        <section class="card">
            <h2>{td_string!(l, admin_system.requests_waiting_by_resource)}</h2>
            <PendingTable rows=dashboard.pending_requests now=dashboard.now />
        </section>
        <section class="card" id="ending">
            <h2>{td_string!(l, admin_system.memberships_ending_within, days = ENDING_WITHIN_DAYS).to_string()}</h2>
            <EndingTable rows=dashboard.ending_soonest total=dashboard.memberships_ending />
        </section>
    }
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 34.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;

/// Requests and redemptions per day as bars, with the numbers in a table beside it.
#[component]
fn ActivityChart(days: Vec<DayCounts>) -> impl IntoView {
    let l = language();
    let top = scale_top(&days);
    let plot = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / days.len().max(1) as f64;
    let bar = (slot - 4.0) / 2.0;
    let base = HEIGHT - BOTTOM;
    let (requests, redemptions): (i64, i64) = days
        .iter()
        .fold((0, 0), |(a, b), d| (a + d.requests, b + d.redemptions));
    let label = td_string!(
        l,
        admin_system.chart_label,
        days = days.len(),
        requests,
        redemptions
    )
    .to_string();
    let grid = [0, top / 2, top].map(|value| {
        let y = base - bar_height(value, top, plot);
        view! {
            <line class="chart-grid" x1=LEFT y1=y x2=WIDTH y2=y />
            <text class="chart-axis" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{value}</text>
        }
    });
    let last = days.len().saturating_sub(1);
    let bars = days.iter().enumerate().map(|(i, day)| {
        let x = LEFT + i as f64 * slot + 2.0;
        let h_requests = bar_height(day.requests, top, plot);
        let h_redemptions = bar_height(day.redemptions, top, plot);
        // A date under every seventh day, counted back from today.
        // Today's date ends at the right edge instead of running past it.
        let anchor = if i == last { "end" } else { "middle" };
        let label_x = if i == last { x + 2.0 * bar } else { x + bar };
        let tick = (last - i).is_multiple_of(7).then(|| view! {
            <text class="chart-axis" x=label_x y=HEIGHT - 6.0 text-anchor=anchor>{day_month(l, day.day)}</text>
        });
        view! {
            <g class="chart-day" data-day=day_month(l, day.day) data-requests=day.requests data-redemptions=day.redemptions>
                <rect class="chart-requests" x=x y=base - h_requests width=bar height=h_requests />
                <rect class="chart-redemptions" x=x + bar y=base - h_redemptions width=bar height=h_redemptions />
                {tick}
            </g>
        }
    }).collect_view();
    let rows = days
        .iter()
        .rev()
        .filter(|d| d.requests + d.redemptions > 0)
        .map(|d| {
            view! {
                <tr><td>{date(l, d.day)}</td><td>{d.requests}</td><td>{d.redemptions}</td></tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg id="activity-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label
                preserveAspectRatio="xMidYMid meet">
                {grid}
                {bars}
            </svg>
            <figcaption class="chart-legend">
                <span class="swatch swatch-requests"></span>{td_string!(l, admin_system.requests_made, requests).to_string()}
                <span class="swatch swatch-redemptions"></span>{td_string!(l, admin_system.invitations_redeemed, redemptions).to_string()}
            </figcaption>
        </figure>
        <details class="chart-numbers">
            <summary>{td_string!(l, admin_system.the_numbers)}</summary>
            {if requests + redemptions == 0 {
                view! { <p class="empty">{td_string!(l, admin_system.nothing_yet_in_these_days)}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th scope="col">{td_string!(l, admin_system.day)}</th><th scope="col">{td_string!(l, admin_system.requests)}</th><th scope="col">{td_string!(l, admin_system.redeemed)}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </details>
    }
}

#[component]
fn PendingTable(rows: Vec<PendingRow>, now: i64) -> impl IntoView {
    let l = language();
    if rows.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_system.no_request_is_waiting)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, admin_system.resource)}</th>
                        <th scope="col">{td_string!(l, admin_system.waiting)}</th>
                        <th scope="col">{td_string!(l, admin_system.asked_today)}</th>
                        <th scope="col">{td_string!(l, admin_system.over_a_week)}</th>
                        <th scope="col">{td_string!(l, admin_system.oldest)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/admin/requests?state=pending&resource={}&sort=oldest", row.resource_id);
                        let days = (now - row.oldest_at) / 86_400;
                        let oldest = match days {
                            0 => td_string!(l, admin_system.today).to_string(),
                            _ => locales::messages::counted(l, "day_count", days),
                        };
                        view! {
                            <tr>
                                <td><a href=href>{row.resource_name}</a></td>
                                <td>{row.pending}</td>
                                <td>{row.newer_than_a_day}</td>
                                <td>{(row.older_than_a_week > 0).then(|| view! { <span class="badge badge-warn">{row.older_than_a_week}</span> })}</td>
                                <td>{oldest}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn EndingTable(rows: Vec<EndingRow>, total: i64) -> impl IntoView {
    let l = language();
    if rows.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_system.no_membership_ends_in_the)}</p> }
            .into_any();
    }
    let more = total - rows.len() as i64;
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr><th scope="col">{td_string!(l, admin_system.member)}</th><th scope="col">{td_string!(l, admin_system.resource)}</th><th scope="col">{td_string!(l, admin_system.ends)}</th></tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td><strong>{row.display_name}</strong><div class="muted">{row.email}</div></td>
                            <td><a href=format!("/resources/{}", row.resource_id)>{row.resource_name}</a></td>
                            <td>{date(l, row.expires_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="muted">{td_string!(l, admin_system.and_more, more).to_string()}</p> })}
    }
    .into_any()
}
