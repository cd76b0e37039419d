package msgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// call is one Graph request run inside a $batch, and its answer.
type call struct {
	ri     *abs.RequestInformation
	status int
	header map[string]string
	body   json.RawMessage
	// throttled counts the answers 429 run sent it again after.
	throttled int
	// teamCreate marks a POST /teams, which Teams limits on its own
	// (see applier.send).
	teamCreate bool
}

func (c *call) ok() bool { return c.status >= 200 && c.status < 300 }

// err is the call's failure, nil on success.
func (c *call) err() *graphError {
	if c.ok() {
		return nil
	}
	return parseError(c.status, c.body)
}

// decode reads the answer's body into v.
func (c *call) decode(v any) error {
	if err := json.Unmarshal(c.body, v); err != nil {
		return fmt.Errorf("unreadable answer: %w", err)
	}
	return nil
}

func (c *call) headerValue(name string) string {
	for k, v := range c.header {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// maxBatch is the number of requests one $batch may carry
// (https://learn.microsoft.com/en-us/graph/json-batching).
const maxBatch = 20

var errorMapping = abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// run sends the calls in $batch requests of up to 20, in order. The SDK
// does not retry requests inside a batch, and Graph throttles each on its
// own ("if any request exceeds the limits, it fails with a status of
// 429", json-batching), so run sends again the inner requests answered
// 429, 503 or 504, after their Retry-After, under the same policy as
// direct requests. It fails only when a whole batch fails, an inner
// Retry-After is beyond the policy's cap, or ctx ends; otherwise each call
// keeps its own answer.
func (t *Target) run(ctx context.Context, calls []*call) error {
	pending := calls
	for attempt := 1; len(pending) > 0; attempt++ {
		var again []*call
		var wait time.Duration
		for start := 0; start < len(pending); start += maxBatch {
			chunk := pending[start:min(start+maxBatch, len(pending))]
			if err := t.send(ctx, chunk); err != nil {
				return err
			}
			for _, c := range chunk {
				ra := c.headerValue("Retry-After")
				if c.status == http.StatusTooManyRequests {
					t.hold.throttled(t.policy, ra, t.opts.Now())
					c.throttled++
				}
				if (c.status == 0 || retryable(c.status)) && attempt < t.policy.MaxAttempts {
					again = append(again, c)
					d, err := t.policy.Wait(attempt, ra, t.opts.Now())
					if err != nil {
						return fmt.Errorf("$batch: HTTP %d: %w", c.status, err)
					}
					wait = max(wait, d)
				}
			}
		}
		if len(again) == 0 {
			return nil
		}
		if err := t.opts.Sleep(ctx, wait); err != nil {
			return err
		}
		pending = again
	}
	return nil
}

// batchAnswer is the body of a $batch answer.
type batchAnswer struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

// send runs one $batch. The SDK builds the batch (msgraphcore.BatchRequest
// turns each RequestInformation into an item); the answer is read here,
// since the SDK's batch model drops numbers from inner bodies.
func (t *Target) send(ctx context.Context, chunk []*call) error {
	br := msgraphcore.NewBatchRequest(t.adapter)
	byID := make(map[string]*call, len(chunk))
	write := false
	for _, c := range chunk {
		c.status, c.header, c.body = 0, nil, nil
		item, err := br.AddBatchRequestStep(*c.ri)
		if err != nil {
			return fmt.Errorf("building a batch: %w", err)
		}
		byID[*item.GetId()] = c
		write = write || c.ri.Method != abs.GET
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.POST
	ri.UrlTemplate = "{+baseurl}/$batch"
	ri.PathParameters["baseurl"] = t.adapter.GetBaseUrl()
	ctx = withWrite(ctx, write)
	if err := ri.SetContentFromParsable(ctx, t.adapter, "application/json", br); err != nil {
		return fmt.Errorf("building a batch: %w", err)
	}
	raw, err := t.adapter.SendPrimitive(ctx, ri, "[]byte", errorMapping)
	if err != nil {
		if ge, ok := asGraphError(err); ok {
			return fmt.Errorf("$batch: %w", ge)
		}
		return err
	}
	b, _ := raw.([]byte)
	var ans batchAnswer
	if err := json.Unmarshal(b, &ans); err != nil {
		return fmt.Errorf("$batch: unreadable answer")
	}
	for _, r := range ans.Responses {
		c := byID[r.ID]
		if c == nil {
			continue
		}
		c.status, c.header, c.body = r.Status, r.Headers, r.Body
		if r.Status == http.StatusTooManyRequests {
			t.counter.Throttle()
		}
	}
	return nil
}
