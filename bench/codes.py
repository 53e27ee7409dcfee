"""The one-time code lines: asking for a sign-in code (wrk, a new browser each time, spread over
2,000 partner accounts) and typing one (a Python client: every code needs the browser session
that asked for it, so each is asked for first, outside the measured time)."""

import http.client
import statistics
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from load import Result, fetch, wrk
from seed import Database, count

PARTNERS = 2000
# The partner whose My access page is measured: a member of every seeded resource.
ACCESS_PARTNER = "access-partner@partner.example.org"
VERIFY_CODES = 1500
VERIFY_THREADS = 8


def partner_email(i: int) -> str:
    return f"code-partner-{i}@partner.example.org"


def seed_partners(db: Database) -> None:
    """Partner accounts without passwords, as redeeming an invitation by code makes them."""
    now = int(time.time())
    db.run(
        f"""
        {db.numbers(PARTNERS)}
        INSERT INTO accounts (email, display_name, password_hash, is_admin, is_staff, created_at, updated_at)
        SELECT 'code-partner-' || (i - 1) || '@partner.example.org', 'Code Partner ' || i, NULL, 0, 0, {now}, {now}
        FROM n;
        INSERT INTO accounts (email, display_name, password_hash, is_admin, is_staff, created_at, updated_at)
        VALUES ('{ACCESS_PARTNER}', 'Access Partner', NULL, 0, 0, {now}, {now});
        INSERT INTO memberships (account_id, resource_id, source, granted_at)
        SELECT a.id, r.id, 'direct', {now} FROM accounts a, resources r WHERE a.email = '{ACCESS_PARTNER}';
        """
    )


def signed_in_partner(base: str, db: Database, email: str) -> str:
    """Signs `email` in with a one-time code, as a partner does; answers the session cookie."""
    headers = {"Origin": base, "Sec-Fetch-Site": "same-origin", "Accept": "application/json"}
    cookie = asked_for_code(base, db, email)
    status, answer, _ = fetch(base, "/api/sign_in_with_code", "POST", {"code": code_sent_to(db, email), "next": ""},
                              headers={**headers, "Cookie": cookie})
    cookies = [c.split(";")[0] for c in answer["set-cookie-all"] if c.startswith("__Host-portico=")]
    if status != 200 or not cookies:
        raise RuntimeError(f"{email} could not sign in with a code ({status})")
    return cookies[-1]


def asked_for_code(base: str, db: Database, email: str) -> str:
    """Asks for a code for `email` in a new browser; answers that browser's session cookie."""
    status, headers, _ = fetch(base, "/api/send_sign_in_code", "POST", {"code_email": email, "next": ""},
                               headers={"Origin": base, "Sec-Fetch-Site": "same-origin", "Accept": "application/json"})
    if status != 200:
        raise RuntimeError(f"asking for a code answered {status}")
    return [c.split(";")[0] for c in headers["set-cookie-all"] if c.startswith("__Host-portico=")][-1]


def code_sent_to(db: Database, email: str) -> str:
    """The newest code emailed to `email` (its subject begins with it)."""
    subject = db.one(f"SELECT subject FROM outbox_messages WHERE to_address = '{email}' "
                     "AND idempotency_key LIKE 'one-time-code.%' ORDER BY id DESC LIMIT 1;")
    return subject[:9].replace(" ", "")


def code_request(base: str, db: Database) -> Result:
    sql = "SELECT COUNT(*) FROM one_time_codes;"
    before = count(db, sql)
    headers = {"Origin": base, "Sec-Fetch-Site": "same-origin", "Accept": "application/json"}
    result = wrk(f"{base}/", 32, mode="code_request", headers=headers, BENCH_PARTNERS=str(PARTNERS))
    stored = count(db, sql) - before
    if stored < result.requests:
        raise RuntimeError(f"{result.requests} code requests answered but only {stored} codes stored")
    return result


def code_verify(base: str, db: Database) -> Result:
    """Asks for VERIFY_CODES codes (each its own browser), reads them from the outbox, then
    types them all from VERIFY_THREADS threads and times that part only."""
    pairs = []
    for i in range(VERIFY_CODES):
        email = partner_email(i % PARTNERS)
        cookie = asked_for_code(base, db, email)
        pairs.append((cookie, code_sent_to(db, email)))

    parsed = urllib.parse.urlsplit(base)
    body_headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                    "Origin": base, "Sec-Fetch-Site": "same-origin"}

    def type_codes(share: list) -> list:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        timings = []
        for cookie, code in share:
            started = time.perf_counter()
            connection.request("POST", "/api/sign_in_with_code", urllib.parse.urlencode({"code": code, "next": ""}),
                               {**body_headers, "Cookie": cookie})
            response = connection.getresponse()
            response.read()
            timings.append((time.perf_counter() - started, response.status))
        connection.close()
        return timings

    shares = [pairs[i::VERIFY_THREADS] for i in range(VERIFY_THREADS)]
    before = count(db, "SELECT COUNT(*) FROM sign_ins;")
    started = time.perf_counter()
    with ThreadPoolExecutor(VERIFY_THREADS) as pool:
        timings = [t for share in pool.map(type_codes, shares) for t in share]
    elapsed = time.perf_counter() - started
    signed_in = count(db, "SELECT COUNT(*) FROM sign_ins;") - before
    errors = sum(1 for _, status in timings if status != 200) + (len(pairs) - signed_in)
    latencies = sorted(t for t, _ in timings)
    quantile = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    return Result(requests=len(pairs), per_second=len(pairs) / elapsed, p50_ms=statistics.median(latencies) * 1000,
                  p95_ms=quantile(0.95), p99_ms=quantile(0.99), errors=errors)
