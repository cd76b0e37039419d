package msgraph

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Groups kept by hand are read by id and by display-name prefix with
// their owners and members; a group this Target manages is refused, and
// so is an id the tenant does not have.
func TestGroupsKeptByHand(t *testing.T) {
	group := func(key, name string, owners, members []string) desired.Room {
		return desired.Room{Key: key, Kind: elevsynkv1.RoomSecurityGroup, Rule: "r", Name: name, MailNickname: key,
			Owners: owners, Members: members}
	}
	byHand := desired.State{Rooms: []desired.Room{
		group("it", "IT-ansvariga", []string{"anna@x.se"}, []string{"bo@x.se", "cy@x.se"}),
		group("bibl", "it-bibliotek", []string{"anna@x.se"}, []string{"cy@x.se"}),
		group("elevrad", "Elevrådet", []string{"bo@x.se"}, nil),
	}}
	ours := desired.State{Rooms: []desired.Room{group("rum", "IT-rummet", []string{"anna@x.se"}, nil)}}
	e := newEnv(t, usersFor(byHand), nil)
	// The groups kept by hand are made by another tool with a prefix of its
	// own, so this Target does not own them.
	spec := e.spec()
	spec.MailNicknamePrefix = "hand-"
	other, err := FromSpec(context.Background(), spec, map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte(clientSecret)},
		Options{HTTPClient: e.srv.Client(), Sleep: e.clock.Sleep, Now: e.clock.Now, PollInterval: 10 * time.Second, FullEvery: 5})
	if err != nil {
		t.Fatal(err)
	}
	converge(t, other, byHand, 3)
	tg := e.adapter(nil)
	converge(t, tg, ours, 3)
	ids := map[string]string{}
	for _, g := range e.sb.Groups() {
		ids[g.DisplayName] = g.ID
	}

	it := target.Group{ID: ids["IT-ansvariga"], DisplayName: "IT-ansvariga", Owners: []string{"anna@x.se"}, Members: []string{"bo@x.se", "cy@x.se"}}
	bibl := target.Group{ID: ids["it-bibliotek"], DisplayName: "it-bibliotek", Owners: []string{"anna@x.se"}, Members: []string{"cy@x.se"}}
	elevrad := target.Group{ID: ids["Elevrådet"], DisplayName: "Elevrådet", Owners: []string{"bo@x.se"}}
	tests := []struct {
		name    string
		ids     []string
		prefix  string
		want    []target.Group
		wantErr any
	}{
		{"by prefix, case-insensitively", nil, "IT-a", []target.Group{it}, nil},
		{"by id and prefix, each once", []string{ids["Elevrådet"], ids["it-bibliotek"]}, "it-bib", sorted(elevrad, bibl), nil},
		{"a prefix that takes in a room of ours", nil, "IT-", nil, new(*target.ManagedGroupError)},
		{"a room of ours by id", []string{ids["IT-rummet"]}, "", nil, new(*target.ManagedGroupError)},
		{"an id the tenant does not have", []string{"00000000-0000-0000-0000-00000000dead"}, "", nil, new(*target.GroupNotFoundError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tg.Groups(context.Background(), tt.ids, tt.prefix)
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

// sorted orders groups by id, as Groups returns them.
func sorted(gs ...target.Group) []target.Group {
	slices.SortFunc(gs, func(a, b target.Group) int { return strings.Compare(a.ID, b.ID) })
	return gs
}
