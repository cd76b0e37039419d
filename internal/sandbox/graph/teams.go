package graph

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// teamWrite is the body of POST /teams made from a group (api/team-post,
// example 4).
type teamWrite struct {
	Template    string  `json:"template@odata.bind"`
	Group       string  `json:"group@odata.bind"`
	DisplayName *string `json:"displayName"`
}

// templates are the team templates the sandbox knows (api/team-post;
// the education templates of the Teams for Education docs).
var templates = []string{"standard", "educationClass", "educationStaff", "educationProfessionalLearningCommunity"}

// createTeam makes a team on an existing group: 202 Accepted with the
// teamsAsyncOperation in Location; the team exists when the operation
// succeeds (api/team-post, "Response").
func (s *Server) createTeam(req request) response {
	var w teamWrite
	if err := json.Unmarshal(req.body, &w); err != nil {
		return badRequest("Invalid request body.")
	}
	tpl, ok1 := bindID(w.Template)
	gid, ok2 := bindID(w.Group)
	if !ok1 || !slices.Contains(templates, tpl) {
		return badRequest("Invalid template.")
	}
	if !ok2 {
		return badRequest("Only creating a team from an existing group is emulated.")
	}
	// "The team inherits … displayName, visibility, specialization, and
	// members" from the group; sending them is an error (api/team-post,
	// example 4).
	if w.DisplayName != nil {
		return badRequest("displayName cannot be set when creating a team from a group.")
	}
	g := s.groups[gid]
	// "If the group was created less than 15 minutes ago, it's possible
	// for the Create team call to fail with a 404 error code due to
	// replication delays" (api/team-post, example 4).
	if g == nil || s.young(g) {
		return notFound("No group found with id '" + gid + "'.")
	}
	switch {
	case !g.unified:
		return badRequest("A team can only be created on a Microsoft 365 group.")
	case tpl == "educationClass" && g.class == nil:
		// The known refusal of a class team on a plain group
		// (microsoftgraph/microsoft-graph-docs#5530).
		return badRequest("Team with template 'educationClass' can not be provisioned using a group which does not belong to a class.")
	case len(g.owners) == 0:
		return badRequest("The group must have at least one owner to create a team.")
	case g.team != nil:
		return errorResponse(http.StatusConflict, "Conflict", "A team already exists for this group.")
	}
	g.team = &team{template: tpl}
	op := s.startOperation("createTeam", g.id, false)
	return accepted(g.id, op)
}

// startOperation records an async operation that completes after
// Options.TeamDelay.
func (s *Server) startOperation(kind, teamID string, archive bool) *operation {
	now := s.opts.Now()
	op := &operation{id: s.newID('o'), kind: kind, teamID: teamID, archive: archive, created: now, done: now.Add(s.opts.TeamDelay)}
	s.ops[op.id] = op
	s.pending = append(s.pending, op.id)
	return op
}

func accepted(teamID string, op *operation) response {
	return response{status: http.StatusAccepted, header: http.Header{
		"Location":         {"/teams('" + teamID + "')/operations('" + op.id + "')"},
		"Content-Location": {"/teams('" + teamID + "')"},
	}}
}

// settle completes the operations whose time has come, in the order they
// started (so the change log repeats from run to run), under s.mu.
func (s *Server) settle() {
	now := s.opts.Now()
	keep := s.pending[:0]
	for _, id := range s.pending {
		op := s.ops[id]
		if now.Before(op.done) {
			keep = append(keep, id)
			continue
		}
		op.settled = true
		g := s.groups[op.teamID]
		if g == nil || g.team == nil {
			continue
		}
		switch op.kind {
		case "createTeam":
			g.team.provisioned = true
			s.logChange(change{group: g.id})
		default:
			g.team.archived = op.archive
		}
	}
	s.pending = keep
}

func (s *Server) getOperation(teamID, opID string) response {
	op := s.ops[opID]
	if op == nil || op.teamID != teamID {
		return notFound("Operation not found.")
	}
	status := "inProgress"
	if op.settled {
		status = "succeeded"
		if g := s.groups[op.teamID]; g == nil || g.team == nil {
			status = "failed"
		}
	}
	return response{status: http.StatusOK, body: map[string]any{
		"id": op.id, "operationType": op.kind, "status": status, "attemptsCount": 1,
		"targetResourceId": teamID, "targetResourceLocation": "/teams('" + teamID + "')",
		"createdDateTime": op.created.UTC().Format(time.RFC3339), "lastActionDateTime": s.opts.Now().UTC().Format(time.RFC3339),
	}}
}

// provisioned returns the group with a provisioned team, or nil.
func (s *Server) provisioned(id string) *group {
	g := s.groups[id]
	if g == nil || g.team == nil || !g.team.provisioned {
		return nil
	}
	return g
}

func (s *Server) getTeam(req request, id string) response {
	g := s.provisioned(id)
	if g == nil {
		return notFound("No team found with Group Id " + id + ".")
	}
	all := map[string]any{"id": g.id, "displayName": g.displayName, "description": nullable(g.description),
		"isArchived": g.team.archived, "specialization": specialization(g.team.template)}
	return response{status: http.StatusOK, body: pick(all, selectSet(req.query), "@odata.type", "#microsoft.graph.team")}
}

func specialization(tpl string) string {
	if tpl == "educationClass" {
		return "educationClass"
	}
	return "none"
}

// archiveTeam serves POST /teams/{id}/archive and /unarchive: 202 with an
// operation; "the team and group must have an owner" (api/team-archive).
func (s *Server) archiveTeam(req request, id string, archive bool) response {
	g := s.provisioned(id)
	if g == nil {
		return notFound("No team found with Group Id " + id + ".")
	}
	if len(g.owners) == 0 {
		return badRequest("The team and group must have an owner.")
	}
	kind := "unarchiveTeam"
	if archive {
		kind = "archiveTeam"
	}
	return accepted(g.id, s.startOperation(kind, g.id, archive))
}
