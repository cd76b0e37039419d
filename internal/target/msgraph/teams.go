package msgraph

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// operation is a teamsAsyncOperation to wait for.
type operation struct {
	tasks  []*task
	teamID string
	opID   string
	done   func()
}

// parseOperation reads the team and operation ids of a Location such as
// /teams('{id}')/operations('{opId}')
// (https://learn.microsoft.com/en-us/graph/api/team-post, "Response").
func parseOperation(loc string) (string, string, bool) {
	rest, ok := strings.CutPrefix(loc, "/teams('")
	if !ok {
		return "", "", false
	}
	team, rest, ok := strings.Cut(rest, "')/operations('")
	if !ok || team == "" || strings.ContainsAny(team, "'/") {
		return "", "", false
	}
	op, ok := strings.CutSuffix(rest, "')")
	if !ok || op == "" || strings.ContainsAny(op, "'/") {
		return "", "", false
	}
	return team, op, true
}

// template is the Teams template a room's team is made with.
func template(kind elevsynkv1.RoomKind, asked string) string {
	if kind == elevsynkv1.RoomClassTeam {
		return "educationClass"
	}
	if asked == "" {
		return "standard"
	}
	return asked
}

// createTeams makes the teams of rooms from their groups: POST /teams with
// the template and group@odata.bind, 202 and an operation to poll. A 404
// is the new group not replicated yet: retried ReplicationRetries times,
// ReplicationDelay apart, as Microsoft recommends (team-post, example 4).
// A 409 means the team exists (a retry after a crash).
func (ap *applier) createTeams(ctx context.Context, jobs map[*room]*task) error {
	t := ap.t
	var ops []*operation
	// As in writeAll, one team probes for the replicas of groups made
	// together, and the others wait for it.
	var pending, held []*room
	for _, r := range sortedKeys(jobs) {
		if ap.created[r] && len(pending) > 0 && ap.created[pending[0]] {
			held = append(held, r)
		} else {
			pending = append(pending, r)
		}
	}
	for waits := 0; len(pending) > 0; {
		calls := make([]*call, len(pending))
		for i, r := range pending {
			tm := models.NewTeam()
			tm.SetAdditionalData(map[string]any{
				"template@odata.bind": t.base + "/teamsTemplates('" + template(r.kind, jobs[r].a.Template) + "')",
				"group@odata.bind":    t.base + "/groups('" + r.id + "')",
			})
			ri, err := t.withBody(ctx, t.request(abs.POST, query{}, "teams"), tm)
			if err != nil {
				return err
			}
			calls[i] = &call{ri: ri}
		}
		if err := ap.sendTeams(ctx, calls); err != nil {
			return err
		}
		var waiting []*room
		for i, c := range calls {
			r, tk := pending[i], jobs[pending[i]]
			switch {
			case c.status == http.StatusAccepted:
				team, op, ok := parseOperation(c.headerValue("Location"))
				if !ok {
					r.teamReady = true
					continue
				}
				ops = append(ops, &operation{tasks: []*task{tk}, teamID: team, opID: op, done: func() { r.teamReady = true }})
			case c.status == http.StatusConflict:
				r.teamReady = true
			case c.status == http.StatusNotFound && waits < t.opts.ReplicationRetries:
				waiting = append(waiting, r)
			default:
				ap.fail(tk, "creating the team: "+c.err().Error())
			}
		}
		pending = nil
		if len(waiting) == 0 {
			pending, held = held, nil
			continue
		}
		if err := t.opts.Sleep(ctx, t.replicationWait(waits)); err != nil {
			return err
		}
		waits++
		pending, held = waiting[:1], append(held, waiting[1:]...)
	}
	return ap.wait(ctx, ops)
}

// teamCreatesPerSecond is Teams' limit on POST /teams per app and tenant
// (https://learn.microsoft.com/en-us/graph/throttling-limits, "Microsoft
// Teams service limits").
const teamCreatesPerSecond = 10

// sendTeams sends team creates, one $batch at first. Once Graph has
// throttled one in this Apply, the rest go teamCreatesPerSecond a second:
// sent all at once, half of every $batch would be refused and sent again,
// and Graph counts the refused requests against the app too ("all
// requests accrue against your usage limits", graph/throttling). A small
// Apply, never throttled, is not slowed.
func (ap *applier) sendTeams(ctx context.Context, calls []*call) error {
	t := ap.t
	for start := 0; start < len(calls); {
		n := min(len(calls)-start, maxBatch)
		if ap.teamsPaced {
			n = min(n, teamCreatesPerSecond)
		}
		began := t.opts.Now()
		chunk := calls[start : start+n]
		if err := t.run(ctx, chunk); err != nil {
			return err
		}
		start += n
		ap.teamsPaced = ap.teamsPaced || slices.ContainsFunc(chunk, func(c *call) bool { return c.throttled > 0 })
		if d := time.Second - t.opts.Now().Sub(began); ap.teamsPaced && start < len(calls) && d > 0 {
			if err := t.opts.Sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// wait polls operations until each succeeds or fails, PollInterval apart,
// at most PollAttempts times.
func (ap *applier) wait(ctx context.Context, ops []*operation) error {
	t := ap.t
	for attempt := 0; len(ops) > 0; attempt++ {
		if attempt == t.opts.PollAttempts {
			for _, op := range ops {
				for _, tk := range op.tasks {
					ap.fail(tk, "the team operation is still running; the next sync finishes the room")
				}
			}
			return nil
		}
		if err := t.opts.Sleep(ctx, t.opts.PollInterval); err != nil {
			return err
		}
		calls := make([]*call, len(ops))
		for i, op := range ops {
			calls[i] = &call{ri: t.get(query{}, "teams", op.teamID, "operations", op.opID)}
		}
		if err := t.run(ctx, calls); err != nil {
			return err
		}
		var still []*operation
		for i, c := range calls {
			var o struct {
				Status string `json:"status"`
			}
			if ge := c.err(); ge != nil {
				for _, tk := range ops[i].tasks {
					ap.fail(tk, "reading the team operation: "+ge.Error())
				}
				continue
			}
			_ = json.Unmarshal(c.body, &o)
			switch o.Status {
			case "succeeded":
				ops[i].done()
			case "failed":
				for _, tk := range ops[i].tasks {
					ap.fail(tk, "the team operation failed")
				}
			default:
				still = append(still, ops[i])
			}
		}
		ops = still
	}
	return nil
}

// setArchived archives or unarchives the teams of tasks: POST
// /teams/{id}/archive or /unarchive, 202 and an operation
// (https://learn.microsoft.com/en-us/graph/api/team-archive). Graph
// archives teams only; a group without a team fails with a reason.
func (ap *applier) setArchived(ctx context.Context, tasks []*task, rooms map[*task]*room, archived bool) error {
	t := ap.t
	var calls []*call
	var live []*task
	for _, tk := range tasks {
		r := rooms[tk]
		if !hasTeam(r.kind) {
			if archived {
				ap.fail(tk, "Microsoft Graph archives teams only; a "+string(r.kind)+" cannot be archived (set policy.deletion to Delete or Orphan)")
			} else {
				ap.succeed(tk)
			}
			continue
		}
		// POST /teams/{id}/archive and /unarchive, without the optional
		// body (https://learn.microsoft.com/en-us/graph/api/team-archive).
		verb := "unarchive"
		if archived {
			verb = "archive"
		}
		ri := t.request(abs.POST, query{}, "teams", r.id, verb)
		calls, live = append(calls, &call{ri: ri}), append(live, tk)
	}
	if err := t.run(ctx, calls); err != nil {
		return err
	}
	var ops []*operation
	for i, c := range calls {
		tk, r := live[i], rooms[live[i]]
		if ge := c.err(); ge != nil {
			ap.fail(tk, string(tk.a.Op)+": "+ge.Error())
			continue
		}
		set := func() { r.archived = archived; ap.succeed(tk) }
		team, op, ok := parseOperation(c.headerValue("Location"))
		if !ok {
			set()
			continue
		}
		ops = append(ops, &operation{tasks: []*task{tk}, teamID: team, opID: op, done: set})
	}
	return ap.wait(ctx, ops)
}

// archive runs a run of OpArchive.
func (ap *applier) archive(ctx context.Context, tasks []*task) error {
	rooms := map[*task]*room{}
	var live []*task
	for _, tk := range tasks {
		if r := ap.roomFor(tk); r != nil {
			rooms[tk] = r
			live = append(live, tk)
		} else {
			ap.fail(tk, "room not found in the tenant")
		}
	}
	return ap.setArchived(ctx, live, rooms, true)
}

// delete runs a run of OpDelete: DELETE /groups/{id}, which takes the
// class and team with it; 404 means already gone.
func (ap *applier) delete(ctx context.Context, tasks []*task) error {
	t := ap.t
	var ws []*write
	for _, tk := range tasks {
		r := ap.roomFor(tk)
		if r == nil {
			ap.succeed(tk)
			continue
		}
		id := r.id
		ws = append(ws, &write{tasks: []*task{tk}, what: "Delete",
			build: func() (*abs.RequestInformation, error) {
				return t.request(abs.DELETE, query{}, "groups", id), nil
			},
			accept: func(s int) bool { return s == http.StatusNotFound },
			ok:     func(*call) { t.state.drop(id) }})
	}
	if err := ap.writeAll(ctx, ws); err != nil {
		return err
	}
	for _, tk := range tasks {
		ap.succeed(tk)
	}
	return nil
}
