#!/usr/bin/env bash
# Builds the envtest control plane (kube-apiserver and etcd) from the Go module
# proxy into bin/k8s/<version>/ and prints that directory. Built once, reused
# afterwards: a second call only checks that both binaries are there.
#
# There is no prebuilt download here (setup-envtest fetches from GitHub, and
# Debian ships no kube-apiserver), so both come from source through the wrapper
# modules under hack/envtest/. The first build takes about six minutes on two
# cores; GOCACHE makes later rebuilds fast.
#
# KUBEBUILDER_ASSETS, when set, wins: the script prints it and builds nothing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
k8s_version=$(grep -oE 'k8s\.io/kubernetes v[0-9.]+' "$root/hack/envtest/kube-apiserver/go.mod" | head -n 1 | cut -d' ' -f2)
[[ -n "$k8s_version" ]] || { echo "hack/envtest/kube-apiserver/go.mod names no k8s.io/kubernetes version" >&2; exit 1; }
dir="$root/bin/k8s/$k8s_version"

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

build() { # build NAME MODULE_DIR PACKAGE
  local name=$1 module=$2 pkg=$3
  if [[ -x "$dir/$name" ]]; then
    return
  fi
  echo "building $name ($pkg) into $dir; the first build takes minutes" >&2
  mkdir -p "$dir"
  (cd "$root/hack/envtest/$module" && CGO_ENABLED=0 go build -trimpath -o "$dir/$name.tmp" "$pkg")
  mv "$dir/$name.tmp" "$dir/$name"
}

build etcd etcd go.etcd.io/etcd/server/v3
build kube-apiserver kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
echo "$dir"
