//! The managers' dashboard. Charts are SVG drawn with the page, so they
//! show without JavaScript and print; each has its figures as a table
//! beside it for screen readers, and as a CSV download.

use chrono::NaiveDate;
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::components::{InputField, SelectField};
use crate::domain::RequestKind;
use crate::domain::format::{compact, day_and_month, days, grouped, grouped_cell, percent, short_date};
use crate::domain::metrics::{
    Dashboard, Granularity, MetricsQuery, PeriodError, RangePreset, Table, TableSlug, kind_label,
};
use crate::services::load_dashboard;

use super::frame::viewer;
use super::set_status;
use super::{long_date, staff_view};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let viewer = viewer();
    let search = use_location().search;
    let data = Resource::new(move || search.get(), load_dashboard);
    view! {
        <Title text="Dashboard"/>
        <div class="wrap wide dashboard">
            <Suspense fallback=|| view! { <p>"Counting…"</p> }>
                {move || Suspend::new(async move {
                    staff_view(viewer.await, data.await, |_, shown| match shown {
                        Ok(dashboard) => view! { <Figures dashboard/> }.into_any(),
                        Err(problem) => {
                            set_status(400);
                            let query = MetricsQuery::from_query_string(&search.get_untracked());
                            view! {
                                <h1>"Dashboard"</h1>
                                <Filters from=query.from to=query.to query problem=Some(problem)/>
                            }
                            .into_any()
                        }
                    })
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Figures(dashboard: Dashboard) -> AnyView {
    let query = dashboard.query.to_query_string();
    let csv = move |name: &str| match query.as_str() {
        "" => format!("/staff/dashboard/{name}.csv"),
        query => format!("/staff/dashboard/{name}.csv?{query}"),
    };
    let shown = dashboard.query.kind.map_or("all kinds of request", kind_label);
    let overall = dashboard.overall().cloned().unwrap_or_default();
    let median = dashboard.days_to_resolve.last().and_then(|line| line.spread.median);
    let table = |slug| dashboard.table(slug).unwrap_or(Table { slug, columns: Vec::new(), rows: Vec::new() });
    let (received, by_status, by_age, on_time, spread, outcomes, verification, workload) = (
        table(TableSlug::Received),
        table(TableSlug::BacklogStatus),
        table(TableSlug::BacklogAge),
        table(TableSlug::OnTime),
        table(TableSlug::DaysToResolve),
        table(TableSlug::Outcomes),
        table(TableSlug::Verification),
        table(TableSlug::Workload),
    );
    let kinds = dashboard.kinds.clone();
    let unit = match dashboard.granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
    };
    let head = view! {
        <div class="dashboard-head">
            <h1>"Dashboard"</h1>
            <p class="dashboard-links">
                <a href=csv("requests") download>"Download these requests (CSV)"</a>
                <a href="/staff/disclosure">"Yearly disclosure (CCPA)"</a>
            </p>
        </div>
        <Filters
            query=dashboard.query.clone()
            from=Some(dashboard.period.from)
            to=Some(dashboard.period.to)
            problem=None
        />
        <p class="lead" id="dashboard-scope">
            {format!("{}, {shown}. ", dashboard.period.describe())}
            "Open work and overdue requests are as of today, " {long_date(dashboard.today)} "."
        </p>
        <dl class="key-figures">
            <div><dt>"Received"</dt><dd>{grouped(dashboard.received_total())}</dd></div>
            <div><dt>"Open now"</dt><dd>{grouped(dashboard.backlog_total())}</dd></div>
            <div><dt>"Answered on time"</dt><dd>{percent(overall.rate())}</dd></div>
            <div><dt>"Overdue now"</dt><dd>{grouped(overall.overdue_now)}</dd></div>
            <div><dt>"Median days to resolve"</dt><dd>{days(median)}</dd></div>
        </dl>
    }
    .into_any();
    view! {
        {head}

        <Section
            title="Requests received"
            note=format!("Per {unit}, by kind, for requests received in the period.")
            csv=csv("received")
            table=received.clone()
        >
            <ReceivedChart table=received kinds=kinds.clone() unit/>
        </Section>
        <div class="dashboard-pair">
            <Section title="Open requests by status" note="As of today.".to_owned() csv=csv("backlog-status") table=by_status.clone()>
                <BarChart table=by_status unit=" open"/>
            </Section>
            <Section title="Open requests by age" note="Days since receipt, as of today.".to_owned() csv=csv("backlog-age") table=by_age.clone()>
                <BarChart table=by_age unit=" open"/>
            </Section>
        </div>
        <Section
            title="Answered on time"
            note="Requests completed or denied in the period, on or before the deadline in force (extensions included). \
                  Requests closed without an outcome had nothing to answer on time and are counted apart."
                .to_owned()
            csv=csv("on-time")
            table=on_time.clone()
        >
            <BarChart table=on_time value_column=3 percent=true unit=" on time"/>
        </Section>
        <Section
            title="Days to resolve"
            note="Calendar days from receipt to answer, for requests completed or denied in the period. \
                  Half of them took the median or less; nine in ten the 90th percentile or less."
                .to_owned()
            csv=csv("days-to-resolve")
            table=spread.clone()
        >
            <BarChart table=spread value_column=2 unit=" days (median)"/>
        </Section>
        <Section title="Outcomes" note="Outcomes recorded on requests finished in the period.".to_owned() csv=csv("outcomes") table=outcomes.clone()>
            <BarChart table=outcomes unit=""/>
        </Section>
        <Section
            title="Email verification"
            note="Amendments and complaints sent through the web forms start unverified until the requester \
                  confirms their email address. Of those received in the period:"
                .to_owned()
            csv=csv("verification")
            table=verification.clone()
            open=true
        >
            <p class="big-figure">
                {verification.rows.first().and_then(|row| row.get(2)).cloned().unwrap_or_default()}
                <span>" verified"</span>
            </p>
        </Section>
        <Section
            title="Workload by person"
            note="Open requests today; answered and closed in the period.".to_owned()
            csv=csv("workload")
            table=workload
            open=true
        />
    }
    .into_any()
}

/// The period and kind to show; `from` and `to` as counted, or as asked for
/// when `problem` says why they were not counted.
#[component]
fn Filters(
    query: MetricsQuery,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    problem: Option<PeriodError>,
) -> AnyView {
    let date = |day: Option<NaiveDate>| day.map(|day| day.to_string()).unwrap_or_default();
    let ranges = RangePreset::ALL.iter().map(|r| (r.as_str().to_owned(), r.label().to_owned())).collect();
    let kinds = std::iter::once((String::new(), "All kinds".to_owned()))
        .chain(RequestKind::ALL.iter().map(|k| (k.as_str().to_owned(), kind_label(*k).to_owned())))
        .collect();
    view! {
        <form method="get" action="/staff/dashboard" class="filters" aria-label="Choose the period and kind">
            <div class="filter-grid">
                <SelectField id="dashboard-range" name="range" label="Period" options=ranges selected=query.preset().as_str()/>
                <InputField
                    id="dashboard-from"
                    name="from"
                    label="From"
                    input_type="date"
                    hint="For custom dates"
                    value=date(from)
                />
                <InputField
                    id="dashboard-to"
                    name="to"
                    label="To"
                    input_type="date"
                    hint="For custom dates"
                    value=date(to)
                />
                {problem.map(|problem| {
                    view! { <p class="error" id="dashboard-period-error" role="alert">{problem.to_string()}</p> }
                })}
                <SelectField
                    id="dashboard-kind"
                    name="kind"
                    label="Kind of request"
                    options=kinds
                    selected=query.kind.map_or("", RequestKind::as_str)
                />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Show"</button>
                <a href="/staff/dashboard">"Back to the last 30 days"</a>
            </div>
        </form>
    }
    .into_any()
}

/// A titled part of the dashboard: its chart, then its figures as a table.
#[component]
fn Section(
    title: &'static str,
    note: String,
    csv: String,
    table: Table,
    /// Tables that are the section's only figures are shown open.
    #[prop(optional)]
    open: bool,
    #[prop(optional)] children: Option<Children>,
) -> AnyView {
    let id = table.slug.as_str();
    view! {
        <section class="dashboard-section" aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{title}</h2>
            <p class="hint">{note}</p>
            {children.map(|chart| chart())}
            <details class="figures" open=open>
                <summary>{if open { "Figures" } else { "Figures as a table" }}</summary>
                <FigureTable table/>
            </details>
            <p class="download"><a href=csv download>"Download " {title.to_lowercase()} " (CSV)"</a></p>
        </section>
    }
    .into_any()
}

#[component]
pub(super) fn FigureTable(table: Table) -> AnyView {
    let caption = table.slug.title();
    let head = table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let mut cells = row.into_iter();
            let first = cells.next().unwrap_or_default();
            let rest = cells.map(|cell| view! { <td class="number">{grouped_cell(&cell)}</td> }).collect_view();
            view! { <tr><th scope="row">{first}</th>{rest}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-label=caption tabindex="0">
            <table class="data figures-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A count axis: steps of 1, 2 or 5 times a power of ten, whole numbers
/// only and at most five of them, so every grid line sits at exactly the
/// value its label names.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Axis {
    step: f64,
    top: f64,
}

impl Axis {
    fn for_counts(max: f64) -> Self {
        let wanted = (max / 5.0).max(1.0);
        let power = 10f64.powf(wanted.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|step| *step >= wanted).unwrap_or(10.0 * power);
        Self { step, top: ((max / step).ceil() * step).max(step) }
    }

    fn grid(self) -> impl Iterator<Item = f64> {
        (0..=(self.top / self.step).round() as u32).map(move |i| f64::from(i) * self.step)
    }
}

fn number(cell: Option<&String>) -> f64 {
    cell.map(|c| c.trim_end_matches('%')).and_then(|c| c.parse().ok()).unwrap_or(0.0)
}

/// The stacked columns of requests received, one colour per kind.
#[component]
fn ReceivedChart(table: Table, kinds: Vec<RequestKind>, unit: &'static str) -> AnyView {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 44.0;
    const BOTTOM: f64 = 28.0;
    const TOP: f64 = 8.0;
    let bars: Vec<(String, Vec<f64>, f64)> = table
        .rows
        .iter()
        .map(|row| {
            let counts: Vec<f64> = (1..=kinds.len()).map(|i| number(row.get(i))).collect();
            (row[0].clone(), counts, number(row.last()))
        })
        .collect();
    let axis = Axis::for_counts(bars.iter().map(|(_, _, total)| *total).fold(0.0, f64::max));
    let top = axis.top;
    let plot = HEIGHT - BOTTOM - TOP;
    let pitch = (WIDTH - LEFT) / bars.len().max(1) as f64;
    let y = move |value: f64| TOP + plot - value / top * plot;
    let grid = axis
        .grid()
        .map(|value| {
            view! {
                <g class="grid">
                    <line x1=LEFT x2=WIDTH y1=y(value) y2=y(value)/>
                    <text x=LEFT - 6.0 y=y(value) + 4.0 text-anchor="end">{compact(value)}</text>
                </g>
            }
        })
        .collect_view();
    // Label as many days or weeks as fit, evenly spaced.
    let every = (bars.len() as f64 / 8.0).ceil().max(1.0) as usize;
    let columns = bars
        .into_iter()
        .enumerate()
        .map(|(i, (start, counts, total))| {
            let x = LEFT + i as f64 * pitch;
            let day = start.parse::<chrono::NaiveDate>().ok();
            let when = day.map_or_else(
                || start.clone(),
                |d| match unit {
                    "week" => format!("Week of {}", short_date(d)),
                    _ => short_date(d),
                },
            );
            let parts: Vec<String> = kinds
                .iter()
                .zip(&counts)
                .map(|(kind, n)| format!("{} {}", grouped(*n as u64), kind_label(*kind).to_lowercase()))
                .collect();
            let summary = format!("{when}: {} received ({})", grouped(total as u64), parts.join(", "));
            let mut base = 0.0;
            let segments = counts
                .iter()
                .enumerate()
                .map(|(k, n)| {
                    let (low, high) = (base, base + n);
                    base = high;
                    view! {
                        <rect
                            class=format!("kind-{}", kinds[k].as_str())
                            x=x + pitch * 0.12
                            width=pitch * 0.76
                            y=y(high)
                            height=(y(low) - y(high)).max(0.0)
                        />
                    }
                })
                .collect_view();
            let label = (i % every == 0).then(|| {
                let short = day.map_or_else(|| start.clone(), day_and_month);
                view! { <text class="tick" x=x + pitch / 2.0 y=HEIGHT - 8.0 text-anchor="middle">{short}</text> }
            });
            view! {
                <g class="bar" data-readout=summary.clone()>
                    <title>{summary.clone()}</title>
                    {segments}
                    <rect class="hit" x=x width=pitch y=TOP height=plot/>
                    {label}
                </g>
            }
        })
        .collect_view();
    let legend = kinds
        .iter()
        .map(|kind| view! { <li><span class=format!("swatch kind-{}", kind.as_str())></span>{kind_label(*kind)}</li> })
        .collect_view();
    let name = format!(
        "Column chart of requests received per {unit}, stacked by kind. The figures are in the table that follows."
    );
    view! {
        <figure class="chart">
            <ChartReadout>
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=name preserveAspectRatio="xMidYMid meet">
                    {grid}
                    {columns}
                    <line class="axis" x1=LEFT x2=WIDTH y1=y(0.0) y2=y(0.0)/>
                </svg>
                <ul class="legend" aria-hidden="true">{legend}</ul>
            </ChartReadout>
        </figure>
    }
    .into_any()
}

/// Horizontal bars, one per row of `table`: the row's first cell names it,
/// `value_column` holds its figure.
#[component]
fn BarChart(
    table: Table,
    unit: &'static str,
    #[prop(default = 1)] value_column: usize,
    #[prop(optional)] percent: bool,
) -> AnyView {
    const WIDTH: f64 = 480.0;
    const ROW: f64 = 44.0;
    let rows: Vec<(String, String, f64)> = table
        .rows
        .iter()
        .map(|row| {
            let cell = row.get(value_column);
            (row[0].clone(), grouped_cell(cell.map_or("", String::as_str)), number(cell))
        })
        .collect();
    let top = if percent { 100.0 } else { Axis::for_counts(rows.iter().map(|(_, _, v)| *v).fold(0.0, f64::max)).top };
    let height = ROW * rows.len().max(1) as f64;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, shown, value))| {
            let y = i as f64 * ROW;
            let width = (value / top * (WIDTH - 80.0)).max(0.0);
            let summary = format!("{label}: {shown}{unit}");
            view! {
                <g class="bar" data-readout=summary.clone()>
                    <title>{summary.clone()}</title>
                    <text class="bar-label" x="0" y=y + 14.0>{label}</text>
                    <rect class="bar-fill" x="0" y=y + 20.0 width=width height="16"/>
                    <text class="bar-value" x=width + 6.0 y=y + 33.0>{shown}</text>
                    <rect class="hit" x="0" y=y width=WIDTH height=ROW/>
                </g>
            }
        })
        .collect_view();
    let name = format!("Bar chart: {}. The figures are in the table that follows.", table.slug.title());
    view! {
        <figure class="chart bars">
            <ChartReadout>
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=name>{bars}</svg>
            </ChartReadout>
        </figure>
    }
    .into_any()
}

/// A chart with a line under it that reads out the bar under the pointer
/// (each bar's `data-readout`). The same words are each bar's tooltip, and
/// the figures are in the table after it. A few lines of plain script
/// rather than an island, so that no staff page's code is part of the
/// WebAssembly a customer's form downloads.
#[component]
fn ChartReadout(children: Children) -> impl IntoView {
    view! {
        <div class="chart-frame">
            <div class="chart-hover">{children()}</div>
            <p class="chart-readout" aria-hidden="true"></p>
            <script nonce=use_nonce()>{READ_OUT_BARS}</script>
        </div>
    }
}

const READ_OUT_BARS: &str = r#"(function (root) {
  var chart = root.querySelector('.chart-hover'), line = root.querySelector('.chart-readout');
  chart.addEventListener('mouseover', function (event) {
    var bar = event.target.closest('[data-readout]');
    line.textContent = bar ? bar.getAttribute('data-readout') : '';
  });
  chart.addEventListener('mouseleave', function () { line.textContent = ''; });
})(document.currentScript.parentElement);"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        let top = |max| Axis::for_counts(max).top;
        assert_eq!(top(0.0), 1.0);
        assert_eq!(top(7.0), 8.0);
        assert_eq!(top(18.0), 20.0);
        assert_eq!(top(230.0), 250.0);
        assert_eq!(top(100.0), 100.0);
    }

    /// The label is what a manager reads off the line: "2" must be drawn at 2.
    #[test]
    fn grid_lines_sit_at_the_values_their_labels_name() {
        for max in (0..=3000).map(f64::from).chain([12_345.0, 999_999.0]) {
            let axis = Axis::for_counts(max);
            let lines: Vec<f64> = axis.grid().collect();
            assert!(lines.len() >= 2 && lines.len() <= 6, "{max}: {lines:?}");
            assert!(axis.top >= max, "{max}: the tallest column fits");
            for value in lines {
                let label = compact(value);
                let named = match label.strip_suffix('k') {
                    Some(thousands) => thousands.parse::<f64>().map(|k| k * 1000.0),
                    None => label.parse::<f64>(),
                };
                assert_eq!(named, Ok(value), "{max}: the line at {value} is labelled {label}");
            }
        }
    }
}
