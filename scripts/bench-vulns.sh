#!/usr/bin/env bash
# Benchmark dependency matching: a synthetic 2,000-package monorepo (npm, PyPI, Go, crates.io, 500 each)
# assessed against an advisory database imported from the OSV exports, warm, with peak RSS; and, when
# cargo-audit and a RustSec advisory-db checkout are available, `vigil assess` next to `cargo audit` on
# the same lockfile in the same run.
#
# Needs: ../shared/data (the OSV exports and lockfiles), hyperfine, GNU time.
# Optional: `cargo install cargo-audit` and RUSTSEC_DB=/path/to/advisory-db (a git checkout of the same
# snapshot as ../shared/data/osv/rustsec-osv.zip; scripts/rustsec-db-from-osv.py rebuilds one from the
# OSV export where GitHub is out of reach) for the cargo-audit comparison.
# Usage: scripts/bench-vulns.sh            BENCH_RUNS=10 scripts/bench-vulns.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${SHARED_DATA:-$ROOT/../shared/data}"
RUNS="${BENCH_RUNS:-10}"
WORK="$ROOT/target/bench-vulns"

[ -d "$DATA/osv" ] || { echo "bench-vulns: $DATA/osv not found; set SHARED_DATA" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench-vulns: apt-get install -y hyperfine" >&2; exit 1; }

echo "building vigil (release)..." >&2
(cd "$ROOT" && cargo build --release --locked -q -p vigil)
VIGIL="$ROOT/target/release/vigil"

rm -rf "$WORK" && mkdir -p "$WORK/home" "$WORK/monorepo"
export VIGIL_HOME="$WORK/home"
"$VIGIL" db import "$DATA/osv/rustsec-osv.zip" "$DATA/osv/pypa-osv.zip" "$DATA/osv/go-osv.zip" \
  "$ROOT/examples/shop-advisories" >/dev/null

# 500 packages per ecosystem, named after packages that have advisories (so matching has real work), at
# versions inside their first range where one can be read, else 1.0.0.
python3 - "$DATA/osv" "$WORK/monorepo" <<'PY'
import json, os, sys, zipfile
osv, out = sys.argv[1], sys.argv[2]

def packages(zip_name, ecosystem, limit=500):
    found = {}
    with zipfile.ZipFile(os.path.join(osv, zip_name)) as z:
        for name in sorted(z.namelist()):
            record = json.loads(z.read(name))
            for affected in record.get("affected", []):
                package = affected.get("package", {})
                if package.get("ecosystem") != ecosystem or package.get("name") in found:
                    continue
                version = "1.0.0"
                for r in affected.get("ranges", []):
                    for event in r.get("events", []):
                        if event.get("introduced") not in (None, "0"):
                            version = event["introduced"]
                            break
                found[package["name"]] = version
                if len(found) >= limit:
                    return found
    return found

def service(name):
    path = os.path.join(out, "services", name)
    os.makedirs(path, exist_ok=True)
    return path

crates = packages("rustsec-osv.zip", "crates.io")
with open(os.path.join(service("ledger"), "Cargo.lock"), "w") as f:
    f.write("version = 3\n")
    for name, version in crates.items():
        f.write(f'\n[[package]]\nname = "{name}"\nversion = "{version}"\n'
                'source = "registry+https://github.com/rust-lang/crates.io-index"\n')

pypi = packages("pypa-osv.zip", "PyPI")
with open(os.path.join(service("worker"), "requirements.txt"), "w") as f:
    for name, version in pypi.items():
        f.write(f"{name}=={version}\n")

go = packages("go-osv.zip", "Go")
with open(os.path.join(service("gateway"), "go.mod"), "w") as f:
    f.write("module example.com/gateway\n\ngo 1.22\n\nrequire (\n")
    for name, version in go.items():
        if name != "stdlib":
            f.write(f"\t{name} v{version.lstrip('v')}\n")
    f.write(")\n")

names = [f"pkg-{i:03}" for i in range(497)] + ["lodash", "minimist", "express"]
lock = {"name": "web", "lockfileVersion": 3, "packages": {"": {"name": "web"}}}
for name in names:
    lock["packages"][f"node_modules/{name}"] = {
        "version": "4.17.15", "resolved": f"https://registry.npmjs.org/{name}/-/{name}-4.17.15.tgz"}
with open(os.path.join(service("web"), "package-lock.json"), "w") as f:
    json.dump(lock, f)
print(f"monorepo: {len(crates)} crates, {len(pypi)} PyPI, {len(go)} Go, {len(names)} npm packages", file=sys.stderr)
PY

hyperfine -N --warmup 2 --runs "$RUNS" \
  -n "vigil assess (2,000 packages)" "$VIGIL assess $WORK/monorepo --format json" >&2
echo "peak RSS: $(( $(/usr/bin/time -f %M "$VIGIL" assess "$WORK/monorepo" --format json 2>&1 >/dev/null | tail -1) / 1024 )) MiB"

LOCK="$DATA/lockfiles/cargo/uv-26a9dd4.Cargo.lock"
if command -v cargo-audit >/dev/null && [ -n "${RUSTSEC_DB:-}" ]; then
  mkdir -p "$WORK/uv" && cp "$LOCK" "$WORK/uv/Cargo.lock"
  # cargo audit exits with 1 when it finds vulnerabilities (uv's lockfile has three): -i keeps timing it.
  hyperfine -N -i --warmup 2 --runs "$RUNS" \
    -n "cargo audit" "cargo-audit audit --no-fetch --no-yanked --db $RUSTSEC_DB --file $WORK/uv/Cargo.lock" \
    -n "vigil assess (imported DB)" "$VIGIL assess $WORK/uv --format json" \
    -n "vigil assess (--advisories zip)" "$VIGIL assess $WORK/uv --advisories $DATA/osv/rustsec-osv.zip --format json" >&2
else
  echo "cargo-audit comparison skipped: install cargo-audit and set RUSTSEC_DB to an advisory-db checkout" >&2
fi
