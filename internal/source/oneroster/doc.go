// Package oneroster reads a OneRoster 1.1 or 1.2 CSV bundle (manifest.csv,
// orgs, users, roles, classes, courses, enrollments, academicSessions) into
// a roster.Snapshot, shaped like an SS 12000 register: schools are
// Skolenhet, homerooms are Klass groups with their primary teacher as
// Mentor, scheduled classes are Undervisning groups with an Activity whose
// teachers are the class's teacher enrolments.
//
// A delta bundle applies on top of the State of the previous read, which
// is never modified; what maps where is in docs/registers.md.
package oneroster
