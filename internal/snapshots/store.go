// Package snapshots keeps the last good result of every RegisterSource and
// Mapping in the manager's memory: register snapshots and the desired rooms
// computed from them. It is deliberately not persisted: both are children's
// personal data, and after a restart sources fetch afresh and mappings
// evaluate afresh before anything downstream may act (a missing entry is
// never read as an empty register or an empty desired state).
package snapshots

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source"
)

// Register is the last good fetch of one RegisterSource.
type Register struct {
	Result *source.Result
	Hash   string // roster content hash
}

// Desired is the last good evaluation of one Mapping, with its report
// and the register it read (for Targets' reports: names, schools).
type Desired struct {
	State    desired.State
	Hash     string
	Report   mapping.Report
	Register *roster.Snapshot
}

// Store holds entries of one kind by object.
type Store[E any] struct {
	mu      sync.RWMutex
	entries map[types.NamespacedName]E
}

// New returns an empty store.
func New[E any]() *Store[E] { return &Store[E]{entries: map[types.NamespacedName]E{}} }

// Get returns the object's last good entry, if there is one.
func (s *Store[E]) Get(key types.NamespacedName) (E, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[key]
	return e, ok
}

// Put replaces the object's last good entry.
func (s *Store[E]) Put(key types.NamespacedName, e E) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = e
}

// Delete forgets an object, when it is deleted.
func (s *Store[E]) Delete(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
}
