"""PostgreSQL alone: the statements of a batch of request submissions, as the portal sends
them (prepared, one transaction), driven by pgbench with no portal running. It shows what PostgreSQL
itself can do on this machine and how much CPU it spends on each submission, which bounds what
the portal can reach through it."""

import glob
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

CLIENTS = 16
# The portal's batches, as sqlite_alone.py (submissions per transaction).
BATCH = 32


def submission_script(db, admin_id: int) -> str:
    """A batch of submissions' writes, as the portal's batch writer makes them (see its log
    with log_statement=all): the requests, the stage's candidates once per resource, the
    approval tasks, two emails each, the audit events and the webhook fan-out, for BATCH
    submissions in one transaction. pgbench cannot carry the request ids from one statement to
    the next for many rows, so the inserts after the requests' read them from the requests'
    RETURNING in one statement (WITH); that spares PostgreSQL a few statements a batch against
    the portal, so this is, if anything, kind to PostgreSQL. Text is filled to the average
    length the portal wrote; pgbench reads ':' as a variable, so the JSON is built with chr(58)."""
    first = int(db.one("SELECT MIN(id) FROM resources WHERE slug LIKE 'bench-%';"))
    text_len, html_len = (int(float(x)) for x in db.one(
        "SELECT AVG(LENGTH(text_body)) || ' ' || AVG(LENGTH(html_body)) FROM outbox_messages;").split())
    now = int(time.time())
    text, html = "t" * text_len, "h" * html_len
    email = "'pgbench-' || CAST(:client_id AS text) || '-' || CAST(:n AS text) || '-' || CAST(g AS text) || '@partner7.example.org'"
    candidates = "\n".join(
        f"SELECT a.id AS account_id, a.email, a.display_name FROM resource_owners o JOIN accounts a ON a.id = o.account_id "
        f"WHERE o.resource_id = {first + r} AND a.disabled_at IS NULL ORDER BY a.display_name, a.id;"
        for r in range(min(BATCH, 20)))
    return f"""\\set n random(1, 2000000000)
BEGIN;
WITH r AS (INSERT INTO access_requests (resource_id, email, display_name, organisation, justification, answers, terms_version, policy, state, stage, status_token_hash, decide_by, created_at, updated_at, closed_at) SELECT {first} + g % 20, {email}, 'Bench Partner 12', 'Partner Company 7', 'Needs access for the joint project, week 7', '[]', NULL, (SELECT policy FROM access_requests ORDER BY id LIMIT 1), 'pending', 1, md5(CAST(:n AS text) || CAST(:client_id AS text) || CAST(g AS text)), {now + 14 * 86400}, {now}, {now}, NULL FROM generate_series(1, {BATCH}) AS g ON CONFLICT (email, resource_id) WHERE state = 'pending' DO NOTHING RETURNING id, email, resource_id), t AS (INSERT INTO approval_tasks (request_id, stage, account_id, created_at) SELECT id, 1, {admin_id}, {now} FROM r ON CONFLICT (request_id, stage, account_id) DO NOTHING), o AS (INSERT INTO outbox_messages (idempotency_key, to_address, subject, text_body, html_body, created_at, send_after) SELECT 'received.' || r.email, r.email, 'We received your request for Bench resource 7', '{text}', '{html}', {now}, {now} FROM r UNION ALL SELECT 'approval.' || r.email, 'bench-admin@example.org', 'Bench Partner 12 asks for Bench resource 7', '{text}', '{html}', {now}, {now} FROM r) INSERT INTO audit_events (occurred_at, actor_account_id, actor, action, target_kind, target_id, target, resource_id, client_ip, details) SELECT {now}, NULL, r.email, 'request.created', 'access_request', CAST(r.id AS text), r.email, r.resource_id, '127.0.0.1', replace('{{"approvers"#[{admin_id}],"stage"#1}}', '#', chr(58)) FROM r;
{candidates}
INSERT INTO webhook_deliveries (endpoint_id, event, payload, created_at, state, next_attempt_at) SELECT w.id, 'request.created', '{{}}', {now}, 'pending', {now} FROM generate_series(1, {BATCH}) AS g JOIN webhook_endpoints w ON w.enabled = 1 AND (',' || w.events || ',') LIKE ('%,' || 'request.created' || ',%') ORDER BY g, w.id;
COMMIT;
"""


def busy_jiffies() -> tuple[int, int]:
    values = list(map(int, Path("/proc/stat").read_text().splitlines()[0].split()[1:]))
    return sum(values), values[3] + values[4]  # all, idle + iowait


def postgres_alone(db, url: str, admin_id: int, seconds: int) -> dict:
    """Submissions/s PostgreSQL completes on its own, and the CPU it spends on each (the
    machine's busy time minus pgbench's own)."""
    pgbench = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))[-1]
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(submission_script(db, admin_id))
        script.flush()
        before, jiffies_before, started = resource.getrusage(resource.RUSAGE_CHILDREN), busy_jiffies(), time.time()
        out = subprocess.run([pgbench, "-n", "-M", "prepared", "-c", str(CLIENTS), "-j", "2", "-T", str(seconds),
                              "-f", script.name, url], capture_output=True, text=True)
        elapsed, jiffies_after = time.time() - started, busy_jiffies()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0 or "number of failed transactions: 0 " not in out.stdout:
        raise RuntimeError(f"pgbench failed:\n{out.stdout[-1500:]}\n{out.stderr[-1500:]}")
    batches = int(next(line for line in out.stdout.splitlines()
                      if line.startswith("number of transactions actually processed")).split(":")[1].split("/")[0])
    done = batches * BATCH
    busy_share = 1 - (jiffies_after[1] - jiffies_before[1]) / (jiffies_after[0] - jiffies_before[0])
    pgbench_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    postgres_cpu = busy_share * (os.cpu_count() or 1) * elapsed - pgbench_cpu
    return {
        "per_second": done / elapsed,
        "cpu_ms": 1000 * postgres_cpu / done,
    }
