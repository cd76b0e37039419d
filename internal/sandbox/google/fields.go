package google

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// A request may ask for a partial response with the fields system
// parameter, and the answer then holds only the fields selected: "a
// comma-separated list to select multiple fields", "a/b to select a field
// b that is nested within field a", "a(b,c) to select a group of
// sub-fields", and "a wildcard in field selections"; a selection that is
// not well formed is 400 Bad Request (Classroom, "Performance tips",
// https://developers.google.com/workspace/classroom/guides/performance#partial;
// Directory, https://developers.google.com/workspace/admin/directory/v1/guides/performance#partial).
// The sandbox does not know each resource's schema, so a well-formed
// selection of a field a resource does not have selects nothing, where
// Google answers 400.

// selection is a parsed fields parameter: the fields selected by name,
// each with what is selected within it; nil within a field selects all
// of it.
type selection map[string]selection

var errSelection = errors.New("invalid field selection")

// parseFields parses a fields parameter.
func parseFields(s string) (selection, error) {
	p := fieldParser{s: s}
	sel := selection{}
	if err := p.list(sel); err != nil {
		return nil, err
	}
	if p.i != len(s) {
		return nil, errSelection
	}
	return sel, nil
}

type fieldParser struct {
	s string
	i int
}

// list reads item (',' item)* into sel.
func (p *fieldParser) list(sel selection) error {
	for {
		if err := p.item(sel); err != nil {
			return err
		}
		if p.i == len(p.s) || p.s[p.i] != ',' {
			return nil
		}
		p.i++
	}
}

// item reads a name, then "/" and an item or "(" a list ")" within it, or
// nothing: the whole field.
func (p *fieldParser) item(sel selection) error {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",/()", rune(p.s[p.i])) {
		p.i++
	}
	name := strings.TrimSpace(p.s[start:p.i])
	if name == "" || (strings.Contains(name, "*") && name != "*") {
		return errSelection
	}
	sub, seen := sel[name]
	whole := seen && sub == nil // a sub-selection then changes nothing
	if sub == nil {
		sub = selection{}
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '/':
		p.i++
		if err := p.item(sub); err != nil {
			return err
		}
	case p.i < len(p.s) && p.s[p.i] == '(':
		p.i++
		if err := p.list(sub); err != nil {
			return err
		}
		if p.i == len(p.s) || p.s[p.i] != ')' {
			return errSelection
		}
		p.i++
	default:
		whole = true
	}
	if whole {
		sub = nil
	}
	sel[name] = sub
	return nil
}

// filter returns the JSON of v with only sel's fields, or all of it when
// sel is nil.
func filter(v any, sel selection) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil || sel == nil {
		return raw, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	part, _ := sel.apply(doc)
	return json.Marshal(part)
}

// apply keeps sel's fields of an object, and of each object in an array;
// a value that is neither has no fields to select and is dropped, unless
// it is selected whole.
func (sel selection) apply(v any) (any, bool) {
	if sel == nil {
		return v, true
	}
	switch x := v.(type) {
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if e, ok := sel.apply(e); ok {
				out = append(out, e)
			}
		}
		return out, true
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			sub, ok := sel[k]
			if !ok {
				sub, ok = sel["*"]
			}
			if !ok {
				continue
			}
			if e, ok := sub.apply(e); ok {
				out[k] = e
			}
		}
		return out, true
	}
	return nil, false
}
