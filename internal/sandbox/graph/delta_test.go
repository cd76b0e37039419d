package graph

import (
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// deltaRound follows nextLinks to the deltaLink and returns the entries by
// group id and the deltaLink.
func (f *fixture) deltaRound(link string) (map[string]map[string]any, string, int) {
	f.t.Helper()
	out := map[string]map[string]any{}
	pages := 0
	for {
		st, _, body := f.do(http.MethodGet, link, nil)
		if st != http.StatusOK {
			f.t.Fatalf("delta %s: status %d %v", link, st, body)
		}
		pages++
		for _, v := range values(body) {
			out[v["id"].(string)] = v
		}
		if next, ok := body["@odata.nextLink"].(string); ok {
			link = next
			continue
		}
		return out, body["@odata.deltaLink"].(string), pages
	}
}

func memberDelta(e map[string]any) []string {
	var out []string
	raw, _ := e["members@delta"].([]any)
	for _, m := range raw {
		mm := m.(map[string]any)
		s := mm["id"].(string)
		if _, removed := mm["@removed"]; removed {
			s = "-" + s
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestDelta(t *testing.T) {
	c := newClock()
	f := newFixture(t, Options{Users: users(5), PageSize: 2, Now: c.Now})
	a := f.upsert("a", unifiedBody("A", "p-a", "u000"))
	b := f.upsert("b", unifiedBody("B", "p-b", "u000"))
	gone := f.upsert("c", unifiedBody("C", "p-c", "u000"))
	f.do(http.MethodPatch, "/groups/"+a, map[string]any{"members@odata.bind": binds("u001", "u002")})

	first, link, pages := f.deltaRound("/groups/delta?$select=displayName,mailNickname,members")
	if len(first) != 3 || pages != 2 {
		t.Fatalf("first round: %d groups on %d pages, want 3 on 2", len(first), pages)
	}
	if got := memberDelta(first[a]); !cmp.Equal(got, []string{"u001", "u002"}) {
		t.Errorf("first round members of A: %v", got)
	}
	if _, ok := first[a]["description"]; ok {
		t.Errorf("unselected property in delta: %v", first[a])
	}

	// Nothing changed: an empty round.
	none, link, _ := f.deltaRound(link)
	if len(none) != 0 {
		t.Errorf("no-change round lists %d groups", len(none))
	}

	f.do(http.MethodDelete, "/groups/"+a+"/members/u001/$ref", nil)
	f.do(http.MethodPatch, "/groups/"+a, map[string]any{"members@odata.bind": binds("u003")})
	if err := f.s.RenameGroup(b, "B renamed"); err != nil {
		t.Fatal(err)
	}
	f.do(http.MethodDelete, "/groups/"+gone, nil)
	changed, link, _ := f.deltaRound(link)
	if len(changed) != 3 {
		t.Fatalf("changed round lists %d groups, want 3", len(changed))
	}
	if got := memberDelta(changed[a]); !cmp.Equal(got, []string{"-u001", "u003"}) {
		t.Errorf("member changes of A: %v", got)
	}
	if changed[b]["displayName"] != "B renamed" || changed[b]["members@delta"] != nil {
		t.Errorf("renamed B: %v", changed[b])
	}
	if _, ok := changed[gone]["@removed"]; !ok {
		t.Errorf("deleted group without @removed: %v", changed[gone])
	}

	// Sync from now.
	st, _, latest := f.do(http.MethodGet, "/groups/delta?$select=members&$deltatoken=latest", nil)
	if st != http.StatusOK || len(values(latest)) != 0 || latest["@odata.deltaLink"] == nil {
		t.Errorf("latest: %d %v", st, latest)
	}

	// Expired after seven days.
	c.Add(7*24*time.Hour + time.Minute)
	st, _, body := f.do(http.MethodGet, link, nil)
	if st != http.StatusBadRequest || errCode(body) != "syncStateNotFound" {
		t.Errorf("expired delta link: %d %v", st, body)
	}
}
