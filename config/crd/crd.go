// Package crd carries the CustomResourceDefinitions in the binary, so the
// CLI can validate manifests exactly as the API server would, offline.
package crd

import "embed"

// Bases holds bases/*.yaml, the CRDs controller-gen writes.
//
//go:embed bases/*.yaml
var Bases embed.FS
