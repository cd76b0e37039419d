package graph

import (
	"strings"
	"testing"
)

// The sandbox parses what clients send: OData filters, key segments, bind
// URLs, page and delta tokens and batch bodies. None may panic, and what
// they accept must be self-consistent.

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"startsWith(mailNickname,'elevsynk-')", "userPrincipalName in ('a@x','b''c@x')", "externalId eq 'k:1'",
		"mail in ()", "startsWith(x,'", "id in ('a',", "eq eq 'x'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := parseFilter(s)
		if err != nil {
			return
		}
		if !isIdent(flt.attr) || len(flt.values) == 0 || len(flt.values) > maxInValues {
			t.Fatalf("accepted %q as %+v", s, flt)
		}
		if flt.op != "in" && len(flt.values) != 1 {
			t.Fatalf("accepted %q with %d values for %s", s, len(flt.values), flt.op)
		}
	})
}

func FuzzSplitPath(f *testing.F) {
	for _, s := range []string{
		"/groups(uniqueName='elevsynk-Team:klasser:group:1')", "/teams('a')/operations('b')", "/groups/x/members/y/$ref",
		"/groups(uniqueName='a''b')", "/x(", "/x(')", "/(a)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		segs, err := splitPath(s)
		if err != nil {
			return
		}
		for _, sg := range segs {
			if sg.keyName != "" && !isIdent(sg.keyName) {
				t.Fatalf("%q: key name %q", s, sg.keyName)
			}
		}
		// A named key round-trips through OData quoting.
		if len(segs) == 1 && segs[0].keyName == "uniqueName" {
			again, err := splitPath("/groups(uniqueName='" + strings.ReplaceAll(segs[0].key, "'", "''") + "')")
			if err != nil || again[0].key != segs[0].key {
				t.Fatalf("%q: key %q does not round-trip", s, segs[0].key)
			}
		}
	})
}

func FuzzBindID(f *testing.F) {
	for _, s := range []string{
		"https://graph.microsoft.com/v1.0/directoryObjects/abc", "https://graph.microsoft.com/v1.0/users('x')",
		"https://graph.microsoft.com/v1.0/teamsTemplates('standard')", "::", "/", "https://h/groups(uniqueName='x')",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := bindID(s); ok && id == "" {
			t.Fatalf("%q: empty id accepted", s)
		}
	})
}

func FuzzDecodeToken(f *testing.F) {
	f.Add(encodeToken(token{Query: "$select=id", Offset: 100}))
	f.Add(encodeToken(token{From: 3, To: 9, Issued: 1700000000}))
	f.Add("")
	f.Add("e30")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := decodeToken(s)
		if err != nil {
			return
		}
		if tok.Offset < 0 || tok.To < tok.From {
			t.Fatalf("%q decoded to %+v", s, tok)
		}
		back, err := decodeToken(encodeToken(tok))
		if err != nil || back != tok {
			t.Fatalf("%+v does not round-trip", tok)
		}
	})
}

func FuzzParseBatch(f *testing.F) {
	f.Add([]byte(`{"requests":[{"id":"1","method":"GET","url":"/groups","body":null,"dependsOn":[]}]}`))
	f.Add([]byte(`{"requests":[{"id":"1","method":"PATCH","url":"/groups/x","headers":{"Content-Type":"application/json"},"body":{}},{"id":"2","method":"GET","url":"/groups","dependsOn":["1"]}]}`))
	f.Add([]byte(`{"requests":[{"id":"1","method":"GET","url":"/g","dependsOn":["1"]}]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := parseBatch(b)
		if err != nil {
			return
		}
		if len(items) == 0 || len(items) > maxBatch {
			t.Fatalf("accepted %d requests", len(items))
		}
		seen := map[string]bool{}
		for _, it := range items {
			for _, d := range it.DependsOn {
				if !seen[d] {
					t.Fatalf("request %q runs before its dependency %q", it.ID, d)
				}
			}
			seen[it.ID] = true
		}
	})
}
