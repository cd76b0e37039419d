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
	# Provisioning at the vendors' quotas in virtual time: one run says it all.
	run ./internal/target/msgraph/ 'ProvisionQuota' 1x
	run ./internal/target/google/ 'ProvisionQuota' 1x
	run ./internal/report/ 'Report120k'
	run ./internal/source/imsxml/ 'Read120k'
	run ./internal/source/oneroster/ 'ReadScaling'
	run ./internal/source/export/ 'Table' 10x
	run ./internal/target/sds/ 'UploadMunicipality' 1x
	# The manager on envtest with 10 and 50 tenants, and one of 120 000
	# pupils: CPU seconds, peak heap and sandbox requests per cycle (one
	# run: the first pass cannot repeat). Minutes, most of it the 50.
	KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS:-$(hack/envtest-assets.sh)} run ./test/scale/ 'Manager' 1x
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
