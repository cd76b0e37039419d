package msgraph

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/elevsynk/elevsynk/internal/target"
)

// Groups reads groups kept by hand in the tenant (target.GroupReader): by
// id with GET /groups/{id}, by display name with $filter=startsWith
// (displayName is filterable with startsWith, resources/group), and each
// group's members and owners. Only users count; members that are devices,
// contacts or nested groups have no lookup attribute and are left out.
func (t *Target) Groups(ctx context.Context, ids []string, prefix string) ([]target.Group, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	byID := map[string]groupJSON{}
	for _, id := range ids {
		var g groupJSON
		if err := t.getJSON(ctx, t.get(query{sel: groupSelect}, "groups", id), &g); err != nil {
			var ge *graphError
			if errors.As(err, &ge) && ge.status == http.StatusNotFound {
				return nil, &target.GroupNotFoundError{ID: id}
			}
			return nil, err
		}
		byID[g.ID] = g
	}
	if prefix != "" {
		ri := t.get(query{filter: "startsWith(displayName," + quote(prefix) + ")", sel: groupSelect, top: maxPage}, "groups")
		err := t.listAll(ctx, ri, func(raw json.RawMessage) error {
			var g groupJSON
			if err := json.Unmarshal(raw, &g); err != nil {
				return err
			}
			byID[g.ID] = g
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]target.Group, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		g := byID[id]
		name := deref(g.DisplayName)
		if strings.HasPrefix(strings.ToLower(deref(g.MailNickname)), t.prefix) {
			return nil, &target.ManagedGroupError{ID: id, DisplayName: name}
		}
		tg := target.Group{ID: id, DisplayName: name}
		for _, rel := range []struct {
			name string
			dst  *[]string
		}{{"owners", &tg.Owners}, {"members", &tg.Members}} {
			ri := t.get(query{sel: t.userSelect(), top: maxPage}, "groups", id, rel.name)
			err := t.listAll(ctx, ri, func(raw json.RawMessage) error {
				var u user
				if err := json.Unmarshal(raw, &u); err != nil {
					return err
				}
				if k := u.attr(t.attr); k != "" {
					*rel.dst = append(*rel.dst, k)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		out = append(out, tg)
	}
	return out, nil
}
