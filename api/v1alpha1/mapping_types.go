package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// RegisterObject is the kind of register object a rule iterates.
// +kubebuilder:validation:Enum=Activity;Group;School;Organisation
type RegisterObject string

// The register objects a rule can iterate.
const (
	// RegisterActivity is an SS 12000 Activity: a teaching activity that ties
	// teachers to groups, e.g. "Matematik 7A".
	RegisterActivity RegisterObject = "Activity"
	// RegisterGroup is an SS 12000 Group: a class, teaching group, mentor group...
	RegisterGroup RegisterObject = "Group"
	// RegisterSchool is a school unit (Organisation of type Skolenhet).
	RegisterSchool RegisterObject = "School"
	// RegisterOrganisation is the organiser itself (the huvudman).
	RegisterOrganisation RegisterObject = "Organisation"
)

// RoomKind is the kind of collaboration space a rule produces.
// +kubebuilder:validation:Enum=ClassTeam;Team;SecurityGroup;MailGroup;Course;GoogleGroup
type RoomKind string

// The room kinds.
const (
	// RoomClassTeam is a Microsoft education class with a class team.
	RoomClassTeam RoomKind = "ClassTeam"
	// RoomTeam is a Microsoft 365 group with a team (school or staff team).
	RoomTeam RoomKind = "Team"
	// RoomSecurityGroup is a Microsoft Entra security group.
	RoomSecurityGroup RoomKind = "SecurityGroup"
	// RoomMailGroup is a Microsoft 365 group without a team, or a Google group on Google.
	RoomMailGroup RoomKind = "MailGroup"
	// RoomCourse is a Google Classroom course.
	RoomCourse RoomKind = "Course"
	// RoomGoogleGroup is a Google Workspace group.
	RoomGoogleGroup RoomKind = "GoogleGroup"
)

// Role picks people for a room from the register object a rule iterates.
// +kubebuilder:validation:Enum=Teachers;Students;Mentors;Staff;Principals;Enrolled;GroupMembers
type Role string

// The roles.
const (
	// RoleTeachers are an activity's teachers (through their duties).
	RoleTeachers Role = "Teachers"
	// RoleStudents are the students of an activity's groups, or of a group.
	RoleStudents Role = "Students"
	// RoleMentors are a class's mentors (assignment role Mentor).
	RoleMentors Role = "Mentors"
	// RoleStaff are a school's staff, optionally only some duty roles.
	RoleStaff Role = "Staff"
	// RolePrincipals are a school's principals (duty role Rektor).
	RolePrincipals Role = "Principals"
	// RoleEnrolled is everyone enrolled at a school.
	RoleEnrolled Role = "Enrolled"
	// RoleGroupMembers is every member of a group, whatever their role.
	RoleGroupMembers Role = "GroupMembers"
)

// MappingSpec turns the register into desired rooms.
// +kubebuilder:validation:XValidation:rule="self.sourceRefs.all(r, self.sourceRefs.exists_one(s, s.name == r.name))",message="each source may be named only once in sourceRefs"
type MappingSpec struct {
	// SourceRefs names the RegisterSources to read. The first is the primary
	// register; the others supplement it (attributes joined on joinKey, or
	// manual groups).
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +listType=atomic
	SourceRefs []LocalReference `json:"sourceRefs"`

	// AccountKey is the person attribute that identifies a person's account
	// in the targets; owners and members are listed by it.
	// Default: {attribute: EduPersonPrincipalName}.
	// +kubebuilder:default={attribute: EduPersonPrincipalName}
	// +optional
	AccountKey *AccountKey `json:"accountKey,omitempty"`

	// JoinKey is the person attribute supplements are joined on, unless
	// the supplement names its own (an LDAP source's spec.ldap.joinKey).
	// Default: PersonID.
	// +kubebuilder:default=PersonID
	// +optional
	JoinKey JoinKey `json:"joinKey,omitempty"`

	// Exclusions leave people out of every room of this Mapping.
	// +kubebuilder:default={}
	// +optional
	Exclusions Exclusions `json:"exclusions,omitempty"`

	// MembershipWindow keeps people in rooms a few days around their
	// membership's start and end, so a pupil who starts on Monday can see the
	// class team on Friday, and one who leaves keeps access over a weekend.
	// +kubebuilder:default={}
	// +optional
	MembershipWindow MembershipWindow `json:"membershipWindow,omitempty"`

	// Rules each produce one room per matching register object.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	Rules []Rule `json:"rules"`
}

// AccountKey says which attribute identifies an account.
// +kubebuilder:validation:XValidation:rule="self.attribute == 'ExternalIdentifier' ? has(self.context) : !has(self.context)",message="accountKey.context is required with attribute ExternalIdentifier and not allowed otherwise"
type AccountKey struct {
	// Attribute of the person: EduPersonPrincipalName, Email or ExternalIdentifier.
	// +kubebuilder:validation:Enum=EduPersonPrincipalName;Email;ExternalIdentifier
	Attribute JoinKey `json:"attribute"`
	// EmailType picks which e-mail when Attribute is Email, e.g. "Skola elev"
	// or "Skola personal" (SS 12000 Email.type). Unset takes the first.
	// +optional
	EmailType string `json:"emailType,omitempty"`
	// Context picks which external identifier when Attribute is
	// ExternalIdentifier (SS 12000 ExternalIdentifier.context).
	// +optional
	Context string `json:"context,omitempty"`
}

// Exclusions leave people out of rooms.
type Exclusions struct {
	// SecurityMarkings to exclude. Unset takes the Tenant's
	// spec.privacy.excludedSecurityMarkings (by default every marking but Ingen).
	// +listType=set
	// +optional
	SecurityMarkings []SecurityMarking `json:"securityMarkings,omitempty"`
	// PersonStatuses to exclude (SS 12000 personStatus).
	// Default: Utvandrad and Avliden.
	// +listType=set
	// +kubebuilder:validation:items:Enum=Aktiv;Utvandrad;Avliden
	// +kubebuilder:default={"Utvandrad","Avliden"}
	// +optional
	PersonStatuses []string `json:"personStatuses,omitempty"`
	// AccountKeys of people never to place in a room.
	// +listType=set
	// +kubebuilder:validation:MaxItems=1000
	// +optional
	AccountKeys []string `json:"accountKeys,omitempty"`
}

// MembershipWindow widens memberships by a number of days.
type MembershipWindow struct {
	// DaysBeforeStart: a person counts this many days before their
	// membership starts.
	// Default: 0.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=90
	// +kubebuilder:default=0
	// +optional
	DaysBeforeStart int32 `json:"daysBeforeStart,omitempty"`
	// DaysAfterEnd: a person still counts this many days after their
	// membership ends.
	// Default: 0.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=90
	// +kubebuilder:default=0
	// +optional
	DaysAfterEnd int32 `json:"daysAfterEnd,omitempty"`
}

// Rule produces one room for each register object that passes its filter.
// +kubebuilder:validation:XValidation:rule="self.room.kind in ['ClassTeam', 'Course'] ? self.from in ['Activity', 'Group'] : true",message="ClassTeam and Course rooms are made from an Activity or a Group; use Team, SecurityGroup, MailGroup or GoogleGroup for a School or Organisation"
type Rule struct {
	// Name of the rule, unique in the Mapping; it appears in status and errors.
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`

	// From is the kind of register object the rule iterates, one room per
	// object that passes the filter: Activity (a teaching activity, e.g.
	// "Matematik 7A", with its teachers and groups), Group (a class,
	// teaching or mentor group, and manual sources' groups), School (a
	// school unit) or Organisation (the organiser itself).
	From RegisterObject `json:"from"`

	// Filter is a CEL expression over the object (variables activity, group,
	// school or organisation, by From) that must be true for a room to be
	// made, e.g. `group.type == "Klass" && group.schoolTypes.exists(t, t == "GR")`.
	// +kubebuilder:validation:MaxLength=4096
	// +optional
	Filter string `json:"filter,omitempty"`

	// Room describes the room to make.
	Room RoomTemplate `json:"room"`

	// Owners of the room. Teams and groups need at least one.
	// +kubebuilder:validation:MaxItems=8
	// +listType=atomic
	// +optional
	Owners []PeopleSelector `json:"owners,omitempty"`

	// Members of the room.
	// +kubebuilder:validation:MaxItems=8
	// +listType=atomic
	// +optional
	Members []PeopleSelector `json:"members,omitempty"`

	// ExtraOwners are account keys added as owners of every room of the rule,
	// e.g. the school's IT administrator.
	// +listType=set
	// +kubebuilder:validation:MaxItems=20
	// +optional
	ExtraOwners []string `json:"extraOwners,omitempty"`
}

// RoomTemplate describes a room with Go text/template strings.
type RoomTemplate struct {
	// Kind of room: ClassTeam (an education class with a class team),
	// Team (a Microsoft 365 group with a team), SecurityGroup, MailGroup (a
	// Microsoft 365 group without a team), Course (Google Classroom) or
	// GoogleGroup. A Target holds the kinds of its platform: on Google a
	// ClassTeam becomes a Course and a Team a Google group, and security
	// groups have no counterpart; on Microsoft 365 a Course becomes a
	// ClassTeam and a GoogleGroup a MailGroup. Rooms with no counterpart
	// are counted in the Target's status and left out.
	Kind RoomKind `json:"kind"`
	// Name template, e.g. `{{ .School.Abbreviation }} {{ .Activity.DisplayName }} {{ schoolYear }}`.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Name string `json:"name"`
	// Description template, with the same data and functions as name:
	// .Activity, .Group, .School, .Organisation (by from), .Rule, .Key,
	// .SchoolYear, .Term, and abbrev, schoolYear, term, truncate, lower,
	// upper and slug.
	// +kubebuilder:validation:MaxLength=2048
	// +optional
	Description string `json:"description,omitempty"`
	// MailNickname template, for kinds that have an address. Unset derives
	// one from the room key.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	MailNickname string `json:"mailNickname,omitempty"`
	// TeamTemplate is the Microsoft Teams template a Team is created with:
	// standard, or educationStaff for a staff team (staff notebook and
	// staff-only channels). It is used at creation only.
	// +kubebuilder:validation:Enum=standard;educationStaff
	// +optional
	TeamTemplate string `json:"teamTemplate,omitempty"`
}

// PeopleSelector picks people by role.
// +kubebuilder:validation:XValidation:rule="!has(self.dutyRoles) || self.role == 'Staff'",message="dutyRoles may only be set with role Staff"
type PeopleSelector struct {
	// Role to pick: Teachers (an activity's teachers, through their
	// duties; for a group, the teachers of its activities), Students (the
	// enrolled students of an activity's groups, or of a group), Mentors
	// (a class's mentors), Staff (a school's staff, narrowed by dutyRoles),
	// Principals (duty role Rektor), Enrolled (everyone enrolled at the
	// school) or GroupMembers (every member of the group, whatever their
	// role). People the exclusions leave out are never picked.
	Role Role `json:"role"`
	// DutyRoles narrows role Staff to these SS 12000 duty roles, e.g. Lärare.
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +optional
	DutyRoles []string `json:"dutyRoles,omitempty"`
}

// MappingStatus is what the last compile and evaluation found.
type MappingStatus struct {
	ReconcileStatus `json:",inline"`

	// Rooms counts desired rooms per kind.
	// +listType=map
	// +listMapKey=kind
	// +optional
	Rooms []KindCount `json:"rooms,omitempty"`
	// TotalRooms is the number of desired rooms.
	// +optional
	TotalRooms int32 `json:"totalRooms,omitempty"`
	// Memberships is the number of owner and member places across all rooms.
	// +optional
	Memberships int64 `json:"memberships,omitempty"`
	// DesiredHash is a hash of the desired state; it changes when the rooms do.
	// +optional
	DesiredHash string `json:"desiredHash,omitempty"`
	// LastEvaluationTime is when the rules were last evaluated into the
	// desired rooms, in this manager's memory: after a restart it moves
	// even if the rooms are the same, which tells the Targets to look.
	// +optional
	LastEvaluationTime *metav1.Time `json:"lastEvaluationTime,omitempty"`
	// RuleErrors are the rules that did not compile or evaluate, with where.
	// +listType=map
	// +listMapKey=rule
	// +optional
	RuleErrors []RuleError `json:"ruleErrors,omitempty"`
	// ExcludedPeople counts people left out, by reason (SecurityMarking,
	// PersonStatus, NoAccountKey, Listed). Never who.
	// +listType=map
	// +listMapKey=reason
	// +optional
	ExcludedPeople []ReasonCount `json:"excludedPeople,omitempty"`
	// Joins says how each supplement that adds attributes to people (an
	// LDAP directory) joined the primary register, in counts. Never who.
	// +listType=map
	// +listMapKey=source
	// +optional
	Joins []JoinCounts `json:"joins,omitempty"`
}

// JoinCounts is how one supplement's entries joined the register's
// people. Register people fall in exactly one of matched,
// peopleWithoutEntry, peopleWithDuplicates and peopleAmbiguous.
type JoinCounts struct {
	// Source is the supplementing RegisterSource's name.
	Source string `json:"source"`
	// Matched: register people joined to exactly one entry, whose
	// attributes they got.
	// +optional
	Matched int32 `json:"matched,omitempty"`
	// PeopleWithoutEntry: register people no entry's join value names
	// (missing from the directory, or without the join attribute in the
	// register).
	// +optional
	PeopleWithoutEntry int32 `json:"peopleWithoutEntry,omitempty"`
	// PeopleWithDuplicates: register people whose join value is on more
	// than one entry; which entry is theirs is unknown, so they get nothing.
	// +optional
	PeopleWithDuplicates int32 `json:"peopleWithDuplicates,omitempty"`
	// PeopleAmbiguous: register people who share their join value with
	// another register person that an entry names; they get nothing.
	// +optional
	PeopleAmbiguous int32 `json:"peopleAmbiguous,omitempty"`
	// EntriesWithoutPerson: entries whose join value no register person has.
	// +optional
	EntriesWithoutPerson int32 `json:"entriesWithoutPerson,omitempty"`
	// DuplicateKeys: join values found on more than one entry.
	// +optional
	DuplicateKeys int32 `json:"duplicateKeys,omitempty"`
}

// RuleError is a rule that failed.
type RuleError struct {
	// Rule's name.
	Rule string `json:"rule"`
	// Field of the rule that failed, e.g. filter or room.name.
	Field string `json:"field"`
	// Message says what is wrong and where, e.g. "1:9: undeclared reference to 'grop'".
	Message string `json:"message"`
}

// Mapping turns one register into the rooms a school wants.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=elevsynk
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Rooms",type=integer,JSONPath=`.status.totalRooms`
// +kubebuilder:printcolumn:name="Memberships",type=integer,JSONPath=`.status.memberships`
// +kubebuilder:printcolumn:name="Status",type=string,priority=1,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Mapping struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says which register sources to read and the rules that make
	// rooms from them.
	Spec MappingSpec `json:"spec"`
	// Status is what the rules produced.
	// +optional
	Status MappingStatus `json:"status,omitempty"`
}

// MappingList is a list of Mappings.
// +kubebuilder:object:root=true
type MappingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Mapping `json:"items"`
}
