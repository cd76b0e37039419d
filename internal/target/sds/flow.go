package sds

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target/rostercsv"
)

// The SDS objects an upload needs, in the order industryData asks for them
// (https://learn.microsoft.com/en-us/graph/api/industrydata-inboundfileflow-post:
// "the following prerequisite resources are required": a data connector,
// a source system definition, a year). Each is found by its display name
// before it is made, so a crash between a create and its answer never
// leaves a second one: the next try finds the first.
type flow struct {
	c    *client
	base string // endpoint + "/beta/external/industryData"
	name string

	// ids found or made, kept for the process's life.
	sourceSystem, connector, year, inbound string
	yearName                               string
}

type object struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	ODataType   string `json:"@odata.type,omitempty"`
}

type list struct {
	Value    []object `json:"value"`
	NextLink string   `json:"@odata.nextLink"`
}

// find returns the id of the object of collection named name (and of
// odataType when given), following @odata.nextLink; "" when none.
func (f *flow) find(ctx context.Context, collection, name, odataType string) (string, error) {
	next := f.base + "/" + collection
	for pages := 0; next != "" && pages < maxPages; pages++ {
		var l list
		if err := f.c.getJSON(ctx, next, "listing "+collection, &l); err != nil {
			return "", err
		}
		for _, o := range l.Value {
			if o.DisplayName == name && (odataType == "" || o.ODataType == "" || o.ODataType == odataType) {
				return o.ID, nil
			}
		}
		next = l.NextLink
	}
	return "", nil
}

// maxPages bounds a list walk against a server that never stops paging.
const maxPages = 100

func (f *flow) ensure(ctx context.Context, on roster.Date) error {
	// The school year the set is for: 1 July to 30 June.
	end := on.Year()
	if on.Month() >= time.July {
		end++
	}
	yearName := fmt.Sprintf("%s %d/%02d", f.name, end-1, end%100)
	if f.inbound != "" && f.yearName == yearName {
		return nil
	}
	bind := func(collection, id string) string { return f.base + "/" + collection + "/" + id }
	steps := []struct {
		id         *string
		collection string
		name       string
		odataType  string
		body       func() map[string]any
	}{
		{&f.sourceSystem, "sourceSystems", f.name, "", func() map[string]any {
			// Match SDS users to Microsoft 365 users by username ↔
			// userPrincipalName for both role groups
			// (resources/industrydata-usermatchingsetting).
			var m []map[string]any
			for i, g := range []string{"staff", "students"} {
				m = append(m, map[string]any{
					"matchTarget": map[string]any{"code": "userPrincipalName"}, "priorityOrder": i,
					"roleGroup@odata.bind": f.base + "/roleGroups/" + g, "sourceIdentifier": map[string]any{"code": "username"}})
			}
			return map[string]any{"displayName": f.name, "userMatchingSettings": m}
		}},
		{&f.connector, "dataConnectors", f.name, connectorType, func() map[string]any {
			return map[string]any{"@odata.type": connectorType, "displayName": f.name,
				"sourceSystem@odata.bind": bind("sourceSystems", f.sourceSystem),
				"fileFormat":              map[string]any{"code": FileFormat}}
		}},
		{&f.year, "years", yearName, "", func() map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.industryData.yearTimePeriodDefinition", "displayName": yearName,
				"startDate": fmt.Sprintf("%d-07-01", end-1), "endDate": fmt.Sprintf("%d-06-30", end),
				"year": map[string]any{"code": strconv.Itoa(end)}}
		}},
		{&f.inbound, "inboundFlows", yearName, inboundType, func() map[string]any {
			return map[string]any{"@odata.type": inboundType, "displayName": yearName, "dataDomain": "educationRostering",
				"dataConnector@odata.bind": bind("dataConnectors", f.connector), "year@odata.bind": bind("years", f.year),
				"effectiveDateTime":  fmt.Sprintf("%d-07-01T00:00:00Z", end-1),
				"expirationDateTime": fmt.Sprintf("%d-07-01T00:00:00Z", end)}
		}},
	}
	for _, s := range steps {
		if *s.id != "" && s.collection != "years" && s.collection != "inboundFlows" {
			continue
		}
		id, err := f.find(ctx, s.collection, s.name, s.odataType)
		if err != nil {
			return err
		}
		if id == "" {
			var made object
			if _, err := f.c.sendJSON(ctx, http.MethodPost, f.base+"/"+s.collection, "creating "+s.collection, s.body(), &made); err != nil {
				return err
			}
			if id = made.ID; id == "" {
				return fmt.Errorf("creating %s: the answer has no id", s.collection)
			}
		}
		*s.id = id
	}
	f.yearName = yearName
	return nil
}

// The industryData types and codes this flow uses.
const (
	connectorType = "#microsoft.graph.industryData.azureDataLakeConnector"
	inboundType   = "#microsoft.graph.industryData.inboundFileFlow"
	// FileFormat is the connector's file format code for SDS v2.1 CSV.
	FileFormat = "schoolDataSyncV2.1"
)

// session is an upload session
// (https://learn.microsoft.com/en-us/graph/api/resources/industrydata-fileuploadsession):
// a SAS URL of a container that lives only for a while.
type session struct {
	SessionURL  string `json:"sessionUrl"`
	ContainerID string `json:"containerId"`
}

// upload sends the files into a new upload session and starts validation;
// it returns the run, polled until it ends or the poll budget is spent.
func (f *flow) upload(ctx context.Context, files []rostercsv.File, poll pollOptions) (run, error) {
	var s session
	err := f.c.getJSON(ctx, f.base+"/dataConnectors/"+f.connector+
		"/microsoft.graph.industryData.azureDataLakeConnector/getUploadSession", "getting an upload session", &s)
	if err != nil {
		return run{}, err
	}
	u, err := url.Parse(s.SessionURL)
	if err != nil || u.Scheme != "https" && !poll.plainLake {
		return run{}, fmt.Errorf("getting an upload session: the session URL is not an https URL")
	}
	for _, file := range files {
		if err := f.put(ctx, u, file); err != nil {
			return run{}, err
		}
	}
	resp, err := f.c.sendJSON(ctx, http.MethodPost, f.base+"/dataConnectors/"+f.connector+"/validate", "starting validation", nil, nil)
	if err != nil {
		return run{}, err
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return run{}, fmt.Errorf("starting validation: the answer has no Location to follow")
	}
	return f.poll(ctx, loc, poll)
}

// put writes one file the way Azure Data Lake Storage Gen2 takes it
// (https://learn.microsoft.com/en-us/rest/api/storageservices/datalakestoragegen2/path/create
// and .../path/update): create the path, append the data from position 0
// in chunks, then flush at its length, which commits it.
func (f *flow) put(ctx context.Context, session *url.URL, file rostercsv.File) error {
	at := func(q ...string) string {
		u := *session
		u.Path = strings.TrimRight(u.Path, "/") + "/" + file.Name
		v := u.Query()
		for i := 0; i+1 < len(q); i += 2 {
			v.Set(q[i], q[i+1])
		}
		u.RawQuery = v.Encode()
		return u.String()
	}
	hdr := map[string]string{"x-ms-version": storageVersion}
	what := "uploading " + file.Name
	if _, _, err := f.c.do(ctx, request{method: http.MethodPut, url: at("resource", "file"), what: what, header: hdr}); err != nil {
		return err
	}
	for pos := 0; pos < len(file.Data); pos += appendChunk {
		chunk := file.Data[pos:min(pos+appendChunk, len(file.Data))]
		_, _, err := f.c.do(ctx, request{method: http.MethodPatch, url: at("action", "append", "position", strconv.Itoa(pos)), what: what, body: chunk, header: hdr})
		if err != nil {
			return err
		}
	}
	_, _, err := f.c.do(ctx, request{method: http.MethodPatch, url: at("action", "flush", "position", strconv.Itoa(len(file.Data))), what: what, header: hdr})
	return err
}

const (
	// storageVersion is the data lake REST version sent; Path - Update's
	// append takes up to 4000 MiB a call from 2019-12-12 on.
	storageVersion = "2021-08-06"
	// appendChunk bounds one append, so memory and a retried request stay small.
	appendChunk = 8 << 20
)

// run is an industryData run (resources/industrydata-industrydatarun).
type run struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	BlockingError *struct {
		Code string `json:"code"`
	} `json:"blockingError"`
}

// running is the one status of a run that has not ended.
const running = "running"

type pollOptions struct {
	interval  time.Duration
	attempts  int
	plainLake bool
}

// poll follows a validation's Location until its run ends, waiting the
// answer's Retry-After or interval between tries, and gives up waiting
// (not the run) after attempts: Observe reads the run later.
func (f *flow) poll(ctx context.Context, loc string, o pollOptions) (run, error) {
	var r run
	for i := 0; i < o.attempts; i++ {
		resp, body, err := f.c.do(ctx, request{method: http.MethodGet, url: loc, what: "reading the validation run", bearer: true})
		if err != nil {
			return r, err
		}
		if resp.StatusCode == http.StatusOK {
			if err := decode(body, "reading the validation run", &r); err != nil {
				return r, err
			}
			if r.Status != running && r.Status != "" {
				return r, nil
			}
		}
		wait, err := f.c.policy.Wait(1, resp.Header.Get("Retry-After"), f.c.now())
		if err != nil || wait <= 0 {
			wait = o.interval
		}
		if err := f.c.sleep(ctx, max(wait, o.interval)); err != nil {
			return r, err
		}
	}
	if r.Status == "" {
		r.Status = running
	}
	return r, nil
}

// statistics is industryDataRunStatistics
// (https://learn.microsoft.com/en-us/graph/api/industrydata-industrydatarun-getstatistics).
type statistics struct {
	RunID         string `json:"runId"`
	Status        string `json:"status"`
	InboundTotals struct {
		Errors                int64       `json:"errors"`
		Warnings              int64       `json:"warnings"`
		Groups                int64       `json:"groups"`
		Memberships           int64       `json:"memberships"`
		Organizations         int64       `json:"organizations"`
		People                int64       `json:"people"`
		UnmatchedPeopleByRole []roleCount `json:"unmatchedPeopleByRole"`
	} `json:"inboundTotals"`
}

type roleCount struct {
	Count int64  `json:"count"`
	Role  string `json:"role"`
}

// ParseStatistics reads a getStatistics answer into the status' counts,
// with the run's status and blocking error code. It is fuzzed: the answer
// comes from outside.
func ParseStatistics(body []byte, r run) (*elevsynkv1.SchoolDataSyncRun, error) {
	var s statistics
	if err := decode(body, "reading the run's statistics", &s); err != nil {
		return nil, err
	}
	t := s.InboundTotals
	out := &elevsynkv1.SchoolDataSyncRun{ID: r.ID, Status: r.Status, Errors: t.Errors, Warnings: t.Warnings,
		People: t.People, Organizations: t.Organizations, Groups: t.Groups, Memberships: t.Memberships}
	if out.Status == "" {
		out.Status = s.Status
	}
	if !isCode(out.Status) {
		return nil, fmt.Errorf("reading the run's statistics: the run status is not a status")
	}
	for _, u := range t.UnmatchedPeopleByRole {
		out.UnmatchedPeople += u.Count
	}
	if r.BlockingError != nil && isCode(r.BlockingError.Code) {
		out.ErrorCode = r.BlockingError.Code
	}
	return out, nil
}

// observe reads the run (its status may have moved on) and its statistics.
func (f *flow) observe(ctx context.Context, id string) (*elevsynkv1.SchoolDataSyncRun, error) {
	var r run
	if err := f.c.getJSON(ctx, f.base+"/runs/"+url.PathEscape(id), "reading the run", &r); err != nil {
		return nil, err
	}
	_, body, err := f.c.do(ctx, request{method: http.MethodGet, url: f.base + "/runs/" + url.PathEscape(id) + "/getStatistics", what: "reading the run's statistics", bearer: true})
	if err != nil {
		return nil, err
	}
	return ParseStatistics(body, r)
}

// latest is the id of the newest run, for a process that has not started
// one yet (after a restart).
func (f *flow) latest(ctx context.Context) (string, error) {
	var l struct {
		Value []struct {
			ID    string `json:"id"`
			Start string `json:"startDateTime"`
		} `json:"value"`
	}
	if err := f.c.getJSON(ctx, f.base+"/runs", "listing runs", &l); err != nil {
		return "", err
	}
	if len(l.Value) == 0 {
		return "", nil
	}
	newest := slices.MaxFunc(l.Value, func(a, b struct {
		ID    string `json:"id"`
		Start string `json:"startDateTime"`
	}) int {
		return strings.Compare(a.Start, b.Start)
	})
	return newest.ID, nil
}
