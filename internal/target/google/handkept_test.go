package google

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	admin "google.golang.org/api/admin/directory/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Groups kept by hand in the domain are read by address and by name
// prefix, OWNER members as owners; a group with this Target's marker is
// refused, and so is an address the domain does not have.
func TestGroupsKeptByHand(t *testing.T) {
	ours := desired.State{Rooms: []desired.Room{room(elevsynkv1.RoomGoogleGroup, "g:rum", "IT-rummet", []string{"anna@" + domain}, nil)}}
	e := newEnv(t, sandbox.Options{}, ours, "bo@"+domain, "cy@"+domain)
	tg := e.adapter(t, Options{})
	if _, res := pass(t, tg, ours); len(res.Failures) > 0 {
		t.Fatalf("provisioning: %+v", res.Failures)
	}
	// An administrator makes two groups in the Admin console.
	ctx := context.Background()
	for _, g := range []struct{ email, name, owner, member string }{
		{"it-ansvariga@" + domain, "IT-ansvariga", "anna@" + domain, "bo@" + domain},
		{"elevradet@" + domain, "Elevrådet", "bo@" + domain, "cy@" + domain},
	} {
		if _, err := tg.dir.Groups.Insert(&admin.Group{Email: g.email, Name: g.name}).Context(ctx).Do(); err != nil {
			t.Fatal(err)
		}
		for role, who := range map[string]string{"OWNER": g.owner, "MEMBER": g.member} {
			if _, err := tg.dir.Members.Insert(g.email, &admin.Member{Email: who, Role: role}).Context(ctx).Do(); err != nil {
				t.Fatal(err)
			}
		}
	}
	ids := map[string]string{}
	for _, g := range e.s.Groups() {
		ids[g.Name] = g.ID
	}
	it := target.Group{ID: ids["IT-ansvariga"], DisplayName: "IT-ansvariga", Owners: []string{"anna@" + domain}, Members: []string{"bo@" + domain}}
	elevrad := target.Group{ID: ids["Elevrådet"], DisplayName: "Elevrådet", Owners: []string{"bo@" + domain}, Members: []string{"cy@" + domain}}
	tests := []struct {
		name    string
		ids     []string
		prefix  string
		want    []target.Group
		wantErr any
	}{
		{"by prefix, case-insensitively", nil, "it-a", []target.Group{it}, nil},
		{"by address and prefix, each once", []string{"elevradet@" + domain}, "IT-ans", sortedGroups(it, elevrad), nil},
		{"a prefix that takes in a room of ours", nil, "IT-", nil, new(*target.ManagedGroupError)},
		{"an address the domain does not have", []string{"nobody@" + domain}, "", nil, new(*target.GroupNotFoundError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tg.Groups(ctx, tt.ids, tt.prefix)
			if tt.wantErr != nil {
				if !errors.As(err, tt.wantErr) {
					t.Fatalf("got %v, want %T", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

func sortedGroups(a, b target.Group) []target.Group {
	if a.ID > b.ID {
		return []target.Group{b, a}
	}
	return []target.Group{a, b}
}
