#!/usr/bin/env python3
"""Rebuilds a RustSec advisory-db checkout (the format cargo-audit reads) from RustSec's OSV export, so that
cargo-audit and vigil can be compared on the same advisory snapshot where GitHub is out of reach.

Each OSV record becomes crates/<package>/<ID>.md with the TOML front matter cargo-audit parses; the OSV
intervals [introduced, fixed) are turned back into `unaffected` (below the first introduction) and
`patched` (from each fix up to the next introduction) requirements, which is how RustSec derives its OSV
ranges in the first place. The result is committed to a fresh git repository, as cargo-audit expects.

Usage: scripts/rustsec-db-from-osv.py rustsec-osv.zip OUTPUT_DIR
"""
import json
import os
import subprocess
import sys
import zipfile


def quote(text):
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def requirements(events):
    """(patched, unaffected) semver requirements from one OSV range's events."""
    introduced, fixed = [], []
    for event in events:
        if "introduced" in event:
            introduced.append(event["introduced"])
        if "fixed" in event:
            fixed.append(event["fixed"])
    patched, unaffected = [], []
    first = introduced[0] if introduced else "0"
    if first not in ("0", "0.0.0-0"):
        unaffected.append(f"< {first}")
    for index, fix in enumerate(fixed):
        following = introduced[index + 1] if index + 1 < len(introduced) else None
        patched.append(f">= {fix}, < {following}" if following else f">= {fix}")
    return patched, unaffected


def convert(record):
    affected = record["affected"][0]
    package = affected["package"]["name"]
    specific = affected.get("ecosystem_specific", {})
    database = affected.get("database_specific", {}) or record.get("database_specific", {})
    patched, unaffected = [], []
    for r in affected.get("ranges", []):
        if r.get("type") == "SEMVER":
            p, u = requirements(r["events"])
            patched += p
            unaffected += u
    lines = ["```toml", "[advisory]", f"id = {quote(record['id'])}", f"package = {quote(package)}",
             f"date = {quote(record.get('published', record['modified'])[:10])}"]
    url = next((ref["url"] for ref in record.get("references", []) if ref.get("type") in ("REPORT", "ADVISORY", "WEB")), None)
    if url:
        lines.append(f"url = {quote(url)}")
    informational = (database.get("informational") or specific.get("informational"))
    if informational:
        lines.append(f"informational = {quote(informational)}")
    if record.get("aliases"):
        lines.append("aliases = [" + ", ".join(quote(a) for a in record["aliases"]) + "]")
    functions = specific.get("affects", {}).get("functions", [])
    if functions:
        lines += ["", "[affected.functions]"] + [f"{quote(f)} = [\"*\"]" for f in functions]
    lines += ["", "[versions]", "patched = [" + ", ".join(quote(p) for p in patched) + "]"]
    if unaffected:
        lines.append("unaffected = [" + ", ".join(quote(u) for u in unaffected) + "]")
    lines += ["```", "", f"# {record.get('summary') or record['id']}", "", record.get("details", "").strip() or "-", ""]
    return package, "\n".join(lines)


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    count = 0
    with zipfile.ZipFile(source) as archive:
        for name in archive.namelist():
            if not name.endswith(".json"):
                continue
            record = json.loads(archive.read(name))
            if record.get("withdrawn") or not record.get("affected"):
                continue
            package, text = convert(record)
            directory = os.path.join(out, "crates", package)
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, record["id"] + ".md"), "w") as f:
                f.write(text)
            count += 1
    git = ["git", "-C", out, "-c", "user.name=vigil", "-c", "user.email=vigil@localhost"]
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "advisories from the OSV export"], check=True)
    print(f"{count} advisories written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
