package ss12000

// Wire types for the subset of SS 12000 v2.1.0 that elevsynk reads. Field
// names are the spec's JSON property names (components/schemas/...). Enums
// are named string types, not validated sets, so a value a vendor invents
// (or a later edition adds) survives decoding and is judged by Normalize.
//
// Properties elevsynk has no use for (addresses, phone numbers, guardians,
// photos, sex) are deliberately not declared: encoding/json then drops them
// while decoding, so they never reach memory the operator holds on to.

// ObjectReference is components/schemas/ObjectReference; references to
// persons, groups, duties, organisations and syllabuses all have this shape.
// displayName is only sent with expandReferenceNames=true, which we never
// ask for, so it is not kept.
type ObjectReference struct {
	ID string `json:"id"`
}

// OrganisationType is components/schemas/OrganisationTypeEnum.
type OrganisationType string

// SchoolType is components/schemas/SchoolTypesEnum.
type SchoolType string

// GroupType is components/schemas/GroupTypesEnum.
type GroupType string

// DutyRole is components/schemas/DutyRole.
type DutyRole string

// AssignmentRoleType is components/schemas/AssignmentRoleTypeEnum.
type AssignmentRoleType string

// SecurityMarking is Person.securityMarking: "Ingen", "Sekretessmarkering"
// or "Skyddad folkbokföring".
type SecurityMarking string

// PersonStatus is Person.personStatus; the spec's default is "Aktiv".
type PersonStatus string

// EmailType is Email.type: "Privat", "Skola elev", "Skola personal", "Arbete övrigt".
type EmailType string

// ActivityType is Activity.activityType.
type ActivityType string

// Organisation is components/schemas/Organisation.
type Organisation struct {
	ID                 string           `json:"id"`
	Meta               Meta             `json:"meta"`
	DisplayName        string           `json:"displayName"`
	OrganisationCode   string           `json:"organisationCode,omitempty"`
	OrganisationType   OrganisationType `json:"organisationType"`
	OrganisationNumber string           `json:"organisationNumber,omitempty"`
	ParentOrganisation *ObjectReference `json:"parentOrganisation,omitempty"`
	SchoolUnitCode     string           `json:"schoolUnitCode,omitempty"`
	SchoolTypes        []SchoolType     `json:"schoolTypes,omitempty"`
	MunicipalityCode   string           `json:"municipalityCode,omitempty"`
	StartDate          string           `json:"startDate,omitempty"`
	EndDate            string           `json:"endDate,omitempty"`
}

// Person is components/schemas/Person (the PersonExpanded _embedded part is
// not requested).
type Person struct {
	ID                      string               `json:"id"`
	Meta                    Meta                 `json:"meta"`
	GivenName               string               `json:"givenName"`
	MiddleName              string               `json:"middleName,omitempty"`
	FamilyName              string               `json:"familyName"`
	EduPersonPrincipalNames []string             `json:"eduPersonPrincipalNames,omitempty"`
	ExternalIdentifiers     []ExternalIdentifier `json:"externalIdentifiers,omitempty"`
	CivicNo                 *CivicNo             `json:"civicNo,omitempty"`
	SecurityMarking         SecurityMarking      `json:"securityMarking,omitempty"`
	PersonStatus            PersonStatus         `json:"personStatus,omitempty"`
	Emails                  []Email              `json:"emails,omitempty"`
	Enrolments              []Enrolment          `json:"enrolments,omitempty"`
}

// CivicNo is components/schemas/Person_civicNo. Its String method hides
// the value so that a stray %v cannot log it.
type CivicNo struct {
	Value       string `json:"value"`
	Nationality string `json:"nationality,omitempty"`
}

// String redacts the civic number.
func (CivicNo) String() string { return "civicNo(redacted)" }

// GoString redacts the civic number under %#v too.
func (CivicNo) GoString() string { return "ss12000.CivicNo{redacted}" }

// ExternalIdentifier is components/schemas/externalIdentifier.
type ExternalIdentifier struct {
	Value          string `json:"value"`
	Context        string `json:"context"`
	GloballyUnique bool   `json:"globallyUnique"`
}

// Email is components/schemas/Email.
type Email struct {
	Value string    `json:"value"`
	Type  EmailType `json:"type"`
}

// Enrolment is components/schemas/Enrolment.
type Enrolment struct {
	EnroledAt     ObjectReference  `json:"enroledAt"`
	SchoolYear    *int             `json:"schoolYear,omitempty"`
	SchoolType    SchoolType       `json:"schoolType"`
	StartDate     string           `json:"startDate"`
	EndDate       string           `json:"endDate,omitempty"`
	Cancelled     bool             `json:"cancelled,omitempty"`
	EducationCode string           `json:"educationCode,omitempty"`
	Programme     *ObjectReference `json:"programme,omitempty"`
}

// Group is components/schemas/Group: GroupFragment plus Group_allOf, whose
// groupMemberships array carries the members inline. Memberships are thus a
// direct attribute of the group, and a change to them bumps the group's
// meta.modified (components/schemas/Meta, property modified).
type Group struct {
	ID               string            `json:"id"`
	Meta             Meta              `json:"meta"`
	DisplayName      string            `json:"displayName"`
	StartDate        string            `json:"startDate"`
	EndDate          string            `json:"endDate,omitempty"`
	GroupType        GroupType         `json:"groupType"`
	SchoolType       SchoolType        `json:"schoolType,omitempty"`
	Organisation     ObjectReference   `json:"organisation"`
	GroupMemberships []GroupMembership `json:"groupMemberships,omitempty"`
}

// GroupMembership is components/schemas/GroupMembership.
type GroupMembership struct {
	Person    ObjectReference `json:"person"`
	StartDate string          `json:"startDate,omitempty"`
	EndDate   string          `json:"endDate,omitempty"`
}

// Duty is components/schemas/Duty.
type Duty struct {
	ID             string           `json:"id"`
	Meta           Meta             `json:"meta"`
	Person         *ObjectReference `json:"person,omitempty"`
	AssignmentRole []AssignmentRole `json:"assignmentRole,omitempty"`
	DutyAt         ObjectReference  `json:"dutyAt"`
	DutyRole       DutyRole         `json:"dutyRole"`
	Description    string           `json:"description,omitempty"`
	Signature      string           `json:"signature,omitempty"`
	DutyPercent    *int             `json:"dutyPercent,omitempty"`
	StartDate      string           `json:"startDate"`
	EndDate        string           `json:"endDate,omitempty"`
}

// AssignmentRole is components/schemas/Duty_assignmentRole_inner: the duty's
// role (e.g. Mentor) towards a group.
type AssignmentRole struct {
	Group              ObjectReference    `json:"group"`
	AssignmentRoleType AssignmentRoleType `json:"assignmentRoleType"`
	StartDate          string             `json:"startDate,omitempty"`
	EndDate            string             `json:"endDate,omitempty"`
}

// Activity is components/schemas/Activity.
type Activity struct {
	ID                     string            `json:"id"`
	Meta                   Meta              `json:"meta"`
	DisplayName            string            `json:"displayName"`
	CalendarEventsRequired bool              `json:"calendarEventsRequired"`
	StartDate              string            `json:"startDate"`
	EndDate                string            `json:"endDate,omitempty"`
	ActivityType           ActivityType      `json:"activityType,omitempty"`
	MinutesPlanned         *int              `json:"minutesPlanned,omitempty"`
	Groups                 []ObjectReference `json:"groups"`
	Teachers               []DutyAssignment  `json:"teachers,omitempty"`
	Syllabus               *ObjectReference  `json:"syllabus,omitempty"`
	Organisation           ObjectReference   `json:"organisation"`
	ParentActivity         *ObjectReference  `json:"parentActivity,omitempty"`
}

// DutyAssignment is components/schemas/DutyAssignment: a teacher (a Duty,
// not a Person) on an activity.
type DutyAssignment struct {
	Duty           ObjectReference `json:"duty"`
	StartDate      string          `json:"startDate,omitempty"`
	EndDate        string          `json:"endDate,omitempty"`
	MinutesPlanned *int            `json:"minutesPlanned,omitempty"`
	Grader         bool            `json:"grader,omitempty"`
}

// Syllabus is components/schemas/Syllabus.
type Syllabus struct {
	ID                 string     `json:"id"`
	Meta               Meta       `json:"meta"`
	SchoolType         SchoolType `json:"schoolType"`
	SubjectCode        string     `json:"subjectCode,omitempty"`
	SubjectName        string     `json:"subjectName"`
	SubjectDesignation string     `json:"subjectDesignation,omitempty"`
	CourseCode         string     `json:"courseCode,omitempty"`
	CourseName         string     `json:"courseName,omitempty"`
	StartSchoolYear    *int       `json:"startSchoolYear,omitempty"`
	EndSchoolYear      *int       `json:"endSchoolYear,omitempty"`
	Points             *int       `json:"points,omitempty"`
	Curriculum         string     `json:"curriculum,omitempty"`
	LanguageCode       string     `json:"languageCode,omitempty"`
	Official           bool       `json:"official"`
}

// Deletions is components/schemas/DeletedEntities_data, restricted to
// the entity types we hold. The spec spells the activity key "activitites"
// (sic); servers that follow the spec send that, others fix the typo, so
// both are read and Activities() merges them.
type Deletions struct {
	Organisations []string `json:"organisations,omitempty"`
	Persons       []string `json:"persons,omitempty"`
	Groups        []string `json:"groups,omitempty"`
	Duties        []string `json:"duties,omitempty"`
	Syllabuses    []string `json:"syllabuses,omitempty"`
	Activitites   []string `json:"activitites,omitempty"`
	ActivitiesFix []string `json:"activities,omitempty"`
}

// Activities returns the deleted activity ids under either spelling.
func (d *Deletions) Activities() []string {
	if len(d.ActivitiesFix) == 0 {
		return d.Activitites
	}
	return append(append([]string(nil), d.Activitites...), d.ActivitiesFix...)
}

// Len is the number of deleted ids of all types.
func (d *Deletions) Len() int {
	return len(d.Organisations) + len(d.Persons) + len(d.Groups) + len(d.Duties) +
		len(d.Syllabuses) + len(d.Activitites) + len(d.ActivitiesFix)
}

func (d *Deletions) merge(o *Deletions) {
	d.Organisations = append(d.Organisations, o.Organisations...)
	d.Persons = append(d.Persons, o.Persons...)
	d.Groups = append(d.Groups, o.Groups...)
	d.Duties = append(d.Duties, o.Duties...)
	d.Syllabuses = append(d.Syllabuses, o.Syllabuses...)
	d.Activitites = append(d.Activitites, o.Activitites...)
	d.ActivitiesFix = append(d.ActivitiesFix, o.ActivitiesFix...)
}

// String identifies a wire person by id only, so that a stray %v in a log
// line or error prints no name, e-mail or civic number.
func (p Person) String() string { return "Person(" + p.ID + ")" }

// GoString does the same for %#v.
func (p Person) GoString() string { return p.String() }
