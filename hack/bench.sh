#!/usr/bin/env bash
# Runs the municipality-scale benchmarks and prints one table: benchmark,
# then each figure it reports (ns/op as seconds). Each benchmark's own
# comment says what it measures; BENCHTIME (default 3x) is passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${BENCHTIME:-3x}
run() { # package pattern [benchtime]
	GOMAXPROCS=${GOMAXPROCS:-1} go test "$1" -run '^$' -bench "$2" -benchtime "${3:-$benchtime}" -benchmem
}
{
	run ./internal/mapping/ 'Evaluate120k'
	run ./internal/plan/ 'Compute|Scale'
	run ./internal/source/ss12000/ 'FetchFull'
	run ./internal/target/msgraph/ 'ProvisionQuota/pupils=12000$' 1x # virtual time: one run says it all
	run ./internal/report/ 'Report120k'
	run ./internal/source/imsxml/ 'Read120k'
	run ./internal/source/oneroster/ 'ReadScaling'
	run ./internal/source/export/ 'Table' 10x
	run ./internal/target/sds/ 'UploadMunicipality' 1x
} | awk '
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)
		line = sprintf("%-40s", name)
		for (i = 3; i < NF; i += 2) {
			v = $i; u = $(i+1)
			if (u == "ns/op") { v = sprintf("%.3f", v / 1e9); u = "s/op" }
			line = line sprintf("  %s %s", v, u)
		}
		print line
	}'
