"""`make bench`: measures a release portal on SQLite, then on a throwaway PostgreSQL, and prints
one Markdown table (also written to bench/results.md). Run through `make bench`, which builds
what this needs; PORTICO_TEST_POSTGRES_URL names the PostgreSQL cluster (scripts/with-postgres.sh).
"""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from codes import ACCESS_PARTNER, code_request, code_verify, seed_partners, signed_in_partner
from oidc import measure as measure_provider, seed_app, signing_ceiling
from load import SECONDS, fetch, wrk
from nginx import beside_nginx
from portal import ROOT, Portal, leptos_ceiling
from postgres_alone import postgres_alone
from sqlite_alone import sqlite_alone
from report import Report
from seed import ADMIN_EMAIL, Database, audit_cursor, count, review_cursor, seed_backlog, seed_resources
from sizes import first_visit_bytes

WORK = ROOT / "bench" / "work"
ARGON2_TOOL = ROOT / "target" / "release" / "argon2-ceiling"
SIGNING_TOOL = ROOT / "target" / "release" / "signing-ceiling"
LEPTOS_TOOL = ROOT / "target" / "release" / "leptos-ceiling"
PASSWORD = "bench-admin-password-7Qx!"
REVIEW_PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50


# The staff pages whose first visit is measured, and whether the visitor is signed in: signing
# in, the owner's review queue and the admin's audit log (the largest of the admin pages' code).
STAFF_PAGES = (("/sign-in", False), ("/review", True), ("/admin/audit", True))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def create_first_admin(portal: Portal) -> None:
    """Through the one-time setup link the server printed, as a person would."""
    found = re.search(r"/setup/(\S+)", portal.log_path.read_text())
    if not found:
        raise RuntimeError("the server printed no setup link")
    status, headers, _ = fetch(portal.origin, "/api/create_first_admin", "POST", {
        "token": found.group(1), "email": ADMIN_EMAIL, "display_name": "Bench Admin",
        "password": PASSWORD, "password_confirm": PASSWORD})
    if status not in (302, 303) or "setup" in headers.get("location", ""):
        raise RuntimeError(f"the first admin was not created ({status}, {headers.get('location')})")


def sign_in(portal: Portal) -> str:
    status, headers, _ = fetch(portal.origin, "/api/sign_in", "POST", {"email": ADMIN_EMAIL, "password": PASSWORD})
    cookies = [c.split(";")[0] for c in headers["set-cookie-all"] if c.startswith("__Host-portico=")]
    if status not in (302, 303) or not cookies or "sign-in" in headers.get("location", ""):
        raise RuntimeError(f"the bench admin could not sign in (status {status}, to {headers.get('location')})")
    return cookies[-1]


def expect_page(portal: Portal, path: str, cookie: str, must_contain: str, language: str = "") -> None:
    """The page answers 200 with the expected row: the load then measures the real page."""
    headers = {"Cookie": cookie, **({"Accept-Language": language} if language else {})}
    status, _, body = fetch(portal.origin, path, headers=headers)
    if status != 200 or must_contain.encode() not in body:
        raise RuntimeError(f"{path} answered {status} without {must_contain!r}")


def beside(report: Report, engine: str, key: str, base: str, path: str, headers: dict,
           dutch: dict | None = None, leptos: str = "") -> None:
    """A page line beside nginx sending that page's very bytes, in turn, three rounds each:
    Portico's median round as `key`, nginx's as `key_nginx` (the web server's own limit), given
    `dutch` headers the same page in Dutch as `key_nl` and, given a `leptos` URL, the least
    routed, hydrated Leptos page as `key_leptos`, measured in the same turns."""
    others = {"nl": (f"{base}{path}", dutch)} if dutch else {}
    if leptos:
        others["leptos"] = (leptos, {"Accept": "text/html"})
    found = beside_nginx(base, path, headers, others)
    for name, suffix in (("portico", ""), ("nginx", "_nginx"), ("nl", "_nl"), ("leptos", "_leptos")):
        if name in found:
            report.add(engine, f"{key}{suffix}", found[name])


def bench_engine(engine: str, db: Database, database_url: str, report: Report) -> None:
    work = WORK / engine
    log(f"{engine}: first start on an empty database (migrations)")
    portal = Portal(database_url, work, "server.log")
    report.add(engine, "first_start_s", portal.start())
    create_first_admin(portal)
    admin_id = int(db.one(f"SELECT id FROM accounts WHERE email = '{ADMIN_EMAIL}';"))
    if not report.argon2:
        log("argon2 ceiling: one thread verifying the admin's hash")
        stored = db.one(f"SELECT password_hash FROM accounts WHERE id = {admin_id};")
        ceiling = subprocess.run([str(ARGON2_TOOL), stored, PASSWORD, "60"], check=True, capture_output=True, text=True)
        report.argon2 = json.loads(ceiling.stdout)
    seed_resources(db, admin_id)
    # One request through the form, so the seeded rows copy a policy snapshot the portal wrote.
    status, headers, _ = fetch(portal.origin, "/api/submit_access_request", "POST", {
        "slug": "bench-1", "email": "first@partner.example.org", "display_name": "First Partner",
        "organisation": "Partner Company", "justification": "The first request of the run."})
    if status not in (302, 303) or "/sent" not in headers.get("location", ""):
        raise RuntimeError(f"the first request was not accepted ({status}, {headers.get('location')})")
    portal.stop()

    log(f"{engine}: seeding 1,000,000 requests and 1,000,000 audit events")
    started = time.perf_counter()
    seed_backlog(db, admin_id)
    seed_partners(db)
    log(f"{engine}: seeded in {time.perf_counter() - started:.0f} s")

    portal = Portal(database_url, work, "server.log")
    report.add(engine, "start_s", portal.start())
    time.sleep(1)
    idle = portal.memory_kib()
    report.add(engine, "idle_rss_kib", idle["rss"])
    report.add(engine, "idle_anon_kib", idle["anon"])
    base = portal.origin
    browser = {"Accept": "text/html", "Accept-Encoding": "br, gzip"}
    try:
        log(f"{engine}: pages (memory so far: {portal.memory_kib()} KiB)")
        expect_page(portal, "/", "", "/request/bench-20")
        # The same page in Dutch: the language must not cost (kept per language). English and
        # Dutch in turn, three rounds each, so that the machine's moods fall on both.
        dutch = {**browser, "Accept-Language": "nl-NL,nl;q=0.9"}
        expect_page(portal, "/", "", 'lang="nl"', language=dutch["Accept-Language"])
        # Every page line beside nginx sending that page's bytes: the web server's own limit.
        beside(report, engine, "catalog", base, "/", browser, dutch)
        beside(report, engine, "request_form", base, "/request/bench-7", browser)

        log(f"{engine}: static asset (memory so far: {portal.memory_kib()} KiB)")
        wasm = first_wasm(base)
        report.add(engine, "wasm_1", wrk(f"{base}{wasm}", 1, headers={"Accept-Encoding": "br, gzip"}))
        report.add(engine, "wasm_32", wrk(f"{base}{wasm}", 32, headers={"Accept-Encoding": "br, gzip"}))

        log(f"{engine}: request submissions (memory so far: {portal.memory_kib()} KiB)")
        before = count(db, "SELECT COUNT(*) FROM access_requests WHERE email LIKE 'bench-%';")
        origin_headers = {"Origin": base, "Sec-Fetch-Site": "same-origin", "Accept": "text/html"}
        slugs = ",".join(f"bench-{i}" for i in range(1, 21))
        result = wrk(f"{base}/", 32, mode="submit", headers=origin_headers, BENCH_SLUGS=slugs, BENCH_RUN=engine)
        stored = count(db, "SELECT COUNT(*) FROM access_requests WHERE email LIKE 'bench-%';") - before
        if stored < result.requests:
            raise RuntimeError(f"{result.requests} submissions answered but only {stored} stored")
        report.add(engine, "submit", result)

        report.add(engine, "mail", wait_for_mail(db))

        log(f"{engine}: staff sign-in (memory so far: {portal.memory_kib()} KiB)")
        sql = "SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.succeeded';"
        before = count(db, sql)
        result = wrk(f"{base}/", 8, mode="sign_in", headers=origin_headers, BENCH_EMAIL=ADMIN_EMAIL, BENCH_PASSWORD=PASSWORD)
        signed_in = count(db, sql) - before
        if signed_in < result.requests:
            raise RuntimeError(f"{result.requests} sign-ins answered but only {signed_in} succeeded")
        report.add(engine, "sign_in", result)

        log(f"{engine}: one-time codes, asked for and typed (memory so far: {portal.memory_kib()} KiB)")
        report.add(engine, "code_request", code_request(base, db))
        report.add(engine, "code_verify", code_verify(base, db))

        log(f"{engine}: review queue and audit log at 1,000,000 rows (memory so far: {portal.memory_kib()} KiB)")
        cookie = sign_in(portal)
        staff = {**browser, "Cookie": cookie}
        # Anonymous partners get a kept page (server/src/page_cache.rs); a signed-in person's is
        # rendered for each request: this line shows what rendering costs.
        expect_page(portal, "/", cookie, "bench-20")
        staff_dutch = {**staff, "Accept-Language": "nl-NL,nl;q=0.9"}
        expect_page(portal, "/", cookie, 'lang="nl"', language=staff_dutch["Accept-Language"])
        beside(report, engine, "catalog_rendered", base, "/", staff, staff_dutch)
        # Staff pages are routed and hydrated: beside the queue, the least such page Leptos draws.
        with leptos_ceiling(LEPTOS_TOOL) as leptos:
            beside(report, engine, "review_32", base, "/review", staff, leptos=leptos)
        partner = {**browser, "Cookie": signed_in_partner(base, db, ACCESS_PARTNER)}
        expect_page(portal, "/my-access", partner["Cookie"], "Bench resource 20")
        beside(report, engine, "my_access", base, "/my-access", partner)
        after = review_cursor(db, admin_id, 500, REVIEW_PAGE_SIZE)
        review_500 = "/review?after=" + urllib.parse.quote(after)
        before_id = audit_cursor(db, 500, AUDIT_PAGE_SIZE)
        audit_500 = f"/admin/audit?before={before_id}"
        expect_page(portal, "/review", cookie, "@partner")
        expect_page(portal, review_500, cookie, f"seed-{(500 - 1) * REVIEW_PAGE_SIZE + 1}@")
        expect_page(portal, "/admin/audit", cookie, ADMIN_EMAIL)  # its own sign-in is the newest event
        # Page 500 starts with the newest event before the cursor: a seeded one, or, when the
        # submission line stored more than 500 pages of events, one of its own.
        expect_page(portal, audit_500, cookie, first_actor_before(db, before_id))
        for key, path in (("review_1", "/review"), ("review_500", review_500),
                          ("audit_1", "/admin/audit"), ("audit_500", audit_500)):
            report.add(engine, key, wrk(f"{base}{path}", 1, headers=staff))

        log(f"{engine}: the OpenID Provider (memory so far: {portal.memory_kib()} KiB)")
        if not report.signing:
            report.signing = signing_ceiling(SIGNING_TOOL)
        seed_app(db, admin_id)
        measure_provider(base, db, cookie, admin_id, work, report, engine)

        report.add(engine, "peak_rss_kib", portal.memory_kib()["peak"])
        if not report.first_visit:
            log("first visit of a partner page: scripts and WebAssembly")
            report.first_visit = first_visit_bytes(base, "/request/bench-7")
            # Staff pages hydrate: what each one's first visit fetches.
            for path, signed_in in STAFF_PAGES:
                report.staff_visit[path] = first_visit_bytes(
                    base, path, hydrated=True, cookie=cookie if signed_in else "")
    finally:
        portal.stop()
    # The database alone, after the portal has stopped: what the engine itself completes with
    # the submissions' batched statements on this machine.
    portal.process.wait(timeout=30)
    log(f"{engine}: the database alone, the submissions' batched statements (no portal)")
    if engine == "postgres":
        report.add(engine, "alone", postgres_alone(db, database_url, admin_id, SECONDS))
    else:
        report.add(engine, "alone", sqlite_alone(db.path, SECONDS))


def wait_for_mail(db: Database) -> dict:
    """Waits (at most 120 s) for the mail worker to send the submissions' emails, so the
    sign-in line measures sign-ins and not the worker writing them beside it."""
    sql = "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL;"
    waiting, started = count(db, sql), time.perf_counter()
    log(f"waiting for the mail worker to send {waiting:,} emails")
    while time.perf_counter() - started < 120 and count(db, sql) > 0:
        time.sleep(0.2)
    left = count(db, sql)
    if left:
        log(f"the mail worker left {left:,} emails unsent after 120 s")
    return {"sent": waiting - left, "seconds": time.perf_counter() - started, "left": left}


def first_actor_before(db: Database, before_id: str) -> str:
    return db.one(f"SELECT actor FROM audit_events WHERE id < {int(before_id)} ORDER BY id DESC LIMIT 1;")


def first_wasm(base: str) -> str:
    """The wasm bundle the staff pages name (its name carries a hash when files are hashed)."""
    _, _, body = fetch(base, "/sign-in")
    found = re.findall(rb'/pkg/[^"\']+\.wasm', body)
    if not found:
        raise RuntimeError("the sign-in page names no .wasm file")
    return found[0].decode()


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} cores ({model}), {memory} GiB, {platform.system()} {platform.release()}"


def main() -> None:
    postgres_url = os.environ.get("PORTICO_TEST_POSTGRES_URL")
    if not postgres_url:
        sys.exit("bench: PORTICO_TEST_POSTGRES_URL is not set; run through `make bench`")
    # BENCH_ENGINES=sqlite (or postgres) measures one engine only, when working on it.
    engines = os.environ.get("BENCH_ENGINES", "sqlite,postgres").split(",")
    shutil.rmtree(WORK, ignore_errors=True)
    report = Report(machine())

    sqlite_path = WORK / "sqlite" / "portico.db"
    (WORK / "sqlite").mkdir(parents=True)
    if "sqlite" in engines:
        bench_engine("sqlite", Database("sqlite", "", str(sqlite_path)), f"sqlite://{sqlite_path}?mode=rwc", report)

    (WORK / "postgres").mkdir(parents=True)
    if "postgres" in engines:
        subprocess.run(["psql", "-X", "-q", "-d", postgres_url, "-c", "DROP DATABASE IF EXISTS portico_bench;",
                        "-c", "CREATE DATABASE portico_bench;"], check=True, capture_output=True)
        bench_url = postgres_url.rsplit("/", 1)[0] + "/portico_bench"
        bench_engine("postgres", Database("postgres", bench_url), bench_url, report)

    table = report.markdown()
    (ROOT / "bench" / "results.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
