package msgraph

import (
	"net/http"
	"strings"
	"testing"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func TestNickname(t *testing.T) {
	long := strings.Repeat("a", 70)
	tests := []struct {
		desired, key, want string
	}{
		{"no-klass-7a", "k", "elevsynk-no-klass-7a"},
		{"", "undervisning:activity:A1", "elevsynk-undervisning-activity-a1"},
		{"Åk 7 (A)", "k", "elevsynk---k-7--a-"}, // Å is two bytes
		{long, "k", "elevsynk-" + long[:46] + "-"},
	}
	for _, tt := range tests {
		got := nickname("elevsynk-", tt.desired, tt.key)
		if !strings.HasPrefix(got, tt.want) || len(got) > maxNickname {
			t.Errorf("nickname(%q, %q) = %q, want prefix %q and at most 64 characters", tt.desired, tt.key, got, tt.want)
		}
	}
	if a, b := nickname("p-", long+"x", "k"), nickname("p-", long+"y", "k"); a == b {
		t.Errorf("long nicknames collide: %q", a)
	}
}

func TestUniqueNameRoundTrip(t *testing.T) {
	tests := []struct {
		u    string
		kind elevsynkv1.RoomKind
		key  string
		ok   bool
	}{
		{uniqueName("elevsynk-", elevsynkv1.RoomTeam, "klasser:group:1"), elevsynkv1.RoomTeam, "klasser:group:1", true},
		{uniqueName("elevsynk-", elevsynkv1.RoomSecurityGroup, "a'b"), elevsynkv1.RoomSecurityGroup, "a'b", true},
		{"elevsynk-ClassTeam:k", "", "", false}, // classes are found by externalId
		{"other-Team:k", "", "", false},
		{"elevsynk-Team:", "", "", false},
	}
	for _, tt := range tests {
		kind, key, ok := parseUniqueName("elevsynk-", tt.u)
		if kind != tt.kind || key != tt.key || ok != tt.ok {
			t.Errorf("parseUniqueName(%q) = %q, %q, %v", tt.u, kind, key, ok)
		}
	}
}

func TestParseOperation(t *testing.T) {
	tests := []struct {
		loc, team, op string
		ok            bool
	}{
		{"/teams('g1')/operations('o1')", "g1", "o1", true},
		{"/teams('g1')/operations('')", "", "", false},
		{"/teams('g/1')/operations('o1')", "", "", false},
		{"https://elsewhere/teams('g1')/operations('o1')", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		team, op, ok := parseOperation(tt.loc)
		if team != tt.team || op != tt.op || ok != tt.ok {
			t.Errorf("parseOperation(%q) = %q, %q, %v", tt.loc, team, op, ok)
		}
	}
}

func TestRetryTiming(t *testing.T) {
	tests := []struct {
		status  int
		after   string
		attempt int
		want    time.Duration
		retry   bool
	}{
		{http.StatusTooManyRequests, "7", 1, 7 * time.Second, true},
		{http.StatusServiceUnavailable, "", 1, 2 * time.Second, true},
		{http.StatusGatewayTimeout, "", 3, 8 * time.Second, true},
		{http.StatusServiceUnavailable, "", 20, time.Minute, true},
		{http.StatusTooManyRequests, "soon", 2, 4 * time.Second, true},
		{http.StatusBadRequest, "7", 1, 0, false},
	}
	for _, tt := range tests {
		// Full jitter: the nominal delays, 2 s doubled up to a minute.
		p := Options{Jitter: func() float64 { return 1 }}.withDefaults().retry()
		got, err := p.Wait(tt.attempt, tt.after, time.Now())
		retry := retryable(tt.status)
		if !retry {
			got = 0
		}
		if err != nil || got != tt.want || retry != tt.retry {
			t.Errorf("%d %q attempt %d: %v %v, want %v %v", tt.status, tt.after, tt.attempt, got, retry, tt.want, tt.retry)
		}
	}
}

func TestParseDeltaPage(t *testing.T) {
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{"changes", `{"value":[{"id":"g","displayName":"A","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u","@removed":{"reason":"deleted"}}]},{"id":"h","@removed":{"reason":"changed"}}],"@odata.deltaLink":"x"}`, true},
		{"next page", `{"value":[],"@odata.nextLink":"x"}`, true},
		{"both links", `{"value":[],"@odata.nextLink":"x","@odata.deltaLink":"y"}`, false},
		{"no link", `{"value":[]}`, false},
		{"entry without id", `{"value":[{"displayName":"A"}],"@odata.deltaLink":"x"}`, false},
		{"not JSON", `{`, false},
	}
	for _, tt := range tests {
		p, err := parseDeltaPage([]byte(tt.body))
		if (err == nil) != tt.ok {
			t.Errorf("%s: error %v", tt.name, err)
		}
		if tt.name == "changes" && (p.Value[0].MembersDelta[0].Removed == nil || p.Value[1].Removed == nil || *p.Value[0].DisplayName != "A") {
			t.Errorf("changes read as %+v", p)
		}
	}
}
