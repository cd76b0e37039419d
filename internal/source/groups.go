package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// GroupReaders connects, read-only, to the directory of the named Target
// in the source's namespace, for a directoryGroups source.
type GroupReaders func(ctx context.Context, targetName string) (target.GroupReader, error)

type groupsFetcher struct {
	reader target.GroupReader
	spec   *elevsynkv1.DirectoryGroupsSource
}

func newDirectoryGroups(ctx context.Context, spec *elevsynkv1.DirectoryGroupsSource, readers GroupReaders) (*groupsFetcher, error) {
	r, err := readers(ctx, spec.TargetRef.Name)
	if err != nil {
		return nil, err
	}
	return &groupsFetcher{reader: r, spec: spec}, nil
}

// Fetch reads the named groups in full each time: hand-kept groups are
// few and small.
func (f *groupsFetcher) Fetch(ctx context.Context, _ *Result, _ bool) (*Result, error) {
	started := time.Now()
	groups, err := f.reader.Groups(ctx, f.spec.IDs, f.spec.DisplayNamePrefix)
	if err != nil {
		return nil, err
	}
	out := make([]elevsynkv1.ManualGroup, len(groups))
	for i, g := range groups {
		out[i] = elevsynkv1.ManualGroup{ID: g.ID, DisplayName: g.DisplayName, Owners: g.Owners, Members: g.Members}
	}
	return &Result{Groups: out, Full: true, Started: started}, nil
}

// groupsHash is the content hash of groups read from a directory.
func groupsHash(groups []elevsynkv1.ManualGroup) string {
	b, _ := json.Marshal(groups) // strings only: cannot fail
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
