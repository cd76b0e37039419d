package msgraph

import (
	"context"
	"net/http"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// maxRelationships is the number of owners and members one request may
// bind: "up to 20 members can be added in a single request"
// (https://learn.microsoft.com/en-us/graph/api/group-post-members), and at
// most 20 relationships on create
// (https://learn.microsoft.com/en-us/graph/teams-create-group-and-team).
const maxRelationships = 20

// userURL is the @odata.bind URL of a user.
func (t *Target) userURL(id string) string { return t.base + "/directoryObjects/" + id }

func (t *Target) bindURLs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = t.userURL(id)
	}
	return out
}

// binds is the owners and members one request adds to r: owners not yet
// owners (made members too in Microsoft 365 groups) and members not yet
// members.
func binds(r *room, owners, members []string) (o, m []string) {
	for _, id := range owners {
		if !r.owners[id] {
			o = append(o, id)
			if unified(r.kind) && !r.members[id] {
				m = append(m, id)
			}
		}
	}
	for _, id := range members {
		if !r.members[id] && !r.owners[id] {
			m = append(m, id)
		}
	}
	return o, m
}

// chunks cuts ids into pieces whose binds stay within the limit: an owner
// of a Microsoft 365 group costs two (owner and member).
func chunks(ids []string, owners bool, r *room) [][]string {
	size := maxRelationships
	if owners && unified(r.kind) {
		size /= 2
	}
	var out [][]string
	for start := 0; start < len(ids); start += size {
		out = append(out, ids[start:min(start+size, len(ids))])
	}
	return out
}

// addWrites adds owners or members to r with PATCH /groups/{id} and
// owners@odata.bind / members@odata.bind.
func (t *Target) addWrites(ctx context.Context, tk *task, r *room, ids []string, owners bool) []*write {
	var out []*write
	for _, chunk := range chunks(ids, owners, r) {
		var o, m []string
		w := &write{tasks: []*task{tk}, r: r, what: string(tk.a.Op)}
		w.build = func() (*abs.RequestInformation, error) {
			if owners {
				o, m = binds(r, chunk, nil)
			} else {
				o, m = binds(r, nil, chunk)
			}
			if len(o)+len(m) == 0 {
				return nil, nil
			}
			g := models.NewGroup()
			data := map[string]any{}
			if len(o) > 0 {
				data["owners@odata.bind"] = t.bindURLs(o)
			}
			if len(m) > 0 {
				data["members@odata.bind"] = t.bindURLs(m)
			}
			g.SetAdditionalData(data)
			return t.withBody(ctx, t.request(abs.PATCH, query{}, "groups", r.id), g)
		}
		w.ok = func(*call) {
			for _, id := range o {
				r.owners[id] = true
			}
			for _, id := range m {
				r.members[id] = true
			}
		}
		out = append(out, w)
	}
	return out
}

// removeWrites removes people from r's members or owners, one DELETE
// …/$ref each (https://learn.microsoft.com/en-us/graph/api/group-delete-members,
// group-delete-owners); 404 means already gone.
func (t *Target) removeWrites(ctx context.Context, tk *task, r *room, ids []string, owners bool) []*write {
	var out []*write
	for _, id := range ids {
		w := &write{tasks: []*task{tk}, r: r, what: string(tk.a.Op), accept: func(s int) bool { return s == http.StatusNotFound }}
		w.build = func() (*abs.RequestInformation, error) {
			if owners {
				if !r.owners[id] && !r.stale {
					return nil, nil
				}
				return t.request(abs.DELETE, query{}, "groups", r.id, "owners", id, "$ref"), nil
			}
			if !r.members[id] && !r.stale {
				return nil, nil
			}
			return t.request(abs.DELETE, query{}, "groups", r.id, "members", id, "$ref"), nil
		}
		w.ok = func(*call) {
			if owners {
				delete(r.owners, id)
			} else {
				delete(r.members, id)
			}
		}
		out = append(out, w)
	}
	return out
}

// propsWrite sets name and description with one PATCH for the tasks that
// ask for them.
func (t *Target) propsWrite(ctx context.Context, tasks []*task, r *room, name, description *string) *write {
	w := &write{tasks: tasks, r: r, what: "Update"}
	w.build = func() (*abs.RequestInformation, error) {
		g := models.NewGroup()
		changed := false
		if name != nil && *name != r.name {
			g.SetDisplayName(name)
			changed = true
		}
		if description != nil && *description != r.description {
			g.SetDescription(description)
			changed = true
		}
		if !changed {
			return nil, nil
		}
		return t.withBody(ctx, t.request(abs.PATCH, query{}, "groups", r.id), g)
	}
	w.ok = func(*call) {
		if name != nil {
			r.name = *name
		}
		if description != nil {
			r.description = *description
		}
	}
	return w
}
