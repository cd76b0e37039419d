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

// teamWrites make the teams of rooms from their groups: POST /teams with
// the template and group@odata.bind, 202 and an operation to poll, which
// ok adds to ops. writeAll waits out a 404, the new group not replicated
// yet, as Microsoft recommends (team-post, example 4). A 409 means the
// team exists (a retry after a crash).
func (ap *applier) teamWrites(ctx context.Context, jobs map[*room]*task, ops *[]*operation) []*write {
	t := ap.t
	ws := make([]*write, 0, len(jobs))
	for _, r := range sortedKeys(jobs) {
		tk := jobs[r]
		ws = append(ws, &write{tasks: []*task{tk}, r: r, what: "creating the team", team: true,
			build: func() (*abs.RequestInformation, error) {
				tm := models.NewTeam()
				tm.SetAdditionalData(map[string]any{
					"template@odata.bind": t.base + "/teamsTemplates('" + template(r.kind, tk.a.Template) + "')",
					"group@odata.bind":    t.base + "/groups('" + r.id + "')",
				})
				return t.withBody(ctx, t.request(abs.POST, query{}, "teams"), tm)
			},
			accept: func(s int) bool { return s == http.StatusConflict },
			ok: func(c *call) {
				team, op, ok := parseOperation(c.headerValue("Location"))
				if c.status == http.StatusConflict || !ok {
					r.teamReady = true
					return
				}
				*ops = append(*ops, &operation{tasks: []*task{tk}, teamID: team, opID: op, done: func() { r.teamReady = true }})
			}})
	}
	return ws
}

// teamCreatesPerSecond is Teams' limit on POST /teams per app and tenant
// (https://learn.microsoft.com/en-us/graph/throttling-limits, "Microsoft
// Teams service limits").
const teamCreatesPerSecond = 10

// send runs calls in $batch round trips, as Target.run does, with the team
// creates among them spread out. Once Graph has throttled a team create in
// this Apply, one $batch goes a second while team creates remain, carrying
// teamCreatesPerSecond of them and as many other writes: Teams' rate for
// the creates, and in all Graph's write quota of 3 000 per 150 s, 20 a
// second (concepts/throttling-limits). Team creation then runs alongside
// the member adds instead of before them; other writes sent faster in
// between would only use up the quota the team creates' companions need.
// Sent all at once, half of every $batch would be refused and sent again,
// and Graph counts the refused requests against the app too ("all
// requests accrue against your usage limits", graph/throttling). A small
// Apply, never throttled, is not slowed.
func (ap *applier) send(ctx context.Context, calls []*call) error {
	t := ap.t
	var teams, rest []*call
	for _, c := range calls {
		if c.teamCreate {
			teams = append(teams, c)
		} else {
			rest = append(rest, c)
		}
	}
	if len(teams) == 0 {
		return t.run(ctx, rest)
	}
	for len(teams)+len(rest) > 0 {
		n := maxBatch
		if ap.teamsPaced && len(teams) > 0 {
			n = teamCreatesPerSecond
			if d := ap.nextTeams.Sub(t.opts.Now()); d > 0 {
				if err := t.opts.Sleep(ctx, d); err != nil {
					return err
				}
			}
		}
		n = min(n, len(teams))
		chunk := slices.Clip(teams[:n])
		teams = teams[n:]
		m := min(maxBatch-n, len(rest))
		chunk, rest = append(chunk, rest[:m]...), rest[m:]
		if err := t.run(ctx, chunk); err != nil {
			return err
		}
		if n > 0 {
			// From the answer, not the sending: a hold may have delayed
			// the batch, and Teams counts when it arrived.
			ap.teamsPaced = ap.teamsPaced || slices.ContainsFunc(chunk[:n], func(c *call) bool { return c.throttled > 0 })
			ap.nextTeams = t.opts.Now().Add(time.Second)
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
