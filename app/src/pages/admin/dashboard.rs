use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::administration::dashboard::{
    admin_dashboard, Dashboard, EndingRow, PendingRow, CHART_DAYS, ENDING_WITHIN_DAYS,
};
use crate::components::chart::{bar_height, scale_top};
use crate::components::problem::Problem;
use rules::administration::dashboard::DayCounts;
use rules::dates::{format_date, format_day_month};

/// Admin: what waits for someone, what is about to lapse, and the last 30 days.
#[component]
pub fn AdminDashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| admin_dashboard());
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    let waiting: i64 = dashboard.pending_requests.iter().map(|p| p.pending).sum();
    let stale: i64 = dashboard
        .pending_requests
        .iter()
        .map(|p| p.older_than_a_week)
        .sum();
    view! {
        <section class="card">
            <h1>"Dashboard"</h1>
            <ul class="tiles stats">
                <li><a class="tile" href="/admin/requests?state=pending&sort=oldest">
                    <strong class="stat" id="stat-requests">{waiting}</strong>
                    <span>{format!("requests waiting for a decision, {stale} of them for over a week")}</span>
                </a></li>
                <li><a class="tile" href="/admin/invitations?state=pending">
                    <strong class="stat" id="stat-invitations">{dashboard.invitations_pending}</strong>
                    <span>"invitations not yet redeemed"</span>
                </a></li>
                <li><a class="tile" href="/admin/invitations?state=expiring&sort=oldest">
                    <strong class="stat" id="stat-expiring">{dashboard.invitations_expiring}</strong>
                    <span>"invitations lapse within 48 hours"</span>
                </a></li>
                <li><a class="tile" href="#ending">
                    <strong class="stat" id="stat-ending">{dashboard.memberships_ending}</strong>
                    <span>{format!("memberships end within {ENDING_WITHIN_DAYS} days")}</span>
                </a></li>
            </ul>
        </section>
        <section class="card">
            <h2 id="activity-heading">{format!("The last {CHART_DAYS} days")}</h2>
            <ActivityChart days=dashboard.days.clone() />
        </section>
        <section class="card">
            <h2>"Requests waiting, by resource"</h2>
            <PendingTable rows=dashboard.pending_requests now=dashboard.now />
        </section>
        <section class="card" id="ending">
            <h2>{format!("Memberships ending within {ENDING_WITHIN_DAYS} days")}</h2>
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
    let top = scale_top(&days);
    let plot = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / days.len().max(1) as f64;
    let bar = (slot - 4.0) / 2.0;
    let base = HEIGHT - BOTTOM;
    let (requests, redemptions): (i64, i64) = days
        .iter()
        .fold((0, 0), |(a, b), d| (a + d.requests, b + d.redemptions));
    let label = format!(
        "Bar chart: {requests} requests and {redemptions} redemptions over the last {} days.",
        days.len()
    );
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
            <text class="chart-axis" x=label_x y=HEIGHT - 6.0 text-anchor=anchor>{format_day_month(day.day)}</text>
        });
        view! {
            <g class="chart-day" data-day=format_day_month(day.day) data-requests=day.requests data-redemptions=day.redemptions>
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
                <tr><td>{format_date(d.day)}</td><td>{d.requests}</td><td>{d.redemptions}</td></tr>
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
                <span class="swatch swatch-requests"></span>{format!("Requests made ({requests})")}
                <span class="swatch swatch-redemptions"></span>{format!("Invitations redeemed ({redemptions})")}
            </figcaption>
        </figure>
        <details class="chart-numbers">
            <summary>"The numbers"</summary>
            {if requests + redemptions == 0 {
                view! { <p class="empty">"Nothing yet in these days."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th scope="col">"Day"</th><th scope="col">"Requests"</th><th scope="col">"Redeemed"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </details>
    }
}

#[component]
fn PendingTable(rows: Vec<PendingRow>, now: i64) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No request is waiting."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Resource"</th>
                        <th scope="col">"Waiting"</th>
                        <th scope="col">"Asked today"</th>
                        <th scope="col">"Over a week"</th>
                        <th scope="col">"Oldest"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/admin/requests?state=pending&resource={}&sort=oldest", row.resource_id);
                        let days = (now - row.oldest_at) / 86_400;
                        let oldest = if days == 0 { "today".to_string() } else if days == 1 { "1 day".to_string() } else { format!("{days} days") };
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
    if rows.is_empty() {
        return view! { <p class="empty">"No membership ends in the next two weeks."</p> }.into_any();
    }
    let more = total - rows.len() as i64;
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr><th scope="col">"Member"</th><th scope="col">"Resource"</th><th scope="col">"Ends"</th></tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td><strong>{row.display_name}</strong><div class="muted">{row.email}</div></td>
                            <td><a href=format!("/resources/{}", row.resource_id)>{row.resource_name}</a></td>
                            <td>{format_date(row.expires_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more; each resource's page lists its members.")}</p> })}
    }
    .into_any()
}
