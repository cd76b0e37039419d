package plan

import (
	"cmp"
	"hash/maphash"
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
	n := min(len(a), len(b))
	for i := range n {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca|cb >= utf8.RuneSelf {
			return lowerFrom(a, b, i)
		}
		if ca, cb = lowerASCII(ca), lowerASCII(cb); ca != cb {
			return int(ca) - int(cb)
		}
	}
	// One is the other's prefix but for case, which decides it unless the
	// shorter ends inside a rune of the longer.
	if n < len(a) && !utf8.RuneStart(a[n]) || n < len(b) && !utf8.RuneStart(b[n]) {
		return lowerFrom(a, b, n)
	}
	return cmp.Compare(len(a), len(b))
}

// lowerFrom compares a and b lower-cased from a rune start at or before
// i in both; what comes before i is equal but for ASCII case. Go decodes
// an invalid byte alone, so lower-casing from a byte that continues no
// rune gives what lower-casing the whole string gives from there.
func lowerFrom(a, b string, i int) int {
	for i > 0 && (i < len(a) && !utf8.RuneStart(a[i]) || i < len(b) && !utf8.RuneStart(b[i])) {
		i--
	}
	return strings.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
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
	slices.SortFunc(keys, keyCmp)
	return keys
}

// sorted returns keys in string order: keys itself when it already is,
// else a sorted copy. String order sorts several times faster than
// keyCmp, and equal lists in it need no folding at all.
func sorted(keys []string) []string {
	if slices.IsSorted(keys) {
		return keys
	}
	keys = slices.Clone(keys)
	slices.Sort(keys)
	return keys
}

// sameKeys reports whether have holds the keys of want, each as often, in
// whatever order; only string-equal keys count as the same here, as in
// the lists' comparison it saves. It compares sums of the keys' hashes
// rather than sorting have: a target lists members in its own order, and
// sorting each room's observed keys, scattered over the heap as they were
// decoded, had been two thirds of planning and grew 20x for 10x the
// pupils. Two different lists have the same sum with a chance of about
// 2^-64; the seed is new for every plan, so such a room is seen the next
// time.
func (b *builder) sameKeys(want, have []string) bool {
	if len(want) != len(have) {
		return false
	}
	if slices.Equal(want, have) {
		return true // a target that sorts, or lists in the desired order
	}
	var w, h uint64
	for i := range want {
		w += maphash.String(b.seed, want[i])
		h += maphash.String(b.seed, have[i])
	}
	return w == h
}

// KeysNotIn returns the keys of a that b lacks, compared as a plan compares
// account keys: case-insensitively, each once, in string order.
func KeysNotIn(a, b []string) []string { return without(folded(a), folded(b)) }

// without returns the keys of a that are in none of excl, once each, in
// the first spelling a has; all lists are in keyCmp order. It allocates
// only when there is something to return.
func without(a []string, excl ...[]string) []string { return appendWithout(nil, a, excl) }

// newRoomPeople is without for a room being created, whose people are
// nearly all of a: its answer is sized for them at once. A first plan for
// a municipality grew one per room, key by key.
func newRoomPeople(a []string, excl ...[]string) []string {
	if out := appendWithout(make([]string, 0, len(a)), a, excl); len(out) > 0 {
		return out
	}
	return nil
}

// appendWithout appends what without returns to out, which is empty.
func appendWithout(out, a []string, excl [][]string) []string {
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
