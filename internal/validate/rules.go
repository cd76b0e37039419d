package validate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/mapping"
)

// checkRules compiles m's rules as the Mapping controller would, with the
// options of tenant (nil: none in the directory, zero options). Problems
// the schema check already reported for the same field (schemaFields) are
// left out, so one mistake makes one line. A problem in the Tenant's
// calendar is reported on the Tenant.
func checkRules(m manifests.Object, tenant *manifests.Object, schemaFields []string) ([]Problem, error) {
	spec := m.Object.(*elevsynkv1.Mapping).Spec
	var opts mapping.Options
	if tenant != nil {
		opts = mapping.TenantOptions(tenant.Object.(*elevsynkv1.Tenant).Spec)
	}
	_, err := mapping.Compile(spec, opts)
	var ce *mapping.CompileError
	if err == nil {
		return nil, nil
	} else if !errors.As(err, &ce) {
		return nil, err // not the spec's fault
	}
	covered := make([]string, len(schemaFields))
	for i, f := range schemaFields {
		covered[i] = byRuleName(f, spec.Rules)
	}
	var out []Problem
	for _, p := range ce.Problems {
		msg := p.Message
		if p.Line > 0 {
			msg = fmt.Sprintf("line %d, column %d: %s", p.Line, p.Column, p.Message)
		}
		if rest, ok := strings.CutPrefix(p.Field, "tenant."); ok && p.Rule == "" && tenant != nil {
			out = append(out, problemAt(*tenant, "spec."+rest, msg))
			continue
		}
		path := rulePath(p)
		if !coveredBy(path, covered) {
			out = append(out, problemAt(m, path, msg))
		}
	}
	return out, nil
}

// rulePath is where a compile problem is in the Mapping, naming the rule
// rather than counting, e.g. spec.rules[klasser].filter.
func rulePath(p mapping.Problem) string {
	if p.Rule == "" {
		return "spec." + p.Field
	}
	path := "spec.rules[" + p.Rule + "]"
	if p.Field != "" && !strings.HasPrefix(p.Field, "[") {
		path += "."
	}
	return path + p.Field
}

var ruleIndexRE = regexp.MustCompile(`^spec\.rules\[(\d+)\]`)

// byRuleName rewrites a schema error's spec.rules[3]... as
// spec.rules[klasser]..., the form compile problems take.
func byRuleName(path string, rules []elevsynkv1.Rule) string {
	m := ruleIndexRE.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, err := strconv.Atoi(m[1])
	if err != nil || i >= len(rules) || rules[i].Name == "" {
		return path
	}
	return "spec.rules[" + rules[i].Name + "]" + path[len(m[0]):]
}

// coveredBy reports whether a schema error already says what the compile
// problem at path says: at the same field, inside it, or around it (a
// duplicate rule, a rule-level CEL rule). The text of a filter or template
// is only checked by compiling, so an error around it does not cover it;
// nor does one about the whole spec.
func coveredBy(path string, schemaFields []string) bool {
	for _, s := range schemaFields {
		if s == "" || s == "spec" {
			continue
		}
		if path == s || within(s, path) || (within(path, s) && !textField(path)) {
			return true
		}
	}
	return false
}

// within reports whether field path lies inside field outer.
func within(path, outer string) bool {
	return strings.HasPrefix(path, outer+".") || strings.HasPrefix(path, outer+"[")
}

func textField(path string) bool {
	for _, f := range []string{".filter", ".room.name", ".room.description", ".room.mailNickname"} {
		if strings.HasSuffix(path, f) {
			return true
		}
	}
	return false
}
