package google

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
)

// Classroom batches: up to 50 calls in one multipart/mixed request to
// /batch, each part a complete HTTP request with only the path of its
// URL; the outer request's headers but Content- ones apply to every
// call; the answer is multipart/mixed with one HTTP response a call, in
// order, each part's Content-ID "response-" and the call's; and "a set of
// n requests batched together counts toward your usage limit as n
// requests, not as one" ("Batching Requests",
// https://developers.google.com/workspace/classroom/guides/batch). Each
// call here goes through ServeHTTP on its own, so it is counted,
// throttled and answered as if sent alone.

// maxBatchCalls is the calls one batch may hold.
const maxBatchCalls = 50

func (s *Server) serveBatch(w http.ResponseWriter, r *http.Request) {
	bad := func(msg string) {
		writeClassroomError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "", msg)
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		bad("a batch request is multipart/mixed with a boundary")
		return
	}
	type queued struct {
		id  string // the part's Content-ID, without its brackets
		req *http.Request
	}
	var calls []queued
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, 1<<20), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			bad("malformed batch body")
			return
		}
		if len(calls) == maxBatchCalls {
			bad(fmt.Sprintf("a batch holds at most %d calls", maxBatchCalls))
			return
		}
		inner, err := readCall(r, p)
		if err != nil {
			bad("malformed call in batch: " + err.Error())
			return
		}
		calls = append(calls, queued{id: strings.Trim(p.Header.Get("Content-ID"), "<>"), req: inner})
	}
	// The calls run once the whole body is known to be well formed.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, c := range calls {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, c.req)
		res := rec.Result()
		h := textproto.MIMEHeader{"Content-Type": {"application/http"}}
		if c.id != "" {
			h.Set("Content-ID", "<response-"+c.id+">")
		}
		pw, err := mw.CreatePart(h)
		if err != nil {
			panic(err) // writing to a bytes.Buffer does not fail
		}
		fmt.Fprintf(pw, "HTTP/1.1 %s\r\n", res.Status)
		_ = res.Header.Write(pw)
		fmt.Fprint(pw, "\r\n")
		_, _ = io.Copy(pw, res.Body)
	}
	_ = mw.Close()
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	_, _ = w.Write(body.Bytes())
}

// readCall reads one part of a batch as the request it holds: a request
// line with a path (the HTTP version may be left out, as in Google's own
// example), headers and a body. The outer request's headers apply where
// the call does not set its own, Content- headers excepted.
func readCall(outer *http.Request, part io.Reader) (*http.Request, error) {
	br := bufio.NewReader(part)
	line, err := br.ReadString('\n')
	if err != nil && line == "" {
		return nil, err
	}
	f := strings.Fields(line)
	if len(f) < 2 || len(f) > 3 || !strings.HasPrefix(f[1], "/") {
		return nil, fmt.Errorf("request line %q", strings.TrimSpace(line))
	}
	if strings.HasPrefix(f[1], "/batch") {
		return nil, fmt.Errorf("a batch in a batch")
	}
	req, err := http.ReadRequest(bufio.NewReader(io.MultiReader(
		strings.NewReader(f[0]+" "+f[1]+" HTTP/1.1\r\n"), br, strings.NewReader("\r\n"))))
	if err != nil {
		return nil, err
	}
	for k, v := range outer.Header {
		if _, set := req.Header[k]; !set && !strings.HasPrefix(k, "Content-") {
			req.Header[k] = v
		}
	}
	req.RemoteAddr, req.Host = outer.RemoteAddr, outer.Host
	return req.WithContext(outer.Context()), nil
}
