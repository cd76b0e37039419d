package ss12000

import (
	"context"
	"net/url"
	"slices"
	"time"
)

// FetchFull reads every listing from the start. Optional endpoints the
// server does not implement are recorded in State.Unsupported.
func (c *Client) FetchFull(ctx context.Context) (*State, error) {
	st := newState()
	st.Info = FetchInfo{Full: true, Started: c.clock.Now()}
	for _, ep := range listEndpoints {
		if err := c.fetchInto(ctx, st, ep, nil); err != nil {
			if unsupported(err) && c.isOptional(ep) {
				st.markUnsupported(ep)
				continue
			}
			return nil, err
		}
	}
	return st, nil
}

// FetchChanges reads what changed after since and applies it onto prev,
// which it leaves untouched. Changes are the entities whose meta.modified
// (and, with Config.IncrementalCreated, meta.created) is after since, and
// the ids /deletedEntities lists as deleted after since.
//
// Deletions are read first and applied first: an entity deleted while we
// list is then either absent from the listing or caught by the next poll,
// and an id deleted and recreated (a vendor re-import) ends up present.
//
// Without a prev, or when the server has no /deletedEntities, there is no
// way to learn of deletions, so it falls back to FetchFull.
func (c *Client) FetchChanges(ctx context.Context, prev *State, since time.Time) (*State, error) {
	switch {
	case prev == nil:
		return c.fallback(ctx, "no previous state")
	case slices.Contains(prev.Unsupported, DeletedEntities):
		return c.fallback(ctx, "server has no deletedEntities")
	}
	started := c.clock.Now()
	// Spec, paths /persons etc.: meta.modified.after and meta.created.after
	// are exclusive ("Exkluderande") RFC 3339 date-times; so is
	// /deletedEntities "after".
	ts := since.UTC().Format(time.RFC3339Nano)
	deleted, err := c.fetchDeleted(ctx, ts)
	if err != nil {
		if unsupported(err) {
			return c.fallback(ctx, "server has no deletedEntities")
		}
		return nil, err
	}
	delta := newState()
	var unsupportedNow []Endpoint
	for _, ep := range listEndpoints {
		if slices.Contains(prev.Unsupported, ep) {
			continue
		}
		err := c.fetchInto(ctx, delta, ep, url.Values{"meta.modified.after": {ts}})
		if err == nil && c.created {
			err = c.fetchInto(ctx, delta, ep, url.Values{"meta.created.after": {ts}})
		}
		if err != nil {
			if unsupported(err) && c.isOptional(ep) {
				unsupportedNow = append(unsupportedNow, ep)
				continue
			}
			return nil, err
		}
	}
	info := FetchInfo{Started: started, Upserted: delta.Len(), Deleted: prev.held(deleted), MissingID: delta.Info.MissingID}
	info.Changed = prev.changedBy(delta) + info.Deleted + len(unsupportedNow)
	if info.Changed == 0 {
		// Nothing changed: the state is the previous one, not a copy of
		// it, so a quiet register costs what its answers cost. Its maps
		// are shared, which is safe: a fetch writes only to a clone.
		next := *prev
		next.Info = info
		return &next, nil
	}
	next := prev.clone()
	for _, ep := range unsupportedNow {
		next.markUnsupported(ep)
	}
	next.delete(deleted)
	next.upsert(delta)
	next.Info = info
	return next, nil
}

func (c *Client) fallback(ctx context.Context, reason string) (*State, error) {
	st, err := c.FetchFull(ctx)
	if err != nil {
		return nil, err
	}
	st.Info.FallbackReason = reason
	if reason == "server has no deletedEntities" {
		st.Unsupported = append(st.Unsupported, DeletedEntities)
		slices.Sort(st.Unsupported)
	}
	return st, nil
}

// fetchDeleted pages through /deletedEntities for our entity types. The
// spec's entities parameter is an array in the query; OpenAPI 3's default
// for query arrays is style form, explode true: entities=Person&entities=Group.
func (c *Client) fetchDeleted(ctx context.Context, after string) (*Deletions, error) {
	q := url.Values{"after": {after}}
	for _, ep := range listEndpoints {
		q.Add("entities", ep.entityName())
	}
	all := &Deletions{}
	err := c.pages(ctx, DeletedEntities, q, func(page int, body []byte) (string, int, error) {
		d, next, err := decodeDeleted(page, body)
		if err != nil {
			return "", 0, err
		}
		all.merge(d)
		return next, d.Len(), nil
	})
	return all, err
}

func (c *Client) fetchInto(ctx context.Context, st *State, ep Endpoint, filters url.Values) error {
	info := &st.Info
	switch ep {
	case Organisations:
		return list(ctx, c, ep, filters, func(xs []Organisation) {
			for _, x := range xs {
				put(st.Organisations, x.ID, x, info)
			}
		})
	case Persons:
		return list(ctx, c, ep, filters, func(xs []Person) {
			for _, x := range xs {
				put(st.Persons, x.ID, x, info)
			}
		})
	case Groups:
		return list(ctx, c, ep, filters, func(xs []Group) {
			for _, x := range xs {
				put(st.Groups, x.ID, x, info)
			}
		})
	case Duties:
		return list(ctx, c, ep, filters, func(xs []Duty) {
			for _, x := range xs {
				put(st.Duties, x.ID, x, info)
			}
		})
	case Activities:
		return list(ctx, c, ep, filters, func(xs []Activity) {
			for _, x := range xs {
				put(st.Activities, x.ID, x, info)
			}
		})
	case Syllabuses:
		return list(ctx, c, ep, filters, func(xs []Syllabus) {
			for _, x := range xs {
				put(st.Syllabuses, x.ID, x, info)
			}
		})
	}
	return nil
}
