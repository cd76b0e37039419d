package ss12000

import (
	"context"
	"net/url"
)

// pages walks a listing page by page. The first request carries the
// filters; follow-up requests carry only pageToken and limit, because the
// spec says a pageToken "Kan inte kombineras med andra filter men väl med
// `limit`" and answers 400 otherwise (paths /persons etc., parameter
// pageToken, response 400). A null or absent pageToken ends the listing
// (components/schemas/Persons, property pageToken); an empty page that
// still has a token goes on. decode is called once per page with the body.
func (c *Client) pages(ctx context.Context, ep Endpoint, filters url.Values, decode func(page int, body []byte) (next string, n int, err error)) error {
	q := url.Values{}
	for k, v := range filters {
		q[k] = v
	}
	q.Set("limit", itoa(c.pageSize))
	seen := map[string]struct{}{}
	empty := 0
	for page := 1; ; page++ {
		body, err := c.get(ctx, ep, page, q)
		if err != nil {
			return err
		}
		next, n, err := decode(page, body)
		if err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		if _, dup := seen[next]; dup {
			return &pageError{ep: ep, page: page, err: ErrPageTokenLoop}
		}
		seen[next] = struct{}{}
		if n == 0 {
			if empty++; empty > c.maxEmpty {
				return &pageError{ep: ep, page: page, err: ErrTooManyEmptyPages}
			}
		} else {
			empty = 0
		}
		q = url.Values{"pageToken": {next}, "limit": {itoa(c.pageSize)}}
	}
}

type pageError struct {
	ep   Endpoint
	page int
	err  error
}

func (e *pageError) Error() string {
	return e.err.Error() + " (" + string(e.ep) + " page " + itoa(e.page) + ")"
}
func (e *pageError) Unwrap() error { return e.err }

// list collects every entity of a listing, calling add for each page.
func list[T any](ctx context.Context, c *Client, ep Endpoint, filters url.Values, add func([]T)) error {
	return c.pages(ctx, ep, filters, func(page int, body []byte) (string, int, error) {
		items, next, err := decodeList[T](ep, page, body)
		if err != nil {
			return "", 0, err
		}
		add(items)
		return next, len(items), nil
	})
}
