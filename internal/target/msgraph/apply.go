package msgraph

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Apply carries out actions in their order, in runs: consecutive actions
// of one phase (creates; room updates; archives; deletes) go together, so
// that their requests share $batch round trips, and a run of creates takes
// the updates after it along (see create). Within the update run,
// unarchiving comes first and owner removals last, after every add, so a
// room never drops to zero owners. An action that fails marks its room,
// and later actions on that room are skipped; actions of the same run
// already sent are not undone.
func (t *Target) Apply(ctx context.Context, actions []target.Action) target.Result {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reported = nil
	ap := &applier{t: t, failed: map[roomID]bool{}, unresolved: map[string]bool{}, keep: map[*room]map[string]bool{}, created: map[*room]bool{}}
	for _, a := range actions {
		ap.tasks = append(ap.tasks, &task{a: a})
	}
	if err := t.resolve(ctx, adds(actions)); err != nil && ctx.Err() == nil {
		for _, tk := range ap.tasks {
			if addsPeople(tk.a.Op) && len(tk.a.People) > 0 {
				ap.fail(tk, "looking up people: "+errText(err))
			}
		}
	}
	for i := 0; i < len(ap.tasks) && ctx.Err() == nil; {
		j := ap.runEnd(i)
		k := j
		if phase(ap.tasks[i].a.Op) == 0 && j < len(ap.tasks) && phase(ap.tasks[j].a.Op) == 1 {
			k = ap.runEnd(j)
		}
		run := ap.ready(ap.tasks[i:k])
		var err error
		switch phase(ap.tasks[i].a.Op) {
		case 0:
			creates, updates := run, []*task(nil)
			if n := slices.IndexFunc(run, func(tk *task) bool { return phase(tk.a.Op) != 0 }); n >= 0 {
				creates, updates = run[:n], run[n:]
			}
			err = ap.create(ctx, creates, updates)
		case 1:
			err = ap.update(ctx, run, nil)
		case 2:
			err = ap.archive(ctx, run)
		case 3:
			err = ap.delete(ctx, run)
		default:
			for _, tk := range run {
				ap.fail(tk, "unknown action")
			}
		}
		if err != nil && ctx.Err() == nil {
			for _, tk := range run {
				if tk.st == pending {
					ap.fail(tk, errText(err))
				}
			}
		}
		i = k
	}
	return ap.result()
}

// runEnd is where the run of tasks starting at i ends: the next task of
// another phase.
func (ap *applier) runEnd(i int) int {
	j := i + 1
	for j < len(ap.tasks) && phase(ap.tasks[j].a.Op) == phase(ap.tasks[i].a.Op) {
		j++
	}
	return j
}

// phase groups operations that may share round trips.
func phase(op target.Op) int {
	switch op {
	case target.OpCreate:
		return 0
	case target.OpUnarchive, target.OpRename, target.OpSetDescription, target.OpAddOwners, target.OpAddMembers,
		target.OpRemoveMembers, target.OpRemoveOwners:
		return 1
	case target.OpArchive:
		return 2
	case target.OpDelete:
		return 3
	}
	return -1
}

func addsPeople(op target.Op) bool {
	return op == target.OpCreate || op == target.OpAddOwners || op == target.OpAddMembers
}

// adds lists the account keys actions add; removals name people the
// adapter observed, whose ids it knows.
func adds(actions []target.Action) []string {
	var out []string
	for _, a := range actions {
		if addsPeople(a.Op) {
			out = append(out, a.People...)
		}
	}
	return out
}

type status int

const (
	pending status = iota
	done
	failed
	skipped
)

// task is one action and how it went.
type task struct {
	a   target.Action
	st  status
	msg string
}

type applier struct {
	t          *Target
	tasks      []*task
	failed     map[roomID]bool
	unresolved map[string]bool
	// keep holds, per room, the people an AddMembers named in this Apply:
	// an owner turned member keeps the membership when the owner is
	// removed.
	keep map[*room]map[string]bool
	// created holds the rooms whose group this Apply made; other replicas
	// may not know them yet.
	created map[*room]bool
	// teamsPaced: Graph throttled a team create in this Apply, so the
	// rest go at Teams' rate, the next ones at nextTeams (see send).
	teamsPaced bool
	nextTeams  time.Time
}

func (ap *applier) fail(tk *task, msg string) {
	tk.st, tk.msg = failed, msg
	ap.failed[roomID{tk.a.Kind, tk.a.Key}] = true
}

func (ap *applier) succeed(tk *task) {
	if tk.st == pending {
		tk.st = done
	}
}

// ready returns the pending tasks whose room has not failed; the others
// are skipped.
func (ap *applier) ready(tasks []*task) []*task {
	var out []*task
	for _, tk := range tasks {
		switch {
		case tk.st != pending:
		case ap.failed[roomID{tk.a.Kind, tk.a.Key}]:
			tk.st = skipped
		default:
			out = append(out, tk)
		}
	}
	return out
}

func (ap *applier) result() target.Result {
	var res target.Result
	for _, tk := range ap.tasks {
		switch tk.st {
		case done:
			res.Applied++
		case failed:
			res.Failures = append(res.Failures, target.Failure{Op: tk.a.Op, Kind: tk.a.Kind, Key: tk.a.Key, Message: tk.msg})
		default:
			res.Skipped++
		}
	}
	res.Unresolved = len(ap.unresolved)
	return res
}

// ids resolves the people of an action to user ids; unknown people are
// left out, and counted when the action adds them.
func (ap *applier) ids(tk *task) []string {
	out := make([]string, 0, len(tk.a.People))
	for _, k := range tk.a.People {
		if id, ok := strings.CutPrefix(k, "id:"); ok {
			out = append(out, id)
		} else if id, ok := ap.t.state.userID[strings.ToLower(k)]; ok {
			out = append(out, id)
		} else if addsPeople(tk.a.Op) {
			ap.unresolved[strings.ToLower(k)] = true
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// roomFor finds the room of an action, or makes a stale one from the
// action's ID when the adapter has not seen it.
func (ap *applier) roomFor(tk *task) *room {
	st := ap.t.state
	if r := st.get(tk.a.Kind, tk.a.Key); r != nil {
		return r
	}
	if tk.a.ID == "" {
		return nil
	}
	if r := st.byID[tk.a.ID]; r != nil && r.kind == tk.a.Kind {
		return r
	}
	r := &room{kind: tk.a.Kind, key: tk.a.Key, id: tk.a.ID, owners: map[string]bool{}, members: map[string]bool{},
		stale: true, teamReady: true}
	st.put(r)
	return r
}

// errText is an error for a Failure: Graph errors give status and code.
func errText(err error) string {
	if ge, ok := asGraphError(err); ok {
		return ge.Error()
	}
	return err.Error()
}

// write is one request on behalf of tasks, built again before each try
// so that a retry sends only what is still missing.
type write struct {
	tasks []*task
	r     *room
	what  string
	// build returns the request, or nil when nothing is left to do.
	build func() (*abs.RequestInformation, error)
	// ok applies a success to the state; accept says a failure status
	// means the work is done anyway (404 on a removal).
	ok     func(c *call)
	accept func(status int) bool
	// team marks a team create: Teams limits them on their own, and a new
	// group not replicated yet answers 404 (api/team-post, example 4).
	team bool
	c    *call
}

// replicating says the write met a new group a replica does not know yet.
func (w *write) replicating(ge *graphError) bool {
	return ge.notReplicated() || w.team && ge.status == http.StatusNotFound
}

func (w *write) live() bool {
	for _, tk := range w.tasks {
		if tk.st == failed || tk.st == skipped {
			return false
		}
	}
	return true
}

// writeAll runs writes in $batch round trips (see send). A 400 "already
// exist" (someone added the person since the adapter looked) re-reads the
// room and retries with what is missing. A 400 "source resource object …
// do not exist", or a 404 on a team create (a new group not replicated
// yet), waits and retries,
// ReplicationRetries times (see replicationWait); groups made together
// replicate together, so one of them probes and the others wait for it
// instead of each spending a write per try. Writes to groups made in this
// Apply start that way: one goes first.
func (ap *applier) writeAll(ctx context.Context, ws []*write) error {
	t := ap.t
	var pending, held []*write
	var probe *write
	for _, w := range ws {
		switch {
		case w.r == nil || !ap.created[w.r]:
			pending = append(pending, w)
		case probe == nil:
			probe = w
			pending = append(pending, w)
		default:
			held = append(held, w)
		}
	}
	waits, reloads := 0, 0
	for len(pending) > 0 || probe != nil {
		var live []*write
		var calls []*call
		send := func(w *write) (bool, error) {
			if !w.live() {
				return false, nil
			}
			ri, err := w.build()
			if err != nil || ri == nil {
				return false, err
			}
			w.c = &call{ri: ri, teamCreate: w.team}
			live, calls = append(live, w), append(calls, w.c)
			return true, nil
		}
		probeSent := false
		for _, w := range pending {
			ok, err := send(w)
			if err != nil {
				return err
			}
			probeSent = probeSent || ok && w == probe
		}
		// A probe with nothing to send hands over to the next held write.
		for probe != nil && !probeSent {
			if len(held) == 0 {
				probe = nil
				break
			}
			probe, held = held[0], held[1:]
			var err error
			if probeSent, err = send(probe); err != nil {
				return err
			}
		}
		if err := ap.send(ctx, calls); err != nil {
			return err
		}
		var again, waiting []*write
		reload := map[string]*room{}
		for _, w := range live {
			ge := w.c.err()
			switch {
			case ge == nil || w.accept != nil && w.accept(w.c.status):
				if w.ok != nil {
					w.ok(w.c)
				}
			case ge.alreadyExists() && reloads < 2 && w.r != nil:
				reload[w.r.id] = w.r
				again = append(again, w)
			case w.replicating(ge) && waits < t.opts.ReplicationRetries:
				waiting = append(waiting, w)
			default:
				for _, tk := range w.tasks {
					ap.fail(tk, w.what+": "+ge.Error())
				}
			}
		}
		if probe != nil && !slices.Contains(waiting, probe) {
			again, held, probe = append(again, held...), nil, nil
		}
		if len(reload) > 0 {
			reloads++
			if err := t.readRelations(ctx, sortedRooms(reload), true); err != nil {
				return err
			}
		}
		if len(waiting) > 0 {
			if err := t.opts.Sleep(ctx, t.replicationWait(waits)); err != nil {
				return err
			}
			waits++
			probe, held = waiting[0], append(held, waiting[1:]...)
			again = append(again, probe)
		}
		pending = again
	}
	return nil
}

// replicationWait is the wait before retry n+1 of a request that met a
// group not replicated yet: ReplicationDelay, doubled each time (10, 20,
// 40 s by default), which covers Microsoft's three retries 10 s apart and
// gives slow replicas more time.
func (t *Target) replicationWait(n int) time.Duration {
	return t.opts.ReplicationDelay << min(n, 6)
}

// kindSupported says whether the adapter makes rooms of kind k.
func kindSupported(k elevsynkv1.RoomKind) bool {
	return k == elevsynkv1.RoomClassTeam || slices.Contains(groupKinds, k)
}

func unsupported(k elevsynkv1.RoomKind) string {
	return fmt.Sprintf("Microsoft 365 has no %s rooms", k)
}
