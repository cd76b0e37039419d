package msgraph

import (
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// The adapter parses what Graph answers: delta pages, operation
// locations, and the uniqueNames of groups anyone may have made.

func FuzzParseDeltaPage(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"g","members@delta":[{"id":"u","@removed":{}}]}],"@odata.deltaLink":"x"}`))
	f.Add([]byte(`{"value":[{"id":"g","resourceProvisioningOptions":["Team"]}],"@odata.nextLink":"x"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseDeltaPage(b)
		if err != nil {
			return
		}
		if (p.NextLink == "") == (p.DeltaLink == "") {
			t.Fatalf("accepted a page with links %q and %q", p.NextLink, p.DeltaLink)
		}
		for _, e := range p.Value {
			if e.ID == "" {
				t.Fatal("accepted an entry without id")
			}
		}
	})
}

func FuzzParseOperation(f *testing.F) {
	f.Add("/teams('g1')/operations('o1')")
	f.Add("/teams('')/operations('o')")
	f.Add("/teams('a')/operations('b')/x")
	f.Fuzz(func(t *testing.T, s string) {
		team, op, ok := parseOperation(s)
		if !ok {
			return
		}
		if team == "" || op == "" || strings.ContainsAny(team+op, "'/") {
			t.Fatalf("%q gave %q, %q", s, team, op)
		}
		if again := "/teams('" + team + "')/operations('" + op + "')"; again != s {
			t.Fatalf("%q does not round-trip (%q)", s, again)
		}
	})
}

func FuzzParseUniqueName(f *testing.F) {
	f.Add("elevsynk-Team:klasser:group:1")
	f.Add("elevsynk-MailGroup:")
	f.Add("elevsynk-:x")
	f.Fuzz(func(t *testing.T, s string) {
		kind, key, ok := parseUniqueName("elevsynk-", s)
		if !ok {
			return
		}
		if key == "" || !kindSupported(kind) || kind == elevsynkv1.RoomClassTeam {
			t.Fatalf("%q gave %q %q", s, kind, key)
		}
		if uniqueName("elevsynk-", kind, key) != s {
			t.Fatalf("%q does not round-trip", s)
		}
	})
}
