package target

import "sync"

// PerKey holds one V per key, made on first use and kept for the
// process's life: what the adapters of one vendor tenant or domain share
// (a rate budget, a throttling hold), since the vendor counts quota per
// tenant and not per Target. Keys are few, one per tenant. The zero value
// is ready.
type PerKey[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

// Get returns the V of key, made by mk if there is none yet.
func (p *PerKey[V]) Get(key string, mk func() V) V {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.m[key]; ok {
		return v
	}
	if p.m == nil {
		p.m = map[string]V{}
	}
	v := mk()
	p.m[key] = v
	return v
}
