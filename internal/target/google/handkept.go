package google

import (
	"context"
	"maps"
	"slices"
	"strings"

	admin "google.golang.org/api/admin/directory/v1"

	"github.com/elevsynk/elevsynk/internal/target"
)

// Groups reads groups kept by hand in the domain (target.GroupReader): by
// id or address with groups.get, by name prefix from groups.list, and each
// group's members, OWNER members as owners. A group carrying this Target's
// marker, or still at a pending address, is one of ours and refused.
func (t *Target) Groups(ctx context.Context, ids []string, prefix string) ([]target.Group, error) {
	byID := map[string]*admin.Group{}
	for _, id := range ids {
		g, err := t.dir.Groups.Get(id).Context(ctx).Do()
		if err = wrap("groups.get", err); isCode(err, 404) {
			return nil, &target.GroupNotFoundError{ID: id}
		} else if err != nil {
			return nil, err
		}
		byID[g.Id] = g
	}
	if prefix != "" {
		lower := strings.ToLower(prefix)
		err := t.dir.Groups.List().Domain(t.domain).MaxResults(200).Pages(ctx, func(p *admin.Groups) error {
			for _, g := range p.Groups {
				if strings.HasPrefix(strings.ToLower(g.Name), lower) {
					byID[g.Id] = g
				}
			}
			return nil
		})
		if err := wrap("groups.list", err); err != nil {
			return nil, err
		}
	}
	out := make([]target.Group, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		g := byID[id]
		if _, _, ours := t.groupOwner(g.Aliases); ours || strings.HasPrefix(strings.ToLower(g.Email), t.markers.pendingPrefix()) {
			return nil, &target.ManagedGroupError{ID: id, DisplayName: g.Name}
		}
		r := groupRoom(ownedGroup{g: g})
		if err := t.readGroup(ctx, &r); err != nil {
			return nil, err
		}
		// Members with no address (a deleted user) cannot be placed.
		noAddress := func(k string) bool { return strings.HasPrefix(k, "id:") }
		out = append(out, target.Group{ID: id, DisplayName: g.Name,
			Owners: slices.DeleteFunc(r.Owners, noAddress), Members: slices.DeleteFunc(r.Members, noAddress)})
	}
	return out, nil
}
