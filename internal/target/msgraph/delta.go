package msgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Incremental observation reads /groups/delta
// (https://learn.microsoft.com/en-us/graph/api/group-delta): groups
// changed since the last round with their selected properties, member
// changes in members@delta, deleted groups with @removed. Delta has no
// owner changes and no team state, so the owners of every changed group
// are read again, and archived state is what the last full pass and the
// adapter's own archive writes left.

// deltaEntry is one group of a delta page.
type deltaEntry struct {
	groupJSON
	Removed      *struct{} `json:"@removed"`
	MembersDelta []struct {
		ID      string    `json:"id"`
		Type    string    `json:"@odata.type"`
		Removed *struct{} `json:"@removed"`
	} `json:"members@delta"`
}

type deltaPage struct {
	Value     []deltaEntry `json:"value"`
	NextLink  string       `json:"@odata.nextLink"`
	DeltaLink string       `json:"@odata.deltaLink"`
}

// parseDeltaPage reads a delta page; a page must end in exactly one of
// nextLink and deltaLink.
func parseDeltaPage(b []byte) (deltaPage, error) {
	var p deltaPage
	if err := json.Unmarshal(b, &p); err != nil {
		return deltaPage{}, fmt.Errorf("unreadable delta page")
	}
	if (p.NextLink == "") == (p.DeltaLink == "") {
		return deltaPage{}, fmt.Errorf("delta page without exactly one of nextLink and deltaLink")
	}
	for _, e := range p.Value {
		if e.ID == "" {
			return deltaPage{}, fmt.Errorf("delta entry without id")
		}
	}
	return p, nil
}

// deltaQuery is the $select of delta; members asks for members@delta.
func deltaQuery() string {
	return url.Values{"$select": {strings.Join(append(slices.Clone(groupSelect), "members"), ",")}}.Encode()
}

// latestDeltaLink starts change tracking from now ($deltatoken=latest,
// https://learn.microsoft.com/en-us/graph/delta-query-overview).
func (t *Target) latestDeltaLink(ctx context.Context) (string, error) {
	ri, err := t.linkRequest(t.base + "/groups/delta?" + deltaQuery() + "&$deltatoken=latest")
	if err != nil {
		return "", err
	}
	var p page
	if err := t.getJSON(ctx, ri, &p); err != nil {
		return "", err
	}
	if p.DeltaLink == "" {
		return "", fmt.Errorf("delta answered no deltaLink")
	}
	return p.DeltaLink, nil
}

// readDelta follows a delta link to the end of the round.
func (t *Target) readDelta(ctx context.Context, link string) ([]deltaEntry, string, error) {
	var out []deltaEntry
	for {
		ri, err := t.linkRequest(link)
		if err != nil {
			return nil, "", err
		}
		var raw json.RawMessage
		if err := t.getJSON(ctx, ri, &raw); err != nil {
			return nil, "", err
		}
		p, err := parseDeltaPage(raw)
		if err != nil {
			return nil, "", err
		}
		out = append(out, p.Value...)
		if p.DeltaLink != "" {
			return out, p.DeltaLink, nil
		}
		link = p.NextLink
	}
}

// deltaPass applies one delta round to the state, and says whether it had
// any change. A large group may come in pieces on several pages; each
// piece is applied in turn.
func (t *Target) deltaPass(ctx context.Context) (bool, error) {
	entries, link, err := t.readDelta(ctx, t.state.deltaLink)
	if err != nil {
		return false, err
	}
	if len(entries) == 0 {
		t.state.deltaLink = link
		return false, nil
	}
	st := t.state
	changed := map[string]*room{}
	fresh := map[string]*room{}
	var maybeClasses []groupJSON
	unknown := map[string]bool{}
	for _, e := range entries {
		if e.Removed != nil {
			st.drop(e.ID)
			continue
		}
		r := st.byID[e.ID]
		if r == nil {
			if e.MailNickname == nil || !ours(t.prefix, *e.MailNickname) {
				continue
			}
			if r = t.roomOf(e.groupJSON, nil); r == nil {
				maybeClasses = append(maybeClasses, e.groupJSON)
				continue
			}
			st.put(r)
			fresh[r.id] = r
			continue
		}
		if e.MailNickname != nil && !ours(t.prefix, *e.MailNickname) {
			st.drop(e.ID)
			continue
		}
		applyProps(r, e.groupJSON)
		for _, m := range e.MembersDelta {
			if m.Type != "" && m.Type != "#microsoft.graph.user" {
				continue
			}
			if m.Removed != nil {
				delete(r.members, m.ID)
				continue
			}
			r.members[m.ID] = true
			if _, ok := st.userKey[m.ID]; !ok {
				unknown[m.ID] = true
			}
		}
		changed[r.id] = r
	}
	classRooms, err := t.classRooms(ctx, maybeClasses)
	if err != nil {
		return true, err
	}
	for _, r := range classRooms {
		st.put(r)
		fresh[r.id] = r
	}
	for id := range fresh {
		delete(changed, id)
	}
	if err := t.readRelations(ctx, sortedRooms(fresh), true); err != nil {
		return true, err
	}
	if err := t.readRelations(ctx, sortedRooms(changed), false); err != nil {
		return true, err
	}
	ids := make([]string, 0, len(unknown))
	for id := range unknown {
		if _, ok := st.userKey[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if err := t.resolveIDs(ctx, ids); err != nil {
		return true, err
	}
	st.deltaLink = link
	return true, nil
}

// applyProps copies the properties a delta entry carries.
func applyProps(r *room, g groupJSON) {
	if g.DisplayName != nil {
		r.name = *g.DisplayName
	}
	if g.Description != nil {
		r.description = *g.Description
	}
	if g.MailNickname != nil {
		r.nick = *g.MailNickname
	}
	if g.ResourceProvisioningOptions != nil {
		r.teamReady = slices.Contains(*g.ResourceProvisioningOptions, "Team")
	}
}

func sortedRooms(m map[string]*room) []*room {
	out := make([]*room, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *room) int { return strings.Compare(a.id, b.id) })
	return out
}

// classRooms finds which of new prefixed groups without a uniqueName of
// ours are owned education classes, by reading each class's externalId.
func (t *Target) classRooms(ctx context.Context, gs []groupJSON) ([]*room, error) {
	calls := make([]*call, len(gs))
	for i, g := range gs {
		calls[i] = &call{ri: t.get(query{sel: []string{"id", "externalId"}}, "education", "classes", g.ID)}
	}
	if err := t.run(ctx, calls); err != nil {
		return nil, err
	}
	var out []*room
	for i, c := range calls {
		var cl struct {
			ExternalID string `json:"externalId"`
		}
		if !c.ok() || c.decode(&cl) != nil || cl.ExternalID == "" {
			continue
		}
		if r := t.roomOf(gs[i], map[string]string{gs[i].ID: cl.ExternalID}); r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}
