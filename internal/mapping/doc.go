// Package mapping turns a register snapshot into the desired rooms: it
// compiles a Mapping's rules (CEL filters, text/template names, people
// selectors) once, and evaluates them over a snapshot for a day.
//
//	p, err := mapping.Compile(spec, mapping.Options{...}) // *CompileError lists every problem
//	state, report, err := p.Evaluate(snapshot, supplements, day)
//
// # Filters
//
// A rule's filter is CEL over one variable, named by the rule's from:
// activity, group, school or organisation, typed as Activity, Group,
// School and Organisation in model.go (fields by their `cel` tags, e.g.
// group.type, group.schoolTypes, school.schoolUnitCode,
// activity.subjectCode). Only that variable is declared, so `group` in an
// Activity rule does not compile. The strings extension (lowerAscii,
// split, ...) is available. The result must be a bool.
//
// # Templates
//
// Room name, description and mailNickname are text/template texts whose
// dot is a Data: .Activity, .Group, .School, .Organisation (which are set
// depends on from), .Rule, .Key, .SchoolYear, .Term. Functions: abbrev,
// schoolYear, term, truncate, lower, upper, slug (see funcMap). Unknown
// functions fail at Compile; so do unknown fields, because Compile runs
// each template once on sample data of the rule's from. A mailNickname is
// always passed through Slug; left empty (or rendering to nothing usable)
// it is derived from the room key.
//
// # People
//
// Selectors pick people relative to the rule's object (see select.go),
// counting memberships, enrolments, duties, assignment roles and teacher
// assignments that are active on the day widened by the membership window.
// People are then filtered by the exclusions and listed by account key.
//
// # Privacy
//
// Report and errors hold counts, rule and field names and register ids,
// never names, civic numbers, addresses or member lists.
package mapping
