package graph

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// token is what a $skiptoken or $deltatoken stands for. Graph encodes the
// request's query options into the token of @odata.nextLink and
// @odata.deltaLink, so the client follows the link as given
// (concepts/paging; api/group-delta, "Query parameters").
type token struct {
	Query  string `json:"q,omitempty"` // the listing's query options
	Offset int    `json:"o,omitempty"`
	// Delta: changes after From up to To; Issued (unix seconds) dates a
	// deltaLink for its lifetime.
	From   int64 `json:"f,omitempty"`
	To     int64 `json:"t,omitempty"`
	Issued int64 `json:"i,omitempty"`
}

var errToken = errors.New("invalid token")

func encodeToken(t token) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s string) (token, error) {
	if len(s) > 4096 {
		return token{}, errToken
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return token{}, errToken
	}
	var t token
	if err := json.Unmarshal(b, &t); err != nil || t.Offset < 0 || t.From < 0 || t.To < t.From {
		return token{}, errToken
	}
	return t, nil
}

// listQuery is the query options a page depends on, canonically encoded.
func listQuery(q url.Values) string {
	keep := url.Values{}
	for _, k := range []string{"$filter", "$select", "$top"} {
		if v, ok := q[k]; ok {
			keep[k] = v
		}
	}
	return keep.Encode()
}

// page cuts one page out of n items for the request: from the $skiptoken's
// offset (or 0), $top (up to 999) or the server's page size long. It
// returns the bounds and the nextLink ("" on the last page), or a 400.
func (s *Server) page(req request, n int) (int, int, string, *response) {
	size := s.opts.PageSize
	if v := req.query.Get("$top"); v != "" {
		t, err := strconv.Atoi(v)
		if err != nil || t < 1 || t > 999 {
			r := errorResponse(http.StatusBadRequest, "BadRequest", "Invalid $top value.")
			return 0, 0, "", &r
		}
		size = t
	}
	q := listQuery(req.query)
	from := 0
	if v := req.query.Get("$skiptoken"); v != "" {
		t, err := decodeToken(v)
		if err != nil || t.Query != q {
			r := errorResponse(http.StatusBadRequest, "BadRequest", "Invalid $skiptoken.")
			return 0, 0, "", &r
		}
		from = min(t.Offset, n)
	}
	to := min(from+size, n)
	next := ""
	if to < n {
		nq, _ := url.ParseQuery(q)
		nq.Set("$skiptoken", encodeToken(token{Query: q, Offset: to}))
		next = req.base + req.path + "?" + nq.Encode()
	}
	return from, to, next, nil
}

// pageJSON answers the page of items the request asks for ($top,
// $skiptoken), each item rendered with render.
func pageJSON[T any](s *Server, req request, items []T, render func(T) map[string]any) response {
	from, to, next, bad := s.page(req, len(items))
	if bad != nil {
		return *bad
	}
	out := make([]map[string]any, 0, to-from)
	for _, it := range items[from:to] {
		out = append(out, render(it))
	}
	return collection(out, next)
}

// collection is a list answer with its nextLink.
func collection(values []map[string]any, next string) response {
	if values == nil {
		values = []map[string]any{}
	}
	body := map[string]any{"value": values}
	if next != "" {
		body["@odata.nextLink"] = next
	}
	return response{status: http.StatusOK, body: body}
}
