"""The benchmark's one Markdown table, with the targets of issue 6 beside the numbers."""

from load import Result

ENGINES = (("sqlite", "SQLite"), ("postgres", "PostgreSQL"))


def rate(r: Result) -> str:
    return f"{r.per_second:,.0f}/s"


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


class Report:
    def __init__(self, machine: str):
        self.machine = machine
        self.values: dict[str, dict] = {engine: {} for engine, _ in ENGINES}
        self.argon2: dict = {}
        self.signing: dict = {}
        self.first_visit: dict = {}
        self.staff_visit: dict = {}

    def add(self, engine: str, key: str, value) -> None:
        self.values[engine][key] = value

    def _row(self, label: str, target: str, cell, met) -> str:
        cells, verdicts = [], []
        for engine, _ in ENGINES:
            value = self.values[engine]
            try:
                cells.append(cell(value))
                verdicts.append("yes" if met(value) else "**no**")
            except KeyError:
                cells.append("not measured")
                verdicts.append("**no**")
        return f"| {label} | {' | '.join(cells)} | {target} | {' / '.join(verdicts)} |"

    def _provider_rows(self, page) -> list:
        """The OpenID Provider: its public documents, the authorization step, and the token
        endpoint beside the signatures this machine can make for each grant."""
        sign = self.signing
        ceiling = sign.get("ceiling_per_second", 0.0)
        fast = lambda key, floor: (lambda v: v[key].per_second >= floor and v[key].errors == 0)
        grant = lambda key: (lambda v: f"{rate(v[key])} ({100 * v[key].per_second / ceiling:.0f}% of the ceiling), "
                                       f"p99 {ms(v[key].p99_ms)}")
        grant_met = lambda key: (lambda v: v[key].per_second >= max(1200, 0.8 * ceiling) and v[key].errors == 0)
        signing = (f"signing ceiling {ceiling:,.0f} grants/s: {sign.get('cores', '?')} cores × 1 / "
                   f"(RS256 {sign.get('rs256_ms', 0):.2f} ms + ES256 {sign.get('es256_ms', 0):.3f} ms); all cores "
                   f"signing at once reach {sign.get('all_cores_per_second', 0):,.0f}/s")
        return [
            self._row("App sign-in: discovery document, 32 connections", "≥ 20,000/s",
                      page("discovery"), fast("discovery", 20_000)),
            self._row("App sign-in: key set (JWKS), 32 connections", "≥ 20,000/s", page("jwks"), fast("jwks", 20_000)),
            self._row("App sign-in: authorization step, signed-in member, consent given (a code each), "
                      "32 connections", "≥ 5,000/s", page("authorize"), fast("authorize", 5_000)),
            self._row(f"Token endpoint: code exchanged (client secret, ID + access token signed), 32 connections "
                      f"({signing})", "≥ 80% of the ceiling and ≥ 1,200/s", grant("token_code"), grant_met("token_code")),
            self._row("Token endpoint: refresh token rotated (old one used up, new one stored, both tokens "
                      "signed), 32 connections", "≥ 80% of the ceiling and ≥ 1,200/s",
                      grant("token_refresh"), grant_met("token_refresh")),
        ]

    def markdown(self) -> str:
        ceiling = self.argon2.get("ceiling_per_second", 0.0)
        page = lambda key: (lambda v: f"{rate(v[key])}, p50 {ms(v[key].p50_ms)}, p99 {ms(v[key].p99_ms)}")
        page_met = lambda key: (lambda v: v[key].per_second >= 10_000 and v[key].p99_ms < 10 and v[key].errors == 0)
        latency = lambda key: (lambda v: f"p50 {ms(v[key].p50_ms)}, p95 {ms(v[key].p95_ms)}")
        # A Dutch line: its rate, p99 and its ratio to the English line measured in the same turns.
        dutch = lambda key: (
            lambda v: f"{rate(v[key + '_nl'])}, p99 {ms(v[key + '_nl'].p99_ms)}, "
                      f"{v[key + '_nl'].per_second / v[key].per_second:.0%} of English")
        dutch_met = lambda key: (
            lambda v: v[key + "_nl"].per_second >= 0.95 * v[key].per_second and v[key + "_nl"].errors == 0)
        # A page line beside nginx sending its very bytes (`key_nginx`, measured in turn).
        beside = lambda key: (lambda v: f"{page(key)(v)}; nginx {rate(v[key + '_nginx'])}, this "
                                        f"{v[key].per_second / v[key + '_nginx'].per_second:.0%} of it")
        beside_met = lambda key: (lambda v: page_met(key)(v) and v[key + "_nginx"].errors == 0)
        also = "; beside it nginx sending the page's very bytes, each in turn, 3 rounds, medians"
        latency_met = lambda key: (lambda v: v[key].p95_ms < 20 and v[key].errors == 0)
        rows = [
            "| Measure | SQLite | PostgreSQL | Target | Met (SQLite / PostgreSQL) |",
            "|---|---|---|---|---|",
            self._row("GET catalog page (20 resources), 32 connections", "≥ 10,000/s, p99 < 10 ms",
                      page("catalog"), page_met("catalog")),
            self._row("GET catalog page in Dutch (`Accept-Language: nl`), 32 connections; English, Dutch and nginx "
                      "measured in turn, 3 rounds each, medians compared",
                      "within 5% of English", dutch("catalog"), dutch_met("catalog")),
            self._row("GET catalog page beside nginx sending the same bytes (Debian's nginx, minimal "
                      "configuration, same run; each in turn, 3 rounds, medians)", "≥ 75% of nginx",
                      lambda v: f"{rate(v['catalog'])} against {rate(v['catalog_nginx'])}: "
                                f"{v['catalog'].per_second / v['catalog_nginx'].per_second:.0%}",
                      lambda v: v["catalog"].per_second >= 0.75 * v["catalog_nginx"].per_second
                      and v["catalog"].errors == 0 and v["catalog_nginx"].errors == 0),
            self._row("GET request form, 32 connections" + also, "≥ 10,000/s, p99 < 10 ms",
                      beside("request_form"), beside_met("request_form")),
            self._row("GET catalog page signed in (the admin; rendered for each request, never kept), "
                      "32 connections" + also, "≥ 10,000/s, p99 < 10 ms",
                      beside("catalog_rendered"), beside_met("catalog_rendered")),
            self._row("GET My access signed in (a partner with 20 memberships), 32 connections" + also,
                      "≥ 10,000/s, p99 < 10 ms", beside("my_access"), beside_met("my_access")),
            self._row("GET review queue, first page (1,000,000 waiting), 32 connections" + also,
                      "≥ 10,000/s, p99 < 10 ms", beside("review_32"), beside_met("review_32")),
            self._row("The least routed, hydrated Leptos page, with nothing of Portico's (`bench/leptos-ceiling`: the "
                      "portal's stack and allocator; hydration scripts, meta tags, a router with one route, 25 rows "
                      "from a resource in `Suspense`; no database, no session), 32 connections, in turn with the "
                      "review queue above", "reaches 10,000/s?",
                      lambda v: f"{page('review_32_leptos')(v)}; the review queue "
                                f"{v['review_32'].per_second / v['review_32_leptos'].per_second:.0%} of it",
                      lambda v: v["review_32_leptos"].per_second >= 10_000 and v["review_32_leptos"].errors == 0),
            self._row("GET catalog page signed in, in Dutch, 32 connections; English, Dutch and nginx measured in "
                      "turn, 3 rounds each, medians compared", "within 5% of English",
                      dutch("catalog_rendered"), dutch_met("catalog_rendered")),
            self._row("Static asset (the wasm bundle, brotli), 1 connection", "p50 < 1 ms",
                      page("wasm_1"), lambda v: v["wasm_1"].p50_ms < 1 and v["wasm_1"].errors == 0),
            self._row("Static asset (the wasm bundle, brotli), 32 connections", "",
                      page("wasm_32"), lambda v: v["wasm_32"].errors == 0),
            self._row("Request submission (form server function, distinct emails), 32 connections",
                      "≥ 2,000/s, p99 < 25 ms",
                      lambda v: f"{rate(v['submit'])}, p99 {ms(v['submit'].p99_ms)}",
                      lambda v: v["submit"].per_second >= 2000 and v["submit"].p99_ms < 25 and v["submit"].errors == 0),
            self._row("The database alone: the submissions' batched statements with no portal, 32 submissions "
                      "a transaction (SQLite: Python's sqlite3 in one thread; PostgreSQL: pgbench, 16 clients, "
                      "prepared)", "reaches 2,000/s?",
                      lambda v: f"{v['alone']['per_second']:,.0f}/s, CPU {v['alone']['cpu_ms']:.2f} ms "
                                f"per submission",
                      lambda v: v["alone"]["per_second"] >= 2000),
            self._row("Mail worker: the submissions' emails sent (to files), waited for before the sign-in line", "",
                      lambda v: f"{v['mail']['sent']:,} in {v['mail']['seconds']:.1f} s"
                                + (f", {v['mail']['left']:,} left" if v["mail"]["left"] else ""),
                      lambda v: v["mail"]["left"] == 0),
            self._row(f"Staff sign-in, 8 connections (argon2 ceiling {ceiling:,.0f}/s: "
                      f"{self.argon2.get('cores', '?')} cores × 1 / {self.argon2.get('median_ms', 0):.1f} ms; "
                      f"all cores verifying at once reach {self.argon2.get('all_cores_per_second', 0):,.0f}/s)",
                      "≥ 90% of the ceiling",
                      lambda v: f"{rate(v['sign_in'])} ({100 * v['sign_in'].per_second / ceiling:.0f}%), p99 {ms(v['sign_in'].p99_ms)}",
                      lambda v: v["sign_in"].per_second >= 0.9 * ceiling and v["sign_in"].errors == 0),
            self._row("One-time code asked for (sign-in page, a new browser each time, 2,000 partners), "
                      "32 connections", "many times the staff sign-in",
                      lambda v: f"{rate(v['code_request'])} ({v['code_request'].per_second / v['sign_in'].per_second:.0f}× "
                                f"the sign-in), p99 {ms(v['code_request'].p99_ms)}",
                      lambda v: v["code_request"].per_second >= 10 * v["sign_in"].per_second
                      and v["code_request"].errors == 0),
            self._row("One-time code typed, signing in (1,500 codes, each in the browser that asked; a Python "
                      "client, 8 threads: a floor)", "many times the staff sign-in",
                      lambda v: f"{rate(v['code_verify'])} ({v['code_verify'].per_second / v['sign_in'].per_second:.0f}× "
                                f"the sign-in), p99 {ms(v['code_verify'].p99_ms)}",
                      lambda v: v["code_verify"].per_second >= 10 * v["sign_in"].per_second
                      and v["code_verify"].errors == 0),
            self._row("Review queue, first page (1,000,000 waiting), 1 connection", "p95 < 20 ms",
                      latency("review_1"), latency_met("review_1")),
            self._row("Review queue, page 500 (keyset)", "p95 < 20 ms", latency("review_500"), latency_met("review_500")),
            self._row("Audit log, first page (1,000,000 events), 1 connection", "p95 < 20 ms",
                      latency("audit_1"), latency_met("audit_1")),
            self._row("Audit log, page 500 (keyset)", "p95 < 20 ms", latency("audit_500"), latency_met("audit_500")),
            *self._provider_rows(page),
            self._row("Server RSS idle after start (of it the process's own, not mapped files) / peak during the run",
                      "< 30 MB / < 150 MB",
                      lambda v: f"{v['idle_rss_kib'] / 1024:.1f} MB ({v['idle_anon_kib'] / 1024:.1f} MB) / "
                                f"{v['peak_rss_kib'] / 1024:.1f} MB",
                      lambda v: v["idle_rss_kib"] < 30 * 1024 and v["peak_rss_kib"] < 150 * 1024),
            self._row("Start to healthy `/healthz` (1,000,000-row database; empty database with migrations)",
                      "< 1 s",
                      lambda v: f"{ms(v['start_s'] * 1000)} ({ms(v['first_start_s'] * 1000)})",
                      lambda v: v["start_s"] < 1 and v["first_start_s"] < 1),
        ]
        visits = [("Partner's first visit (`/request/…`)", self.first_visit, "≤ 250 KB brotli",
                   lambda v: v["brotli"] <= 250 * 1024)]
        visits += [(f"Staff's first visit (`{path}`, hydrated)", visit, "≤ 400 KB brotli",
                    lambda v: v["brotli"] <= 400 * 1024 and v["served_br"])
                   for path, visit in self.staff_visit.items()]
        for label, visit, target, met in visits:
            if visit:
                rows.append(
                    f"| {label}: wasm + JS, {len(visit['files'])} files | raw {visit['raw'] / 1024:,.0f} KB, "
                    f"gzip {visit['gzip'] / 1024:,.0f} KB, brotli {visit['brotli'] / 1024:,.0f} KB "
                    f"(served brotli: {'yes' if visit['served_br'] else 'no'}, "
                    f"immutable: {'yes' if visit['immutable'] else 'no'}) | (same) | {target} | "
                    f"{'yes' if met(visit) else '**no**'} |"
                )
        notes = [
            "",
            f"Machine: {self.machine}. Load: wrk on the same machine over loopback, 8 s per line.",
            "Latencies are wrk's; a requests/s figure counts only 2xx/3xx answers (any other answer fails the run).",
        ]
        return "\n".join(rows + notes) + "\n"
