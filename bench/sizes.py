"""What a partner's browser downloads on a first visit: the scripts and WebAssembly a real
Chromium fetched, each measured raw, gzip and brotli, and how the portal served it."""

import gzip
import json
import subprocess
from pathlib import Path

from load import fetch

HERE = Path(__file__).resolve().parent


def first_visit_bytes(base: str, path: str, hydrated: bool = False, cookie: str = "") -> dict:
    command = ["node", str(HERE / "first-visit.cjs"), base + path, "hydrated" if hydrated else "plain"]
    command += [cookie] if cookie else []
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"Chromium could not open {path}: {done.stderr.strip()[-600:]}")
    listed = done.stdout
    files = json.loads(listed.strip().splitlines()[-1])
    totals = {"files": [], "raw": 0, "gzip": 0, "brotli": 0, "served_br": True, "immutable": True}
    for file in files:
        status, _, raw = fetch(base, file, headers={"Accept-Encoding": "identity"})
        if status != 200:
            raise RuntimeError(f"{file} answered {status}")
        _, served, body = fetch(base, file, headers={"Accept-Encoding": "br"})
        served_br = served.get("content-encoding") == "br"
        totals["served_br"] &= served_br
        # What goes over the wire; if the portal does not send brotli, what brotli would have been.
        brotli = body if served_br else subprocess.run(
            ["brotli", "-c", "-q", "11"], input=raw, check=True, capture_output=True).stdout
        totals["immutable"] &= "immutable" in served.get("cache-control", "")
        totals["files"].append(file)
        totals["raw"] += len(raw)
        totals["gzip"] += len(gzip.compress(raw, 9))
        totals["brotli"] += len(brotli)
    return totals
