package file

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

var day = roster.MustParseDate("2026-09-14")

func rooms() desired.State {
	a := desired.Room{Key: "r:activity:1", Kind: elevsynkv1.RoomClassTeam, Name: "7A Ma", Description: "Matematik"}
	a.SetPeople([]string{"t1@x.se"}, []string{"s1@x.se", "s2@x.se"})
	b := desired.Room{Key: "r:school:1", Kind: elevsynkv1.RoomSecurityGroup, Name: "SG Elever", MailNickname: "sg-elever"}
	b.SetPeople(nil, []string{"s1@x.se", "s2@x.se", "s3@x.se"})
	return desired.State{Rooms: []desired.Room{a, b}}
}

// pass observes, plans under the default policy and applies.
func pass(t *testing.T, tg *Target, want desired.State) plan.Plan {
	t.Helper()
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Compute(want, have, elevsynkv1.Policy{}, day)
	if res := tg.Apply(context.Background(), p.Actions); len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("apply: %+v", res)
	}
	return p
}

func TestProvisionThenNothingToDo(t *testing.T) {
	tg := New(t.TempDir(), "rooms")
	if p := pass(t, tg, rooms()); p.Summary().Creates != 2 {
		t.Fatalf("first plan %+v, want two creates", p.Summary())
	}
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := rooms()
	var got []desired.Room
	for _, h := range have {
		got = append(got, desired.Room{Key: h.Key, Kind: h.Kind, Name: h.Name, Description: h.Description,
			MailNickname: h.MailNickname, Owners: h.Owners, Members: h.Members})
	}
	if d := cmp.Diff(want.Rooms, got); d != "" {
		t.Errorf("observed (-want +got):\n%s", d)
	}
	writes := tg.Stats().Writes
	if p := plan.Compute(want, have, elevsynkv1.Policy{}, day); !p.Empty() {
		t.Errorf("second plan not empty: %+v", p.Actions)
	}
	if tg.Stats().Writes != writes {
		t.Error("observing wrote")
	}
}

func TestHandEditsAreDriftAndCorrected(t *testing.T) {
	dir := t.TempDir()
	tg := New(dir, "rooms")
	pass(t, tg, rooms())
	path := filepath.Join(dir, "rooms.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `"7A Ma"`, `"Vår klass"`, 1)
	edited = strings.Replace(edited, `"s2@x.se"`, `"s2@x.se", "s9@x.se"`, 1)
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	p := pass(t, tg, rooms())
	if d := cmp.Diff([]plan.Reason{plan.Renamed, plan.ExtraMembers}, p.Drift[0].Reasons); d != "" {
		t.Errorf("drift (-want +got):\n%s", d)
	}
	have, _ := tg.Observe(context.Background())
	if again := plan.Compute(rooms(), have, elevsynkv1.Policy{}, day); !again.Empty() {
		t.Errorf("not corrected: %+v", again.Actions)
	}
}

func TestArchiveAndDelete(t *testing.T) {
	tg := New(t.TempDir(), "rooms")
	pass(t, tg, rooms())
	only := desired.State{Rooms: rooms().Rooms[:1]}
	// The security group is no longer desired; groups are not archivable,
	// so Delete is what removes it.
	have, _ := tg.Observe(context.Background())
	p := plan.Compute(only, have, elevsynkv1.Policy{Deletion: elevsynkv1.DeletionDelete}, day)
	tg.Apply(context.Background(), p.Actions)
	have, _ = tg.Observe(context.Background())
	if len(have) != 1 || have[0].Key != "r:activity:1" {
		t.Errorf("rooms after delete: %+v", have)
	}
	tg.Apply(context.Background(), []target.Action{{Op: target.OpArchive, Kind: elevsynkv1.RoomClassTeam, Key: "r:activity:1"}})
	have, _ = tg.Observe(context.Background())
	if !have[0].Archived {
		t.Error("archive did not stick")
	}
}

func TestBadFileIsNamedAndKept(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rooms.json")
	for name, content := range map[string]string{
		"not JSON":      "{rooms: [",
		"unknown field": `{"rooms": [], "extra": 1}`,
		"no key":        `{"rooms": [{"kind": "Team", "name": "x", "owners": [], "members": []}]}`,
		"twice":         `{"rooms": [{"kind": "Team", "key": "a", "owners": [], "members": []}, {"kind": "Team", "key": "a", "owners": [], "members": []}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			tg := New(dir, "rooms")
			if _, err := tg.Observe(context.Background()); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("observe error %v does not name %s", err, path)
			}
			res := tg.Apply(context.Background(), []target.Action{{Op: target.OpCreate, Kind: elevsynkv1.RoomTeam, Key: "b", Name: "B"}})
			if len(res.Failures) != 1 {
				t.Errorf("apply over a bad file: %+v", res)
			}
			if data, _ := os.ReadFile(path); string(data) != content {
				t.Error("a bad file was overwritten")
			}
		})
	}
}

func TestCancelledApplyWritesNothing(t *testing.T) {
	dir := t.TempDir()
	tg := New(dir, "rooms")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := tg.Apply(ctx, []target.Action{{Op: target.OpCreate, Kind: elevsynkv1.RoomTeam, Key: "b", Name: "B"}})
	if res.Applied != 0 || res.Skipped != 1 {
		t.Errorf("result %+v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, "rooms.json")); !os.IsNotExist(err) {
		t.Errorf("a cancelled apply wrote the file: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"rooms": [{"kind": "Team", "key": "a", "name": "A", "owners": ["x"], "members": []}]}`))
	f.Add([]byte(`{"rooms": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rooms, err := decode(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, r := range rooms {
			if r.Key == "" || r.Kind == "" || seen[id(r.Kind, r.Key)] {
				t.Fatalf("decode accepted a room without identity or twice: %+v", r)
			}
			seen[id(r.Kind, r.Key)] = true
		}
	})
}
