package controllers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/roster"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
)

// handKeptGroup makes a security group in the Graph sandbox the way an
// administrator does in the Entra admin centre, and returns its id.
func handKeptGroup(t *testing.T, endpoint, name, nickname string, owners, members []string) string {
	t.Helper()
	bind := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = "https://graph.microsoft.com/v1.0/directoryObjects/" + id
		}
		return out
	}
	body, _ := json.Marshal(map[string]any{"displayName": name, "mailNickname": nickname,
		"mailEnabled": false, "securityEnabled": true, "owners@odata.bind": bind(owners), "members@odata.bind": bind(members)})
	req, err := http.NewRequest(http.MethodPatch, endpoint+"/v1.0/groups(uniqueName='hand-"+nickname+"')", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "create-if-missing") // Graph's upsert by uniqueName
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var g struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&g); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("creating %q: HTTP %d %v", name, resp.StatusCode, err)
	}
	return g.ID
}

// A group kept by hand in Entra ID becomes a room of its own with its
// owners and members, through the Microsoft 365 Target's own connection;
// the room elevsynk made from it cannot in turn be a source.
func TestDirectoryGroupsBecomeRooms(t *testing.T) {
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	create(t, tenant(ns, "exempelstad"))
	create(t, credentials(ns, "elevsynk", "s3cret"))
	create(t, registerSource(ns, hs.URL))
	gs, _, tg := graphTarget(t, ns, snap, graphsandbox.Options{}, nil)
	var people []graphsandbox.User
	for _, p := range snap.Persons {
		if len(p.EduPersonPrincipalNames) > 0 && p.SecurityMarking == roster.SecurityNone {
			if u, ok := gs.UserByKey(p.EduPersonPrincipalNames[0]); ok {
				people = append(people, u)
			}
		}
	}
	endpoint := tg.Spec.Microsoft365.Endpoint
	owner, members := people[0], people[1:4]
	memberIDs := []string{members[0].ID, members[1].ID, members[2].ID}
	handKeptGroup(t, endpoint, "IT-ansvariga", "it-ansvariga", []string{owner.ID}, memberIDs)
	handKeptGroup(t, endpoint, "Elevrådet", "elevradet", []string{owner.ID}, memberIDs[:1])

	it := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "it"},
		Spec: elevsynkv1.RegisterSourceSpec{DirectoryGroups: &elevsynkv1.DirectoryGroupsSource{
			TargetRef: elevsynkv1.LocalReference{Name: tg.Name}, DisplayNamePrefix: "it-"}}}
	create(t, it)
	m := mapping(ns, "skolor", "register", "it")
	m.Spec.Rules = []elevsynkv1.Rule{{Name: "handgjorda", From: elevsynkv1.RegisterGroup, Filter: "group.manual",
		Room: elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomSecurityGroup, Name: "Rum {{ .Group.DisplayName }}"}}}
	create(t, m)
	// Before the Target exists the source waits for it, and so does the
	// Mapping for the source.
	waitForCondition(t, it, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonDependencyMissing)
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoSnapshot)
	create(t, tg)
	requestReconcile(t, it, nil)
	waitForCondition(t, it, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
	if c := it.Status.Counts; c == nil || c.Groups != 1 || c.Memberships != 4 {
		t.Errorf("source counts %+v, want 1 group with 4 owners and members", c)
	}
	if msg := readyMessage(it); msg != "1 groups kept by hand with 4 owners and members" {
		t.Errorf("ready message %q, want the counts only", msg)
	}
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
	var room *graphsandbox.Group
	for _, g := range gs.Groups() {
		if g.DisplayName == "Rum IT-ansvariga" {
			room = &g
		}
	}
	if room == nil {
		t.Fatalf("no room made from the hand-kept group among %d groups", len(gs.Groups()))
	}
	slices.Sort(memberIDs)
	got := slices.Sorted(slices.Values(room.Members))
	if !slices.Equal(room.Owners, []string{owner.ID}) || !slices.Equal(got, memberIDs) {
		t.Errorf("room owners %v members %v; want %s and %v", room.Owners, got, owner.ID, memberIDs)
	}

	// The room is elevsynk's: naming it as a source is refused.
	loop := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "loop"},
		Spec: elevsynkv1.RegisterSourceSpec{DirectoryGroups: &elevsynkv1.DirectoryGroupsSource{
			TargetRef: elevsynkv1.LocalReference{Name: tg.Name}, IDs: []string{room.ID}}}}
	create(t, loop)
	waitForCondition(t, loop, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonManagedGroup)
	if msg := readyMessage(loop); !strings.Contains(msg, fmt.Sprintf("group %s (Rum IT-ansvariga) is a room elevsynk manages", room.ID)) {
		t.Errorf("message %q does not say the group is a room of ours", msg)
	}
}
