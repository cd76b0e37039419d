package google

import (
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func TestMarker(t *testing.T) {
	for _, tc := range []struct {
		kind elevsynkv1.RoomKind
		key  string
		want string
	}{
		{elevsynkv1.RoomCourse, "kurs:activity:3f2a-9b", "elevsynk.c.kurs.activity.3f2a-9b"},
		{elevsynkv1.RoomGoogleGroup, "klass:group:7A", "elevsynk.g.klass.group.7_41"},
		{elevsynkv1.RoomMailGroup, "a::b", "elevsynk.m.a._3ab"},
		{elevsynkv1.RoomCourse, ":x:", "elevsynk.c._3ax_3a"},
		{elevsynkv1.RoomCourse, "skola:11111111:staff", "elevsynk.c.skola.11111111.staff"},
		{elevsynkv1.RoomCourse, "a.b_c åk", "elevsynk.c.a_2eb_5fc_20_c3_a5k"},
		{elevsynkv1.RoomSecurityGroup, "x", ""},
		{elevsynkv1.RoomCourse, "", ""},
	} {
		got := def.marker(tc.kind, tc.key)
		if got != tc.want {
			t.Errorf("def.marker(%s, %q) = %q, want %q", tc.kind, tc.key, got, tc.want)
			continue
		}
		if got == "" {
			continue
		}
		k, key, ok := def.parseMarker(got)
		if !ok || k != tc.kind || key != tc.key {
			t.Errorf("def.parseMarker(%q) = %s %q %v", got, k, key, ok)
		}
	}
}

func TestParseMarkerRefuses(t *testing.T) {
	for _, s := range []string{
		"", "elevsynk.", "elevsynk.c.", "elevsynk.x.abc", "elevsynk.cabc", "other.c.abc",
		"elevsynk.c.A", "elevsynk.c.a..b", "elevsynk.c..a", "elevsynk.c.a.", "elevsynk.c.a_3", "elevsynk.c.a_zz",
		"elevsynk.c._61", // 'a' spelt as an escape: not canonical
		"elevsynk.c.a:b", "elevsynk.c.a b",
	} {
		if k, key, ok := def.parseMarker(s); ok {
			t.Errorf("def.parseMarker(%q) = %s %q, want refusal", s, k, key)
		}
	}
}

// The marker alphabet is what a Workspace address takes: lower-case
// letters, digits, '-', '_' and single inner periods.
func TestMarkerIsAnAddress(t *testing.T) {
	for _, key := range []string{"a", ":a", "a:", "a::b", "x:y:z", "ÅÄÖ", "a@b", "a/b", "a b", strings.Repeat(":", 5)} {
		m := def.marker(elevsynkv1.RoomGoogleGroup, key)
		if !addressLike(m) {
			t.Errorf("marker for %q is %q, not an address local part", key, m)
		}
	}
}

func addressLike(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !keep(b) && b != '.' && b != '_' {
			return false
		}
	}
	return true
}

// FuzzMarker: every key survives the round trip and gives an address-like
// marker; whatever parses is the marker of what it parses to.
func FuzzMarker(f *testing.F) {
	f.Add("kurs:activity:3f2a")
	f.Add("::")
	f.Add("elevsynk.c.a_3ab")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if s != "" {
			m := def.marker(elevsynkv1.RoomCourse, s)
			k, key, ok := def.parseMarker(m)
			if !ok || k != elevsynkv1.RoomCourse || key != s {
				t.Errorf("round trip of %q via %q gave %q %v", s, m, key, ok)
			}
			if !addressLike(m) {
				t.Errorf("marker %q of %q is not address-like", m, s)
			}
		}
		if k, key, ok := def.parseMarker(s); ok && def.marker(k, key) != s {
			t.Errorf("%q parses to %s %q whose marker is %q", s, k, key, def.marker(k, key))
		}
	})
}

// Targets with different prefixes on one domain never take each other's
// rooms for their own, nor each other's pending groups.
func TestMarkerPrefixesKeepTargetsApart(t *testing.T) {
	gr, gy := MarkersOf("grundskola"), MarkersOf("gymnasium")
	for _, k := range []elevsynkv1.RoomKind{elevsynkv1.RoomCourse, elevsynkv1.RoomGoogleGroup, elevsynkv1.RoomMailGroup} {
		m := gr.marker(k, "klasser:group:1")
		if _, _, ok := gy.parseMarker(m); ok {
			t.Errorf("%s: %q parses for another prefix", k, m)
		}
		if kind, key, ok := gr.parseMarker(m); !ok || kind != k || key != "klasser:group:1" {
			t.Errorf("%s: %q does not parse back: %s %q %v", k, m, kind, key, ok)
		}
	}
	if gr.pendingPrefix() == gy.pendingPrefix() || def.pendingPrefix() != "elevsynk-new-" {
		t.Errorf("pending prefixes %q, %q, default %q", gr.pendingPrefix(), gy.pendingPrefix(), def.pendingPrefix())
	}
}
