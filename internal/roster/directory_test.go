package roster

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func directoryFixture() *Directory {
	return &Directory{WithoutJoinValue: 2, Entries: []DirectoryEntry{
		{JoinValue: "201101012383", Emails: []Email{{Value: "anna@skola.x"}}},
		{JoinValue: "199001011234", Emails: []Email{{Value: "bo@skola.x"}}},
		{JoinValue: "201101012383", Emails: []Email{{Value: "anna2@skola.x"}}},
		{JoinValue: "201202022392", ExternalIdentifiers: []Identifier{{Value: "cy", Context: "sAMAccountName"}}},
	}}
}

// The hash does not depend on the order the server sent, and moves with
// any value, the join values included.
func TestDirectoryHash(t *testing.T) {
	a, b := directoryFixture(), directoryFixture()
	b.Entries[0], b.Entries[3] = b.Entries[3], b.Entries[0]
	a.Sort()
	b.Sort()
	if a.Hash() != b.Hash() {
		t.Error("the same entries in another order hash differently")
	}
	changes := []struct {
		name   string
		change func(*Directory)
	}{
		{"a join value", func(d *Directory) { d.Entries[0].JoinValue = "201101012384" }},
		{"an address", func(d *Directory) { d.Entries[1].Emails[0].Value = "ny@skola.x" }},
		{"an identifier's context", func(d *Directory) { d.Entries[3].ExternalIdentifiers[0].Context = "cn" }},
		{"entries without a join value", func(d *Directory) { d.WithoutJoinValue++ }},
		{"an entry fewer", func(d *Directory) { d.Entries = d.Entries[1:] }},
	}
	for _, c := range changes {
		d := directoryFixture()
		c.change(d)
		d.Sort()
		if d.Hash() == a.Hash() {
			t.Errorf("changing %s left the hash as it was", c.name)
		}
	}
}

func TestDirectoryFindings(t *testing.T) {
	tests := []struct {
		name string
		d    *Directory
		want []KindCount
	}{
		{"one value twice, two without", directoryFixture(), []KindCount{{DuplicateJoinValue, 1}, {EntryWithoutJoinValue, 2}}},
		{"one value three times counts once", &Directory{Entries: []DirectoryEntry{{JoinValue: "a"}, {JoinValue: "a"}, {JoinValue: "a"}, {JoinValue: "b"}}},
			[]KindCount{{DuplicateJoinValue, 1}}},
		{"clean", &Directory{Entries: []DirectoryEntry{{JoinValue: "a"}, {JoinValue: "b"}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.d.Sort()
			if diff := cmp.Diff(tt.want, tt.d.Findings()); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// No way of printing an entry or a join value shows a civic number or
// an address.
func TestDirectoryEntryPrintsNothing(t *testing.T) {
	e := directoryFixture().Entries[0]
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "entry", e, "join", e.JoinValue)
	js, _ := json.Marshal(map[string]any{"join": e.JoinValue})
	for _, out := range []string{fmt.Sprint(e), fmt.Sprintf("%v %+v %#v %s %q", e, e, e, e.JoinValue, e.JoinValue),
		fmt.Sprint(e.JoinValue), logged.String(), string(js)} {
		if strings.Contains(out, "201101012383") || strings.Contains(out, "anna@") {
			t.Errorf("printed %q", out)
		}
	}
}
