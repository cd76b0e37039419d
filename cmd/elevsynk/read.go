package main

import (
	"sync"

	"github.com/elevsynk/elevsynk/config/crd"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/validate"
)

// schemas are the embedded CRDs, compiled on first use and kept: a test
// binary reads and validates many times.
var schemas = sync.OnceValues(func() (*validate.Schemas, error) { return validate.LoadSchemas(crd.Bases) })

// readManifests reads a directory of manifests as the API server would
// store them, with the CRDs' defaults applied, so the CLI computes what the
// controller would.
func readManifests(dir string) (*manifests.Set, error) {
	s, err := schemas()
	if err != nil {
		return nil, err
	}
	return manifests.Read(dir, scheme(), manifests.WithDefaults(s.Default))
}
