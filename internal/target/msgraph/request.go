package msgraph

import (
	"context"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
)

// Requests are built here as kiota request information and sent through
// the SDK's request adapter (auth, middleware, serialisation). The SDK's
// fluent request builders are not used: they are about 150 MB of a
// binary, for the dozen endpoints this package calls.

// query is the OData query options of a request
// (https://learn.microsoft.com/en-us/graph/query-parameters).
type query struct {
	filter string
	sel    []string
	top    int
}

// encode is the query string, spaces as %20 the way the SDK's URI
// templates send them.
func (q query) encode() string {
	v := url.Values{}
	if q.filter != "" {
		v.Set("$filter", q.filter)
	}
	if len(q.sel) > 0 {
		v.Set("$select", strings.Join(q.sel, ","))
	}
	if q.top > 0 {
		v.Set("$top", strconv.Itoa(q.top))
	}
	return strings.ReplaceAll(v.Encode(), "+", "%20")
}

// request is method on the path under the endpoint's /v1.0, whose
// segments are escaped one by one: "groups", id, "owners".
func (t *Target) request(method abs.HttpMethod, q query, segments ...string) *abs.RequestInformation {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	u, _ := url.Parse(t.base + "/" + strings.Join(escaped, "/")) // the endpoint was parsed in FromSpec
	u.RawQuery = q.encode()
	ri := abs.NewRequestInformation()
	ri.Method = method
	ri.SetUri(*u)
	ri.Headers.TryAdd("Accept", "application/json")
	return ri
}

// get is a GET of the path with the query.
func (t *Target) get(q query, segments ...string) *abs.RequestInformation {
	return t.request(abs.GET, q, segments...)
}

// withBody sets the request's JSON body from an SDK model.
func (t *Target) withBody(ctx context.Context, ri *abs.RequestInformation, body serialization.Parsable) (*abs.RequestInformation, error) {
	if err := ri.SetContentFromParsable(ctx, t.adapter, "application/json", body); err != nil {
		return nil, err
	}
	return ri, nil
}

// maxPage is the largest $top of users, groups, their members and owners,
// and classes (https://learn.microsoft.com/en-us/graph/paging).
const maxPage = 999

// sdkVersion is msgraph-sdk-go's version, which the SDK's telemetry header
// (SdkVersion) carries as its own client would send it.
var sdkVersion = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/microsoftgraph/msgraph-sdk-go" {
				return strings.TrimPrefix(m.Version, "v")
			}
		}
	}
	return ""
}()
