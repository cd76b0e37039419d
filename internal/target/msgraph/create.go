package msgraph

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// creation is one OpCreate in progress.
type creation struct {
	tk     *task
	r      *room
	owners []string
	c      *call
	// o and m are the owners and members the create request binds.
	o, m []string
}

// create runs a run of OpCreate, and the room updates that follow it, in
// steps that each share $batch round trips: make the groups and classes;
// adopt the ones that turn out to exist already; set names and add the
// owners the create did not carry; make the teams while the updates run,
// since Teams makes them at half the rate Graph takes writes (see send);
// wait for the teams.
//
// Retries never duplicate: a group is upserted by its uniqueName, and a
// class create for a room whose class exists collides on the class
// group's mailNickname (unique among Microsoft 365 groups) and is then
// found by its externalId. That costs no read on the common path, where
// Observe has just listed the classes.
func (ap *applier) create(ctx context.Context, tasks, updates []*task) error {
	t := ap.t
	var jobs []*creation
	var calls []*call
	for _, tk := range tasks {
		a := tk.a
		if !kindSupported(a.Kind) {
			ap.fail(tk, unsupported(a.Kind))
			continue
		}
		j := &creation{tk: tk, r: t.state.get(a.Kind, a.Key), owners: ap.ids(tk)}
		if hasTeam(a.Kind) && len(j.owners) == 0 {
			ap.fail(tk, "a team needs an owner, and no owner of the room has an account in the tenant")
			continue
		}
		jobs = append(jobs, j)
		if j.r != nil {
			continue
		}
		var ri *abs.RequestInformation
		var err error
		if a.Kind == elevsynkv1.RoomClassTeam {
			ri, err = t.classCreate(ctx, a)
		} else {
			ri, err = t.upsert(ctx, j)
		}
		if err != nil {
			return err
		}
		j.c = &call{ri: ri}
		calls = append(calls, j.c)
	}
	if err := t.run(ctx, calls); err != nil {
		return err
	}
	var adopt []*creation
	for _, j := range jobs {
		if j.c == nil {
			continue
		}
		a, ge := j.tk.a, j.c.err()
		switch {
		case j.c.status == http.StatusCreated:
			var g struct {
				ID string `json:"id"`
			}
			if err := j.c.decode(&g); err != nil || g.ID == "" {
				ap.fail(j.tk, "Create: unreadable answer")
				continue
			}
			j.r = &room{kind: a.Kind, key: a.Key, id: g.ID, name: a.Name, description: a.Description,
				nick: nickname(t.prefix, a.MailNickname, a.Key), owners: setOf(j.o), members: setOf(j.m)}
			t.state.put(j.r)
			ap.created[j.r] = true
		case j.c.status == http.StatusNoContent, ge.alreadyExists(),
			a.Kind == elevsynkv1.RoomClassTeam && ge.nicknameTaken():
			adopt = append(adopt, j)
		default:
			ap.fail(j.tk, "Create: "+ge.Error())
		}
	}
	if err := ap.adopt(ctx, adopt); err != nil {
		return err
	}

	var ws []*write
	for _, j := range jobs {
		if j.tk.st != pending || j.r == nil {
			continue
		}
		a := j.tk.a
		ws = append(ws, t.propsWrite(ctx, []*task{j.tk}, j.r, &a.Name, &a.Description))
		ws = append(ws, t.addWrites(ctx, j.tk, j.r, j.owners, true)...)
	}
	if err := ap.writeAll(ctx, ws); err != nil {
		return err
	}

	teamJobs := map[*room]*task{}
	for _, j := range jobs {
		if j.tk.st == pending && j.r != nil && hasTeam(j.r.kind) && !j.r.teamReady {
			teamJobs[j.r] = j.tk
		}
	}
	var ops []*operation
	teams := ap.teamWrites(ctx, teamJobs, &ops)
	if err := ap.update(ctx, ap.ready(updates), teams); err != nil {
		return err
	}
	if err := ap.wait(ctx, ops); err != nil {
		return err
	}
	for _, j := range jobs {
		ap.succeed(j.tk)
	}
	return nil
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// upsert is PATCH /groups(uniqueName='…') with Prefer: create-if-missing
// (https://learn.microsoft.com/en-us/graph/api/group-upsert): it creates
// the group with its first owners (an app-made group without owners is
// "anonymous", teams-create-group-and-team), or, after a crash, updates
// the one made before. msgraph-sdk-go has no builder for the alternate
// key, so the request is built on the SDK's request adapter.
func (t *Target) upsert(ctx context.Context, j *creation) (*abs.RequestInformation, error) {
	a := j.tk.a
	g := models.NewGroup()
	g.SetDisplayName(&a.Name)
	if a.Description != "" {
		g.SetDescription(&a.Description)
	}
	nick := nickname(t.prefix, a.MailNickname, a.Key)
	g.SetMailNickname(&nick)
	yes, no := true, false
	if a.Kind == elevsynkv1.RoomSecurityGroup {
		g.SetGroupTypes([]string{})
		g.SetMailEnabled(&no)
		g.SetSecurityEnabled(&yes)
	} else {
		vis := "Private"
		g.SetGroupTypes([]string{"Unified"})
		g.SetMailEnabled(&yes)
		g.SetSecurityEnabled(&no)
		g.SetVisibility(&vis)
	}
	first := j.owners
	if c := chunks(first, true, &room{kind: a.Kind}); len(c) > 0 {
		first = c[0]
	}
	j.o, j.m = binds(&room{kind: a.Kind, owners: map[string]bool{}, members: map[string]bool{}}, first, nil)
	data := map[string]any{}
	if len(j.o) > 0 {
		data["owners@odata.bind"] = t.bindURLs(j.o)
	}
	if len(j.m) > 0 {
		data["members@odata.bind"] = t.bindURLs(j.m)
	}
	g.SetAdditionalData(data)
	ri := abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abs.PATCH,
		"{+baseurl}/groups(uniqueName='{uniqueName}')",
		map[string]string{"baseurl": t.base, "uniqueName": strings.ReplaceAll(uniqueName(t.prefix, a.Kind, a.Key), "'", "''")})
	ri.Headers.TryAdd("Prefer", "create-if-missing")
	ri.Headers.TryAdd("Accept", "application/json")
	if err := ri.SetContentFromParsable(ctx, t.adapter, "application/json", g); err != nil {
		return nil, err
	}
	return ri, nil
}

// classCreate is POST /education/classes with the room key as externalId
// (https://learn.microsoft.com/en-us/graph/api/educationclass-post). The
// class gets no owners here: teachers are added as group owners next.
func (t *Target) classCreate(ctx context.Context, a target.Action) (*abs.RequestInformation, error) {
	cl := models.NewEducationClass()
	cl.SetDisplayName(&a.Name)
	if a.Description != "" {
		cl.SetDescription(&a.Description)
	}
	nick := nickname(t.prefix, "", a.Key)
	cl.SetMailNickname(&nick)
	key := a.Key
	cl.SetExternalId(&key)
	src := models.SIS_EDUCATIONEXTERNALSOURCE
	cl.SetExternalSource(&src)
	return t.withBody(ctx, t.request(abs.POST, query{}, "education", "classes"), cl)
}

// adopt finds the groups and classes a create found existing: groups by
// uniqueName, classes by externalId; then reads them whole.
func (ap *applier) adopt(ctx context.Context, jobs []*creation) error {
	t := ap.t
	if len(jobs) == 0 {
		return nil
	}
	calls := make([]*call, len(jobs))
	for i, j := range jobs {
		a := j.tk.a
		var ri *abs.RequestInformation
		var err error
		if a.Kind == elevsynkv1.RoomClassTeam {
			ri = t.get(query{filter: "externalId eq " + quote(a.Key), sel: []string{"id", "mailNickname"}}, "education", "classes")
		} else {
			ri = abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abs.GET,
				"{+baseurl}/groups(uniqueName='{uniqueName}'){?%24select}",
				map[string]string{"baseurl": t.base, "uniqueName": strings.ReplaceAll(uniqueName(t.prefix, a.Kind, a.Key), "'", "''")})
			ri.QueryParameters["%24select"] = strings.Join(groupSelect, ",")
			ri.Headers.TryAdd("Accept", "application/json")
		}
		if err != nil {
			return err
		}
		calls[i] = &call{ri: ri}
	}
	if err := t.run(ctx, calls); err != nil {
		return err
	}
	var found []*room
	var groupCalls []*call
	for i, c := range calls {
		j := jobs[i]
		a := j.tk.a
		if ge := c.err(); ge != nil {
			ap.fail(j.tk, "Create: "+ge.Error())
			continue
		}
		id := ""
		if a.Kind == elevsynkv1.RoomClassTeam {
			var p struct {
				Value []struct {
					ID           string `json:"id"`
					MailNickname string `json:"mailNickname"`
				} `json:"value"`
			}
			if err := c.decode(&p); err != nil || len(p.Value) == 0 || !ours(t.prefix, p.Value[0].MailNickname) {
				ap.fail(j.tk, "Create: the class's mailNickname belongs to a group this Target does not own")
				continue
			}
			id = p.Value[0].ID
		} else {
			var g groupJSON
			if err := c.decode(&g); err != nil || g.ID == "" {
				ap.fail(j.tk, "Create: unreadable answer")
				continue
			}
			id = g.ID
		}
		j.r = &room{kind: a.Kind, key: a.Key, id: id, owners: map[string]bool{}, members: map[string]bool{}}
		t.state.put(j.r)
		found = append(found, j.r)
		groupCalls = append(groupCalls, &call{ri: t.get(query{sel: groupSelect}, "groups", id)})
	}
	if err := t.run(ctx, groupCalls); err != nil {
		return err
	}
	for i, c := range groupCalls {
		var g groupJSON
		if c.ok() && json.Unmarshal(c.body, &g) == nil {
			applyProps(found[i], g)
		}
	}
	return t.readRelations(ctx, found, true)
}

// sortedKeys orders rooms by id, so requests go out in a stable order.
func sortedKeys(m map[*room]*task) []*room {
	out := make([]*room, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *room) int { return strings.Compare(a.id, b.id) })
	return out
}
