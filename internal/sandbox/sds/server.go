// Package sds emulates what elevsynk's School Data Sync target uses of
// Microsoft Graph beta external/industryData and of the Azure Data Lake
// Storage Gen2 container an upload session points at, with the SDS v2.1
// validation that decides a run (validate.go). Each behaviour cites the
// page it follows.
package sds

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value accepts every request, never
// throttles, and settles runs at once.
type Options struct {
	// Authorised says whether a Graph request may pass (a bearer token the
	// Graph sandbox issued); nil passes all. Data lake requests carry the
	// upload session's SAS instead.
	Authorised func(*http.Request) bool
	// Throttle answers this many requests (after the first Skip) 429 with
	// Retry-After RetryAfter (https://learn.microsoft.com/en-us/graph/throttling);
	// Fail answers the next this many 503 without Retry-After.
	Skip, Throttle, Fail int
	// RetryAfter is whole seconds; 0 means 1 s.
	RetryAfter time.Duration
	// RunPolls is how many reads of a run see it running before it ends
	// (runs are asynchronous: validate answers 202 Accepted,
	// https://learn.microsoft.com/en-us/graph/api/industrydata-industrydataconnector-validate).
	RunPolls int
	// Users are the tenant's userPrincipalNames, for user matching; nil
	// matches everyone.
	Users []string
	// Now dates runs; nil means time.Now.
	Now func() time.Time
}

// Server is the emulator; use it as an http.Handler under /beta/ and /lake/.
type Server struct {
	opts Options

	mu          sync.Mutex
	nextID      int
	collections map[string][]map[string]any
	containers  map[string]*container
	latest      map[string]string // connector id → its newest container
	runs        []*run
	requests    int
	writes      int
	throttled   int
	faulted     int
	uploads     int
	bytes       int64
}

type container struct {
	sig   string
	files map[string]*lakeFile
}

type lakeFile struct {
	data    []byte
	flushed int
}

type run struct {
	ID, Status, Blocking string
	Start, End           time.Time
	reads                int
	report               Report
	unmatched            int
}

// New returns an empty tenant.
func New(opts Options) *Server {
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Server{opts: opts, collections: map[string][]map[string]any{}, containers: map[string]*container{}, latest: map[string]string{}}
}

const (
	apiRoot  = "/beta/external/industryData"
	lakeRoot = "/lake/"
	maxBody  = 128 << 20
)

// ServeHTTP serves the industryData API and the data lake.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	n := s.requests
	if r.Method != http.MethodGet {
		s.writes++
	}
	switch o := s.opts; {
	case n > o.Skip && n <= o.Skip+o.Throttle:
		s.throttled++
		s.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int(o.RetryAfter/time.Second)))
		writeError(w, http.StatusTooManyRequests, "TooManyRequests")
		return
	case n > o.Skip+o.Throttle && n <= o.Skip+o.Throttle+o.Fail:
		s.faulted++
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, "ServiceUnavailable")
		return
	}
	s.mu.Unlock()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, "RequestTooLarge")
		return
	}
	if strings.HasPrefix(r.URL.Path, lakeRoot) {
		s.serveLake(w, r, body)
		return
	}
	if !strings.HasPrefix(r.URL.Path, apiRoot+"/") {
		http.NotFound(w, r)
		return
	}
	if s.opts.Authorised != nil && !s.opts.Authorised(r) {
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serveAPI(w, r, strings.Split(strings.TrimPrefix(r.URL.Path, apiRoot+"/"), "/"), body)
}

func (s *Server) base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// The collections a client finds by display name and creates
// (resources/industrydata-sourcesystemdefinition, -azuredatalakeconnector,
// -yeartimeperioddefinition, -inboundfileflow).
var collections = map[string]bool{"sourceSystems": true, "dataConnectors": true, "years": true, "inboundFlows": true}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, p []string, body []byte) {
	switch {
	case len(p) == 1 && collections[p[0]] && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"value": s.collection(p[0])})
	case len(p) == 1 && collections[p[0]] && r.Method == http.MethodPost:
		var obj map[string]any
		if json.Unmarshal(body, &obj) != nil || obj["displayName"] == nil {
			writeError(w, http.StatusBadRequest, "BadRequest")
			return
		}
		if p[0] == "dataConnectors" {
			// The connector's file format must be one SDS reads
			// (resources/industrydata-azuredatalakeconnector, fileFormat).
			ff, _ := obj["fileFormat"].(map[string]any)
			if ff == nil || ff["code"] != "schoolDataSyncV2.1" {
				writeError(w, http.StatusBadRequest, "InvalidFileFormat")
				return
			}
		}
		s.nextID++
		obj["id"] = fmt.Sprintf("%08d-0000-4000-8000-%012d", s.nextID, s.nextID)
		s.collections[p[0]] = append(s.collections[p[0]], obj)
		writeJSON(w, http.StatusCreated, obj)
	case len(p) == 4 && p[0] == "dataConnectors" && p[2] == "microsoft.graph.industryData.azureDataLakeConnector" && p[3] == "getUploadSession" && r.Method == http.MethodGet:
		if !s.has("dataConnectors", p[1]) {
			writeError(w, http.StatusNotFound, "ResourceNotFound")
			return
		}
		// A new container per session, reached by a SAS URL
		// (resources/industrydata-fileuploadsession).
		id, sig := token(), token()
		s.containers[id] = &container{sig: sig, files: map[string]*lakeFile{}}
		s.latest[p[1]] = id
		now := s.opts.Now().UTC()
		writeJSON(w, http.StatusOK, map[string]any{"containerId": id, "sessionUrl": s.base(r) + lakeRoot + id + "?sig=" + sig,
			"containerExpirationDateTime": now.Add(7 * 24 * time.Hour).Format(time.RFC3339),
			"sessionExpirationDateTime":   now.Add(time.Hour).Format(time.RFC3339)})
	case len(p) == 3 && p[0] == "dataConnectors" && p[2] == "validate" && r.Method == http.MethodPost:
		c := s.containers[s.latest[p[1]]]
		if c == nil {
			writeError(w, http.StatusBadRequest, "NoUploadSession")
			return
		}
		files := map[string][]byte{}
		for name, f := range c.files {
			files[name] = f.data[:f.flushed]
		}
		ru := s.start(files)
		w.Header().Set("Location", s.base(r)+apiRoot+"/runs/"+ru.ID)
		w.WriteHeader(http.StatusAccepted)
	case len(p) == 1 && p[0] == "runs" && r.Method == http.MethodGet:
		out := make([]map[string]any, 0, len(s.runs))
		for _, ru := range s.runs {
			out = append(out, ru.json())
		}
		writeJSON(w, http.StatusOK, map[string]any{"value": out})
	case len(p) == 2 && p[0] == "runs" && r.Method == http.MethodGet:
		ru := s.run(p[1])
		if ru == nil {
			writeError(w, http.StatusNotFound, "ResourceNotFound")
			return
		}
		s.advance(ru)
		writeJSON(w, http.StatusOK, ru.json())
	case len(p) == 3 && p[0] == "runs" && p[2] == "getStatistics" && r.Method == http.MethodGet:
		ru := s.run(p[1])
		if ru == nil {
			writeError(w, http.StatusNotFound, "ResourceNotFound")
			return
		}
		writeJSON(w, http.StatusOK, ru.statistics())
	default:
		writeError(w, http.StatusNotFound, "ResourceNotFound")
	}
}

func (s *Server) collection(name string) []map[string]any {
	out := s.collections[name]
	if out == nil {
		out = []map[string]any{}
	}
	return out
}

func (s *Server) has(collection, id string) bool {
	return slices.ContainsFunc(s.collections[collection], func(o map[string]any) bool { return o["id"] == id })
}

// start validates the files and makes the run; it is running for
// RunPolls reads, and then ends as validation decided
// (resources/industrydata-industrydatarun: completed, completedWithErrors,
// failed).
func (s *Server) start(files map[string][]byte) *run {
	s.nextID++
	rep := Validate(files)
	ru := &run{ID: fmt.Sprintf("%08d-0000-4000-9000-%012d", s.nextID, s.nextID), Status: "running", Start: s.opts.Now().UTC(), report: rep}
	if s.opts.Users != nil {
		known := set(s.opts.Users...)
		for _, u := range rep.Usernames {
			if !known[strings.ToLower(u)] {
				ru.unmatched++
			}
		}
	}
	s.runs = append(s.runs, ru)
	s.uploads++
	s.advance(ru)
	return ru
}

func (s *Server) advance(ru *run) {
	if ru.Status != "running" {
		return
	}
	if ru.reads < s.opts.RunPolls {
		ru.reads++
		return
	}
	ru.End = s.opts.Now().UTC()
	switch {
	case ru.report.Blocking != "":
		ru.Status, ru.Blocking = "failed", ru.report.Blocking
	case len(ru.report.Errors) > 0:
		ru.Status = "completedWithErrors"
	default:
		ru.Status = "completed"
	}
}

func (s *Server) run(id string) *run {
	for _, ru := range s.runs {
		if ru.ID == id {
			return ru
		}
	}
	return nil
}

func (ru *run) json() map[string]any {
	out := map[string]any{"@odata.type": "#microsoft.graph.industryData.industryDataRun", "id": ru.ID,
		"displayName": "Run " + ru.ID, "status": ru.Status, "startDateTime": ru.Start.Format(time.RFC3339Nano)}
	if !ru.End.IsZero() {
		out["endDateTime"] = ru.End.Format(time.RFC3339Nano)
	}
	if ru.Blocking != "" {
		out["blockingError"] = map[string]any{"code": ru.Blocking, "message": "The uploaded files could not be processed."}
	}
	return out
}

// statistics is industryDataRunStatistics as getStatistics returns it
// (api/industrydata-industrydatarun-getstatistics).
func (ru *run) statistics() map[string]any {
	rep := ru.report
	var unmatched []map[string]any
	if ru.unmatched > 0 {
		unmatched = append(unmatched, map[string]any{"role": "student", "count": ru.unmatched})
	}
	if unmatched == nil {
		unmatched = []map[string]any{}
	}
	return map[string]any{
		"@odata.type": "#microsoft.graph.industryData.industryDataRunStatistics", "runId": ru.ID, "status": ru.Status,
		"activityStatistics": []map[string]any{{"role": "student", "count": rep.Students}, {"role": "teacher", "count": rep.Staff}},
		"inboundTotals": map[string]any{"errors": len(rep.Errors), "warnings": 0, "groups": rep.Classes,
			"memberships": rep.Enrollments, "organizations": rep.Orgs, "people": rep.Users,
			"matchedPeopleByRole":   []map[string]any{{"role": "student", "count": rep.Students}, {"role": "teacher", "count": rep.Staff}},
			"unmatchedPeopleByRole": unmatched},
	}
}

// serveLake is the data lake's Path - Create (PUT ?resource=file) and
// Path - Update (PATCH ?action=append&position=n, ?action=flush&position=n)
// (https://learn.microsoft.com/en-us/rest/api/storageservices/datalakestoragegen2/path/create,
// .../path/update): an append must start where the data so far ends, and a
// flush at the length appended commits it; anything else is 400
// InvalidFlushPosition. The SAS must be the session's (403
// AuthenticationFailed otherwise).
func (s *Server) serveLake(w http.ResponseWriter, r *http.Request, body []byte) {
	id, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, lakeRoot), "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.containers[id]
	q := r.URL.Query()
	if c == nil || !ok || q.Get("sig") != c.sig {
		writeError(w, http.StatusForbidden, "AuthenticationFailed")
		return
	}
	if name == "" || strings.Contains(name, "/") {
		writeError(w, http.StatusBadRequest, "InvalidResourceName")
		return
	}
	pos, perr := strconv.Atoi(q.Get("position"))
	f := c.files[name]
	switch {
	case r.Method == http.MethodPut && q.Get("resource") == "file":
		c.files[name] = &lakeFile{}
		w.WriteHeader(http.StatusCreated)
	case f == nil:
		writeError(w, http.StatusNotFound, "PathNotFound")
	case r.Method == http.MethodPatch && q.Get("action") == "append":
		if perr != nil || pos != len(f.data) {
			writeError(w, http.StatusBadRequest, "InvalidFlushPosition")
			return
		}
		f.data = append(f.data, body...)
		s.bytes += int64(len(body))
		w.WriteHeader(http.StatusAccepted)
	case r.Method == http.MethodPatch && q.Get("action") == "flush":
		if perr != nil || pos != len(f.data) {
			writeError(w, http.StatusBadRequest, "InvalidFlushPosition")
			return
		}
		f.flushed = pos
		w.WriteHeader(http.StatusOK)
	default:
		writeError(w, http.StatusBadRequest, "InvalidQueryParameterValue")
	}
}

// Counts is what the server saw, for tests and the demo.
type Counts struct {
	Requests, Writes, Throttled, Failed, Uploads int
	// Bytes appended to the data lake.
	Bytes int64
	// SourceSystems, Connectors, Years and Flows count the objects made.
	SourceSystems, Connectors, Years, Flows int
}

// Counts returns the counts so far.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Counts{Requests: s.requests, Writes: s.writes, Throttled: s.throttled, Failed: s.faulted, Uploads: s.uploads, Bytes: s.bytes,
		SourceSystems: len(s.collections["sourceSystems"]), Connectors: len(s.collections["dataConnectors"]),
		Years: len(s.collections["years"]), Flows: len(s.collections["inboundFlows"])}
}

// LastRun is the newest run's status and report; ok is false before any.
func (s *Server) LastRun() (status string, rep Report, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.runs) == 0 {
		return "", Report{}, false
	}
	ru := s.runs[len(s.runs)-1]
	return ru.Status, ru.report, true
}

func token() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError is Graph's error shape (https://learn.microsoft.com/en-us/graph/errors).
func writeError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": "sandbox: " + code}})
}
