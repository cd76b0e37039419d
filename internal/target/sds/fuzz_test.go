package sds

import (
	"strings"
	"testing"
)

func FuzzParseStatistics(f *testing.F) {
	f.Add([]byte(`{"runId":"r","status":"completed","inboundTotals":{"errors":1,"groups":5,"people":9,"unmatchedPeopleByRole":[{"role":"student","count":2}]}}`), "completed", "")
	f.Add([]byte(`{"inboundTotals":null}`), "", "Blocked")
	f.Add([]byte(`[`), "running", "x y")
	f.Fuzz(func(t *testing.T, body []byte, status, code string) {
		r := run{ID: "r", Status: status}
		if code != "" {
			r.BlockingError = &struct {
				Code string `json:"code"`
			}{code}
		}
		out, err := ParseStatistics(body, r)
		if err != nil {
			return
		}
		// Status and error codes reach the Target's status: identifiers only.
		for _, s := range []string{out.Status, out.ErrorCode} {
			if strings.ContainsAny(s, " \n@<>") || len(s) > 64 {
				t.Fatalf("free text reached status: %q", s)
			}
		}
	})
}

func FuzzParseErrorCode(f *testing.F) {
	f.Add([]byte(`{"error":{"code":"TooManyRequests","message":"Ada Lovelace"}}`))
	f.Add([]byte(`{"error":{"code":"a b@c"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if c := ParseErrorCode(body); c != "" && !isCode(c) {
			t.Fatalf("not a code: %q", c)
		}
	})
}
