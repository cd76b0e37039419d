package roster

import "log/slog"

// Snapshot is one complete read of a register. Each slice is sorted by ID
// (call Sort after building one); ids are the register's UUIDs, which SS 12000
// keeps stable across systems and which are not personal data.
type Snapshot struct {
	Organisations []Organisation `json:"organisations"`
	Persons       []Person       `json:"persons"`
	Groups        []Group        `json:"groups"`
	Duties        []Duty         `json:"duties"`
	Syllabuses    []Syllabus     `json:"syllabuses"`
	Activities    []Activity     `json:"activities"`
}

// Organisation is SS 12000 Organisation: the huvudman, its administrative
// levels and its school units (OrganisationType Skolenhet).
type Organisation struct {
	ID                 string           `json:"id"`
	DisplayName        string           `json:"displayName"`
	Type               OrganisationType `json:"organisationType"`
	ParentID           string           `json:"parentOrganisation,omitempty"`
	OrganisationCode   string           `json:"organisationCode,omitempty"`
	OrganisationNumber string           `json:"organisationNumber,omitempty"` // organisationsnummer of a legal person, e.g. the municipality
	SchoolUnitCode     string           `json:"schoolUnitCode,omitempty"`     // Skolverket's skolenhetskod, 8 digits
	MunicipalityCode   string           `json:"municipalityCode,omitempty"`   // kommunkod, 4 digits: county + municipality
	SchoolTypes        []SchoolType     `json:"schoolTypes,omitempty"`        // only on Skolenhet
	StartDate          Date             `json:"startDate,omitzero"`
	EndDate            Date             `json:"endDate,omitzero"`
}

// Person is SS 12000 Person, reduced to what account matching and room
// membership need. Addresses, phone numbers, sex, birth date and guardians
// are deliberately not carried: what we do not hold we cannot leak.
type Person struct {
	ID         string `json:"id"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
	// EduPersonPrincipalNames keep register order: the first is the one
	// registers and EGIL treat as the primary user name.
	EduPersonPrincipalNames []string     `json:"eduPersonPrincipalNames,omitempty"`
	Emails                  []Email      `json:"emails,omitempty"`
	ExternalIdentifiers     []Identifier `json:"externalIdentifiers,omitempty"`
	// CivicNo is never serialised (json:"-"), so it cannot reach a status, a
	// cached snapshot, a plan or a log through JSON. It is kept in memory only
	// because a supplementary source (e.g. LDAP) may have to join on it.
	CivicNo         CivicNo         `json:"-"`
	SecurityMarking SecurityMarking `json:"securityMarking,omitempty"`
	PersonStatus    PersonStatus    `json:"personStatus,omitempty"`
	Enrolments      []Enrolment     `json:"enrolments,omitempty"`
}

// String identifies a person by id only, so that a stray %v in a log line
// or an error prints no name or e-mail address.
func (p Person) String() string { return "Person(" + p.ID + ")" }

// GoString does the same for %#v.
func (p Person) GoString() string { return p.String() }

// LogValue does the same for log/slog, whose JSON handler would otherwise
// marshal the whole struct.
func (p Person) LogValue() slog.Value { return slog.StringValue(p.String()) }

// Email is SS 12000 Email.
type Email struct {
	Value string    `json:"value"`
	Type  EmailType `json:"type"`
}

// Identifier is SS 12000 externalIdentifier: an id for the person in another
// system, in a context named by a URI agreed between the parties.
type Identifier struct {
	Value          string `json:"value"`
	Context        string `json:"context"`
	GloballyUnique bool   `json:"globallyUnique,omitempty"`
}

// Enrolment is SS 12000 Enrolment: the person is a pupil at a school unit.
type Enrolment struct {
	SchoolUnitID string     `json:"enroledAt"`
	SchoolYear   int        `json:"schoolYear"` // årskurs 0..10; 0 is förskoleklass
	SchoolType   SchoolType `json:"schoolType"`
	// ProgrammeCode is the studievägskod: SS 12000 Enrolment.educationCode,
	// or Programme.code of Enrolment.programme (GY, e.g. "NA" or "NANAT").
	ProgrammeCode string `json:"educationCode,omitempty"`
	StartDate     Date   `json:"startDate,omitzero"`
	EndDate       Date   `json:"endDate,omitzero"`
	Cancelled     bool   `json:"cancelled,omitempty"` // "Inskrivningen har avbrutits i förväg"
}

// Group is SS 12000 Group (GroupFragment + groupMemberships). Teachers are
// not members: they reach a group through an Activity or a Duty's
// AssignmentRole.
type Group struct {
	ID           string       `json:"id"`
	DisplayName  string       `json:"displayName"`
	Type         GroupType    `json:"groupType"`
	SchoolUnitID string       `json:"organisation"`
	SchoolType   SchoolType   `json:"schoolType,omitempty"` // one value in 2.1.0, not a list
	StartDate    Date         `json:"startDate,omitzero"`
	EndDate      Date         `json:"endDate,omitzero"`
	Memberships  []Membership `json:"groupMemberships,omitempty"`
}

// Membership is SS 12000 GroupMembership.
type Membership struct {
	PersonID  string `json:"person"`
	StartDate Date   `json:"startDate,omitzero"`
	EndDate   Date   `json:"endDate,omitzero"`
}

// Duty is SS 12000 Duty: one person's employment in one role at one
// organisation (usually a school unit).
type Duty struct {
	ID              string           `json:"id"`
	PersonID        string           `json:"person"`
	SchoolUnitID    string           `json:"dutyAt"`
	DutyRole        DutyRole         `json:"dutyRole"`
	Description     string           `json:"description,omitempty"` // e.g. "Bibliotekarie", "Elevassistent"
	Signature       string           `json:"signature,omitempty"`
	StartDate       Date             `json:"startDate,omitzero"`
	EndDate         Date             `json:"endDate,omitzero"`
	AssignmentRoles []AssignmentRole `json:"assignmentRole,omitempty"`
}

// AssignmentRole is SS 12000 Duty.assignmentRole: the duty's task in relation
// to a group, e.g. Mentor for a class.
type AssignmentRole struct {
	GroupID   string             `json:"group"`
	Role      AssignmentRoleType `json:"assignmentRoleType"`
	StartDate Date               `json:"startDate,omitzero"`
	EndDate   Date               `json:"endDate,omitzero"`
}

// Syllabus is SS 12000 Syllabus: a subject or course.
type Syllabus struct {
	ID                 string     `json:"id"`
	SchoolType         SchoolType `json:"schoolType"`
	SubjectCode        string     `json:"subjectCode,omitempty"`        // with curriculum, e.g. GRGRMAT01
	SubjectName        string     `json:"subjectName"`                  // e.g. Matematik
	SubjectDesignation string     `json:"subjectDesignation,omitempty"` // short, e.g. MA
	CourseCode         string     `json:"courseCode,omitempty"`         // GY, e.g. MATMAT01c
	CourseName         string     `json:"courseName,omitempty"`         // e.g. Matematik 1c
	// StartSchoolYear and EndSchoolYear are pointers because 0 (förskoleklass)
	// is a valid value distinct from "not given".
	StartSchoolYear *int `json:"startSchoolYear,omitempty"`
	EndSchoolYear   *int `json:"endSchoolYear,omitempty"`
	Official        bool `json:"official"`
}

// Activity is SS 12000 Activity: teaching (or other scheduled work) that ties
// groups, teachers (duties) and a syllabus together. It is what becomes a
// class team or a Classroom course.
type Activity struct {
	ID           string            `json:"id"`
	DisplayName  string            `json:"displayName"`
	Type         ActivityType      `json:"activityType,omitempty"`
	SchoolUnitID string            `json:"organisation"`
	GroupIDs     []string          `json:"groups,omitempty"`
	Teachers     []ActivityTeacher `json:"teachers,omitempty"`
	SyllabusID   string            `json:"syllabus,omitempty"`
	StartDate    Date              `json:"startDate,omitzero"`
	EndDate      Date              `json:"endDate,omitzero"`
}

// ActivityTeacher is SS 12000 DutyAssignment.
type ActivityTeacher struct {
	DutyID    string `json:"duty"`
	StartDate Date   `json:"startDate,omitzero"`
	EndDate   Date   `json:"endDate,omitzero"`
	Grader    bool   `json:"grader,omitempty"` // betygsättande lärare
}
