#!/usr/bin/env bash
# Compares vigil's RustSec matches with cargo-audit's on any Cargo.lock files: the vulnerability ids must
# be equal, and so must the informational warnings (unmaintained, unsound, yanked excepted: vigil has no
# registry index offline).
#
# Needs: cargo-audit (`cargo install cargo-audit`), RUSTSEC_DB=<advisory-db git checkout> and
# RUSTSEC_OSV=<the OSV export of the same commit: rustsec's osv/ directory or an all.zip>.
# Usage: RUSTSEC_DB=... RUSTSEC_OSV=... scripts/compare-cargo-audit.sh path/to/Cargo.lock...
# Exit status: 0 when every lockfile agrees, 1 otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${RUSTSEC_DB:?set RUSTSEC_DB to a rustsec/advisory-db checkout}"
: "${RUSTSEC_OSV:?set RUSTSEC_OSV to the OSV export of the same commit}"
command -v cargo-audit >/dev/null || { echo "compare-cargo-audit: cargo install cargo-audit" >&2; exit 1; }
[ "$#" -gt 0 ] || { echo "usage: $0 Cargo.lock..." >&2; exit 1; }

(cd "$ROOT" && cargo build --release --locked -q -p vigil)
VIGIL="$ROOT/target/release/vigil"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for lock in "$@"; do
  mkdir -p "$work/repo" && cp "$lock" "$work/repo/Cargo.lock"
  # cargo-audit exits 1 when it finds vulnerabilities; its JSON is what counts.
  cargo-audit audit --json --no-fetch --no-yanked --db "$RUSTSEC_DB" --file "$work/repo/Cargo.lock" >"$work/audit.json" || true
  "$VIGIL" assess "$work/repo" --advisories "$RUSTSEC_OSV" --format json --quiet >"$work/vigil.json"
  python3 - "$lock" "$work/audit.json" "$work/vigil.json" <<'PY' || status=1
import json, sys
name, audit, vigil = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
expected = {v["advisory"]["id"] for v in audit["vulnerabilities"]["list"]}
expected_warnings = {
    f'{kind}:{w["advisory"]["id"]}'
    for kind, warnings in audit.get("warnings", {}).items()
    for w in warnings
    if kind != "yanked" and w.get("advisory")
}
actual = {f["advisory_ids"][0] for f in vigil["findings"] if f.get("vulnerability")}
actual_warnings = {f'{w["kind"]}:{w["advisory_id"]}' for w in vigil.get("advisory_warnings", [])}
ok = expected == actual and expected_warnings == actual_warnings
print(f"{'same' if ok else 'DIFFERENT'}  {name}: {len(actual)} vulnerabilities, {len(actual_warnings)} warnings")
for label, a, b in (("vulnerabilities", expected, actual), ("warnings", expected_warnings, actual_warnings)):
    if a - b:
        print(f"  {label} only cargo-audit reports: {sorted(a - b)}")
    if b - a:
        print(f"  {label} only vigil reports: {sorted(b - a)}")
sys.exit(0 if ok else 1)
PY
  rm -rf "$work/repo"
done
exit "$status"
