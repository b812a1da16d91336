#!/usr/bin/env bash
# Benchmark `vigil inventory` on a large real tree next to ripgrep over the same tree, in the same run.
#
# The tree is assembled from package registries (nothing is executed): every crate vigil itself depends on
# (`cargo vendor`), npm package tarballs (`npm pack`) and PyPI source distributions (fetched from the
# simple index, sha256-checked), each unpacked into a directory of its own. It is built once under $BENCH_TREE (default
# target/bench-tree) and reused.
#
# Needs: cargo, npm, python3, hyperfine, ripgrep (`apt-get install -y ripgrep hyperfine`), GNU time.
# Usage: scripts/bench-inventory.sh            (assemble if needed, then measure)
#        BENCH_RUNS=10 scripts/bench-inventory.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TREE="${BENCH_TREE:-$ROOT/target/bench-tree}"
RUNS="${BENCH_RUNS:-5}"

NPM_PACKAGES=(
  aws-sdk@2.1692.0 typescript@5.6.3 @angular/core@18.2.8 next@14.2.15 three@0.169.0 lodash@4.17.21
  express@4.21.1 @nestjs/core@10.4.4 @nestjs/common@10.4.4 typeorm@0.3.20 sequelize@6.37.4
  mongoose@8.7.1 stripe@17.2.0 openai@4.67.3 @anthropic-ai/sdk@0.29.0 firebase@10.14.1 rxjs@7.8.1
  react-dom@18.3.1 webpack@5.95.0 eslint@9.12.0 @babel/core@7.25.8 prisma@5.20.0 graphql@16.9.0
)
PYPI_PACKAGES=(
  Django==5.1.2 SQLAlchemy==2.0.36 Flask==3.0.3 fastapi==0.115.2 botocore==1.35.44 boto3==1.35.44
  celery==5.4.0 requests==2.32.3 pydantic==2.9.2 ansible-core==2.17.5 sentry-sdk==2.17.0
  openai==1.52.0 langchain==0.3.4 transformers==4.45.2 scikit-learn==1.5.2 pandas==2.2.3
  sympy==1.13.3 twilio==9.3.4 stripe==11.1.1 psycopg==3.2.3
)

need() { command -v "$1" >/dev/null || { echo "bench-inventory: $1 not found; $2" >&2; exit 1; }; }
need hyperfine "apt-get install -y hyperfine"
need rg "apt-get install -y ripgrep"
need /usr/bin/time "apt-get install -y time"

unpack() { # archive, destination: contents without the single top directory
  mkdir -p "$2"
  case "$1" in
    *.zip) python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2" ;;
    *) tar -xzf "$1" -C "$2" --strip-components=1 --no-same-owner --no-same-permissions ;;
  esac
}

assemble() {
  need npm "install Node.js"
  need python3 "install Python"
  local work; work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  echo "assembling $TREE (once)..." >&2
  mkdir -p "$TREE.partial"
  (cd "$ROOT" && cargo vendor -q --locked --versioned-dirs "$TREE.partial/rust" >/dev/null)
  (cd "$work" && npm pack --silent "${NPM_PACKAGES[@]}" >/dev/null)
  for tarball in "$work"/*.tgz; do
    unpack "$tarball" "$TREE.partial/npm/$(basename "$tarball" .tgz)"
  done
  mkdir -p "$work/sdists"
  python3 - "$work/sdists" "${PYPI_PACKAGES[@]}" <<'PY'
import hashlib, re, sys, urllib.request
target = sys.argv[1]
for spec in sys.argv[2:]:
    name, version = spec.split("==")
    project = re.sub(r"[-_.]+", "-", name).lower()
    page = urllib.request.urlopen(f"https://pypi.org/simple/{project}/").read().decode()
    wanted = re.compile(rf"^{re.sub(r'[-_.]+', '[-_.]', name)}-{re.escape(version)}\.(tar\.gz|zip)$", re.I)
    for url in re.findall(r'href="([^"]+)"', page):
        file_url, _, digest = url.partition("#sha256=")
        file_name = file_url.rsplit("/", 1)[-1]
        if wanted.match(file_name):
            data = urllib.request.urlopen(file_url).read()
            if hashlib.sha256(data).hexdigest() != digest:
                sys.exit(f"{file_name}: sha256 mismatch")
            open(f"{target}/{file_name}", "wb").write(data)
            break
    else:
        sys.exit(f"{spec}: no source distribution on PyPI")
PY
  for sdist in "$work"/sdists/*; do
    local name; name="$(basename "$sdist")"; name="${name%.tar.gz}"; name="${name%.zip}"
    unpack "$sdist" "$TREE.partial/pypi/$name"
  done
  mv "$TREE.partial" "$TREE"
}

[ -d "$TREE" ] || assemble

echo "building vigil (release)..." >&2
(cd "$ROOT" && cargo build --release --locked -q -p vigil)
VIGIL="$ROOT/target/release/vigil"

files=$(rg --files "$TREE" | wc -l)
bytes=$(rg --files -0 "$TREE" | xargs -0 stat -c %s | awk '{s+=$1} END {print s}')
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1048576}')
echo "tree: $TREE: $files files (as ripgrep lists them), $mb MiB"

json="$(mktemp)"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$json" \
  -n "rg --files" "rg --files $TREE" \
  -n "rg -c import" "rg -c import $TREE" \
  -n "vigil inventory" "$VIGIL inventory $TREE --format json" \
  >&2

python3 - "$json" "$files" "$bytes" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
files, size = int(sys.argv[2]), int(sys.argv[3])
vigil = results["vigil inventory"]["mean"]
for name, r in results.items():
    print(f"{name:16} {r['mean']*1000:9.0f} ms ± {(r['stddev'] or 0)*1000:5.0f}  "
          f"{files/r['mean']:10.0f} files/s  {size/1048576/r['mean']:8.1f} MiB/s  "
          f"vigil/this = {vigil/r['mean']:.2f}x")
PY
rm -f "$json"

rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS: vigil inventory $(( $(rss "$VIGIL" inventory "$TREE" --format json) / 1024 )) MiB," \
  "rg -c import $(( $(rss rg -c import "$TREE") / 1024 )) MiB"
