package metrics

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// selector is one metric a PromQL expression reads, with its matchers.
type selector struct {
	Metric   string
	Matchers []matcher
}

type matcher struct {
	Label, Op, Value string
}

// The Prometheus PromQL parser (github.com/prometheus/prometheus) is not a
// cheap dependency: its module would raise google.golang.org/api,
// k8s.io/* and client_golang for the whole project. The expressions here
// are simple, so a careful scan does: it drops grouping label lists and
// range durations, takes name{matchers} selectors, drops string literals,
// and keeps the identifiers that are neither function calls nor keywords.
var (
	groupingRe = regexp.MustCompile(`(?i)\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	rangeRe    = regexp.MustCompile(`\[[^\]]*\]`)
	selectorRe = regexp.MustCompile(`([A-Za-z_:][A-Za-z0-9_:]*)?\s*\{([^}]*)\}`)
	matcherRe  = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"`)
	stringRe   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	identRe    = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)

	keywords = []string{"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
		"group_left", "group_right", "atan2", "inf", "nan"}
)

func selectors(expr string) []selector {
	e := groupingRe.ReplaceAllString(expr, " ")
	e = rangeRe.ReplaceAllString(e, " ")
	var out []selector
	e = selectorRe.ReplaceAllStringFunc(e, func(s string) string {
		m := selectorRe.FindStringSubmatch(s)
		sel := selector{Metric: m[1]}
		for _, mm := range matcherRe.FindAllStringSubmatch(m[2], -1) {
			sel.Matchers = append(sel.Matchers, matcher{mm[1], mm[2], mm[3]})
		}
		out = append(out, sel)
		return " "
	})
	e = stringRe.ReplaceAllString(e, " ")
	for _, loc := range identRe.FindAllStringIndex(e, -1) {
		id := e[loc[0]:loc[1]]
		// A letter after a digit is part of a number or duration (1e3, 5m).
		if loc[0] > 0 && strings.ContainsRune("0123456789.", rune(e[loc[0]-1])) {
			continue
		}
		if strings.HasPrefix(strings.TrimLeft(e[loc[1]:], " \t\n"), "(") || slices.Contains(keywords, strings.ToLower(id)) {
			continue
		}
		out = append(out, selector{Metric: id})
	}
	return out
}

func TestSelectors(t *testing.T) {
	tests := []struct {
		expr string
		want []selector
	}{
		{`up`, []selector{{Metric: "up"}}},
		{`time() - last_seconds > 7200`, []selector{{Metric: "last_seconds"}}},
		{`rooms{state="drifted", kind!~"a|b"} > 0`, []selector{{"rooms", []matcher{{"state", "=", "drifted"}, {"kind", "!~", "a|b"}}}}},
		{`(ready{kind!="Tenant"} == 0) unless on (kind, namespace, name) (stalled == 1)`,
			[]selector{{"ready", []matcher{{"kind", "!=", "Tenant"}}}, {Metric: "stalled"}}},
		{`sum by (namespace) (rate(actions_total{result="failed"}[15m])) > bool 1e3`,
			[]selector{{"actions_total", []matcher{{"result", "=", "failed"}}}}},
		{`histogram_quantile(0.9, sum without (kind) (rate(d_bucket[1h] offset 5m)))`, []selector{{Metric: "d_bucket"}}},
		{`label_replace(a, "dst", "$1", "src", "(.*)") or B:recorded`, []selector{{Metric: "a"}, {Metric: "B:recorded"}}},
		{`{__name__="x"}`, []selector{{"", []matcher{{"__name__", "=", "x"}}}}},
		{`vector(1)`, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, selectors(tt.expr)); diff != "" {
			t.Errorf("selectors(%s) (-want +got):\n%s", tt.expr, diff)
		}
	}
}
