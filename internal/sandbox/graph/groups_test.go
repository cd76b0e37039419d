package graph

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUpsertCreatesThenUpdates(t *testing.T) {
	f := newFixture(t, Options{Users: users(3)})
	id := f.upsert("p-team:k1", unifiedBody("7A", "p-7a", "u000"))
	st, _, _ := f.do(http.MethodPatch, "/groups(uniqueName='p-team:k1')", map[string]any{"displayName": "7A ny"}, "Prefer", "create-if-missing")
	if st != http.StatusNoContent {
		t.Fatalf("second upsert: status %d, want 204", st)
	}
	st, _, g := f.do(http.MethodGet, "/groups(uniqueName='p-team:k1')?$select=id,displayName", nil)
	if st != http.StatusOK || g["id"] != id || g["displayName"] != "7A ny" {
		t.Errorf("lookup by uniqueName: %d %v", st, g)
	}
	if n := len(f.s.Groups()); n != 1 {
		t.Errorf("%d groups, want 1", n)
	}
	// Without Prefer an upsert of a missing group is a plain update: 404.
	st, _, _ = f.do(http.MethodPatch, "/groups(uniqueName='p-team:k2')", unifiedBody("7B", "p-7b", "u000"))
	if st != http.StatusNotFound {
		t.Errorf("upsert without Prefer of a missing group: status %d, want 404", st)
	}
	// A new nickname frees the old one and is taken itself.
	if st, _, _ := f.do(http.MethodPatch, "/groups(uniqueName='p-team:k1')", map[string]any{"mailNickname": "p-7a-ny"}); st != http.StatusNoContent {
		t.Fatalf("nickname change: status %d, want 204", st)
	}
	for _, tc := range []struct {
		key, nick string
		want      int
	}{{"p-team:k3", "p-7a", http.StatusCreated}, {"p-team:k4", "P-7A-NY", http.StatusBadRequest}} {
		st, _, _ := f.do(http.MethodPatch, "/groups(uniqueName='"+tc.key+"')", unifiedBody("X", tc.nick, "u000"), "Prefer", "create-if-missing")
		if st != tc.want {
			t.Errorf("a group with nickname %s after the change: status %d, want %d", tc.nick, st, tc.want)
		}
	}
}

func TestCreateRules(t *testing.T) {
	sec := func(nick string) map[string]any {
		return map[string]any{"displayName": "SG", "mailNickname": nick, "groupTypes": []string{}, "mailEnabled": false, "securityEnabled": true}
	}
	tests := []struct {
		name string
		body map[string]any
		want int
	}{
		{"unified", unifiedBody("A", "p-a"), http.StatusCreated},
		{"nickname taken by a Microsoft 365 group", unifiedBody("B", "P-A"), http.StatusBadRequest},
		{"security groups may share a nickname", sec("p-a"), http.StatusCreated},
		{"distribution group", map[string]any{"displayName": "DL", "mailNickname": "p-dl", "groupTypes": []string{}, "mailEnabled": true, "securityEnabled": false}, http.StatusBadRequest},
		{"nickname with a space", unifiedBody("C", "p c"), http.StatusBadRequest},
		{"nickname too long", unifiedBody("C", strings.Repeat("x", 65)), http.StatusBadRequest},
		{"missing mailEnabled", map[string]any{"displayName": "D", "mailNickname": "p-d", "securityEnabled": true}, http.StatusBadRequest},
	}
	f := newFixture(t, Options{Users: users(1)})
	for i, tt := range tests {
		st, _, out := f.do(http.MethodPatch, fmt.Sprintf("/groups(uniqueName='k%d')", i), tt.body, "Prefer", "create-if-missing")
		if st != tt.want {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, st, tt.want, out)
		}
	}
}

func TestRelationshipLimitAndExistingMember(t *testing.T) {
	f := newFixture(t, Options{Users: users(30)})
	ids := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprintf("u%03d", i))
		}
		return out
	}
	id := f.upsert("k", unifiedBody("A", "p-a", "u000"))
	tests := []struct {
		name     string
		members  []string
		want     int
		members2 int // members after
	}{
		{"21 members refused", ids(1, 22), http.StatusBadRequest, 0},
		{"20 members", ids(1, 21), http.StatusNoContent, 20},
		{"one present member refuses all", append(ids(21, 23), "u001"), http.StatusBadRequest, 20},
		{"unknown user", []string{"nobody"}, http.StatusBadRequest, 20},
		{"new members", ids(21, 23), http.StatusNoContent, 22},
	}
	for _, tt := range tests {
		st, _, out := f.do(http.MethodPatch, "/groups/"+id, map[string]any{"members@odata.bind": binds(tt.members...)})
		if st != tt.want {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, st, tt.want, out)
		}
		if n := len(f.s.Groups()[0].Members); n != tt.members2 {
			t.Errorf("%s: %d members after, want %d", tt.name, n, tt.members2)
		}
	}
	// Create counts owners and members together.
	body := unifiedBody("B", "p-b", ids(0, 10)...)
	body["members@odata.bind"] = binds(ids(10, 21)...)
	if st, _, _ := f.do(http.MethodPatch, "/groups(uniqueName='k2')", body, "Prefer", "create-if-missing"); st != http.StatusBadRequest {
		t.Errorf("create with 21 relationships: status %d, want 400", st)
	}
}

func TestLastOwnerCannotBeRemoved(t *testing.T) {
	f := newFixture(t, Options{Users: users(3)})
	id := f.upsert("k", unifiedBody("A", "p-a", "u000", "u001"))
	steps := []struct {
		path string
		want int
	}{
		{"/groups/" + id + "/owners/u000/$ref", http.StatusNoContent},
		{"/groups/" + id + "/owners/u001/$ref", http.StatusBadRequest},
		{"/groups/" + id + "/owners/u002/$ref", http.StatusNotFound},
		{"/groups/" + id + "/members/u002/$ref", http.StatusNotFound},
	}
	for _, s := range steps {
		if st, _, _ := f.do(http.MethodDelete, s.path, nil); st != s.want {
			t.Errorf("DELETE %s: status %d, want %d", s.path, st, s.want)
		}
	}
	if got := f.s.Groups()[0].Owners; !cmp.Equal(got, []string{"u001"}) {
		t.Errorf("owners %v, want [u001]", got)
	}
}

func TestPagingFollowsNextLink(t *testing.T) {
	f := newFixture(t, Options{Users: users(1), PageSize: 7})
	for i := range 23 {
		f.upsert(fmt.Sprintf("k%d", i), unifiedBody("G", fmt.Sprintf("p-%02d", i)))
	}
	f.upsert("other", unifiedBody("G", "x-other"))
	tests := []struct {
		query string
		pages int
		n     int
	}{
		{"?$filter=startsWith(mailNickname,'p-')&$select=id,mailNickname", 4, 23},
		{"?$filter=startsWith(mailNickname,'p-')&$top=10", 3, 23},
		{"", 4, 24},
		{"?$filter=startsWith(displayName,'g')", 4, 24}, // case-insensitively
	}
	for _, tt := range tests {
		next, pages, n := "/groups"+tt.query, 0, 0
		for next != "" {
			st, _, body := f.do(http.MethodGet, next, nil)
			if st != http.StatusOK {
				t.Fatalf("%s: status %d", next, st)
			}
			pages++
			n += len(values(body))
			next, _ = body["@odata.nextLink"].(string)
		}
		if pages != tt.pages || n != tt.n {
			t.Errorf("%q: %d pages, %d groups; want %d, %d", tt.query, pages, n, tt.pages, tt.n)
		}
	}
	st, _, _ := f.do(http.MethodGet, "/groups?$filter="+urlQuery("description eq 'G'"), nil)
	if st != http.StatusBadRequest {
		t.Errorf("unsupported filter: status %d, want 400", st)
	}
	st, _, _ = f.do(http.MethodGet, "/groups?$skiptoken=bogus", nil)
	if st != http.StatusBadRequest {
		t.Errorf("forged skiptoken: status %d, want 400", st)
	}
}

func TestUsersFilter(t *testing.T) {
	us := users(20)
	us[3].Mail, us[4].EmployeeID = "m3@skola.example", "E4"
	f := newFixture(t, Options{Users: us})
	tests := []struct {
		filter string
		want   []string
		status int
	}{
		{"userPrincipalName in ('USER1@skola.example','user2@skola.example','nobody@x')", []string{"u001", "u002"}, 200},
		{"mail eq 'm3@skola.example'", []string{"u003"}, 200},
		{"employeeId in ('E4')", []string{"u004"}, 200},
		{"id in ('u005')", []string{"u005"}, 200},
		{"userPrincipalName in (" + strings.Repeat("'a',", 15) + "'b')", nil, 400},
		{"displayName eq 'x'", nil, 400},
	}
	for _, tt := range tests {
		st, _, body := f.do(http.MethodGet, "/users?$select=id&$filter="+urlQuery(tt.filter), nil)
		if st != tt.status {
			t.Errorf("%s: status %d, want %d", tt.filter, st, tt.status)
			continue
		}
		var got []string
		for _, v := range values(body) {
			got = append(got, v["id"].(string))
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.filter, got, tt.want)
		}
	}
}
