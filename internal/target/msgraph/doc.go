// Package msgraph keeps rooms in a Microsoft 365 tenant through Microsoft
// Graph (msgraph-sdk-go, azidentity): education classes with class teams,
// Microsoft 365 groups with teams, Microsoft 365 groups without a team
// (MailGroup) and security groups.
//
// Ownership is recovered from the tenant: every group it makes has a
// mailNickname that starts with the Target's prefix, and a uniqueName of
// the prefix, the room kind and the room key; education classes carry the
// room key as externalId. Groups without the prefix are never read into a
// Room nor written.
//
// docs/microsoft365.md describes the mapping, the writes per room kind, the
// retries and what Graph cannot do.
package msgraph
