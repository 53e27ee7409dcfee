"""nginx (the Debian package) serving the very bytes of one Portico answer, beside Portico, in the
same run: what a web server does on this machine with a file it only has to send. Portico's rate
is reported as a fraction of nginx's."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from load import fetch, in_turn, wait_for, wrk
from portal import free_port

CONFIG = """worker_processes auto;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location = / {{
            root {folder};
            try_files /page =404;
            default_type "{content_type}";
            {encoding}
        }}
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed (make bench-deps installs it)")
    return found


def beside_nginx(base: str, path: str, headers: dict, others: dict | None = None) -> dict:
    """Portico's `path` and nginx sending the same body, measured in turn (so that a slow moment
    of the machine falls on both), three rounds each, and with them each of `others`, a name for
    a (URL, headers) pair (say, the same page in Dutch). Answers the median rounds: "portico",
    "nginx" and each of `others`' names."""
    status, answer, body = fetch(base, path, headers=headers)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    folder = Path(tempfile.mkdtemp(prefix="portico-nginx-"))
    os.chmod(folder, 0o755)  # nginx's workers run as another user
    (folder / "page").write_bytes(body)
    os.chmod(folder / "page", 0o644)
    port = free_port()
    encoding = answer.get("content-encoding")
    (folder / "nginx.conf").write_text(CONFIG.format(
        folder=folder, port=port, content_type=answer.get("content-type", "text/html"),
        encoding=f"add_header Content-Encoding {encoding};" if encoding else ""))
    server = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(folder / "nginx.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        origin = f"http://127.0.0.1:{port}"
        served = wait_for(origin, "/", headers, "nginx")
        if served != body:
            raise RuntimeError("nginx does not send the bytes Portico sent")
        runs = {"portico": lambda: wrk(f"{base}{path}", 32, headers=headers)}
        for name, (url, other) in (others or {}).items():
            runs[name] = lambda url=url, other=other: wrk(url, 32, headers=other)
        runs["nginx"] = lambda: wrk(f"{origin}/", 32, headers=headers)
        return in_turn(runs)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
