package export

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// namespace is the RFC 9562 name-based namespace of ids elevsynk derives
// (a random UUID, fixed here forever: changing it renames every derived
// room key).
var namespace = [16]byte{0x5a, 0x0e, 0x1c, 0x6b, 0x3f, 0x27, 0x4d, 0x8a, 0x9b, 0x61, 0x0c, 0x4e, 0x72, 0xd3, 0x15, 0xa8}

// DerivedID is a version-5 UUID (RFC 9562 §5.5) of kind and parts: the id
// of a register object a file format leaves implicit, stable across reads
// of the same export, so the rooms made from it keep their keys.
func DerivedID(kind string, parts ...string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return uuid(h.Sum(nil))
}

// PseudonymID is the id of a person a format names only by something
// personal, such as a civic number: an HMAC-SHA256 under the tenant's
// secret key, laid out as a version-5 UUID. A plain hash would not do:
// a birth date leaves a few thousand civic numbers, and trying them all
// against a room key would give the number back. Without the key the id
// says nothing; with a new key every id, and so every room key made from
// one, changes.
func PseudonymID(key []byte, kind, value string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(value))
	return uuid(h.Sum(nil))
}

// uuid lays out the first 16 bytes of sum as a version-5 UUID.
func uuid(sum []byte) string {
	var u [16]byte
	copy(u[:], sum)
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	var b strings.Builder
	b.Grow(36)
	for i, part := range [][]byte{u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]} {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(hex.EncodeToString(part))
	}
	return b.String()
}

// DutyID is the id of the duty a format implies when it says a person
// works at a school unit: one per person and unit, whatever the role.
func DutyID(personID, schoolUnitID string) string {
	return DerivedID("duty", personID, schoolUnitID)
}

// ActivityID is the id of the teaching activity a format implies for a
// teaching group that has teachers.
func ActivityID(groupID string) string { return DerivedID("activity", groupID) }

// Duties collects the duties a format implies, one per person and school
// unit, in the order they are first named.
type Duties struct {
	index map[string]int
	list  []roster.Duty
}

// Of returns the duty of person at unit, made with role if it is new. The
// pointer is valid until the next call.
func (d *Duties) Of(personID, schoolUnitID string, role roster.DutyRole) *roster.Duty {
	id := DutyID(personID, schoolUnitID)
	if i, ok := d.index[id]; ok {
		return &d.list[i]
	}
	if d.index == nil {
		d.index = map[string]int{}
	}
	d.index[id] = len(d.list)
	d.list = append(d.list, roster.Duty{ID: id, PersonID: personID, SchoolUnitID: schoolUnitID, DutyRole: role})
	return &d.list[len(d.list)-1]
}

// Mentor makes the person a mentor of group, a Klass at unit.
func (d *Duties) Mentor(personID, schoolUnitID, groupID string, start, end roster.Date) {
	duty := d.Of(personID, schoolUnitID, roster.DutyLarare)
	duty.AssignmentRoles = append(duty.AssignmentRoles, roster.AssignmentRole{
		GroupID: groupID, Role: roster.AssignmentMentor, StartDate: start, EndDate: end})
}

// List is the duties collected.
func (d *Duties) List() []roster.Duty { return d.list }
