package msgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// Reads go through the SDK's request adapter and answer raw JSON: the v1.0
// models lack properties the adapter needs (resourceProvisioningOptions)
// and annotations (members@delta, @removed) would land in untyped
// additional data.

// getJSON sends one request and decodes its answer into v.
func (t *Target) getJSON(ctx context.Context, ri *abs.RequestInformation, v any) error {
	raw, err := t.adapter.SendPrimitive(ctx, ri, "[]byte", errorMapping)
	if err != nil {
		if ge, ok := asGraphError(err); ok {
			return ge
		}
		return err
	}
	b, _ := raw.([]byte)
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("unreadable answer: %w", err)
	}
	return nil
}

// page is one page of a collection.
type page struct {
	Value     []json.RawMessage `json:"value"`
	NextLink  string            `json:"@odata.nextLink"`
	DeltaLink string            `json:"@odata.deltaLink"`
}

// listAll reads every page of a collection, following @odata.nextLink
// (https://learn.microsoft.com/en-us/graph/paging).
func (t *Target) listAll(ctx context.Context, ri *abs.RequestInformation, each func(json.RawMessage) error) error {
	for {
		var p page
		if err := t.getJSON(ctx, ri, &p); err != nil {
			return err
		}
		for _, v := range p.Value {
			if err := each(v); err != nil {
				return err
			}
		}
		if p.NextLink == "" {
			return nil
		}
		next, err := t.linkRequest(p.NextLink)
		if err != nil {
			return err
		}
		ri = next
	}
}

// linkRequest is a GET of a link the service gave (nextLink, deltaLink).
// It must point under the endpoint, so a forged link cannot carry the
// token elsewhere.
func (t *Target) linkRequest(link string) (*abs.RequestInformation, error) {
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, t.base+"/") {
		return nil, fmt.Errorf("link outside the endpoint")
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.GET
	ri.SetUri(*u)
	ri.Headers.TryAdd("Accept", "application/json")
	return ri, nil
}

// quote is an OData string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
