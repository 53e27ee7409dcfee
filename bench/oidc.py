"""The OpenID Provider's lines: discovery and the key set, the authorization step of a
signed-in member whose consent is given, and the token endpoint (codes exchanged, refresh tokens
rotated), beside the signatures this machine can make (bench/signing-ceiling)."""

import base64
import hashlib
import json
import secrets
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

from load import Result, fetch, wrk
from seed import Database

CLIENT_ID = "bench-app-client"
SECRET = "bench-app-secret-" + "x" * 26
CALLBACK = "https://app.example.com/callback"
# Enough single-use codes and refresh tokens for 8 s at well above the target rate.
GRANTS = 40_000


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seed_app(db: Database, admin_id: int) -> None:
    """The app of resource bench-1, registered; the bench admin a member of it."""
    now = int(time.time())
    resource = db.one("SELECT id FROM resources WHERE slug = 'bench-1';")
    db.run(f"""
INSERT INTO oidc_clients (client_id, resource_id, secret_hash, redirect_uris, sign_in_url, first_party,
    claims, created_at, updated_at)
VALUES ('{CLIENT_ID}', {resource}, '{sha(SECRET)}', '{CALLBACK}', 'https://app.example.com/login', 1,
    'email name groups', {now}, {now});
INSERT INTO memberships (account_id, resource_id, source, granted_at) VALUES ({admin_id}, {resource}, 'direct', {now});
""")


def seed_grants(db: Database, admin_id: int, work: Path) -> tuple[Path, Path]:
    """GRANTS unused codes and GRANTS unused refresh tokens (each of its own grant), as the
    authorization step and earlier exchanges would have left them; their raw values go to files
    the load reads, one per line."""
    now = int(time.time())
    codes = [secrets.token_urlsafe(32) for _ in range(GRANTS)]
    tokens = [secrets.token_urlsafe(32) for _ in range(GRANTS)]
    statements = []
    for start in range(0, GRANTS, 1000):
        rows = ",".join(
            f"('{sha(c)}', '{CLIENT_ID}', {admin_id}, '{CALLBACK}', 'openid email profile groups', 'n', NULL, "
            f"{now}, '', {now + 3600})" for c in codes[start:start + 1000])
        statements.append("INSERT INTO oidc_codes (code_hash, client_id, account_id, redirect_uri, scopes, nonce, "
                          f"code_challenge, auth_time, amr, expires_at) VALUES {rows};")
        grants = ",".join(
            f"('bench-grant-{i}', '{CLIENT_ID}', {admin_id}, 'openid email profile groups', {now}, '', {now})"
            for i in range(start, start + 1000))
        statements.append(f"INSERT INTO oidc_grants (id, client_id, account_id, scopes, auth_time, amr, created_at) "
                          f"VALUES {grants};")
        refresh = ",".join(
            f"('{sha(t)}', 'bench-grant-{start + i}', {now}, {now + 86400})"
            for i, t in enumerate(tokens[start:start + 1000]))
        statements.append(f"INSERT INTO oidc_refresh_tokens (token_hash, grant_id, created_at, expires_at) "
                          f"VALUES {refresh};")
    db.run("\n".join(statements))
    code_file, token_file = work / "codes.txt", work / "refresh_tokens.txt"
    code_file.write_text("\n".join(codes) + "\n")
    token_file.write_text("\n".join(tokens) + "\n")
    return code_file, token_file


def signing_ceiling(tool: Path) -> dict:
    done = subprocess.run([str(tool), "400"], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def authorize_path() -> str:
    return "/oauth/authorize?" + urllib.parse.urlencode({
        "client_id": CLIENT_ID, "redirect_uri": CALLBACK, "response_type": "code",
        "scope": "openid email profile groups", "state": "bench-state", "nonce": "bench-nonce"})


def measure(base: str, db: Database, cookie: str, admin_id: int, work: Path, report, engine: str) -> None:
    """Adds the provider's lines for `engine` to the report."""
    public = {"Accept": "application/json"}
    for key, path in (("discovery", "/.well-known/openid-configuration"), ("jwks", "/oauth/jwks")):
        status, _, _ = fetch(base, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        report.add(engine, key, wrk(f"{base}{path}", 32, headers=public))

    path = authorize_path()
    status, headers, _ = fetch(base, path, headers={"Cookie": cookie})
    if status != 303 or not headers.get("location", "").startswith(CALLBACK + "?code="):
        raise RuntimeError(f"authorize answered {status} to {headers.get('location')}")
    report.add(engine, "authorize", wrk(f"{base}{path}", 32, headers={"Cookie": cookie, "Accept": "text/html"}))

    code_file, token_file = seed_grants(db, admin_id, work)
    basic = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    app_headers = {"Authorization": f"Basic {basic}", "Accept": "application/json"}
    used_sql = "SELECT COUNT(*) FROM oidc_codes WHERE used_at IS NOT NULL AND client_id = '%s';" % CLIENT_ID
    before = int(db.one(used_sql))
    result = wrk(f"{base}/oauth/token", 32, mode="token", headers=app_headers,
                 BENCH_GRANT="authorization_code", BENCH_VALUES=str(code_file), BENCH_REDIRECT=CALLBACK)
    exchanged = int(db.one(used_sql)) - before
    if exchanged < result.requests:
        raise RuntimeError(f"{result.requests} exchanges answered but only {exchanged} codes used")
    report.add(engine, "token_code", result)

    used_sql = "SELECT COUNT(*) FROM oidc_refresh_tokens WHERE used_at IS NOT NULL;"
    before = int(db.one(used_sql))
    result = wrk(f"{base}/oauth/token", 32, mode="token", headers=app_headers,
                 BENCH_GRANT="refresh_token", BENCH_VALUES=str(token_file))
    rotated = int(db.one(used_sql)) - before
    if rotated < result.requests:
        raise RuntimeError(f"{result.requests} refreshes answered but only {rotated} tokens rotated")
    report.add(engine, "token_refresh", result)
