package plan

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// foldCmp orders account keys as strings.ToLower would, without
// allocating for ASCII: UPNs and e-mail addresses are case-insensitive, so
// "Anna@x" and "anna@x" are one person.
func foldCmp(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca >= utf8.RuneSelf || cb >= utf8.RuneSelf {
			return strings.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if c := cmp.Compare(lowerASCII(ca), lowerASCII(cb)); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// folded returns keys in foldCmp order: keys itself when it already is
// (the usual case, all lower case), else a sorted copy.
func folded(keys []string) []string {
	if slices.IsSortedFunc(keys, foldCmp) {
		return keys
	}
	keys = slices.Clone(keys)
	slices.SortFunc(keys, foldCmp)
	return keys
}

// without returns the keys of a that are in neither b nor c, once each, in
// the spelling a has; all three are in foldCmp order. It allocates only
// when there is something to return.
func without(a, b, c []string) []string {
	var out []string
	var cb, cc cursor
	for i, k := range a {
		if i > 0 && foldCmp(a[i-1], k) == 0 {
			continue
		}
		if !cb.holds(b, k) && !cc.holds(c, k) {
			out = append(out, k)
		}
	}
	// Actions list people in plain string order.
	if !slices.IsSorted(out) {
		slices.Sort(out)
	}
	return out
}

// cursor walks a foldCmp-ordered list alongside ascending probes.
type cursor int

// holds reports whether list has k, k being no lower than earlier probes.
func (c *cursor) holds(list []string, k string) bool {
	for int(*c) < len(list) && foldCmp(list[*c], k) < 0 {
		*c++
	}
	return int(*c) < len(list) && foldCmp(list[*c], k) == 0
}
