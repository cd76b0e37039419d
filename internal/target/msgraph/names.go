package msgraph

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// uniqueName is the alternate key a group is upserted by
// (https://learn.microsoft.com/en-us/graph/api/group-upsert): the prefix,
// the room kind and the room key. The kind is in it so that a Team whose
// team is not made yet is not taken for a MailGroup, which it looks like
// until then.
func uniqueName(prefix string, kind elevsynkv1.RoomKind, key string) string {
	return prefix + string(kind) + ":" + key
}

// groupKinds are the kinds made as plain groups (not education classes).
var groupKinds = []elevsynkv1.RoomKind{elevsynkv1.RoomTeam, elevsynkv1.RoomMailGroup, elevsynkv1.RoomSecurityGroup}

// parseUniqueName reverses uniqueName; ok is false for groups that are not
// ours.
func parseUniqueName(prefix, u string) (elevsynkv1.RoomKind, string, bool) {
	rest, ok := strings.CutPrefix(u, prefix)
	if !ok || prefix == "" {
		return "", "", false
	}
	kind, key, ok := strings.Cut(rest, ":")
	if !ok || key == "" {
		return "", "", false
	}
	for _, k := range groupKinds {
		if string(k) == kind {
			return k, key, true
		}
	}
	return "", "", false
}

// maxNickname is the longest mailNickname Graph takes
// (https://learn.microsoft.com/en-us/graph/api/resources/group, mailNickname).
const maxNickname = 64

// nickname is the mailNickname of a room: the prefix and the desired
// nickname or, for rooms without one (class teams), the key, with the
// characters Graph refuses replaced and a hash of the whole when it is too
// long. The same room always gets the same nickname, which is what makes
// a retried class create collide with the first instead of duplicating it.
func nickname(prefix, desired, key string) string {
	base := desired
	if base == "" {
		base = key
	}
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < len(base); i++ {
		c := base[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte('-')
		}
	}
	n := strings.TrimRight(b.String(), ".")
	if len(n) <= maxNickname {
		return n
	}
	sum := sha256.Sum256([]byte(prefix + base))
	return n[:maxNickname-9] + "-" + hex.EncodeToString(sum[:4])
}

// observedNickname is the nickname a Room reports: without the prefix, and
// empty for class teams, whose nickname is derived and not desired.
func observedNickname(prefix string, kind elevsynkv1.RoomKind, nick string) string {
	if kind == elevsynkv1.RoomClassTeam {
		return ""
	}
	return strings.TrimPrefix(nick, prefix)
}

// ours says whether a mailNickname carries the prefix; Graph compares
// nicknames case-insensitively.
func ours(prefix, nick string) bool {
	return len(nick) >= len(prefix) && strings.EqualFold(nick[:len(prefix)], prefix)
}

// hasTeam says whether a kind is a group with a team.
func hasTeam(k elevsynkv1.RoomKind) bool {
	return k == elevsynkv1.RoomTeam || k == elevsynkv1.RoomClassTeam
}

// unified says whether a kind is a Microsoft 365 group, where owners are
// also made members: teams need it, and Microsoft 365 group features work
// for members only (https://learn.microsoft.com/en-us/graph/api/resources/educationclass:
// teachers "must be members of both the teachers and members collections").
func unified(k elevsynkv1.RoomKind) bool { return k != elevsynkv1.RoomSecurityGroup }
