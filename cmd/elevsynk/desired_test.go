package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
)

func TestDesiredSamplesAgainstSandbox(t *testing.T) {
	addr := startSandbox(t, "-pupils", "300", "-seed", "5")
	dir := samplesAt(t, addr)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"desired", "-f", dir, "-o", "json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got struct {
		Rooms []desiredRoom `json:"rooms"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}

	// What the sample Mapping makes of the generated register, evaluated here.
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 5, Pupils: 300})
	state := sampleRooms(t, dir, snap, roster.DateOf(time.Now()))
	set, err := manifests.Read(dir, scheme())
	if err != nil {
		t.Fatal(err)
	}
	var want []desiredRoom
	for _, name := range []string{"google", "microsoft365"} {
		tg, _ := manifests.Get[*elevsynkv1.Target](set, "exempelstad", name)
		for _, r := range platform.Prepare(state, nil, &tg.Spec).Want.Rooms {
			want = append(want, desiredRoom{Target: "exempelstad/" + name, Kind: r.Kind, Key: r.Key, Name: r.Name, Owners: r.Owners, Members: r.Members})
		}
	}
	if d := cmp.Diff(want, got.Rooms); d != "" {
		t.Errorf("rooms (-want +got):\n%s", d)
	}
	kinds := map[elevsynkv1.RoomKind]bool{}
	for _, r := range got.Rooms {
		kinds[r.Kind] = true
	}
	if !kinds[elevsynkv1.RoomCourse] || !kinds[elevsynkv1.RoomClassTeam] {
		t.Errorf("kinds %v: the Google Target should list Courses and the Microsoft 365 Target class teams", kinds)
	}
	if len(got.Rooms) < 20 {
		t.Errorf("only %d rooms from a 300-pupil municipality", len(got.Rooms))
	}

	// Nobody with a protected identity is in any room.
	protected := map[string]bool{}
	for _, p := range snap.Persons {
		if p.SecurityMarking != "" && p.SecurityMarking != roster.SecurityNone {
			for _, k := range p.EduPersonPrincipalNames {
				protected[strings.ToLower(k)] = true
			}
		}
	}
	if len(protected) == 0 {
		t.Fatal("the generated register has no protected people; the check below would prove nothing")
	}
	for _, r := range got.Rooms {
		for _, k := range append(append([]string{}, r.Owners...), r.Members...) {
			if protected[strings.ToLower(k)] {
				t.Errorf("room %s holds a person with a protected identity", r.Key)
			}
		}
	}

	// The table shows counts, never account keys.
	out.Reset()
	if code := run(context.Background(), []string{"desired", "-f", dir}, &out, &errOut); code != 0 {
		t.Fatalf("table exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "@") || !strings.Contains(out.String(), "TARGET") {
		t.Errorf("table output should have a header and no account keys:\n%s", out.String())
	}
}

// sampleRooms is what the sample Mapping in dir makes of snap on day,
// evaluated without the CLI.
func sampleRooms(t *testing.T, dir string, snap *roster.Snapshot, day roster.Date) desired.State {
	t.Helper()
	set, err := manifests.Read(dir, scheme())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := manifests.Get[*elevsynkv1.Mapping](set, "exempelstad", "skolor")
	tenant, _ := manifests.Get[*elevsynkv1.Tenant](set, "exempelstad", "exempelstad")
	prog, err := mapping.Compile(m.Spec, mapping.TenantOptions(tenant.Spec))
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := prog.Evaluate(snap, nil, day)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDesiredErrors(t *testing.T) {
	noTargets := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no directory", []string{"desired"}, "-f DIR is required"},
		{"bad output", []string{"desired", "-f", ".", "-o", "yaml"}, `-o must be table or json, not "yaml"`},
		{"no targets", []string{"desired", "-f", noTargets}, "the directory holds no Target"},
		{"register down", []string{"desired", "-f", samplesAt(t, "127.0.0.1:1")}, "source exempelstad/register"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFailure(t, tt.args, tt.want) })
	}
}
