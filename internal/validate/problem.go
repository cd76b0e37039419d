// Package validate checks a configuration repository's manifests offline,
// as `kubectl apply` and the controllers would: the CRDs' schemas and CEL
// rules, the Mappings' rules (filters, templates, selectors), and the
// references between objects. It never prints a Secret's values, and
// messages name objects, fields and rules, never people.
package validate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with one manifest.
type Problem struct {
	File string // relative to the directory read
	Doc  int    // document in the file, from 1; 0 when not known
	Kind string
	// Namespace and Name of the object; empty when the document could not be read.
	Namespace, Name string
	Field           string // e.g. spec.rules[klasser].filter; empty for the whole object
	Message         string
	// Warning marks what may be fine, such as a Secret kept out of git.
	Warning bool
}

// String is the problem as one line: FILE:DOC: KIND NAMESPACE/NAME: FIELD: MESSAGE,
// leaving out the parts it does not know.
func (p Problem) String() string {
	var b strings.Builder
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.File)
	if p.Doc > 0 {
		fmt.Fprintf(&b, ":%d", p.Doc)
	}
	b.WriteString(": ")
	if p.Kind != "" {
		fmt.Fprintf(&b, "%s %s/%s: ", p.Kind, p.Namespace, p.Name)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Report is the outcome of validating a directory.
type Report struct {
	Objects  int       // manifests read
	Problems []Problem // errors first, then warnings, each in file order
}

// Errors counts the problems that are not warnings.
func (r Report) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Warning {
			n++
		}
	}
	return n
}

// sortProblems puts errors before warnings and each in file and document
// order, keeping the order found within a document.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Warning != b.Warning {
			if a.Warning {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Doc, b.Doc))
	})
}
