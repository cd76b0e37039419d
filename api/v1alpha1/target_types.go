package v1alpha1

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Mode says what a Target may do.
// +kubebuilder:validation:Enum=Apply;Plan;Observe
type Mode string

// The modes.
const (
	// ModeApply applies the plan (within the guards).
	ModeApply Mode = "Apply"
	// ModePlan computes the plan and shows it in status; it never writes.
	ModePlan Mode = "Plan"
	// ModeObserve only observes and reports drift; it never writes.
	ModeObserve Mode = "Observe"
)

// DriftAction says what to do when a field of a room differs from the desired state.
// +kubebuilder:validation:Enum=Correct;Report;Ignore
type DriftAction string

// The drift actions.
const (
	// DriftCorrect reverts the difference and reports it.
	DriftCorrect DriftAction = "Correct"
	// DriftReport reports the difference and leaves it.
	DriftReport DriftAction = "Report"
	// DriftIgnore neither reports nor reverts the difference.
	DriftIgnore DriftAction = "Ignore"
)

// DeletionPolicy says what happens to a room that is no longer desired.
// +kubebuilder:validation:Enum=Archive;Delete;Orphan
type DeletionPolicy string

// The deletion policies.
const (
	// DeletionArchive archives the room (read-only team, archived course)
	// archiveAfterDays after the register's end date.
	DeletionArchive DeletionPolicy = "Archive"
	// DeletionDelete deletes the room. Opt-in.
	DeletionDelete DeletionPolicy = "Delete"
	// DeletionOrphan leaves the room as it is and stops managing it.
	DeletionOrphan DeletionPolicy = "Orphan"
)

// TargetSpec says where rooms are kept and how.
// +kubebuilder:validation:XValidation:rule="[has(self.microsoft365), has(self.google), has(self.schoolDataSync), has(self.file)].filter(x, x).size() == 1",message="set exactly one of microsoft365, google, schoolDataSync or file"
type TargetSpec struct {
	// MappingRef names the Mapping whose rooms this Target keeps.
	MappingRef LocalReference `json:"mappingRef"`

	// Mode: Apply writes, Plan shows what it would write, Observe only
	// reports drift. Plan and Observe never write.
	// Default: Plan.
	// +kubebuilder:default=Plan
	// +optional
	Mode Mode `json:"mode,omitempty"`

	// Interval between syncs, e.g. 10m. At least 1m.
	// Default: 10m.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m')",message="interval must be at least 1m"
	// +kubebuilder:default="10m"
	// +optional
	Interval *metav1.Duration `json:"interval,omitempty"`

	// Policy says how drift and deletions are handled.
	// +kubebuilder:default={}
	// +optional
	Policy Policy `json:"policy,omitempty"`

	// Microsoft365 keeps rooms in a Microsoft 365 tenant through Microsoft Graph.
	// +optional
	Microsoft365 *Microsoft365Target `json:"microsoft365,omitempty"`

	// Google keeps rooms in Google Workspace through the Classroom and Directory APIs.
	// +optional
	Google *GoogleTarget `json:"google,omitempty"`

	// SchoolDataSync keeps class groups in Microsoft School Data Sync: it
	// writes the SDS v2.1 CSV file set (a full snapshot every time) into a
	// directory and, with upload, sends it to SDS through Microsoft Graph
	// industryData. Rooms SDS cannot hold (teams, security and mail groups)
	// are left to a microsoft365 Target and counted in the Ready message.
	// +optional
	SchoolDataSync *SchoolDataSyncTarget `json:"schoolDataSync,omitempty"`

	// File writes the desired rooms as JSON, for review or another system,
	// and with format OneRoster also as OneRoster 1.1 bulk CSV.
	// +optional
	File *FileTarget `json:"file,omitempty"`

	// Report writes the overview of this Target's rooms (the same as
	// `elevsynk report`: owners and members desired against observed, drift,
	// people left out) into a directory after every sync, atomically, as
	// <namespace>-<name>.html or .json, for an operator to publish behind
	// their own authentication. It holds personal data (never a civic
	// number, never anyone with a protected identity) and is written with
	// mode 0600. The directory must be a mounted volume: the manager's root
	// file system is read-only.
	// +optional
	Report *ReportOutput `json:"report,omitempty"`
}

// Policy says how drift and deletions are handled.
type Policy struct {
	// Drift handling per field.
	// +kubebuilder:default={}
	// +optional
	Drift DriftPolicy `json:"drift,omitempty"`

	// Deletion of rooms no longer desired: Archive (default), Delete or Orphan.
	// +kubebuilder:default=Archive
	// +optional
	Deletion DeletionPolicy `json:"deletion,omitempty"`

	// ArchiveAfterDays: a room is archived this many days after the register's
	// end date for it, giving teachers time to collect work.
	// Default: 14.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=365
	// +kubebuilder:default=14
	// +optional
	ArchiveAfterDays int32 `json:"archiveAfterDays,omitempty"`

	// DeletionGuard stops a plan that would archive or delete too many rooms,
	// or remove too many people from rooms, at once. Unset takes the Tenant's
	// spec.safety.deletionGuard; when neither sets one, the guard is
	// maxDeletions 10% and maxMemberRemovals 20%.
	// +optional
	DeletionGuard *DeletionGuard `json:"deletionGuard,omitempty"`
}

// DriftPolicy says per field what to do with a difference.
type DriftPolicy struct {
	// Name of the room.
	// Default: Correct.
	// +kubebuilder:default=Correct
	// +optional
	Name DriftAction `json:"name,omitempty"`
	// Description of the room.
	// Default: Correct.
	// +kubebuilder:default=Correct
	// +optional
	Description DriftAction `json:"description,omitempty"`
	// Members: missing members are added, extra members removed.
	// Default: Correct.
	// +kubebuilder:default=Correct
	// +optional
	Members DriftAction `json:"members,omitempty"`
	// Owners: missing owners are added, extra owners removed (never the last).
	// Default: Correct.
	// +kubebuilder:default=Correct
	// +optional
	Owners DriftAction `json:"owners,omitempty"`
	// Archived: a desired room found archived is unarchived.
	// Default: Report.
	// +kubebuilder:default=Report
	// +optional
	Archived DriftAction `json:"archived,omitempty"`
}

// DeletionGuard bounds what one plan may take away: archivals plus
// deletions of rooms, and removals of members plus owners. A plan over
// either bound is not applied until approved by its hash.
// +kubebuilder:validation:XValidation:rule="type(self.maxDeletions) == int ? int(self.maxDeletions) >= 0 : string(self.maxDeletions).matches('^(100|[1-9]?[0-9])%$')",message="deletionGuard.maxDeletions must be a count such as 25 or a percentage from 0% to 100% such as 5%"
// +kubebuilder:validation:XValidation:rule="!has(self.maxMemberRemovals) || (type(self.maxMemberRemovals) == int ? int(self.maxMemberRemovals) >= 0 : string(self.maxMemberRemovals).matches('^(100|[1-9]?[0-9])%$'))",message="deletionGuard.maxMemberRemovals must be a count such as 200 or a percentage from 0% to 100% such as 20%"
type DeletionGuard struct {
	// MaxDeletions is a count (25) or a percentage of the managed and
	// orphaned rooms (5%), rounded down.
	// +kubebuilder:validation:XIntOrString
	MaxDeletions intstr.IntOrString `json:"maxDeletions"`
	// MaxMemberRemovals is a count (200) or a percentage (20%), rounded
	// down, of the memberships and ownerships in the rooms the Target owns:
	// a register that drops every membership must not empty the rooms.
	// Unset means 20%.
	// +kubebuilder:validation:XIntOrString
	// +optional
	MaxMemberRemovals *intstr.IntOrString `json:"maxMemberRemovals,omitempty"`
}

// Microsoft365Target is a Microsoft 365 tenant.
// +kubebuilder:validation:XValidation:rule="[has(self.auth.clientSecret), has(self.auth.clientCertificate), has(self.auth.workloadIdentity)].filter(x, x).size() == 1",message="set exactly one of auth.clientSecret, auth.clientCertificate or auth.workloadIdentity"
type Microsoft365Target struct {
	// Endpoint of Microsoft Graph; change it only for a national cloud or a sandbox.
	// Default: https://graph.microsoft.com.
	// +kubebuilder:default="https://graph.microsoft.com"
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('https://') || self.startsWith('http://'))",message="endpoint must be an absolute http or https URL"
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
	// AuthorityHost is the Microsoft Entra authority the app signs in at;
	// change it only for a national cloud (https://login.microsoftonline.us/,
	// https://login.chinacloudapi.cn/) or a sandbox. Empty means
	// AZURE_AUTHORITY_HOST in the manager's environment, or else the public
	// cloud, https://login.microsoftonline.com/.
	// +kubebuilder:validation:XValidation:rule="isURL(self) && self.startsWith('https://')",message="authorityHost must be an absolute https URL (Microsoft Entra takes no other)"
	// +optional
	AuthorityHost string `json:"authorityHost,omitempty"`
	// TenantID is the Microsoft Entra tenant id, a GUID.
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
	TenantID string `json:"tenantID"`
	// Auth says how the app registration authenticates.
	Auth Microsoft365Auth `json:"auth"`
	// UserLookup says which user attribute the account keys match.
	// Default: UserPrincipalName.
	// +kubebuilder:validation:Enum=UserPrincipalName;Mail;EmployeeId
	// +kubebuilder:default=UserPrincipalName
	// +optional
	UserLookup string `json:"userLookup,omitempty"`
	// MailNicknamePrefix marks the groups elevsynk owns, so ownership is
	// recoverable from the tenant itself. Groups without it are never touched.
	// Default: "elevsynk-".
	// +kubebuilder:validation:Pattern=`^[a-z0-9][a-z0-9-]{1,15}$`
	// +kubebuilder:default="elevsynk-"
	// +optional
	MailNicknamePrefix string `json:"mailNicknamePrefix,omitempty"`
}

// Microsoft365Auth is exactly one way for the app registration to authenticate.
type Microsoft365Auth struct {
	// ClientSecret: a Secret with the keys clientID and clientSecret.
	// +optional
	ClientSecret *SecretReference `json:"clientSecret,omitempty"`
	// ClientCertificate: a Secret with the keys clientID, tls.crt and tls.key.
	// +optional
	ClientCertificate *SecretReference `json:"clientCertificate,omitempty"`
	// WorkloadIdentity federates the pod's service account token with the
	// app registration of this client id.
	// +optional
	WorkloadIdentity *WorkloadIdentity `json:"workloadIdentity,omitempty"`
}

// WorkloadIdentity names the cloud identity the pod's token is exchanged for.
type WorkloadIdentity struct {
	// ClientID of the app registration (Microsoft) or the service account
	// e-mail (Google).
	// +kubebuilder:validation:MinLength=1
	ClientID string `json:"clientID"`
}

// GoogleTarget is a Google Workspace domain.
// +kubebuilder:validation:XValidation:rule="has(self.auth.serviceAccount) != has(self.auth.workloadIdentity)",message="set exactly one of auth.serviceAccount or auth.workloadIdentity"
type GoogleTarget struct {
	// Endpoint overrides the Google API endpoints; change it only for a sandbox.
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('https://') || self.startsWith('http://'))",message="endpoint must be an absolute http or https URL"
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
	// Domain of the Workspace, e.g. skola.exempelstad.se.
	// +kubebuilder:validation:Pattern=`^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$`
	Domain string `json:"domain"`
	// CustomerID of the Workspace; my_customer means the admin's own.
	// Default: my_customer.
	// +kubebuilder:default=my_customer
	// +optional
	CustomerID string `json:"customerID,omitempty"`
	// AdminSubject is the admin account domain-wide delegation impersonates.
	// +kubebuilder:validation:MinLength=3
	AdminSubject string `json:"adminSubject"`
	// MarkerPrefix starts the alias that marks the courses and groups this
	// Target owns, so ownership is recoverable from the domain itself. Give
	// each Target on one domain its own. Changing it disowns every room.
	// Default: "elevsynk".
	// +kubebuilder:validation:Pattern=`^[a-z][a-z0-9-]{0,15}$`
	// +kubebuilder:default=elevsynk
	// +optional
	MarkerPrefix string `json:"markerPrefix,omitempty"`
	// Auth says how the service account authenticates.
	Auth GoogleAuth `json:"auth"`
	// RosterRecheck is how often the people of every course and group are
	// read again, to find changes made by hand. Classroom and Directory
	// have no query for what changed, and reading every roster on every
	// sync would spend the one admin's quota: a 120 000-pupil domain's
	// rosters take over an hour of it. So each sync reads the rooms it
	// changed and its share of the others, those read longest ago, and all
	// are read within this time when syncs come every spec.interval. 0s
	// reads every room on every sync.
	// Default: 6h.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:default="6h"
	// +optional
	RosterRecheck *metav1.Duration `json:"rosterRecheck,omitempty"`
}

// DefaultTargetInterval is spec.interval when unset (the CRD defaults it).
const DefaultTargetInterval = 10 * time.Minute

// DefaultRosterRecheck is spec.google.rosterRecheck when unset.
const DefaultRosterRecheck = 6 * time.Hour

// SyncInterval is the time between the Target's syncs.
func (s *TargetSpec) SyncInterval() time.Duration {
	if s.Interval == nil {
		return DefaultTargetInterval
	}
	return s.Interval.Duration
}

// RecheckPasses is how many syncs of the Target a Google roster recheck
// is spread over: spec.google.rosterRecheck in spec.intervals, at least
// one.
func (s *TargetSpec) RecheckPasses() int {
	recheck := DefaultRosterRecheck
	if s.Google != nil && s.Google.RosterRecheck != nil {
		recheck = s.Google.RosterRecheck.Duration
	}
	iv := max(s.SyncInterval(), time.Minute)
	return max(1, int((recheck+iv-1)/iv))
}

// GoogleAuth is exactly one way for the service account to authenticate.
type GoogleAuth struct {
	// ServiceAccount: a Secret with the key credentials.json (a service
	// account key with domain-wide delegation).
	// +optional
	ServiceAccount *SecretReference `json:"serviceAccount,omitempty"`
	// WorkloadIdentity federates the pod's token with this service account.
	// +optional
	WorkloadIdentity *WorkloadIdentity `json:"workloadIdentity,omitempty"`
}

// FileTarget writes files to a path in the manager's file system, such as a
// mounted volume.
type FileTarget struct {
	// Path of the directory to write into, a mounted volume (the manager's
	// root file system is read-only). The file is <namespace>-<name>.json
	// and holds account keys: treat it as personal data.
	// +kubebuilder:validation:Pattern=`^/.*`
	// +kubebuilder:validation:MaxLength=1024
	Path string `json:"path"`
	// Format: JSON writes the rooms file only; OneRoster also writes the
	// rooms that are classes (class teams and courses) with their people
	// as OneRoster 1.1 bulk CSV, manifest.csv included, into the directory
	// <namespace>-<name> beside it, for learning services and Google's
	// roster import. Every file is written with mode 0600.
	// Default: JSON.
	// +kubebuilder:validation:Enum=JSON;OneRoster
	// +kubebuilder:default=JSON
	// +optional
	Format FileFormat `json:"format,omitempty"`
}

// FileFormat is what a file Target writes.
type FileFormat string

// The file formats.
const (
	FileFormatJSON      FileFormat = "JSON"
	FileFormatOneRoster FileFormat = "OneRoster"
)

// SchoolDataSyncTarget is Microsoft School Data Sync.
type SchoolDataSyncTarget struct {
	// Path of the directory to write into, a mounted volume. The SDS v2.1
	// file set goes into <namespace>-<name> there, beside the record of
	// the rooms last written, <namespace>-<name>.json, which is what the
	// Target observes: an SDS upload container lives only for its session
	// and cannot be read back. The files hold personal data (names, user
	// names) and are written with mode 0600.
	// +kubebuilder:validation:Pattern=`^/.*`
	// +kubebuilder:validation:MaxLength=1024
	Path string `json:"path"`
	// Upload sends each new file set to SDS through Microsoft Graph
	// (beta external/industryData) and reads back what SDS made of it.
	// Unset, the files are only written, for an administrator or another
	// tool to upload.
	// +optional
	Upload *SchoolDataSyncUpload `json:"upload,omitempty"`
}

// SchoolDataSyncUpload is the Microsoft 365 tenant SDS runs in, and the
// names of the SDS objects elevsynk finds, or makes when missing.
// +kubebuilder:validation:XValidation:rule="[has(self.auth.clientSecret), has(self.auth.clientCertificate), has(self.auth.workloadIdentity)].filter(x, x).size() == 1",message="set exactly one of upload.auth.clientSecret, upload.auth.clientCertificate or upload.auth.workloadIdentity"
type SchoolDataSyncUpload struct {
	// Endpoint of Microsoft Graph; change it only for a national cloud or a sandbox.
	// Default: https://graph.microsoft.com.
	// +kubebuilder:default="https://graph.microsoft.com"
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('https://') || self.startsWith('http://'))",message="upload.endpoint must be an absolute http or https URL"
	// +optional
	Endpoint string `json:"endpoint,omitempty"`
	// AuthorityHost is the Microsoft Entra authority, as in
	// spec.microsoft365.authorityHost.
	// +kubebuilder:validation:XValidation:rule="isURL(self) && self.startsWith('https://')",message="upload.authorityHost must be an absolute https URL (Microsoft Entra takes no other)"
	// +optional
	AuthorityHost string `json:"authorityHost,omitempty"`
	// TenantID is the Microsoft Entra tenant id, a GUID.
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`
	TenantID string `json:"tenantID"`
	// Auth says how the app registration authenticates. It needs the
	// application permissions IndustryData-SourceSystem, -DataConnector,
	// -TimePeriod, -InboundFlow and -Run .ReadWrite.All.
	Auth Microsoft365Auth `json:"auth"`
	// DisplayName names the source system, data connector, year and
	// inbound flow elevsynk finds by it, or makes, in SDS. Give each
	// Target on one tenant its own.
	// Default: elevsynk.
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$`
	// +kubebuilder:default=elevsynk
	// +optional
	DisplayName string `json:"displayName,omitempty"`
}

// ReportOutput is where and how a Target's report is written.
type ReportOutput struct {
	// Path of the directory to write into.
	// +kubebuilder:validation:Pattern=`^/.*`
	// +kubebuilder:validation:MaxLength=1024
	Path string `json:"path"`
	// Format: HTML, one self-contained page, or JSON, its data. Default: HTML.
	// +kubebuilder:validation:Enum=HTML;JSON
	// +kubebuilder:default=HTML
	// +optional
	Format string `json:"format,omitempty"`
}

// TargetStatus is what the last sync found and did.
type TargetStatus struct {
	ReconcileStatus `json:",inline"`

	// Inventory counts the rooms this Target manages by state.
	// +optional
	Inventory *Inventory `json:"inventory,omitempty"`

	// DriftedRooms lists up to 50 drifted rooms with their reasons (room
	// names and reasons only, never people).
	// +kubebuilder:validation:MaxItems=50
	// +listType=atomic
	// +optional
	DriftedRooms []DriftedRoom `json:"driftedRooms,omitempty"`

	// LastPlan is the last plan computed, applied or not.
	// +optional
	LastPlan *PlanSummary `json:"lastPlan,omitempty"`

	// LastAppliedPlanHash is the hash of the last plan applied in full.
	// +optional
	LastAppliedPlanHash string `json:"lastAppliedPlanHash,omitempty"`

	// LastHandledApproval is the value of the elevsynk.io/approve-plan
	// annotation last acted on, whether or not it matched the plan. A new
	// value makes the Target sync at once; one left on does not.
	// +optional
	LastHandledApproval string `json:"lastHandledApproval,omitempty"`

	// LastSyncTime is when the last sync finished.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// UnresolvedPeople counts account keys with no account in the target.
	// +optional
	UnresolvedPeople int32 `json:"unresolvedPeople,omitempty"`

	// API counts requests to the target's API during the last sync.
	// +optional
	API *APICounts `json:"api,omitempty"`

	// SchoolDataSync is what the last file set was and what SDS made of
	// it (counts and error codes only), for a schoolDataSync Target.
	// +optional
	SchoolDataSync *SchoolDataSyncStatus `json:"schoolDataSync,omitempty"`
}

// SchoolDataSyncStatus is the last SDS file set and run.
type SchoolDataSyncStatus struct {
	// ContentHash identifies the last file set written; an unchanged set
	// is not uploaded again.
	// +optional
	ContentHash string `json:"contentHash,omitempty"`
	// UploadedHash is the content hash of the last set SDS accepted for
	// validation.
	// +optional
	UploadedHash string `json:"uploadedHash,omitempty"`
	// Classes and Enrollments count the rows of the last set.
	// +optional
	Classes int32 `json:"classes,omitempty"`
	// +optional
	Enrollments int32 `json:"enrollments,omitempty"`
	// LastRun is SDS's last run of the inbound flow.
	// +optional
	LastRun *SchoolDataSyncRun `json:"lastRun,omitempty"`
}

// SchoolDataSyncRun is an industryData run by its counts.
type SchoolDataSyncRun struct {
	// ID of the run in SDS.
	ID string `json:"id"`
	// Status: running, completed, completedWithErrors,
	// completedWithWarnings or failed.
	Status string `json:"status"`
	// Errors and Warnings count records SDS refused or trimmed.
	// +optional
	Errors int64 `json:"errors,omitempty"`
	// +optional
	Warnings int64 `json:"warnings,omitempty"`
	// People, Organizations, Groups and Memberships SDS took in.
	// +optional
	People int64 `json:"people,omitempty"`
	// +optional
	Organizations int64 `json:"organizations,omitempty"`
	// +optional
	Groups int64 `json:"groups,omitempty"`
	// +optional
	Memberships int64 `json:"memberships,omitempty"`
	// UnmatchedPeople counts people SDS found no Microsoft 365 user for.
	// +optional
	UnmatchedPeople int64 `json:"unmatchedPeople,omitempty"`
	// ErrorCode is the code of the run's blocking error, if any.
	// +optional
	ErrorCode string `json:"errorCode,omitempty"`
}

// Inventory counts rooms by state.
type Inventory struct {
	// Managed rooms: owned by this Target and desired.
	// +optional
	Managed int32 `json:"managed,omitempty"`
	// InSync rooms: equal to the desired state.
	// +optional
	InSync int32 `json:"inSync,omitempty"`
	// Drifted rooms: differ from the desired state.
	// +optional
	Drifted int32 `json:"drifted,omitempty"`
	// Missing rooms: desired but not in the target.
	// +optional
	Missing int32 `json:"missing,omitempty"`
	// Orphaned rooms: owned by this Target but no longer desired.
	// +optional
	Orphaned int32 `json:"orphaned,omitempty"`
}

// DriftedRoom is one room that differs from the desired state.
type DriftedRoom struct {
	// Kind of room.
	Kind RoomKind `json:"kind"`
	// Key is the room's stable key.
	Key string `json:"key"`
	// Name is the room's desired name.
	Name string `json:"name"`
	// Reasons, e.g. Renamed, ExtraMembers, MissingOwners.
	// +listType=set
	Reasons []string `json:"reasons"`
}

// PlanSummary is a plan by its counts.
type PlanSummary struct {
	// Hash identifies the plan; approve a guarded plan by this hash.
	Hash string `json:"hash"`
	// Time the plan was computed.
	Time metav1.Time `json:"time"`
	// Creates of rooms missing from the target.
	// +optional
	Creates int32 `json:"creates,omitempty"`
	// Updates of names, descriptions and archive state.
	// +optional
	Updates int32 `json:"updates,omitempty"`
	// Archives of rooms no longer desired.
	// +optional
	Archives int32 `json:"archives,omitempty"`
	// Deletes of rooms no longer desired.
	// +optional
	Deletes int32 `json:"deletes,omitempty"`
	// MemberAdds across all rooms.
	// +optional
	MemberAdds int32 `json:"memberAdds,omitempty"`
	// MemberRemoves across all rooms.
	// +optional
	MemberRemoves int32 `json:"memberRemoves,omitempty"`
	// OwnerAdds across all rooms.
	// +optional
	OwnerAdds int32 `json:"ownerAdds,omitempty"`
	// OwnerRemoves across all rooms.
	// +optional
	OwnerRemoves int32 `json:"ownerRemoves,omitempty"`
	// Applied is true when the plan was applied in full.
	// +optional
	Applied bool `json:"applied,omitempty"`
	// BlockedBy says why it was not applied: DeletionGuard, Mode, Suspended.
	// +optional
	BlockedBy string `json:"blockedBy,omitempty"`
}

// APICounts counts requests to a target's API.
type APICounts struct {
	// Requests sent.
	// +optional
	Requests int64 `json:"requests,omitempty"`
	// Writes among them.
	// +optional
	Writes int64 `json:"writes,omitempty"`
	// Throttled responses (429) received.
	// +optional
	Throttled int64 `json:"throttled,omitempty"`
}

// Target keeps one Mapping's rooms in one place.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=elevsynk
// +kubebuilder:printcolumn:name="Mode",type=string,JSONPath=`.spec.mode`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Managed",type=integer,JSONPath=`.status.inventory.managed`
// +kubebuilder:printcolumn:name="Drifted",type=integer,JSONPath=`.status.inventory.drifted`
// +kubebuilder:printcolumn:name="Missing",type=integer,JSONPath=`.status.inventory.missing`
// +kubebuilder:printcolumn:name="Plan",type=string,priority=1,JSONPath=`.status.lastPlan.hash`
// +kubebuilder:printcolumn:name="Status",type=string,priority=1,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Target struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says where the rooms are kept and how.
	Spec TargetSpec `json:"spec"`
	// Status is what the last sync found and did.
	// +optional
	Status TargetStatus `json:"status,omitempty"`
}

// TargetList is a list of Targets.
// +kubebuilder:object:root=true
type TargetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Target `json:"items"`
}
