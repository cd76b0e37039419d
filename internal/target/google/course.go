package google

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/api/classroom/v1"

	"github.com/elevsynk/elevsynk/internal/target"
)

// course carries out one action on a course. Every call names the course
// by its alias, which "can be either the Classroom-assigned identifier or
// an alias" (Classroom reference, courses.get), so actions after a Create
// in the same plan need no id.
func (rs *roomRun) course(ctx context.Context, a target.Action) error {
	id := rs.t.markers.courseAlias(a.Key)
	switch a.Op {
	case target.OpCreate:
		return rs.createCourse(ctx, a, id)
	case target.OpRename:
		return rs.patchCourse(ctx, id, &classroom.Course{Name: a.Name}, "name")
	case target.OpSetDescription:
		return rs.patchCourse(ctx, id, &classroom.Course{Description: a.Description, ForceSendFields: []string{"Description"}}, "description")
	case target.OpAddOwners:
		if n := len(a.People); n > MaxCourseTeachers {
			return &CapError{Kind: a.Kind, Key: a.Key, What: "teachers to add", Have: n, Max: MaxCourseTeachers}
		}
		return forEach(a.People, func(p string) error { return rs.addTeacher(ctx, id, p) })
	case target.OpAddMembers:
		// A course has a teacher besides, so 1000 students are one too many.
		if n := len(a.People); n >= MaxCourseMembers {
			return &CapError{Kind: a.Kind, Key: a.Key, What: "students to add beside a teacher", Have: n, Max: MaxCourseMembers - 1}
		}
		return forEach(a.People, func(p string) error { return rs.addStudent(ctx, id, p) })
	case target.OpRemoveMembers:
		return forEach(a.People, func(p string) error {
			_, err := rs.t.cr.Courses.Students.Delete(id, p).Context(ctx).Do()
			return gone(wrap("courses.students.delete", err))
		})
	case target.OpRemoveOwners:
		return rs.removeTeachers(ctx, id, a.People)
	case target.OpArchive:
		return rs.patchCourse(ctx, id, &classroom.Course{CourseState: "ARCHIVED"}, "courseState")
	case target.OpUnarchive:
		return rs.patchCourse(ctx, id, &classroom.Course{CourseState: "ACTIVE"}, "courseState")
	case target.OpDelete:
		return rs.deleteCourse(ctx, id)
	}
	return errors.New("unknown op " + string(a.Op))
}

// createCourse makes the course ACTIVE (else it would wait, PROVISIONED,
// for its owner to accept it: guides/manage-courses) with the alias in its
// id and the first owner that has an account as its owner; "The user
// specified in ownerId is the owner of the created course and added as a
// teacher" (Classroom reference, courses.create). ALREADY_EXISTS means an
// earlier run made it: it is looked up by alias and the action goes on.
// The other owners are added as teachers.
func (rs *roomRun) createCourse(ctx context.Context, a target.Action, id string) error {
	if n := len(id); n > maxCourseAlias {
		return &CapError{Kind: a.Kind, Key: a.Key, What: "characters in the course alias of its key", Have: n, Max: maxCourseAlias}
	}
	if n := len(a.People); n > MaxCourseTeachers {
		return &CapError{Kind: a.Kind, Key: a.Key, What: "teachers", Have: n, Max: MaxCourseTeachers}
	}
	for i, p := range a.People {
		c, err := rs.t.cr.Courses.Create(&classroom.Course{Id: id, Name: a.Name, Description: a.Description,
			OwnerId: p, CourseState: "ACTIVE"}).Context(ctx).Do()
		err = wrap("courses.create", err)
		rest := a.People[i:] // those before i have no account
		if isCode(err, 409) {
			c, err = rs.t.cr.Courses.Get(id).Context(ctx).Do()
			err = wrap("courses.get", err)
		} else if err == nil {
			rest = rest[1:]
		}
		switch {
		case err == nil:
			rs.t.remember(c.Id, a.Key)
			return forEach(rest, func(p string) error { return rs.addTeacher(ctx, id, p) })
		case isCode(err, 404):
			rs.unresolved.Add(1) // the owner has no account; try the next
		default:
			return err
		}
	}
	return errors.New("courses.create: no owner of the course has an account")
}

// addTeacher adds p as a teacher. ALREADY_EXISTS comes for a teacher and
// for a student alike: a student is moved (deleted, then added as a
// teacher), since owners are added before members are removed.
func (rs *roomRun) addTeacher(ctx context.Context, id, p string) error {
	add := func() error {
		_, err := rs.t.cr.Courses.Teachers.Create(id, &classroom.Teacher{UserId: p}).Context(ctx).Do()
		return wrap("courses.teachers.create", err)
	}
	err := add()
	switch {
	case isCode(err, 409):
		_, err := rs.t.cr.Courses.Students.Get(id, p).Context(ctx).Do()
		if err := wrap("courses.students.get", err); isCode(err, 404) {
			return nil // a teacher already
		} else if err != nil {
			return err
		}
		_, err = rs.t.cr.Courses.Students.Delete(id, p).Context(ctx).Do()
		if err := gone(wrap("courses.students.delete", err)); err != nil {
			return err
		}
		return add()
	case isCode(err, 404):
		return rs.unknownPerson(ctx, id)
	}
	return err
}

// addStudent enrols p. A teacher answers ALREADY_EXISTS too; one who is to
// become a student is enrolled when RemoveOwners takes the teacher role.
func (rs *roomRun) addStudent(ctx context.Context, id, p string) error {
	_, err := rs.t.cr.Courses.Students.Create(id, &classroom.Student{UserId: p}).Context(ctx).Do()
	err = wrap("courses.students.create", err)
	switch {
	case isCode(err, 409):
		_, err := rs.t.cr.Courses.Teachers.Get(id, p).Context(ctx).Do()
		if err := wrap("courses.teachers.get", err); isCode(err, 404) {
			return nil // a student already
		} else if err != nil {
			return err
		}
		if rs.demote == nil {
			rs.demote = map[string]bool{}
		}
		rs.demote[strings.ToLower(p)] = true
		return nil
	case isCode(err, 404):
		return rs.unknownPerson(ctx, id)
	}
	return err
}

// removeTeachers removes teachers. The owner cannot be removed
// ("CannotRemoveCourseOwner",
// https://developers.google.com/workspace/classroom/troubleshooting/common-errors):
// ownership goes first to a teacher who stays, by patching ownerId
// ("Admins can also specify this field in a patch course request to
// transfer ownership", Classroom reference, Course.ownerId).
func (rs *roomRun) removeTeachers(ctx context.Context, id string, people []string) error {
	leaving := map[string]bool{}
	for _, p := range people {
		leaving[strings.ToLower(p)] = true
	}
	return forEach(people, func(p string) error {
		del := func() error {
			_, err := rs.t.cr.Courses.Teachers.Delete(id, p).Context(ctx).Do()
			return gone(wrap("courses.teachers.delete", err))
		}
		err := del()
		if reason(err) == "CannotRemoveCourseOwner" {
			if err := rs.transferOwner(ctx, id, leaving); err != nil {
				return err
			}
			err = del()
		}
		if err != nil || !rs.demote[strings.ToLower(p)] {
			return err
		}
		_, err = rs.t.cr.Courses.Students.Create(id, &classroom.Student{UserId: p}).Context(ctx).Do()
		if err := wrap("courses.students.create", err); !isCode(err, 409) {
			return err
		}
		return nil
	})
}

// transferOwner makes the first teacher not leaving the owner.
func (rs *roomRun) transferOwner(ctx context.Context, id string, leaving map[string]bool) error {
	var next string
	err := rs.t.cr.Courses.Teachers.List(id).PageSize(rs.t.opts.PageSize).Context(ctx).Pages(ctx, func(p *classroom.ListTeachersResponse) error {
		for _, x := range p.Teachers {
			if k := accountKey(x.Profile, x.UserId); next == "" && !leaving[k] {
				next = x.UserId
			}
		}
		return nil
	})
	if err != nil {
		return wrap("courses.teachers.list", err)
	}
	if next == "" {
		return errors.New("courses.teachers.delete: the owner cannot leave before another teacher is added")
	}
	return rs.patchCourse(ctx, id, &classroom.Course{OwnerId: next}, "ownerId")
}

func (rs *roomRun) patchCourse(ctx context.Context, id string, c *classroom.Course, mask string) error {
	_, err := rs.t.cr.Courses.Patch(id, c).UpdateMask(mask).Context(ctx).Do()
	return wrap("courses.patch", err)
}

// deleteCourse archives the course, since only an archived class can be
// deleted (https://support.google.com/edu/classroom/answer/6149237), then
// deletes it. A course already gone is done.
func (rs *roomRun) deleteCourse(ctx context.Context, id string) error {
	err := rs.patchCourse(ctx, id, &classroom.Course{CourseState: "ARCHIVED"}, "courseState")
	if isCode(err, 404) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = rs.t.cr.Courses.Delete(id).Context(ctx).Do()
	return gone(wrap("courses.delete", err))
}

// unknownPerson handles a 404 on adding a person: if the course exists,
// the person has no account and is left out (counted as unresolved);
// otherwise the room is missing and the action fails.
func (rs *roomRun) unknownPerson(ctx context.Context, id string) error {
	if !rs.checked {
		if _, err := rs.t.cr.Courses.Get(id).Context(ctx).Do(); err != nil {
			return wrap("courses.get", err)
		}
		rs.checked = true
	}
	rs.unresolved.Add(1)
	return nil
}

// gone treats 404 as done, for deletes.
func gone(err error) error {
	if isCode(err, 404) {
		return nil
	}
	return err
}

// forEach runs f on each person, stopping at the first error.
func forEach(people []string, f func(string) error) error {
	for _, p := range people {
		if err := f(p); err != nil {
			return err
		}
	}
	return nil
}
