package google

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	admin "google.golang.org/api/admin/directory/v1"
	"google.golang.org/api/classroom/v1"
	"google.golang.org/api/googleapi"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Observe lists the owned courses and groups with their people. Owners
// are a course's teachers and a group's OWNER members; Members are a
// course's students and a group's other members. A group whose create was
// cut off before its address was set (its e-mail is still the pending
// address) is left out: the plan creates it again and Create completes it.
// The rooms' own fields come from the lists on every pass; their people
// are read again only for some rooms (see rosters).
func (t *Target) Observe(ctx context.Context) ([]target.Room, error) {
	courses, err := t.ownedCourses(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := t.ownedGroups(ctx)
	if err != nil {
		return nil, err
	}
	rooms := make([]target.Room, 0, len(courses)+len(groups))
	for _, c := range courses {
		rooms = append(rooms, courseRoom(c))
	}
	for _, g := range groups {
		rooms = append(rooms, groupRoom(g))
	}
	list := make([]listed, len(rooms))
	for i, r := range rooms {
		list[i] = listed{ref: roomRef{r.Kind, r.Key}, id: r.ID}
	}
	t.mu.Lock()
	t.rosters.choose(list, t.opts.RecheckPasses)
	for i, l := range list {
		if !l.read {
			rooms[i].Owners, rooms[i].Members = t.rosters.people(l.ref)
		}
	}
	t.mu.Unlock()

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.Workers)
	var toRead []*target.Room // courses, read in batches
	for i, l := range list {
		if !l.read {
			continue
		}
		r := &rooms[i]
		if r.Kind == elevsynkv1.RoomCourse {
			toRead = append(toRead, r)
			continue
		}
		g.Go(func() error { return t.readGroup(gctx, r) })
	}
	for chunk := range slices.Chunk(toRead, batchCalls/2) {
		g.Go(func() error { return t.readCourses(gctx, chunk) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	t.mu.Lock()
	for i, l := range list {
		if l.read {
			t.rosters.store(l.ref, l.id, rooms[i].Owners, rooms[i].Members)
		}
	}
	t.mu.Unlock()
	slices.SortFunc(rooms, func(a, b target.Room) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	})
	return rooms, nil
}

// The fields Observe reads of each list, asked for as partial responses
// ("Partial response",
// https://developers.google.com/workspace/classroom/guides/performance#partial).
// Google answers a course or a roster entry with many more, the people's
// names among them, which the manager then neither decodes nor receives.
// Each keeps nextPageToken, without which Pages stops after one page.
const (
	courseFields  googleapi.Field = "nextPageToken,courses(id,name,description,courseState)"
	teacherFields googleapi.Field = "nextPageToken,teachers(userId,profile/emailAddress)"
	studentFields googleapi.Field = "nextPageToken,students(userId,profile/emailAddress)"
	groupFields   googleapi.Field = "nextPageToken,groups(id,email,name,description,aliases)"
	memberFields  googleapi.Field = "nextPageToken,members(id,email,role)"
)

type ownedCourse struct {
	key string
	c   *classroom.Course
}

// ownedCourses lists every course and keeps those whose aliases carry a
// course marker. Aliases are per course (courses.aliases.list), so what
// they said is cached by course id and re-read for courses not seen
// before, and for a share of the others, those checked longest ago, so
// that each is checked again within AliasRecheck: the share of the time
// since the last pass. All at once, that would be a request per course in
// one sync, 49 000 for a municipality of 120 000 pupils.
func (t *Target) ownedCourses(ctx context.Context) ([]ownedCourse, error) {
	var all []*classroom.Course
	err := t.cr.Courses.List().PageSize(t.opts.PageSize).Fields(courseFields).Pages(ctx, func(p *classroom.ListCoursesResponse) error {
		all = append(all, p.Courses...)
		return nil
	})
	if err != nil {
		return nil, wrap("courses.list", err)
	}
	t.mu.Lock()
	now := t.opts.Now()
	since := min(now.Sub(t.aliasPass), t.opts.AliasRecheck)
	t.aliasPass = now
	known := make(map[string]courseAliases, len(all))
	var unknown, cached []*classroom.Course
	for _, c := range all {
		if k, ok := t.courseKeys[c.Id]; ok {
			known[c.Id] = k
			cached = append(cached, c)
		} else {
			unknown = append(unknown, c)
		}
	}
	// Forget deleted courses.
	t.courseKeys = known
	slices.SortFunc(cached, func(a, b *classroom.Course) int {
		return cmp.Or(known[a.Id].checked.Compare(known[b.Id].checked), cmp.Compare(a.Id, b.Id))
	})
	// The share accrues: many quick passes read one now and then, not one
	// each.
	t.aliasOwed += float64(len(cached)) * float64(since) / float64(t.opts.AliasRecheck)
	share := int(t.aliasOwed)
	t.aliasOwed -= float64(share)
	for i, c := range cached {
		if i < share || now.Sub(known[c.Id].checked) >= t.opts.AliasRecheck {
			unknown = append(unknown, c)
		}
	}
	t.mu.Unlock()

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.Workers)
	for _, c := range unknown {
		g.Go(func() error {
			key, err := t.courseKey(gctx, c.Id)
			if err == nil {
				t.remember(c.Id, key)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []ownedCourse
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range all {
		if k := t.courseKeys[c.Id].key; k != "" {
			out = append(out, ownedCourse{k, c})
		}
	}
	return out, nil
}

// courseKey reads a course's aliases for a course marker; "" if none.
func (t *Target) courseKey(ctx context.Context, id string) (string, error) {
	var key string
	err := t.cr.Courses.Aliases.List(id).PageSize(t.opts.PageSize).Pages(ctx, func(p *classroom.ListCourseAliasesResponse) error {
		for _, a := range p.Aliases {
			if m, ok := strings.CutPrefix(a.Alias, "d:"); ok {
				if k, kk, ok := t.markers.parseMarker(m); ok && k == elevsynkv1.RoomCourse {
					key = kk
				}
			}
		}
		return nil
	})
	if isCode(wrap("", err), 404) { // deleted since the list
		return "", nil
	}
	return key, wrap("courses.aliases.list", err)
}

func (t *Target) remember(courseID, key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.courseKeys[courseID] = courseAliases{key: key, checked: t.opts.Now()}
}

// courseAliases is what a course's aliases said: its room key, or "" when
// they carry no marker (a teacher's own course), and when they were read.
type courseAliases struct {
	key     string
	checked time.Time
}

// courseRoom is a listed course as a room, without its people.
func courseRoom(oc ownedCourse) target.Room {
	c := oc.c
	return target.Room{Key: oc.key, Kind: elevsynkv1.RoomCourse, ID: c.Id, Name: c.Name, Description: c.Description,
		Archived: c.CourseState == "ARCHIVED"}
}

// readCourse reads the teachers and students of r's course.
func (t *Target) readCourse(ctx context.Context, r *target.Room) error {
	r.Owners, r.Members = []string{}, []string{}
	err := t.cr.Courses.Teachers.List(r.ID).PageSize(t.opts.PageSize).Fields(teacherFields).Pages(ctx, func(p *classroom.ListTeachersResponse) error {
		r.Owners = appendTeachers(r.Owners, p.Teachers)
		return nil
	})
	if err != nil {
		return wrap("courses.teachers.list", err)
	}
	err = t.cr.Courses.Students.List(r.ID).PageSize(t.opts.PageSize).Fields(studentFields).Pages(ctx, func(p *classroom.ListStudentsResponse) error {
		r.Members = appendStudents(r.Members, p.Students)
		return nil
	})
	if err != nil {
		return wrap("courses.students.list", err)
	}
	slices.Sort(r.Owners)
	slices.Sort(r.Members)
	return nil
}

// appendTeachers appends the account keys of a page of teachers to dst.
func appendTeachers(dst []string, ts []*classroom.Teacher) []string {
	for _, x := range ts {
		dst = append(dst, accountKey(x.Profile, x.UserId))
	}
	return dst
}

// appendStudents appends the account keys of a page of students to dst.
func appendStudents(dst []string, ss []*classroom.Student) []string {
	for _, x := range ss {
		dst = append(dst, accountKey(x.Profile, x.UserId))
	}
	return dst
}

// accountKey is the profile's e-mail in lower case, or "id:" and the user
// id when the profile has none (the target contract's fallback).
func accountKey(p *classroom.UserProfile, userID string) string {
	if p == nil {
		return keyOf("", userID)
	}
	return keyOf(p.EmailAddress, userID)
}

// keyOf is accountKey from the profile's e-mail ("" when it has none).
func keyOf(email, userID string) string {
	if email != "" {
		return strings.ToLower(email)
	}
	return "id:" + userID
}

type ownedGroup struct {
	kind elevsynkv1.RoomKind
	key  string
	g    *admin.Group
}

// ownedGroups lists the domain's groups and keeps those with a group
// marker among their aliases, in this domain.
func (t *Target) ownedGroups(ctx context.Context) ([]ownedGroup, error) {
	var out []ownedGroup
	err := t.dir.Groups.List().Domain(t.domain).MaxResults(200).Fields(groupFields).Pages(ctx, func(p *admin.Groups) error {
		for _, g := range p.Groups {
			if strings.HasPrefix(strings.ToLower(g.Email), t.markers.pendingPrefix()) {
				continue // a create cut off before its address was set
			}
			if k, key, ok := t.groupOwner(g.Aliases); ok {
				out = append(out, ownedGroup{k, key, g})
			}
		}
		return nil
	})
	return out, wrap("groups.list", err)
}

// groupOwner finds the marker among a group's aliases.
func (t *Target) groupOwner(aliases []string) (elevsynkv1.RoomKind, string, bool) {
	for _, a := range aliases {
		local, domain, _ := strings.Cut(strings.ToLower(a), "@")
		if domain != t.domain {
			continue
		}
		if k, key, ok := t.markers.parseMarker(local); ok && k != elevsynkv1.RoomCourse {
			return k, key, true
		}
	}
	return "", "", false
}

// groupRoom is a listed group as a room, without its people.
func groupRoom(og ownedGroup) target.Room {
	g := og.g
	local, _, _ := strings.Cut(strings.ToLower(g.Email), "@")
	return target.Room{Key: og.key, Kind: og.kind, ID: g.Id, Name: g.Name, Description: g.Description, MailNickname: local}
}

// readGroup reads the members of r's group by role.
func (t *Target) readGroup(ctx context.Context, r *target.Room) error {
	r.Owners, r.Members = []string{}, []string{}
	err := t.dir.Members.List(r.ID).MaxResults(200).Fields(memberFields).Pages(ctx, func(p *admin.Members) error {
		for _, m := range p.Members {
			k := strings.ToLower(m.Email)
			if k == "" {
				k = "id:" + m.Id
			}
			if m.Role == "OWNER" {
				r.Owners = append(r.Owners, k)
			} else {
				r.Members = append(r.Members, k)
			}
		}
		return nil
	})
	if err != nil {
		return wrap("members.list", err)
	}
	slices.Sort(r.Owners)
	slices.Sort(r.Members)
	return nil
}
