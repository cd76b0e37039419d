#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 30s) and
# prints a line per target with the executions it reached. go test fuzzes
# one target at a time, so the targets run one after another; a failure
# stops the run with the failing input saved under the package's
# testdata/fuzz/, as go test does.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

printf '%-48s %-34s %14s\n' package target executions
total=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
      cat "$log"
      echo "fuzz: $pkg $target failed" >&2
      exit 1
    fi
    # The last progress line holds the count: "fuzz: elapsed: 30s, execs: 123456 (4100/sec), ..."
    execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
    printf '%-48s %-34s %14s\n' "${pkg#github.com/elevsynk/elevsynk/}" "$target" "$execs"
    total=$((total + 1))
  done
done
echo "$total fuzz targets, $fuzztime each"
