// Package google is an in-process Google Classroom v1 and Admin SDK
// Directory v1 server for tests: the subset elevsynk uses, driven through
// google.golang.org/api with option.WithEndpoint.
//
// Classroom: courses (create with an alias in the id, get by id or alias,
// list newest first, patch with updateMask, delete only when archived),
// course aliases, course states, teachers and students with profiles that
// carry emailAddress, ALREADY_EXISTS on repeats, the 50-teacher and
// 1000-member caps as FAILED_PRECONDITION. Directory: groups (insert, get by
// id, e-mail or alias, list by domain or customer, patch, update, delete),
// group aliases, members with roles. Users are seeded from Options.
//
// Every list pages with nextPageToken at a configurable page size. Errors
// are written in Google's JSON error format, so *googleapi.Error parses
// them: Classroom's {code, message, status} with the "@Reason " message
// prefix, Directory's {code, message, errors[{domain, reason, message}]}.
// Throttling is injected at a seeded rate (429 RESOURCE_EXHAUSTED for
// Classroom, 403 userRateLimitExceeded for Directory). Counts and Writes
// report the requests per API method and the state changes.
//
// Mutations that bypass the API (RenameCourse, AddStudent, ...) stand in for
// teachers working in the Classroom UI, for drift tests.
//
// References: Classroom REST reference
// https://developers.google.com/workspace/classroom/reference/rest ("the
// Classroom reference"), Directory REST reference
// https://developers.google.com/workspace/admin/directory/reference/rest
// ("the Directory reference"), and the pages cited where each behaviour is
// emulated.
package google
