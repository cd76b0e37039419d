package graph

import (
	"errors"
	"net/url"
	"strings"
)

// The OData subset of concepts/query-parameters the adapter sends. Anything
// else is refused with 400, as Graph refuses filters a property does not
// support.

// filter is one parsed $filter.
type filter struct {
	op     string // "startsWith", "in", "eq"
	attr   string
	values []string
}

var errFilter = errors.New("unsupported filter")

// maxInValues bounds the "in" operator, as the adapter is told to keep it
// (at most 15 values per request).
const maxInValues = 15

// parseFilter accepts startsWith(attr,'v'), attr eq 'v' and
// attr in ('a','b',…).
func parseFilter(s string) (filter, error) {
	s = strings.TrimSpace(s)
	if rest, ok := cutPrefixFold(s, "startsWith("); ok {
		attr, rest, ok := strings.Cut(rest, ",")
		if !ok {
			return filter{}, errFilter
		}
		v, rest, err := parseString(strings.TrimSpace(rest))
		if err != nil || strings.TrimSpace(rest) != ")" || !isIdent(strings.TrimSpace(attr)) {
			return filter{}, errFilter
		}
		return filter{op: "startsWith", attr: strings.TrimSpace(attr), values: []string{v}}, nil
	}
	attr, rest, ok := strings.Cut(s, " ")
	if !ok || !isIdent(attr) {
		return filter{}, errFilter
	}
	rest = strings.TrimSpace(rest)
	switch {
	case strings.HasPrefix(rest, "eq "):
		v, tail, err := parseString(strings.TrimSpace(rest[3:]))
		if err != nil || strings.TrimSpace(tail) != "" {
			return filter{}, errFilter
		}
		return filter{op: "eq", attr: attr, values: []string{v}}, nil
	case strings.HasPrefix(rest, "in "):
		list := strings.TrimSpace(rest[3:])
		if !strings.HasPrefix(list, "(") {
			return filter{}, errFilter
		}
		list = list[1:]
		var vals []string
		for {
			v, tail, err := parseString(strings.TrimSpace(list))
			if err != nil {
				return filter{}, errFilter
			}
			vals = append(vals, v)
			tail = strings.TrimSpace(tail)
			if tail == ")" {
				break
			}
			if !strings.HasPrefix(tail, ",") {
				return filter{}, errFilter
			}
			list = tail[1:]
		}
		if len(vals) > maxInValues {
			return filter{}, errFilter
		}
		return filter{op: "in", attr: attr, values: vals}, nil
	}
	return filter{}, errFilter
}

// parseString reads an OData string literal: single quotes, a quote inside
// doubled.
func parseString(s string) (string, string, error) {
	if !strings.HasPrefix(s, "'") {
		return "", "", errFilter
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], nil
	}
	return "", "", errFilter
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	return true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// segment is one path segment: a name with an optional key, either
// positional, teams('id'), or named, groups(uniqueName='x')
// (api/group-upsert uses the named form).
type segment struct {
	name     string
	keyName  string
	key      string
	hasParen bool
}

// parseSegment splits a path segment into its name and key.
func parseSegment(seg string) (segment, error) {
	name, rest, ok := strings.Cut(seg, "(")
	if !ok {
		return segment{name: seg}, nil
	}
	if !strings.HasSuffix(rest, ")") || name == "" {
		return segment{}, errFilter
	}
	rest = rest[:len(rest)-1]
	out := segment{name: name, hasParen: true}
	if k, v, ok := strings.Cut(rest, "="); ok && !strings.HasPrefix(rest, "'") {
		if !isIdent(k) {
			return segment{}, errFilter
		}
		out.keyName, rest = k, v
	}
	v, tail, err := parseString(rest)
	if err != nil || tail != "" {
		return segment{}, errFilter
	}
	out.key = v
	return out, nil
}

// splitPath turns /teams('a')/operations('b') and /teams/a/operations/b
// into the same segments; a named key stays on its segment.
func splitPath(p string) ([]segment, error) {
	var out []segment
	for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
		seg, err := parseSegment(part)
		if err != nil {
			return nil, err
		}
		if seg.hasParen && seg.keyName == "" {
			out = append(out, segment{name: seg.name}, segment{name: seg.key})
			continue
		}
		out = append(out, seg)
	}
	return out, nil
}

// bindID is the object id at the end of an @odata.bind or @odata.id URL:
// …/directoryObjects/{id}, …/users/{id}, …/users('{id}'),
// …/groups('{id}'), …/teamsTemplates('standard').
func bindID(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return "", false
	}
	segs, err := splitPath(u.Path)
	if err != nil || len(segs) < 2 {
		return "", false
	}
	id := segs[len(segs)-1].name
	if id == "" || segs[len(segs)-1].keyName != "" {
		return "", false
	}
	return id, true
}

// selectSet parses $select; nil means the defaults.
func selectSet(q url.Values) map[string]bool {
	v := q.Get("$select")
	if v == "" {
		return nil
	}
	out := map[string]bool{}
	for _, f := range strings.Split(v, ",") {
		out[strings.TrimSpace(f)] = true
	}
	return out
}
