#!/usr/bin/env bash
# Builds a command-line tool the tests run from the Go module proxy into
# bin/<tool>-<version> and prints its path. Built once, reused afterwards,
# as hack/envtest-assets.sh does for the control plane. The versions are
# pinned here; `go install pkg@version` checks them against the checksum
# database, and nothing enters the project's go.mod.
#
#   hack/tools.sh helm       # helm.sh/helm/v3, about 3.5 minutes cold on two cores
#   hack/tools.sh promtool   # Prometheus' promtool, about 3 minutes cold
#   hack/tools.sh monitoring-crds  # the ServiceMonitor and PrometheusRule CRDs, seconds
#
# promtool is built with the remove_all_sd tag: rule checks and rule unit
# tests need no service discovery, and leaving the cloud SDKs out cuts the
# cold build from about nine minutes to three.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
helm_version=v3.22.0
prometheus_version=v0.316.0

tool=${1:-}

# The Prometheus Operator publishes its CRDs as YAML in its repository, not
# as a module; they are generated with controller-gen from the API types
# pinned in hack/monitoring-crds/go.mod, which is how that project makes
# them. The chart test installs them to apply the chart's ServiceMonitor
# and PrometheusRule.
if [[ "$tool" == monitoring-crds ]]; then
  version=$(grep -oE 'pkg/apis/monitoring v[0-9.]+' "$root/hack/monitoring-crds/go.mod" | cut -d' ' -f2)
  dir="$root/bin/monitoring-crds/$version"
  if [[ ! -s "$dir/monitoring.coreos.com_prometheusrules.yaml" ]]; then
    controller_gen=$(make -s -C "$root" controller-gen-path)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$root/hack/monitoring-crds" && "$controller_gen" crd \
      paths=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1 output:crd:dir="$tmp")
    mkdir -p "$dir"
    cp "$tmp"/monitoring.coreos.com_servicemonitors.yaml "$tmp"/monitoring.coreos.com_prometheusrules.yaml "$dir"/
  fi
  echo "$dir"
  exit 0
fi

case "$tool" in
  # Helm's release build sets its version and the Kubernetes version that
  # `helm template` and `helm lint` assume (1.37, from its client-go
  # v0.37) by ldflags; without them helm renders for Kubernetes 1.20.
  helm)
    pkg=helm.sh/helm/v3/cmd/helm version=$helm_version tags=""
    ldflags="-X helm.sh/helm/v3/internal/version.version=$helm_version"
    for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
      ldflags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=37"
    done ;;
  promtool)
    pkg=github.com/prometheus/prometheus/cmd/promtool version=$prometheus_version tags=remove_all_sd ldflags="" ;;
  *) echo "usage: $0 helm|promtool|monitoring-crds" >&2; exit 2 ;;
esac

out="$root/bin/$tool-$version"
if [[ ! -x "$out" ]]; then
  echo "building $tool $version into bin/; the first build takes minutes" >&2
  gobin=$(mktemp -d)
  trap 'rm -rf "$gobin"' EXIT
  CGO_ENABLED=0 GOBIN="$gobin" go install -trimpath -tags "$tags" -ldflags "$ldflags" "$pkg@$version"
  mkdir -p "$root/bin"
  mv "$gobin/$tool" "$out"
fi
echo "$out"
