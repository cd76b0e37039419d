package google

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Ownership is recovered from the domain itself. A room's marker is the
// Target's marker prefix ("elevsynk" unless spec.markerPrefix says
// otherwise, so several Targets can share a domain) + "." + a letter for
// its kind + "." + its key in a reversible encoding, e.g.
// "elevsynk.c.undervisning.activity.3f2a…":
//
//   - a course carries it as the domain alias "d:<marker>", given in the
//     id of courses.create, so a retried create answers ALREADY_EXISTS
//     instead of making a second course, and any course id parameter
//     takes the alias (Classroom reference, courses.create, courses.get);
//   - a Directory group carries it as the e-mail alias
//     "<marker>@<domain>", which groups.list returns with each group
//     (Group.aliases), so one list finds every owned group and its key,
//     and members calls take it as groupKey.
//
// The encoding keeps a-z, 0-9 and '-', writes ':' as '.', and every other
// byte as '_' and two lower-case hex digits. That is within the characters
// of a Workspace username (letters, numbers, dashes, underscores, periods;
// https://support.google.com/a/answer/9193374), never has a leading,
// trailing or doubled period (a ':' next to those places is escaped), and
// is lower case, since Workspace addresses ignore case.
type Markers struct {
	prefix string // with its trailing "."
}

// DefaultMarkerPrefix is the CRD's default of spec.google.markerPrefix.
const DefaultMarkerPrefix = "elevsynk"

// MarkersOf are the markers of a Target with the given prefix; "" is the
// default.
func MarkersOf(prefix string) Markers {
	if prefix == "" {
		prefix = DefaultMarkerPrefix
	}
	return Markers{prefix: prefix + "."}
}

// Limits on the marker: a CourseAlias "has a maximum length of 256
// characters" (Classroom reference, courses.aliases); a username is at
// most 64 characters (https://support.google.com/a/answer/9193374).
const (
	maxCourseAlias = 256
	maxLocalPart   = 64
)

var kindLetters = map[elevsynkv1.RoomKind]byte{
	elevsynkv1.RoomCourse:      'c',
	elevsynkv1.RoomGoogleGroup: 'g',
	elevsynkv1.RoomMailGroup:   'm',
}

// marker returns the marker of a room of kind k with key, or "" for a kind
// this target does not keep.
func (m Markers) marker(k elevsynkv1.RoomKind, key string) string {
	l, ok := kindLetters[k]
	if !ok || key == "" {
		return ""
	}
	return m.prefix + string(l) + "." + encodeKey(key)
}

// parseMarker reverses marker; ok is false for anything marker does not
// produce, so hand-made look-alikes are not taken for ours.
func (m Markers) parseMarker(s string) (k elevsynkv1.RoomKind, key string, ok bool) {
	rest, found := strings.CutPrefix(s, m.prefix)
	if !found || len(rest) < 3 || rest[1] != '.' {
		return "", "", false
	}
	for kind, l := range kindLetters {
		if l == rest[0] {
			k = kind
		}
	}
	key, ok = decodeKey(rest[2:])
	return k, key, ok && k != "" && key != ""
}

// courseAlias is the domain alias of the course with key.
func (m Markers) courseAlias(key string) string { return "d:" + m.marker(elevsynkv1.RoomCourse, key) }

// groupMarker is the marker address of the group of kind k with key.
func (m Markers) groupMarker(k elevsynkv1.RoomKind, key, domain string) string {
	return m.marker(k, key) + "@" + domain
}

// pendingPrefix starts the address a group is created under before it
// has its marker and its real address (see createGroup). The address is
// derived from a hash of the kind and key, so a retried create finds the
// group, and it never parses as a marker.
func (m Markers) pendingPrefix() string { return strings.TrimSuffix(m.prefix, ".") + "-new-" }

func (m Markers) pendingAddress(k elevsynkv1.RoomKind, key, domain string) string {
	sum := sha256.Sum256([]byte(string(k) + "\x00" + key))
	return m.pendingPrefix() + hex.EncodeToString(sum[:10]) + "@" + domain
}

const hexDigits = "0123456789abcdef"

func keep(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' }

// encodeKey writes key in the marker alphabet; see Markers.
func encodeKey(key string) string {
	var sb strings.Builder
	sb.Grow(len(key) + 8)
	for i := 0; i < len(key); i++ {
		b := key[i]
		switch {
		case keep(b):
			sb.WriteByte(b)
		case b == ':' && i > 0 && i < len(key)-1 && key[i-1] != ':':
			sb.WriteByte('.')
		default:
			sb.WriteByte('_')
			sb.WriteByte(hexDigits[b>>4])
			sb.WriteByte(hexDigits[b&0xf])
		}
	}
	return sb.String()
}

// decodeKey reverses encodeKey and accepts only its canonical output.
func decodeKey(s string) (string, bool) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case keep(b):
			out = append(out, b)
		case b == '.':
			out = append(out, ':')
		case b == '_' && i+2 < len(s):
			hi, lo := strings.IndexByte(hexDigits, s[i+1]), strings.IndexByte(hexDigits, s[i+2])
			if hi < 0 || lo < 0 {
				return "", false
			}
			out = append(out, byte(hi<<4|lo))
			i += 2
		default:
			return "", false
		}
	}
	key := string(out)
	return key, encodeKey(key) == s
}
