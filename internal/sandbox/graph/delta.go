package graph

import (
	"net/http"
	"net/url"
	"slices"
	"time"
)

// delta serves GET /groups/delta (api/group-delta): the first round lists
// every group with its members in members@delta; a deltaLink round lists
// the groups changed since, with current properties, the member changes in
// members@delta (removals carry @removed) and deleted groups as bare ids
// with @removed. $deltatoken=latest answers only a deltaLink ("sync from
// now", concepts/delta-query-overview). Query options go in the first
// request and travel in the tokens. A deltaLink older than
// Options.DeltaTokenTTL answers 400 syncStateNotFound.
func (s *Server) delta(req request) response {
	if req.query.Get("$filter") != "" {
		return badRequest("Unsupported query.")
	}
	q := url.Values{}
	if v := req.query.Get("$select"); v != "" {
		q.Set("$select", v)
	}
	t := token{Query: q.Encode(), To: s.seq}
	switch dt, st := req.query.Get("$deltatoken"), req.query.Get("$skiptoken"); {
	case dt == "latest":
		return response{status: http.StatusOK, body: map[string]any{"value": []any{}, "@odata.deltaLink": s.deltaLink(req.base, t)}}
	case dt != "":
		prev, err := decodeToken(dt)
		if err != nil {
			return badRequest("Invalid $deltatoken.")
		}
		if s.opts.Now().Sub(time.Unix(prev.Issued, 0)) > s.opts.DeltaTokenTTL {
			return errorResponse(http.StatusBadRequest, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.")
		}
		t = token{Query: prev.Query, From: prev.To, To: s.seq}
	case st != "":
		prev, err := decodeToken(st)
		if err != nil || prev.To > s.seq {
			return badRequest("Invalid $skiptoken.")
		}
		t = prev
	}
	ids := s.deltaGroups(t)
	from := min(t.Offset, len(ids))
	to := min(from+s.opts.PageSize, len(ids))
	sq, _ := url.ParseQuery(t.Query)
	sel := selectSet(sq)
	values := make([]map[string]any, 0, to-from)
	changed := s.memberChanges(t, ids[from:to])
	for _, id := range ids[from:to] {
		values = append(values, s.deltaEntry(req.base, id, t, sel, changed[id]))
	}
	body := map[string]any{"value": values}
	if to < len(ids) {
		next := t
		next.Offset = to
		body["@odata.nextLink"] = req.base + "/groups/delta?$skiptoken=" + encodeToken(next)
	} else {
		body["@odata.deltaLink"] = s.deltaLink(req.base, t)
	}
	return response{status: http.StatusOK, body: body}
}

// deltaLink is the link of the next round: changes after t.To.
func (s *Server) deltaLink(base string, t token) string {
	return base + "/groups/delta?$deltatoken=" + encodeToken(token{Query: t.Query, To: t.To, Issued: s.opts.Now().Unix()})
}

// memberChanges gathers the member changes of a deltaLink round for the
// groups of one page in one pass over the change log, so a page costs the
// log once and not once per group.
func (s *Server) memberChanges(t token, ids []string) map[string][]change {
	if t.From == 0 {
		return nil
	}
	out := make(map[string][]change, len(ids))
	for _, id := range ids {
		out[id] = nil
	}
	for _, c := range s.changesIn(t) {
		if _, ok := out[c.group]; ok && c.user != "" {
			out[c.group] = append(out[c.group], c)
		}
	}
	return out
}

// deltaEntry is one group of a delta page; changes are its member changes
// in the round (memberChanges).
func (s *Server) deltaEntry(base, id string, t token, sel map[string]bool, changes []change) map[string]any {
	g := s.groups[id]
	if g == nil {
		return map[string]any{"id": id, "@removed": map[string]any{"reason": "changed"}}
	}
	out := s.groupJSON(base, g, sel)
	delete(out, "@odata.context")
	if sel != nil && !sel["members"] {
		return out
	}
	var members []map[string]any
	if t.From == 0 {
		for _, uid := range g.members {
			members = append(members, map[string]any{"@odata.type": "#microsoft.graph.user", "id": uid})
		}
	} else {
		last := map[string]bool{}
		var order []string
		for _, c := range changes {
			if _, ok := last[c.user]; !ok {
				order = append(order, c.user)
			}
			last[c.user] = c.added
		}
		for _, uid := range order {
			m := map[string]any{"@odata.type": "#microsoft.graph.user", "id": uid}
			if !last[uid] {
				m["@removed"] = map[string]any{"reason": "deleted"}
			}
			members = append(members, m)
		}
	}
	if len(members) > 0 {
		out["members@delta"] = members
	}
	return out
}

// deltaGroups lists the ids a round reports, sorted: every group on the
// first round, the changed ones after.
func (s *Server) deltaGroups(t token) []string {
	var ids []string
	if t.From == 0 {
		for id := range s.groups {
			ids = append(ids, id)
		}
	} else {
		seen := map[string]bool{}
		for _, c := range s.changesIn(t) {
			if !seen[c.group] {
				seen[c.group] = true
				ids = append(ids, c.group)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

func (s *Server) changesIn(t token) []change {
	i, _ := slices.BinarySearchFunc(s.changes, t.From+1, func(c change, seq int64) int { return int(c.seq - seq) })
	j, _ := slices.BinarySearchFunc(s.changes, t.To+1, func(c change, seq int64) int { return int(c.seq - seq) })
	return s.changes[i:j]
}
