package ss12000

// Endpoint is a collection path of the spec, without the leading slash.
type Endpoint string

// The endpoints this package reads (spec: paths /organisations, /persons,
// /groups, /duties, /activities, /syllabuses, /deletedEntities).
const (
	Organisations   Endpoint = "organisations"
	Persons         Endpoint = "persons"
	Groups          Endpoint = "groups"
	Duties          Endpoint = "duties"
	Activities      Endpoint = "activities"
	Syllabuses      Endpoint = "syllabuses"
	DeletedEntities Endpoint = "deletedEntities"
)

// DefaultOptional are the endpoints a vendor may leave out: a 404 or 501 on
// them is recorded in State.Unsupported instead of failing the fetch.
// Organisations, persons and groups are the register itself; without them
// there is nothing to sync.
var DefaultOptional = []Endpoint{Duties, Activities, Syllabuses, DeletedEntities}

// entityName is the components/schemas/EndPointsEnum value that
// /deletedEntities takes in its entities parameter.
func (e Endpoint) entityName() string {
	switch e {
	case Organisations:
		return "Organisation"
	case Persons:
		return "Person"
	case Groups:
		return "Group"
	case Duties:
		return "Duty"
	case Activities:
		return "Activity"
	case Syllabuses:
		return "Syllabus"
	}
	return ""
}

// listEndpoints is the order of a fetch: referenced entities before the
// ones referring to them, which makes a partial log easier to read.
var listEndpoints = []Endpoint{Organisations, Persons, Groups, Duties, Syllabuses, Activities}
