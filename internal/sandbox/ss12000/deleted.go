package ss12000

import (
	"net/http"
)

// deletedData is components/schemas/DeletedEntities_data for the entity
// types we store. The activity key is spelled "activitites", as the spec
// spells it; servers generated from the spec emit exactly that.
type deletedData struct {
	Organisations []string `json:"organisations,omitempty"`
	Persons       []string `json:"persons,omitempty"`
	Groups        []string `json:"groups,omitempty"`
	Duties        []string `json:"duties,omitempty"`
	Activitites   []string `json:"activitites,omitempty"`
	Syllabuses    []string `json:"syllabuses,omitempty"`
}

// serveDeleted answers GET /deletedEntities?after=&entities=: the ids
// deleted after "after" (paths /deletedEntities), paged over the deletion
// log in the order the deletions happened.
func (s *Server) serveDeleted(w http.ResponseWriter, r *http.Request, f *Fault) {
	c, limit, tokenIn, ok := s.parsePaging(w, r.URL.Query(), "deletedEntities")
	if !ok {
		return
	}
	s.mu.Lock()
	var log []deletion
	for _, d := range s.deletions {
		if c.ModifiedAfter != 0 && d.at.UnixNano() <= c.ModifiedAfter {
			continue
		}
		if c.Entities != 0 && c.Entities&entityBits[d.entity] == 0 {
			continue
		}
		log = append(log, d)
	}
	s.mu.Unlock()
	end := min(int(c.Offset)+limit, len(log))
	start := min(int(c.Offset), end)
	if f != nil && f.Kind == FaultEmptyPage {
		end = start
	}
	var data deletedData
	for _, d := range log[start:end] {
		switch d.entity {
		case "Organisation":
			data.Organisations = append(data.Organisations, d.id)
		case "Person":
			data.Persons = append(data.Persons, d.id)
		case "Group":
			data.Groups = append(data.Groups, d.id)
		case "Duty":
			data.Duties = append(data.Duties, d.id)
		case "Activity":
			data.Activitites = append(data.Activitites, d.id)
		case "Syllabus":
			data.Syllabuses = append(data.Syllabuses, d.id)
		}
	}
	s.writePage(w, data, s.nextToken(c, end, len(log), tokenIn, f))
}
