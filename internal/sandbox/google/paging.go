package google

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A page token names the list it belongs to and the sort key of the last
// item served, so a list stays consistent while items are added between
// pages (a cursor, not an offset). Clients treat it as opaque.
//
// Classroom: "pageToken: nextPageToken value returned from a previous list
// call, indicating that the subsequent page of results should be returned.
// The list request must be otherwise identical to the one that resulted in
// this token." (Classroom reference, courses.list). Directory: "pageToken:
// Token to specify next page in the list" (Directory reference, groups.list).

var errToken = errors.New("invalid page token")

// encodeToken makes the token for list (e.g. "students/123") after key.
func encodeToken(list, after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + "\x00" + after))
}

// decodeToken reverses encodeToken; anything it did not make is refused.
func decodeToken(tok string) (list, after string, err error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(tok)
	if err != nil || !utf8.Valid(b) {
		return "", "", errToken
	}
	list, after, ok := strings.Cut(string(b), "\x00")
	// The decoder skips \r and \n, so two spellings would name one page:
	// only the one encodeToken makes is taken.
	if !ok || list == "" || after == "" || strings.Contains(after, "\x00") || encodeToken(list, after) != tok {
		return "", "", errToken
	}
	return list, after, nil
}

// pageArgs reads the page size (Classroom pageSize, Directory maxResults)
// and token of a list request for list. It writes the 400 and reports
// false when either is bad.
func (s *Server) pageArgs(c *call, list string) (size int, after string, ok bool) {
	q := c.r.URL.Query()
	param := "pageSize"
	if c.api == apiDirectory {
		param = "maxResults"
	}
	size = s.opts.PageSize
	if v := q.Get(param); v != "" {
		n, err := strconv.Atoi(v)
		// Directory maxResults is 1..200 (groups.list, members.list);
		// Classroom pageSize 0 means the server's choice.
		if err != nil || n < 0 || (c.api == apiDirectory && (n < 1 || n > 200)) {
			c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "Invalid value for "+param)
			return 0, "", false
		}
		if n > 0 {
			size = min(n, s.opts.PageSize)
		}
	}
	if tok := q.Get("pageToken"); tok != "" {
		l, a, err := decodeToken(tok)
		if err != nil || l != list {
			c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "Invalid page token")
			return 0, "", false
		}
		after = a
	}
	return size, after, true
}

// entry is one item of a list with its sort key, which is unique in the
// list and is what a page token carries.
type entry[T any] struct {
	key string
	v   T
}

// page sorts entries by key and cuts the page that follows the key after:
// at most size entries, and the token of the next page ("" at the end).
func page[T any](entries []entry[T], list, after string, size int) ([]entry[T], string) {
	slices.SortFunc(entries, func(a, b entry[T]) int { return strings.Compare(a.key, b.key) })
	lo := 0
	if after != "" {
		i, found := slices.BinarySearchFunc(entries, after, func(e entry[T], k string) int { return strings.Compare(e.key, k) })
		if found {
			i++
		}
		lo = i
	}
	hi := min(lo+size, len(entries))
	next := ""
	if hi < len(entries) {
		next = encodeToken(list, entries[hi-1].key)
	}
	return entries[lo:hi], next
}

// seqKey is a sort key for a sequence number: fixed width, so string order
// is numeric order.
func seqKey(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", 19-len(s)) + s
}
