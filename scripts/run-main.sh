#!/usr/bin/env bash
# The main job: classify the bundled catalog.
set -euo pipefail
TG=${1:-build/tollgate}
cd "$(dirname "$0")/.."
"$TG" classify --all --format table
