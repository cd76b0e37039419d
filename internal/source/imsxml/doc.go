// Package imsxml reads IMS Enterprise 1.1 XML exports into a roster
// snapshot: Tieto's Organization API exports (Procapita, Lifecare, Tieto
// Education, Edlevo; namespace http://open.tieto.com/edu/organization/vN),
// IST Extens' and Alvis' IMS exports, and plain IMS Enterprise files.
//
// The document is read token by token (encoding/xml), never loaded whole, so
// a 300 MB export costs about what the decoder's own pass costs. Element
// names are matched by local name, with or without a namespace; text is
// trimmed. ISO-8859-1, ISO-8859-15, Windows-1252 and UTF-8 are read as the
// XML declaration says.
//
// # How IMS maps to the register
//
// IMS has persons, groups and memberships (a group's members: persons or
// other groups, each in a role). Group types (grouptype/typevalue):
//
//   - Unit, School: a school unit (Organisation Skolenhet). Its school unit
//     code comes from the extension schoolunitcode or csncode, or from the
//     schoolunitcode on its principal's role. Organization, Municipality:
//     an organisation of the type in extension organizationtypename
//     (Huvudman when none); a relationship with relation 1 names a parent.
//   - Class: a Klass group; EducationGroup, Course: a teaching group
//     (Undervisning); MentorGroup, ScheduleGroup, ExamGroup, DepartmentGroup:
//     Mentor, Schema, Provgrupp, Avdelning; anything else Övrigt.
//   - Subject (Tieto v1 and v2): a teaching activity of the group it is a
//     member of; its Instructors teach it.
//   - ContactGroup (Tieto): one pupil's contacts; a Mentor there mentors
//     each class the pupil is in. Guardians and contacts are not read.
//
// Member roles: Student, Learner and 01 are pupils; Instructor and 02 teach
// (a teaching group with teachers becomes an activity too, Tieto v3 and
// later); Mentor and 06 mentor a class; Principal is the unit's Rektor;
// Staff, Administrator, Manager, 05, 07 and TeachingAssistant, 08 are staff
// of the unit. A pupil's enrolment is their Student role in a class, with
// the class's school year or the role's placement extension.
//
// Ids: a person id in braces ("{3D11EB99-...}", as Tieto writes them) loses
// the braces and, when it is a UUID, is lower-cased, as SS 12000 ids are.
// The civic number (userid useridtype PID) goes into roster.Person.CivicNo
// only. privacy (Tieto: None or a level; true/false in v12) other than
// None/false marks the person protected, so they are left out by default.
//
// # Complete and Delta
//
// properties/type Complete (or CompleteOrganization) replaces what was read
// before; Delta (DeltaOrganization) is applied on top of the last read: a
// person, group or member role with recstatus 3 is deleted, others are
// added or replaced, and a membership marked complete="true" replaces the
// group's members. A Delta with nothing before it is an error.
package imsxml
