#!/usr/bin/env bash
# Benchmark the threat stage (system model, threat rules and IaC checks) on a generated tree of 500
# Terraform resources (AWS, Azure, Google Cloud; half misconfigured) and 200 Kubernetes objects
# (Deployments, Services, Roles; half misconfigured), and, when checkov is installed, checkov on the same
# tree in the same run.
#
# Needs: hyperfine. Optional: checkov (`python3 -m venv /tmp/ckv && /tmp/ckv/bin/pip install checkov`,
# then CHECKOV=/tmp/ckv/bin/checkov), run with --skip-download so it does not reach the network.
# Usage: scripts/bench-threats.sh            BENCH_RUNS=5 CHECKOV=/tmp/ckv/bin/checkov scripts/bench-threats.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${BENCH_RUNS:-5}"
WORK="$ROOT/target/bench-threats"
CHECKOV="${CHECKOV:-$(command -v checkov || true)}"

command -v hyperfine >/dev/null || { echo "bench-threats: apt-get install -y hyperfine" >&2; exit 1; }

echo "building vigil (release)..." >&2
(cd "$ROOT" && cargo build --release --locked -q -p vigil)
VIGIL="$ROOT/target/release/vigil"

rm -rf "$WORK" && mkdir -p "$WORK/home" "$WORK/tree"
export VIGIL_HOME="$WORK/home"

python3 - "$WORK/tree" <<'PY'
import os, sys
out = sys.argv[1]

def write(path, text):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)

# Ten resource shapes, each with a misconfigured and a fixed variant; 50 of each shape = 500 resources,
# spread over 25 modules of 20 resources.
def aws_bucket(i, bad):
    extra = "" if bad else f'''
resource "aws_s3_bucket_versioning" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  versioning_configuration {{ status = "Enabled" }}
}}'''
    return f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bench-{i}"\n  acl    = "{"public-read" if bad else "private"}"\n}}{extra}\n'

def aws_db(i, bad):
    return f'''resource "aws_db_instance" "db{i}" {{
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = {"true" if bad else "false"}
  storage_encrypted   = {"false" if bad else "true"}
  iam_database_authentication_enabled = {"false" if bad else "true"}
  deletion_protection = {"false" if bad else "true"}
  backup_retention_period = {0 if bad else 14}
}}
'''

def aws_sg(i, bad):
    cidr = "0.0.0.0/0" if bad else "10.0.0.0/8"
    return f'''resource "aws_security_group" "sg{i}" {{
  name = "sg-{i}"
  ingress {{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
}}
'''

def aws_instance(i, bad):
    meta = "" if bad else '\n  metadata_options {\n    http_tokens = "required"\n  }\n  root_block_device {\n    encrypted = true\n  }'
    return f'resource "aws_instance" "vm{i}" {{\n  ami           = "ami-{i:08x}"\n  instance_type = "t3.micro"{meta}\n}}\n'

def aws_policy(i, bad):
    action = '"*"' if bad else '"s3:GetObject"'
    return f'''resource "aws_iam_policy" "p{i}" {{
  name   = "p{i}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {action}, Resource = "*" }}]
  }})
}}
'''

def azure_storage(i, bad):
    return f'''resource "azurerm_storage_account" "st{i}" {{
  name                     = "st{i}"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "{"TLS1_0" if bad else "TLS1_2"}"
  https_traffic_only_enabled = {"false" if bad else "true"}
  allow_nested_items_to_be_public = {"true" if bad else "false"}
}}
'''

def azure_nsg(i, bad):
    source = "*" if bad else "10.0.0.0/8"
    return f'''resource "azurerm_network_security_rule" "r{i}" {{
  name                        = "ssh-{i}"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "{source}"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}}
'''

def azure_kv(i, bad):
    return f'''resource "azurerm_key_vault" "kv{i}" {{
  name                     = "kv{i}"
  location                 = "westeurope"
  resource_group_name      = "rg"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = {"false" if bad else "true"}
}}
'''

def gcp_bucket(i, bad):
    return f'''resource "google_storage_bucket" "g{i}" {{
  name                        = "bench-g{i}"
  location                    = "EU"
  uniform_bucket_level_access = {"false" if bad else "true"}
}}
'''

def gcp_fw(i, bad):
    ranges = '"0.0.0.0/0"' if bad else '"10.0.0.0/8"'
    return f'''resource "google_compute_firewall" "fw{i}" {{
  name    = "fw-{i}"
  network = "default"
  allow {{
    protocol = "tcp"
    ports    = ["22", "3389"]
  }}
  source_ranges = [{ranges}]
}}
'''

shapes = [aws_bucket, aws_db, aws_sg, aws_instance, aws_policy, azure_storage, azure_nsg, azure_kv, gcp_bucket, gcp_fw]
count = 0
for module in range(25):
    text = []
    for j in range(20):
        shape = shapes[j % len(shapes)]
        i = module * 20 + j
        text.append(shape(i, bad=(i % 2 == 0)))
        count += 1
    write(f"infra/module{module:02}/main.tf", "\n".join(text))
assert count == 500

def deployment(i, bad):
    sc = """
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true""" if bad else """
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            limits: {cpu: 500m, memory: 256Mi}"""
    image = "nginx:latest" if bad else "nginx@sha256:" + "0" * 64
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: {"default" if bad else "shop"}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      hostNetwork: {"true" if bad else "false"}
      automountServiceAccountToken: {"true" if bad else "false"}
      containers:
        - name: web
          image: {image}{sc}
"""

def service(i, bad):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: web-{i}
  namespace: shop
spec:
  type: {"LoadBalancer" if bad else "ClusterIP"}
  selector: {{app: web-{i}}}
  ports:
    - port: {5432 if bad else 8080}
"""

def role(i, bad):
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader-{i}
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [{'"*"' if bad else '"configmaps"'}]
    verbs: [{'"*"' if bad else '"get", "list"'}]
"""

objects = []
for i in range(200):
    kind = [deployment, service, role][i % 3]
    objects.append(kind(i, bad=(i % 2 == 0)))
for chunk in range(20):
    write(f"k8s/app{chunk:02}.yaml", "---\n".join(objects[chunk * 10:(chunk + 1) * 10]))
print(f"generated {count} Terraform resources and {len(objects)} Kubernetes objects", file=sys.stderr)
PY

# The findings themselves, once, so the run is known to do the work it is timed on.
"$VIGIL" assess "$WORK/tree" --format json > "$WORK/vigil.json" || true
python3 - "$WORK/vigil.json" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
rules = {f.get("rule_id") for f in findings}
print(f"vigil: {len(findings)} findings from {len(rules)} rules", file=sys.stderr)
PY

COMMANDS=("$VIGIL assess $WORK/tree --format json")
NAMES=(-n "vigil assess")
if [ -n "$CHECKOV" ]; then
  "$CHECKOV" -d "$WORK/tree" --framework terraform kubernetes --skip-download --quiet --compact -o json \
    > "$WORK/checkov.json" 2>/dev/null || true
  python3 - "$WORK/checkov.json" <<'PY'
import json, sys
reports = json.load(open(sys.argv[1]))
reports = reports if isinstance(reports, list) else [reports]
failed = sum(len(r.get("results", {}).get("failed_checks", [])) for r in reports)
print(f"checkov: {failed} failed checks", file=sys.stderr)
PY
  COMMANDS+=("$CHECKOV -d $WORK/tree --framework terraform kubernetes --skip-download --quiet --compact -o json")
  NAMES+=(-n "checkov")
else
  echo "bench-threats: checkov not found (set CHECKOV=...); timing vigil alone" >&2
fi

hyperfine --warmup 1 --runs "$RUNS" -i "${NAMES[@]}" "${COMMANDS[@]}" \
  --export-markdown "$WORK/results.md"
/usr/bin/time -v "$VIGIL" assess "$WORK/tree" --format json 2>&1 >/dev/null | grep "Maximum resident" || true
