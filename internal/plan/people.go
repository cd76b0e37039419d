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
	if a == b {
		return 0 // the usual case, and memequal is fast
	}
	for i := range min(len(a), len(b)) {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca|cb >= utf8.RuneSelf {
			// Lower case from the start of the rune that differs; what
			// comes before is equal.
			for i > 0 && !utf8.RuneStart(a[i]) {
				i--
			}
			return strings.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if ca, cb = lowerASCII(ca), lowerASCII(cb); ca != cb {
			return int(ca) - int(cb)
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

// keyCmp is foldCmp with spellings of one key in string order, so that
// which spelling an action names does not depend on input order.
func keyCmp(a, b string) int {
	if c := foldCmp(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// folded returns keys in keyCmp order: keys itself when it already is
// (the usual case), else a sorted copy.
func folded(keys []string) []string {
	if slices.IsSortedFunc(keys, keyCmp) {
		return keys
	}
	keys = slices.Clone(keys)
	// String order sorts several times faster and is keyCmp order when
	// every key is in lower case, as they mostly are.
	slices.Sort(keys)
	if !slices.IsSortedFunc(keys, keyCmp) {
		slices.SortFunc(keys, keyCmp)
	}
	return keys
}

// without returns the keys of a that are in none of excl, once each, in
// the first spelling a has; all lists are in keyCmp order. It allocates
// only when there is something to return.
func without(a []string, excl ...[]string) []string {
	var out []string
	at := make([]int, len(excl)) // a cursor per list; small enough for the stack
	for i, k := range a {
		if i > 0 && foldCmp(a[i-1], k) == 0 {
			continue
		}
		if !holds(excl, at, k) {
			out = append(out, k)
		}
	}
	// Actions list people in plain string order.
	if !slices.IsSorted(out) {
		slices.Sort(out)
	}
	return out
}

// holds reports whether any of lists has k, advancing each list's cursor
// in at past keys below k (the probes come in ascending order).
func holds(lists [][]string, at []int, k string) bool {
	for n, list := range lists {
		for at[n] < len(list) && foldCmp(list[at[n]], k) < 0 {
			at[n]++
		}
		if at[n] < len(list) && foldCmp(list[at[n]], k) == 0 {
			return true
		}
	}
	return false
}
