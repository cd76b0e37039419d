package graph

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// User is a seeded directory user. Only the attributes the adapter looks
// people up by are kept.
type User struct {
	// ID is the object id; "" gets one assigned.
	ID                string
	UserPrincipalName string
	Mail              string
	EmployeeID        string
	DisplayName       string
}

// group is a directory group. Classes and teams hang off it: an education
// class shares its group's id (api/educationclass-post), and so does a team
// made from a group (api/team-post, example 4).
type group struct {
	id              string
	displayName     string
	description     string
	mailNickname    string
	uniqueName      string
	unified         bool // groupTypes ["Unified"]
	mailEnabled     bool
	securityEnabled bool
	visibility      string
	created         time.Time

	members   []string // user ids, in the order added
	memberSet map[string]bool
	owners    []string

	class *class
	team  *team
}

// class is the education side of a class group.
type class struct {
	externalID     string
	externalSource string
}

// team is a team on a group. provisioned turns true when its create
// operation completes; until then the group has no team to read.
type team struct {
	template    string
	provisioned bool
	archived    bool
}

// operation is a teamsAsyncOperation (resources/teamsasyncoperation).
type operation struct {
	id     string
	kind   string // createTeam, archiveTeam, unarchiveTeam
	teamID string
	// archive is the archived state archiveTeam/unarchiveTeam sets.
	archive bool
	created time.Time
	done    time.Time
	settled bool
}

// change is one entry of the change log /groups/delta reads: a group's
// properties changed (user == ""), or one member was added or removed, or
// the group was deleted.
type change struct {
	seq     int64
	group   string
	user    string
	added   bool
	deleted bool
}

func (g *group) isMember(id string) bool { return g.memberSet[id] }
func (g *group) isOwner(id string) bool  { return slices.Contains(g.owners, id) }

// young reports whether the group is still inside the replication window in
// which other replicas do not know it yet.
func (s *Server) young(g *group) bool {
	return s.opts.ReplicationDelay > 0 && s.opts.Now().Before(g.created.Add(s.opts.ReplicationDelay))
}

// newID returns a fresh GUID-shaped id; deterministic, so runs repeat.
func (s *Server) newID(kind byte) string {
	s.nextID++
	return fmt.Sprintf("%08x-0000-4000-8%03x-%012x", s.nextID, kind, s.nextID)
}

// logChange appends to the change log under s.mu.
func (s *Server) logChange(c change) {
	s.seq++
	c.seq = s.seq
	s.changes = append(s.changes, c)
}

func (s *Server) addMember(g *group, uid string) {
	if !g.isMember(uid) {
		if g.memberSet == nil {
			g.memberSet = map[string]bool{}
		}
		g.members = append(g.members, uid)
		g.memberSet[uid] = true
		s.logChange(change{group: g.id, user: uid, added: true})
	}
}

func (s *Server) removeMember(g *group, uid string) {
	if g.isMember(uid) {
		i := slices.Index(g.members, uid)
		g.members = slices.Delete(g.members, i, i+1)
		delete(g.memberSet, uid)
		s.logChange(change{group: g.id, user: uid})
	}
}

// nicknameTaken reports whether a Microsoft 365 group other than except
// already has the nickname: "mailNickname … unique for Microsoft 365 groups
// in the organization" (resources/group, property mailNickname).
func (s *Server) nicknameTaken(nick, except string) bool {
	id, ok := s.nicknames[foldKey(nick)]
	return ok && id != except
}

// indexGroup records g in the lookups by unique name and nickname;
// unindexGroup undoes it. Under s.mu.
func (s *Server) indexGroup(g *group) {
	if g.uniqueName != "" {
		s.byUnique[foldKey(g.uniqueName)] = g
	}
	if g.unified {
		s.nicknames[foldKey(g.mailNickname)] = g.id
	}
}

func (s *Server) unindexGroup(g *group) {
	if g.uniqueName != "" {
		delete(s.byUnique, foldKey(g.uniqueName))
	}
	if g.unified && s.nicknames[foldKey(g.mailNickname)] == g.id {
		delete(s.nicknames, foldKey(g.mailNickname))
	}
}

// validNickname follows the mailNickname rules of resources/group: at most
// 64 characters, ASCII 0-127 except @ () \ [] " ; : <> , SPACE.
func validNickname(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c > 127 || strings.IndexByte(`@()\[]";:<>, `, c) >= 0 {
			return false
		}
	}
	return true
}
