package ss12000

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// entityBits are the EndPointsEnum values (components/schemas/EndPointsEnum)
// the store holds, as bits of cursor.Entities.
var entityBits = map[string]uint8{
	"Organisation": 1 << 0, "Person": 1 << 1, "Group": 1 << 2,
	"Duty": 1 << 3, "Activity": 1 << 4, "Syllabus": 1 << 5,
}

// serveList answers a collection GET with one page.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request, ep string, f *Fault) {
	if !s.known(ep) {
		s.writeError(w, http.StatusNotFound, "not_found", "endpoint not emulated")
		return
	}
	c, limit, tokenIn, ok := s.parsePaging(w, r.URL.Query(), ep)
	if !ok {
		return
	}
	s.mu.Lock()
	ids := s.listIDs(ep, c)
	end := min(int(c.Offset)+limit, len(ids))
	start := min(int(c.Offset), end)
	var data any
	if f != nil && f.Kind == FaultEmptyPage {
		data, end = []struct{}{}, start
	} else {
		data = s.items(ep, ids[start:end])
	}
	s.mu.Unlock()
	s.writePage(w, data, s.nextToken(c, end, len(ids), tokenIn, f))
}

func (s *Server) nextToken(c cursor, end, total int, tokenIn string, f *Fault) *string {
	if f != nil && f.Kind == FaultLoopToken && tokenIn != "" {
		return &tokenIn
	}
	// An injected empty page always continues, even at the end.
	if end >= total && (f == nil || f.Kind != FaultEmptyPage) {
		return nil // spec: a null pageToken means there is nothing more
	}
	c.Offset, c.Seq = int64(end), c.Seq+1
	t := encodeToken(s.key, c)
	return &t
}

// parsePaging reads limit and either pageToken or the filters. Spec, every
// list path: pageToken "Kan inte kombineras med andra filter men väl med
// `limit`", and the 400 response says so.
func (s *Server) parsePaging(w http.ResponseWriter, q url.Values, ep string) (c cursor, limit int, tokenIn string, ok bool) {
	limit = s.opts.DefaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 { // spec: limit minimum 1
			s.writeError(w, http.StatusBadRequest, "invalid_limit", "limit must be an integer >= 1")
			return c, 0, "", false
		}
		limit = n
	}
	if q.Has("pageToken") {
		for k := range q {
			if k != "pageToken" && k != "limit" {
				s.writeError(w, http.StatusBadRequest, "invalid_filter", "filters cannot be combined with pageToken")
				return c, 0, "", false
			}
		}
		tokenIn = q.Get("pageToken")
		var err error
		if c, err = decodeToken(s.key, tokenIn); err != nil || c.Endpoint != ep {
			s.writeError(w, http.StatusBadRequest, "invalid_page_token", "invalid pageToken")
			return c, 0, "", false
		}
		return c, limit, tokenIn, true
	}
	c.Endpoint = ep
	for name, dst := range map[string]*int64{"meta.modified.after": &c.ModifiedAfter, "meta.created.after": &c.CreatedAfter, "after": &c.ModifiedAfter} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				s.writeError(w, http.StatusBadRequest, "invalid_filter", name+" must be an RFC 3339 date-time")
				return c, 0, "", false
			}
			*dst = t.UnixNano()
		}
	}
	for _, e := range q["entities"] {
		c.Entities |= entityBits[e]
	}
	return c, limit, "", true
}

// listIDs returns the sorted ids of ep passing c's filters; s.mu is held.
// It is cached per store version so that paging a 100 000-person listing
// does not sort it once per page.
func (s *Server) listIDs(ep string, c cursor) []string {
	key := fmt.Sprint(ep, "|", c.ModifiedAfter, "|", c.CreatedAfter, "|", s.version)
	if ids, ok := s.listCache[key]; ok {
		return ids
	}
	var ids []string
	switch ep {
	case "organisations":
		ids = filterIDs(s.orgs, func(x wire.Organisation) wire.Meta { return x.Meta }, c)
	case "persons":
		ids = filterIDs(s.persons, func(x wire.Person) wire.Meta { return x.Meta }, c)
	case "groups":
		ids = filterIDs(s.groups, func(x wire.Group) wire.Meta { return x.Meta }, c)
	case "duties":
		ids = filterIDs(s.duties, func(x wire.Duty) wire.Meta { return x.Meta }, c)
	case "activities":
		ids = filterIDs(s.activities, func(x wire.Activity) wire.Meta { return x.Meta }, c)
	case "syllabuses":
		ids = filterIDs(s.syllabuses, func(x wire.Syllabus) wire.Meta { return x.Meta }, c)
	}
	if len(s.listCache) > 32 {
		clear(s.listCache)
	}
	s.listCache[key] = ids
	return ids
}

// filterIDs applies meta.modified.after and meta.created.after, both
// exclusive in the spec ("Exkluderande").
func filterIDs[T any](m map[string]T, meta func(T) wire.Meta, c cursor) []string {
	ids := make([]string, 0, len(m))
	for id, x := range m {
		mt := meta(x)
		if c.ModifiedAfter != 0 && mt.Modified.UnixNano() <= c.ModifiedAfter {
			continue
		}
		if c.CreatedAfter != 0 && mt.Created.UnixNano() <= c.CreatedAfter {
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (s *Server) items(ep string, ids []string) any {
	switch ep {
	case "organisations":
		return pick(s.orgs, ids)
	case "persons":
		return pick(s.persons, ids)
	case "groups":
		return pick(s.groups, ids)
	case "duties":
		return pick(s.duties, ids)
	case "activities":
		return pick(s.activities, ids)
	case "syllabuses":
		return pick(s.syllabuses, ids)
	}
	return []struct{}{}
}

func pick[T any](m map[string]T, ids []string) []T {
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

func (s *Server) known(ep string) bool {
	switch ep {
	case "organisations", "persons", "groups", "duties", "activities", "syllabuses":
		return true
	}
	return false
}

// serveOne answers GET <base>/<endpoint>/<id>, e.g. /groups/{id}, whose
// GroupExpanded carries the groupMemberships inline like the list does.
func (s *Server) serveOne(w http.ResponseWriter, ep, id string) {
	s.mu.Lock()
	var v any
	var ok bool
	switch ep {
	case "organisations":
		v, ok = s.orgs[id]
	case "persons":
		v, ok = s.persons[id]
	case "groups":
		v, ok = s.groups[id]
	case "duties":
		v, ok = s.duties[id]
	case "activities":
		v, ok = s.activities[id]
	case "syllabuses":
		v, ok = s.syllabuses[id]
	}
	s.mu.Unlock()
	if !ok {
		s.writeError(w, http.StatusNotFound, "not_found", "no such entity") // spec: 404_not_found
		return
	}
	s.writeJSON(w, http.StatusOK, v)
}

// writePage writes the list envelope; pageToken is null on the last page.
func (s *Server) writePage(w http.ResponseWriter, data any, token *string) {
	s.writeJSON(w, http.StatusOK, struct {
		Data      any     `json:"data"`
		PageToken *string `json:"pageToken"`
	}{data, token})
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.writeError(w, http.StatusInternalServerError, "encode", "encoding failed")
		return
	}
	s.statuses.Add(status)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError writes components/schemas/Error {code, message}.
func (s *Server) writeError(w http.ResponseWriter, status int, code, msg string) {
	s.statuses.Add(status)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "message": msg})
}
