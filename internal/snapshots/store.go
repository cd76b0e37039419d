// Package snapshots keeps the last good register snapshot of every
// RegisterSource in the manager's memory. It is deliberately not persisted:
// register data is children's personal data, and after a restart a source
// fetches afresh before anything downstream may act (a missing snapshot is
// never read as an empty register).
package snapshots

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elevsynk/elevsynk/internal/source"
)

// Entry is the last good fetch of one source.
type Entry struct {
	Result *source.Result
	Hash   string // roster content hash
}

// Store holds entries by RegisterSource.
type Store struct {
	mu      sync.RWMutex
	entries map[types.NamespacedName]Entry
}

// New returns an empty store.
func New() *Store { return &Store{entries: map[types.NamespacedName]Entry{}} }

// Get returns the source's last good snapshot, if there is one.
func (s *Store) Get(key types.NamespacedName) (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[key]
	return e, ok
}

// Put replaces the source's last good snapshot.
func (s *Store) Put(key types.NamespacedName, e Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = e
}

// Delete forgets a source, when its object is deleted.
func (s *Store) Delete(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
}
