"""PostgreSQL alone: the statements of one request submission, as the portal sends them
(prepared, one transaction), driven by pgbench with no portal running. It shows what PostgreSQL
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


def submission_script(db, admin_id: int) -> str:
    """One submission's statements (see the portal's log with log_statement=all): the request,
    its approvers, the approval task, two emails, the audit event and the webhook fan-out.
    Text is filled to the average length the portal wrote; pgbench reads ':' as a variable, so
    the JSON is built with chr(58)."""
    first = int(db.one("SELECT MIN(id) FROM resources WHERE slug LIKE 'bench-%';"))
    text_len, html_len = (int(float(x)) for x in db.one(
        "SELECT AVG(LENGTH(text_body)) || ' ' || AVG(LENGTH(html_body)) FROM outbox_messages;").split())
    now = int(time.time())
    text, html = "t" * text_len, "h" * html_len
    email = "'pgbench-' || CAST(:client_id AS text) || '-' || CAST(:n AS text) || '@partner7.example.org'"
    return f"""\\set r random({first}, {first + 19})
\\set n random(1, 2000000000)
BEGIN;
INSERT INTO access_requests (resource_id, email, display_name, organisation, justification, answers, terms_version, policy, state, stage, status_token_hash, decide_by, created_at, updated_at, closed_at) VALUES (CAST(:r AS bigint), {email}, 'Bench Partner 12', 'Partner Company 7', 'Needs access for the joint project, week 7', '[]', NULL, (SELECT policy FROM access_requests ORDER BY id LIMIT 1), 'pending', 1, md5(CAST(:n AS text) || CAST(:client_id AS text)), {now + 14 * 86400}, {now}, {now}, NULL) ON CONFLICT (email, resource_id) WHERE state = 'pending' DO NOTHING RETURNING id AS request_id \\gset
SELECT a.id AS account_id, a.email, a.display_name FROM resource_owners o JOIN accounts a ON a.id = o.account_id WHERE o.resource_id = CAST(:r AS bigint) AND a.disabled_at IS NULL ORDER BY a.display_name, a.id;
INSERT INTO approval_tasks (request_id, stage, account_id, created_at) VALUES (CAST(:request_id AS bigint), 1, {admin_id}, {now}) ON CONFLICT (request_id, stage, account_id) DO NOTHING;
INSERT INTO outbox_messages (idempotency_key, to_address, subject, text_body, html_body, created_at, send_after) VALUES ('received.' || md5(CAST(:n AS text) || 'a' || CAST(:client_id AS text)), {email}, 'We received your request for Bench resource 7', '{text}', '{html}', {now}, {now}), ('approval.' || md5(CAST(:n AS text) || 'b' || CAST(:client_id AS text)), 'bench-admin@example.org', 'Bench Partner 12 asks for Bench resource 7', '{text}', '{html}', {now}, {now});
INSERT INTO audit_events (occurred_at, actor_account_id, actor, action, target_kind, target_id, target, resource_id, client_ip, details) VALUES ({now}, NULL, {email}, 'request.created', 'access_request', CAST(:request_id AS text), {email}, CAST(:r AS bigint), '127.0.0.1', replace('{{"approvers"#[{admin_id}],"stage"#1}}', '#', chr(58)));
INSERT INTO webhook_deliveries (endpoint_id, event, payload, created_at, state, next_attempt_at) SELECT id, 'request.created', '{{}}', {now}, 'pending', {now} FROM webhook_endpoints WHERE enabled = 1 AND (',' || events || ',') LIKE ('%,' || 'request.created' || ',%');
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
    done = int(next(line for line in out.stdout.splitlines()
                    if line.startswith("number of transactions actually processed")).split(":")[1].split("/")[0])
    busy_share = 1 - (jiffies_after[1] - jiffies_before[1]) / (jiffies_after[0] - jiffies_before[0])
    pgbench_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    postgres_cpu = busy_share * (os.cpu_count() or 1) * elapsed - pgbench_cpu
    return {
        "per_second": done / elapsed,
        "cpu_ms": 1000 * postgres_cpu / done,
    }
