package graph

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func teamBody(template, groupID string) map[string]any {
	return map[string]any{
		"template@odata.bind": "https://graph.microsoft.com/v1.0/teamsTemplates('" + template + "')",
		"group@odata.bind":    "https://graph.microsoft.com/v1.0/groups('" + groupID + "')",
	}
}

func TestTeamCreation(t *testing.T) {
	c := newClock()
	f := newFixture(t, Options{Users: users(2), Now: c.Now, ReplicationDelay: time.Minute, TeamDelay: 30 * time.Second})
	id := f.upsert("k", unifiedBody("A", "p-a", "u000"))
	noOwner := f.upsert("k2", unifiedBody("B", "p-b"))

	// Replication: 404 while the group is young.
	if st, _, _ := f.do(http.MethodPost, "/teams", teamBody("standard", id)); st != http.StatusNotFound {
		t.Fatalf("team on a young group: status %d, want 404", st)
	}
	c.Add(time.Minute)
	tests := []struct {
		name string
		body map[string]any
		want int
	}{
		{"class template on a plain group", teamBody("educationClass", id), http.StatusBadRequest},
		{"no owner", teamBody("standard", noOwner), http.StatusBadRequest},
		{"unknown template", teamBody("nope", id), http.StatusBadRequest},
		{"unknown group", teamBody("standard", "missing"), http.StatusNotFound},
		{"display name with a group", map[string]any{"template@odata.bind": teamBody("standard", id)["template@odata.bind"],
			"group@odata.bind": teamBody("standard", id)["group@odata.bind"], "displayName": "x"}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		if st, _, out := f.do(http.MethodPost, "/teams", tt.body); st != tt.want {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, st, tt.want, out)
		}
	}
	st, h, _ := f.do(http.MethodPost, "/teams", teamBody("educationStaff", id))
	if st != http.StatusAccepted || !strings.HasPrefix(h.Get("Location"), "/teams('"+id+"')/operations('") {
		t.Fatalf("create team: status %d, Location %q", st, h.Get("Location"))
	}
	if st, _, _ := f.do(http.MethodPost, "/teams", teamBody("standard", id)); st != http.StatusConflict {
		t.Errorf("second team on the group: status %d, want 409", st)
	}
	op := h.Get("Location")
	if _, _, body := f.do(http.MethodGet, op, nil); body["status"] != "inProgress" {
		t.Errorf("operation before the delay: %v", body["status"])
	}
	if st, _, _ := f.do(http.MethodGet, "/teams/"+id, nil); st != http.StatusNotFound {
		t.Errorf("team before provisioning: status %d, want 404", st)
	}
	c.Add(30 * time.Second)
	if _, _, body := f.do(http.MethodGet, op, nil); body["status"] != "succeeded" {
		t.Errorf("operation after the delay: %v", body["status"])
	}
	if _, _, g := f.do(http.MethodGet, "/groups/"+id+"?$select=resourceProvisioningOptions", nil); len(g["resourceProvisioningOptions"].([]any)) != 1 {
		t.Errorf("group not marked as a team: %v", g)
	}

	// Archive is async too.
	st, h, _ = f.do(http.MethodPost, "/teams/"+id+"/archive", nil)
	if st != http.StatusAccepted {
		t.Fatalf("archive: status %d", st)
	}
	c.Add(30 * time.Second)
	if _, _, body := f.do(http.MethodGet, h.Get("Location"), nil); body["status"] != "succeeded" {
		t.Errorf("archive operation: %v", body["status"])
	}
	if _, _, tm := f.do(http.MethodGet, "/teams/"+id+"?$select=isArchived", nil); tm["isArchived"] != true {
		t.Errorf("team not archived: %v", tm)
	}
}

func TestClassTeam(t *testing.T) {
	f := newFixture(t, Options{Users: users(2)})
	st, _, cl := f.do(http.MethodPost, "/education/classes", map[string]any{"displayName": "7A Ma", "mailNickname": "p-c1",
		"externalId": "undervisning:activity:1", "externalSource": "sis"})
	if st != http.StatusCreated {
		t.Fatalf("create class: %d %v", st, cl)
	}
	id := cl["id"].(string)
	// A retry with the same nickname is refused: the class group is a
	// Microsoft 365 group.
	if st, _, _ := f.do(http.MethodPost, "/education/classes", map[string]any{"displayName": "7A Ma", "mailNickname": "p-c1"}); st != http.StatusBadRequest {
		t.Errorf("second class with the nickname: status %d, want 400", st)
	}
	_, _, list := f.do(http.MethodGet, "/education/classes?$filter="+urlQuery("externalId eq 'undervisning:activity:1'"), nil)
	if v := values(list); len(v) != 1 || v[0]["id"] != id {
		t.Errorf("class by externalId: %v", v)
	}
	f.do(http.MethodPatch, "/groups/"+id, map[string]any{"owners@odata.bind": binds("u000")})
	if st, _, out := f.do(http.MethodPost, "/teams", teamBody("educationClass", id)); st != http.StatusAccepted {
		t.Errorf("class team: status %d %v", st, out)
	}
	if g := f.s.Groups()[0]; !g.IsClass || !g.Team || g.TeamTemplate != "educationClass" {
		t.Errorf("class group %+v", g)
	}
}
