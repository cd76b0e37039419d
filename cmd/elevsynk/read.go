package main

import (
	"flag"
	"fmt"
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

// manifestFlags are the flags of the commands that read a directory of
// manifests and print a table or JSON.
type manifestFlags struct {
	dir, format string
}

func (m *manifestFlags) register(fs *flag.FlagSet, dirHelp, formatHelp string) {
	fs.StringVar(&m.dir, "f", "", "directory of manifests: "+dirHelp)
	fs.StringVar(&m.format, "o", "table", "output: "+formatHelp)
}

// read checks the flags and reads the directory.
func (m *manifestFlags) read() (*manifests.Set, error) {
	if m.dir == "" {
		return nil, fmt.Errorf("-f DIR is required")
	}
	if m.format != "table" && m.format != "json" {
		return nil, fmt.Errorf("-o must be table or json, not %q", m.format)
	}
	return readManifests(m.dir)
}
