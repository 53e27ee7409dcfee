"""What a partner's browser downloads on a first visit: the scripts and WebAssembly a real
Chromium fetched, each measured raw, gzip and brotli, and how the portal served it."""

import gzip
import json
import subprocess
from pathlib import Path

from load import fetch

HERE = Path(__file__).resolve().parent


def first_visit_bytes(base: str, path: str, hydrated: bool = False) -> dict:
    command = ["node", str(HERE / "first-visit.cjs"), base + path] + (["hydrated"] if hydrated else [])
    listed = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    files = json.loads(listed.strip().splitlines()[-1])
    totals = {"files": [], "raw": 0, "gzip": 0, "brotli": 0, "served_br": True, "immutable": True}
    for file in files:
        status, _, raw = fetch(base, file, headers={"Accept-Encoding": "identity"})
        if status != 200:
            raise RuntimeError(f"{file} answered {status}")
        brotli = subprocess.run(["brotli", "-c", "-q", "11"], input=raw, check=True, capture_output=True).stdout
        _, served, body = fetch(base, file, headers={"Accept-Encoding": "br"})
        totals["served_br"] &= served.get("content-encoding") == "br" and len(body) == len(brotli)
        totals["immutable"] &= "immutable" in served.get("cache-control", "")
        totals["files"].append(file)
        totals["raw"] += len(raw)
        totals["gzip"] += len(gzip.compress(raw, 9))
        totals["brotli"] += len(brotli)
    return totals
