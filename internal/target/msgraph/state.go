package msgraph

import (
	"slices"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// room is what the adapter knows of one owned group.
type room struct {
	kind              elevsynkv1.RoomKind
	key               string
	id                string
	name, description string
	nick              string
	// owners and members are user ids; in Microsoft 365 groups owners are
	// members as well.
	owners, members map[string]bool
	archived        bool
	// teamReady says the team of a team kind is provisioned. A team-kind
	// room without it is not reported by Observe, so the plan creates it
	// again and the create finishes the job.
	teamReady bool
	// stale says owners or members must be read again before the next
	// report.
	stale bool
}

func (r *room) complete() bool { return !hasTeam(r.kind) || r.teamReady }

// state is the adapter's picture of the tenant, from the last Observe and
// the writes since.
type state struct {
	rooms map[roomID]*room
	byID  map[string]*room
	// userID maps lower-cased account keys to user ids; userKey maps ids
	// to the account key as the tenant spells it ("" when the user lacks
	// the lookup attribute).
	userID  map[string]string
	userKey map[string]string
	// deltaLink continues /groups/delta; empty forces a full pass.
	deltaLink string
}

type roomID struct {
	kind elevsynkv1.RoomKind
	key  string
}

func newState() *state {
	return &state{rooms: map[roomID]*room{}, byID: map[string]*room{}, userID: map[string]string{}, userKey: map[string]string{}}
}

func (s *state) put(r *room) {
	if old := s.rooms[roomID{r.kind, r.key}]; old != nil && old.id != r.id {
		delete(s.byID, old.id)
	}
	s.rooms[roomID{r.kind, r.key}] = r
	s.byID[r.id] = r
}

func (s *state) drop(id string) {
	if r := s.byID[id]; r != nil {
		delete(s.byID, id)
		delete(s.rooms, roomID{r.kind, r.key})
	}
}

func (s *state) get(kind elevsynkv1.RoomKind, key string) *room { return s.rooms[roomID{kind, key}] }

// learnUser records a user's account key.
func (s *state) learnUser(id, key string) {
	s.userKey[id] = key
	if key != "" {
		s.userID[strings.ToLower(key)] = id
	}
}

// accountKey is the key a user id reports as: the lookup attribute, or
// "id:" and the object id when the user has none (target.Room).
func (s *state) accountKey(id string) string {
	if k := s.userKey[id]; k != "" {
		return k
	}
	return "id:" + id
}

// report turns the complete rooms into target.Rooms, sorted by kind and key.
func (s *state) report(prefix string) []target.Room {
	out := make([]target.Room, 0, len(s.rooms))
	for _, r := range s.rooms {
		if !r.complete() {
			continue
		}
		tr := target.Room{Key: r.key, Kind: r.kind, ID: r.id, Name: r.name, Description: r.description,
			MailNickname: observedNickname(prefix, r.kind, r.nick), Archived: r.archived}
		for id := range r.owners {
			tr.Owners = append(tr.Owners, s.accountKey(id))
		}
		for id := range r.members {
			if !r.owners[id] {
				tr.Members = append(tr.Members, s.accountKey(id))
			}
		}
		slices.Sort(tr.Owners)
		slices.Sort(tr.Members)
		out = append(out, tr)
	}
	slices.SortFunc(out, func(a, b target.Room) int {
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}
