package google

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Apply carries out actions, each room's in order (but see removalsFirst)
// and up to Workers rooms of each API at once. After a room's action fails its later actions are skipped;
// when ctx ends, every action not yet done is skipped. Failures name the
// room and the op, with the API method, HTTP status and Google's reason.
func (t *Target) Apply(ctx context.Context, actions []target.Action) target.Result {
	var order []roomRef
	byRoom := map[roomRef][]target.Action{}
	// What the next Observe knows of these rooms' people is read again.
	t.mu.Lock()
	for _, a := range actions {
		t.rosters.forget(roomRef{a.Kind, a.Key})
	}
	t.mu.Unlock()
	for _, a := range actions {
		k := roomRef{a.Kind, a.Key}
		if _, ok := byRoom[k]; !ok {
			order = append(order, k)
		}
		byRoom[k] = append(byRoom[k], a)
	}
	for k, acts := range byRoom {
		if k.kind == elevsynkv1.RoomCourse {
			byRoom[k] = removalsFirst(acts)
		}
	}
	var (
		res     target.Result
		mu      sync.Mutex
		applied atomic.Int64
		skipped atomic.Int64
		unres   atomic.Int64
		wg      sync.WaitGroup
	)
	runRoom := func(k roomRef) {
		rs := &roomRun{t: t, unresolved: &unres}
		for i, a := range byRoom[k] {
			if ctx.Err() != nil {
				skipped.Add(int64(len(byRoom[k]) - i))
				return
			}
			err := rs.apply(ctx, a)
			if err == nil {
				applied.Add(1)
				continue
			}
			if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
				skipped.Add(int64(len(byRoom[k]) - i))
				return
			}
			mu.Lock()
			res.Failures = append(res.Failures, target.Failure{Op: a.Op, Kind: a.Kind, Key: a.Key, Message: err.Error()})
			mu.Unlock()
			skipped.Add(int64(len(byRoom[k]) - i - 1))
			return
		}
	}
	// Classroom and Directory have quotas of their own, so each API's
	// rooms get workers of their own: groups are not queued behind
	// courses, and a Target takes the longer of the two, not their sum.
	queues := map[bool][]roomRef{}
	for _, k := range order {
		queues[k.kind == elevsynkv1.RoomCourse] = append(queues[k.kind == elevsynkv1.RoomCourse], k)
	}
	for _, queue := range queues {
		work := make(chan roomRef, len(queue))
		for _, k := range queue {
			work <- k
		}
		close(work)
		for range min(t.opts.Workers, len(queue)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range work {
					runRoom(k)
				}
			}()
		}
	}
	wg.Wait()
	res.Applied, res.Skipped, res.Unresolved = int(applied.Load()), int(skipped.Load()), int(unres.Load())
	slices.SortFunc(res.Failures, func(a, b target.Failure) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	})
	return res
}

// removalsFirst moves a course's RemoveMembers before its AddMembers. The
// plan adds before it removes so that a room never loses its owners, which
// students are not; a course at the member cap would otherwise refuse
// every add ("CourseMemberLimitReached",
// https://developers.google.com/workspace/classroom/troubleshooting/common-errors)
// and never reach the removes that make room.
func removalsFirst(acts []target.Action) []target.Action {
	add := slices.IndexFunc(acts, func(a target.Action) bool { return a.Op == target.OpAddMembers })
	if add < 0 {
		return acts
	}
	out := slices.Clone(acts[:add])
	for _, a := range acts[add:] {
		if a.Op == target.OpRemoveMembers {
			out = append(out, a)
		}
	}
	for _, a := range acts[add:] {
		if a.Op != target.OpRemoveMembers {
			out = append(out, a)
		}
	}
	return out
}

// roomRun is the state of one room's actions in one Apply.
type roomRun struct {
	t          *Target
	unresolved *atomic.Int64
	// checked: the room was found to exist after a 404 on a person, so
	// further 404s are unknown people.
	checked bool
	// demote holds teachers an AddMembers found, to enrol as students once
	// a RemoveOwners has taken their teacher role (Classroom allows one
	// role per person: "ALREADY_EXISTS if the user is already a student or
	// teacher in the course", Classroom reference, courses.students.create).
	demote map[string]bool
}

func (rs *roomRun) apply(ctx context.Context, a target.Action) error {
	switch a.Kind {
	case elevsynkv1.RoomCourse:
		return rs.course(ctx, a)
	case elevsynkv1.RoomGoogleGroup, elevsynkv1.RoomMailGroup:
		return rs.group(ctx, a)
	case elevsynkv1.RoomSecurityGroup:
		return errors.New(errSecurityGroup)
	}
	return errors.New("this kind is not kept in Google Workspace")
}
