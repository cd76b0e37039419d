package mapping

// The register objects as rules see them. One set of types serves both the
// CEL filters (lowerCamel names from the `cel` tags: group.displayName) and
// the templates (Go names: {{ .Group.DisplayName }}), so the two languages
// document each other. Dates are "YYYY-MM-DD" strings ("" when open), which
// compare correctly as strings in CEL.
//
// Only register identity and naming attributes are exposed: no person, no
// member list, nothing that could put personal data in a room name.

// Activity is a teaching activity (SS 12000 Activity) and its syllabus.
type Activity struct {
	ID                 string   `cel:"id"`
	DisplayName        string   `cel:"displayName"`
	Type               string   `cel:"type"`           // activityType, e.g. Undervisning
	SchoolUnitCode     string   `cel:"schoolUnitCode"` // of the school unit it is organised at
	SchoolType         string   `cel:"schoolType"`     // the syllabus's school type, e.g. GR
	SubjectCode        string   `cel:"subjectCode"`    // e.g. GRGRMAT01
	SubjectName        string   `cel:"subjectName"`    // e.g. Matematik
	SubjectDesignation string   `cel:"subjectDesignation"`
	CourseCode         string   `cel:"courseCode"` // GY, e.g. MATMAT01c
	CourseName         string   `cel:"courseName"`
	GroupNames         []string `cel:"groupNames"` // display names of its groups, in register order
	StartDate          string   `cel:"startDate"`
	EndDate            string   `cel:"endDate"`
}

// Group is a register group (SS 12000 Group) or a manual group.
type Group struct {
	ID          string `cel:"id"`
	DisplayName string `cel:"displayName"`
	Type        string `cel:"type"` // groupType, e.g. Klass, Undervisning; "" for manual groups
	SchoolType  string `cel:"schoolType"`
	// SchoolTypes is SchoolType as a list, so filters written for several
	// school types (group.schoolTypes.exists(t, t == "GR")) read naturally.
	SchoolTypes    []string `cel:"schoolTypes"`
	SchoolUnitCode string   `cel:"schoolUnitCode"`
	StartDate      string   `cel:"startDate"`
	EndDate        string   `cel:"endDate"`
	Manual         bool     `cel:"manual"` // written by hand in a manual RegisterSource
	Source         string   `cel:"source"` // the manual source's name; "" for register groups
}

// School is a school unit (Organisation of type Skolenhet).
type School struct {
	ID               string   `cel:"id"`
	DisplayName      string   `cel:"displayName"`
	SchoolUnitCode   string   `cel:"schoolUnitCode"`
	Abbreviation     string   `cel:"abbreviation"` // see Options.Abbreviations and Abbreviate
	OrganisationCode string   `cel:"organisationCode"`
	MunicipalityCode string   `cel:"municipalityCode"`
	SchoolTypes      []string `cel:"schoolTypes"`
}

// Organisation is the organiser (Organisation of type Huvudman).
type Organisation struct {
	ID                 string `cel:"id"`
	DisplayName        string `cel:"displayName"`
	Type               string `cel:"type"`
	OrganisationCode   string `cel:"organisationCode"`
	OrganisationNumber string `cel:"organisationNumber"`
	MunicipalityCode   string `cel:"municipalityCode"`
}

// Data is the dot of every room template. Which objects are set depends on
// the rule's from: Activity → Activity, School, Organisation; Group →
// Group, School, Organisation; School → School, Organisation; Organisation →
// Organisation. A template that reads an object its rule does not set fails
// at Compile.
type Data struct {
	Rule       string // the rule's name
	Key        string // the room key
	SchoolYear string // as the schoolYear function returns
	Term       string // as the term function returns

	Activity     *Activity
	Group        *Group
	School       *School
	Organisation *Organisation
}
