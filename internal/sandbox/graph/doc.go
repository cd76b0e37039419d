// Package graph is an in-process Microsoft Graph v1.0 server for tests: the
// subset the msgraph target adapter uses (groups with the uniqueName upsert,
// members and owners, users by filter, education classes, teams with async
// operations and archive, $batch and /groups/delta), an OAuth2 token
// endpoint MSAL accepts, and the behaviours that matter for a sync engine:
// @odata.nextLink paging, the 20-relationship limit per request, 400 on
// adding an existing member, the last owner that cannot be removed,
// replication delay after a create, 202 + teamsAsyncOperation for team
// creation and archiving, mailNickname uniqueness, seeded 429 injection
// with Retry-After (also inside $batch), gzip request bodies and request
// counters per endpoint.
//
// Time comes from Options.Now, so tests drive replication delays, team
// provisioning and delta token expiry without sleeping.
//
// Each emulated behaviour cites the Microsoft Learn page it follows; pages
// are under https://learn.microsoft.com/en-us/graph/ unless a full URL is
// given.
package graph
