package v1alpha1

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RegisterSourceSpec says where a register is read from and how often.
// +kubebuilder:validation:XValidation:rule="[has(self.ss12000), has(self.imsEnterprise), has(self.oneRoster), has(self.schoolSoft), has(self.unikum), has(self.csv), has(self.ldap), has(self.manual), has(self.directoryGroups)].filter(x, x).size() == 1",message="set exactly one of ss12000, imsEnterprise, oneRoster, schoolSoft, unikum, csv, ldap, manual or directoryGroups"
type RegisterSourceSpec struct {
	// Interval between fetches, e.g. 15m. At least 1m.
	// Default: 15m.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m')",message="interval must be at least 1m"
	// +kubebuilder:default="15m"
	// +optional
	Interval *metav1.Duration `json:"interval,omitempty"`

	// MaxShrinkPercent: a fetched snapshot with this many percent fewer
	// people or groups than the last good one is not used; the source keeps
	// the last good snapshot and goes Stalled until someone looks. Unset takes
	// the Tenant's spec.safety.maxSourceShrinkPercent.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +optional
	MaxShrinkPercent *int32 `json:"maxShrinkPercent,omitempty"`

	// SS12000 reads an SS 12000 v2.x REST API (IST, Edlevo, SchoolSoft, Vklass and others).
	// +optional
	SS12000 *SS12000Source `json:"ss12000,omitempty"`

	// IMSEnterprise reads an IMS Enterprise 1.1 XML export: Tieto's
	// Organization API export (Procapita, Lifecare, Tieto Education,
	// Edlevo), IST Extens' and Alvis' IMS exports. The location is one
	// .xml file, or a directory (or zip) whose .xml files are read in name
	// order: a Complete export replaces what was read, a Delta export is
	// applied on top of it.
	// +optional
	IMSEnterprise *FileSource `json:"imsEnterprise,omitempty"`

	// OneRoster reads a OneRoster 1.1 or 1.2 CSV bundle (manifest.csv,
	// orgs.csv, users.csv, classes.csv, enrollments.csv, ...): a directory
	// or a zip, bulk or delta.
	// +optional
	OneRoster *FileSource `json:"oneRoster,omitempty"`

	// SchoolSoft reads SchoolSoft's tab-separated export files (students,
	// staff, groups, lessons) of one school: a directory or a zip.
	// +optional
	SchoolSoft *SchoolSoftSource `json:"schoolSoft,omitempty"`

	// Unikum reads Unikum's text import format (user, class and school
	// rows and their relations; tab, comma or semicolon separated).
	// +optional
	Unikum *UnikumSource `json:"unikum,omitempty"`

	// CSV reads any other tabular export (Adela, Skolplatsen, a home-made
	// extract) by a column mapping: the way to onboard a register nobody
	// has written a reader for.
	// +optional
	CSV *CSVSource `json:"csv,omitempty"`

	// LDAP is a supplement: it adds attributes (such as the e-mail address
	// from Active Directory) to people a primary source already has, joined
	// on a key. It adds no people of its own.
	// +optional
	LDAP *LDAPSource `json:"ldap,omitempty"`

	// Manual holds groups written by hand, e.g. a working group or an extra
	// staff group, with members by account key.
	// +optional
	Manual *ManualSource `json:"manual,omitempty"`

	// DirectoryGroups reads groups kept by hand in the Microsoft 365 tenant
	// or Google Workspace domain of a Target (an "IT-ansvariga" group in
	// Entra ID, say) and offers them to Mappings as groups, as a manual
	// source's: owners and members by the Target's account keys.
	// +optional
	DirectoryGroups *DirectoryGroupsSource `json:"directoryGroups,omitempty"`
}

// DirectoryGroupsSource names groups in a Target's directory. A group
// elevsynk manages (its mailNickname prefix or Google marker) is refused:
// a room cannot be the source of rooms.
// +kubebuilder:validation:XValidation:rule="has(self.ids) || has(self.displayNamePrefix)",message="set ids, displayNamePrefix or both"
type DirectoryGroupsSource struct {
	// TargetRef names the Target, microsoft365 or google, whose tenant or
	// domain holds the groups. Its endpoint and credentials are used to
	// read the groups, never to write.
	TargetRef LocalReference `json:"targetRef"`
	// IDs of groups to read: Entra ID object ids, or Google group ids or
	// e-mail addresses.
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=256
	// +optional
	IDs []string `json:"ids,omitempty"`
	// DisplayNamePrefix reads every group whose display name starts with
	// it, compared case-insensitively, e.g. "IT-".
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=256
	// +optional
	DisplayNamePrefix string `json:"displayNamePrefix,omitempty"`
}

// SS12000Source is an SS 12000 v2.x API.
type SS12000Source struct {
	// URL is the API's base URL including the vendor's base path, e.g.
	// https://api.ist.com/ss12000v2-api/source/SE00100/v2.0 or
	// https://education.service.tieto.com/WE.Education.IntegrationPortal.ExternalApi/api/v1.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('https://') || self.startsWith('http://'))",message="url must be an absolute http or https URL"
	URL string `json:"url"`

	// Auth says how to authenticate to the API.
	Auth SS12000Auth `json:"auth"`

	// CASecretRef names a Secret whose key ca.crt holds the PEM certificates
	// to trust for the server, when it is not signed by a public CA.
	// +optional
	CASecretRef *SecretReference `json:"caSecretRef,omitempty"`

	// PageSize is the limit sent on every list request.
	// Default: 100.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	// +kubebuilder:default=100
	// +optional
	PageSize int32 `json:"pageSize,omitempty"`

	// FullSyncInterval: between fetches only changes are read (meta.modified
	// and deletedEntities); every FullSyncInterval the whole register is read again.
	// Default: 24h.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`
	// +kubebuilder:default="24h"
	// +optional
	FullSyncInterval *metav1.Duration `json:"fullSyncInterval,omitempty"`

	// SchoolUnitCodes, when set, limits the register to these school units
	// (8-digit codes from Skolverket's school unit register).
	// +listType=set
	// +kubebuilder:validation:items:Pattern=`^[0-9]{8}$`
	// +optional
	SchoolUnitCodes []string `json:"schoolUnitCodes,omitempty"`
}

// SS12000Auth is exactly one way to authenticate.
// +kubebuilder:validation:XValidation:rule="[has(self.oauth2), has(self.mutualTLS), has(self.apiKey)].filter(x, x).size() == 1",message="set exactly one of auth.oauth2, auth.mutualTLS or auth.apiKey"
type SS12000Auth struct {
	// OAuth2 client credentials (RFC 6749 §4.4), as IST EduCloud and Edlevo use.
	// +optional
	OAuth2 *OAuth2ClientCredentials `json:"oauth2,omitempty"`
	// MutualTLS authenticates with a client certificate.
	// +optional
	MutualTLS *MutualTLSAuth `json:"mutualTLS,omitempty"`
	// APIKey sends a key in a request header.
	// +optional
	APIKey *APIKeyAuth `json:"apiKey,omitempty"`
}

// OAuth2ClientCredentials gets a bearer token with the client credentials grant.
type OAuth2ClientCredentials struct {
	// TokenURL is the token endpoint.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('https://') || self.startsWith('http://'))",message="tokenURL must be an absolute http or https URL"
	TokenURL string `json:"tokenURL"`
	// SecretRef names a Secret with the keys clientID and clientSecret.
	SecretRef SecretReference `json:"secretRef"`
	// Scopes to ask for, if the vendor wants any.
	// +listType=set
	// +optional
	Scopes []string `json:"scopes,omitempty"`
}

// MutualTLSAuth authenticates with a client certificate.
type MutualTLSAuth struct {
	// SecretRef names a Secret of type kubernetes.io/tls: keys tls.crt and tls.key.
	SecretRef SecretReference `json:"secretRef"`
}

// APIKeyAuth sends a key in a header on every request.
type APIKeyAuth struct {
	// Header to send the key in.
	// Default: X-API-Key.
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9-]+$`
	// +kubebuilder:default="X-API-Key"
	// +optional
	Header string `json:"header,omitempty"`
	// SecretRef names a Secret with the key apiKey.
	SecretRef SecretReference `json:"secretRef"`
}

// FileSource is where a register export is read from: exactly one of an
// HTTPS URL, an SFTP server or a path on a mounted volume. An export whose
// content has not changed since the last read (same ETag or Last-Modified,
// same size and modification time) is not read again. A file that changes
// while it is read, or ends early, is an error that keeps the last good
// snapshot.
// +kubebuilder:validation:XValidation:rule="[has(self.url), has(self.sftp), has(self.path)].filter(x, x).size() == 1",message="set exactly one of url, sftp or path"
// +kubebuilder:validation:XValidation:rule="!has(self.auth) || has(self.url)",message="auth is for url; an sftp location has its own secretRef"
type FileSource struct {
	// URL of the export over HTTPS: one file, or a zip holding the files.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('https://') || self.startsWith('http://'))",message="url must be an absolute https URL (http only for an annotated loopback sandbox)"
	// +optional
	URL string `json:"url,omitempty"`
	// Auth for the URL.
	// +optional
	Auth *HTTPAuth `json:"auth,omitempty"`
	// CASecretRef names a Secret whose key ca.crt holds the PEM
	// certificates to trust for the URL's server, when it is not signed by
	// a public CA.
	// +optional
	CASecretRef *SecretReference `json:"caSecretRef,omitempty"`

	// SFTP reads the export from an SFTP server.
	// +optional
	SFTP *SFTPLocation `json:"sftp,omitempty"`

	// Path of a file or directory on a volume mounted into the manager
	// (a zip file is opened as a directory).
	// +kubebuilder:validation:Pattern=`^/.*`
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Path string `json:"path,omitempty"`

	// Encoding of the text: UTF-8, ISO-8859-1 or Windows-1252. Auto reads a
	// byte-order mark or the XML declaration, and takes text that is not
	// valid UTF-8 as Windows-1252 (of which ISO-8859-1's printable
	// characters are a subset), as Swedish exports from Windows tools are.
	// Default: Auto.
	// +kubebuilder:validation:Enum=Auto;UTF-8;ISO-8859-1;Windows-1252
	// +kubebuilder:default=Auto
	// +optional
	Encoding string `json:"encoding,omitempty"`
}

// SchoolSoftSource is one school's SchoolSoft export. The export does not
// say which school it is of, so the manifest does; a municipality with
// several SchoolSoft schools has one RegisterSource per school.
type SchoolSoftSource struct {
	FileSource `json:",inline"`
	// SchoolUnitCode is the school's 8-digit code in Skolverket's school
	// unit register; the school's id is derived from it, so rooms keep
	// their keys across exports.
	// +kubebuilder:validation:Pattern=`^[0-9]{8}$`
	SchoolUnitCode string `json:"schoolUnitCode"`
	// SchoolName is the school's name in rooms' names.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	SchoolName string `json:"schoolName"`
}

// HTTPAuth is exactly one way to authenticate to a file server.
// +kubebuilder:validation:XValidation:rule="[has(self.bearerTokenSecretRef), has(self.basicAuthSecretRef), has(self.clientCertificateSecretRef)].filter(x, x).size() == 1",message="set exactly one of bearerTokenSecretRef, basicAuthSecretRef or clientCertificateSecretRef"
type HTTPAuth struct {
	// BearerTokenSecretRef names a Secret with the key token, sent as
	// "Authorization: Bearer".
	// +optional
	BearerTokenSecretRef *SecretReference `json:"bearerTokenSecretRef,omitempty"`
	// BasicAuthSecretRef names a Secret with the keys username and password.
	// +optional
	BasicAuthSecretRef *SecretReference `json:"basicAuthSecretRef,omitempty"`
	// ClientCertificateSecretRef names a Secret of type kubernetes.io/tls
	// (keys tls.crt and tls.key) for mutual TLS.
	// +optional
	ClientCertificateSecretRef *SecretReference `json:"clientCertificateSecretRef,omitempty"`
}

// SFTPLocation is a file or directory on an SFTP server. The server's host
// key must be one of HostKeys: an unknown key is refused, never learnt.
type SFTPLocation struct {
	// Host name or address of the server.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Host string `json:"host"`
	// Port of the server.
	// Default: 22.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +kubebuilder:default=22
	// +optional
	Port int32 `json:"port,omitempty"`
	// User to log in as.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	User string `json:"user"`
	// Path of the export on the server: a file, or a directory whose files
	// are read (a zip file is opened as a directory).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Path string `json:"path"`
	// SecretRef names a Secret of type kubernetes.io/ssh-auth: the key
	// ssh-privatekey holds the private key (PEM or OpenSSH format).
	SecretRef SecretReference `json:"secretRef"`
	// HostKeys are the server's public host keys in authorized_keys form,
	// e.g. "ssh-ed25519 AAAAC3Nza...". Public keys are not secrets, so they
	// live in the manifest, reviewed in git.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=16384
	HostKeys []string `json:"hostKeys"`
}

// UnikumSource is a Unikum import export. Its users have no id of their
// own, only a civic number, which must not become a room key: a person's
// id is an HMAC of the civic number under a key only this tenant has, so
// that the id cannot be turned back into the number by trying every
// number of a birth date, as a plain hash could.
type UnikumSource struct {
	FileSource `json:",inline"`
	// IDKeySecretRef names a Secret whose key idKey (at least 32 bytes,
	// e.g. from openssl rand 32) keys the person ids. Keep it: a new key
	// gives every person a new id, and every room made from one a new key.
	IDKeySecretRef SecretReference `json:"idKeySecretRef"`
}

// CSVSource is a tabular export read by a column mapping. Each file holds
// one kind of register object; only Persons is required. Columns name the
// export's header cells, compared exactly after trimming spaces.
type CSVSource struct {
	FileSource `json:",inline"`
	// Delimiter between fields: one character, usually "," ";" or a tab.
	// Default: ",".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1
	// +kubebuilder:default=","
	// +optional
	Delimiter string `json:"delimiter,omitempty"`
	// Persons is the file of people: pupils and staff.
	Persons CSVFile `json:"persons"`
	// Schools is the file of school units.
	// +optional
	Schools *CSVFile `json:"schools,omitempty"`
	// Groups is the file of classes and teaching groups.
	// +optional
	Groups *CSVFile `json:"groups,omitempty"`
	// Memberships is the file of who is in which group in which role.
	// +optional
	Memberships *CSVFile `json:"memberships,omitempty"`
}

// CSVFile maps one file's columns to register fields.
type CSVFile struct {
	// Name of the file in the location (a directory or zip), e.g. elever.csv.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name"`
	// Columns maps a register field to the header of the column that holds
	// it, e.g. {id: Elev-ID, givenName: Förnamn}. The fields each file
	// knows are listed in docs/registers.md; an unknown field is refused.
	// +kubebuilder:validation:MinProperties=1
	Columns map[string]string `json:"columns"`
	// Values translates the export's words into the register's, per field,
	// e.g. {role: {Elev: Student, Lärare: Teacher}}.
	// +optional
	Values map[string]map[string]string `json:"values,omitempty"`
}

// JoinKey is the person attribute two sources are joined on.
// +kubebuilder:validation:Enum=PersonID;CivicNo;EduPersonPrincipalName;Email;ExternalIdentifier
type JoinKey string

// The person attributes a supplement can join on.
const (
	JoinKeyPersonID               JoinKey = "PersonID"
	JoinKeyCivicNo                JoinKey = "CivicNo"
	JoinKeyEduPersonPrincipalName JoinKey = "EduPersonPrincipalName"
	JoinKeyEmail                  JoinKey = "Email"
	JoinKeyExternalIdentifier     JoinKey = "ExternalIdentifier"
)

// Fold is the form of a value of k that joins compare: e-mail-like keys
// (Email, EduPersonPrincipalName) lower-cased, as mail systems compare
// addresses; others as they are.
func (k JoinKey) Fold(v string) string {
	if k == JoinKeyEduPersonPrincipalName || k == JoinKeyEmail {
		return strings.ToLower(v)
	}
	return v
}

// LDAPSource reads attributes from a directory such as Active Directory
// (or the AD that MIM writes to), to supplement the people of the primary
// register: one entry per person, found by its join attribute.
// +kubebuilder:validation:XValidation:rule="self.attributes.all(k, k in ['eduPersonPrincipalName', 'email', 'externalIdentifier'])",message="attributes keys must be eduPersonPrincipalName, email or externalIdentifier"
type LDAPSource struct {
	// URL of the directory: ldaps://host:636, or ldap://host:389, on which
	// StartTLS is required. There is no unencrypted LDAP: bind passwords,
	// civic numbers and addresses travel over TLS only.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^ldaps?://[^/?#]+$`
	URL string `json:"url"`
	// BindSecretRef names a Secret with the keys username (the bind DN, or
	// for Active Directory a user principal name such as
	// svc-elevsynk@exempelstad.se) and password, for a simple bind.
	BindSecretRef SecretReference `json:"bindSecretRef"`
	// CASecretRef names a Secret whose key ca.crt holds the PEM
	// certificates to trust for the directory, when it is not signed by a
	// public CA (an enterprise CA, as most domain controllers use).
	// +optional
	CASecretRef *SecretReference `json:"caSecretRef,omitempty"`
	// BaseDN to search under (subtree), e.g. OU=Elever,DC=exempelstad,DC=se.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	BaseDN string `json:"baseDN"`
	// Filter for the people to read, an RFC 4515 filter.
	// Default: (objectClass=user).
	// +kubebuilder:default="(objectClass=user)"
	// +kubebuilder:validation:MaxLength=4096
	// +optional
	Filter string `json:"filter,omitempty"`
	// PageSize is the number of entries asked for per page (RFC 2696 paged
	// results). Active Directory returns at most 1000 a page (MaxPageSize).
	// Default: 1000.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	// +kubebuilder:default=1000
	// +optional
	PageSize int32 `json:"pageSize,omitempty"`
	// JoinAttribute is the directory attribute that holds the join key, e.g.
	// employeeID holding the civic number, or userPrincipalName holding the
	// register's eduPersonPrincipalName.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9-]*$`
	JoinAttribute string `json:"joinAttribute"`
	// JoinKey is the register attribute JoinAttribute matches. It is used
	// for this source instead of the Mapping's spec.joinKey. E-mail-like
	// keys (Email, EduPersonPrincipalName) compare case-insensitively.
	JoinKey JoinKey `json:"joinKey"`
	// Attributes maps register person attributes to the directory
	// attributes that supply them: eduPersonPrincipalName, email and
	// externalIdentifier, e.g. {email: mail, eduPersonPrincipalName:
	// userPrincipalName, externalIdentifier: sAMAccountName}. An external
	// identifier's context is the directory attribute's name, so a
	// Mapping's accountKey {attribute: ExternalIdentifier, context:
	// sAMAccountName} picks it.
	// +kubebuilder:validation:MinProperties=1
	// +kubebuilder:validation:MaxProperties=3
	// +kubebuilder:validation:XValidation:rule="self.all(k, self[k].matches('^[A-Za-z][A-Za-z0-9-]*$'))",message="attributes values must be directory attribute names, e.g. mail"
	Attributes map[string]string `json:"attributes"`
	// Precedence says whose value comes first when both the register and
	// the directory give a person an attribute; the first is the one a
	// Mapping's accountKey picks. Register keeps the register's values
	// first and adds the directory's after them; Directory puts the
	// directory's first, for organisers whose accounts are made from the
	// directory.
	// Default: Register.
	// +kubebuilder:validation:Enum=Register;Directory
	// +kubebuilder:default=Register
	// +optional
	Precedence Precedence `json:"precedence,omitempty"`
}

// Precedence is whose attribute values come first in a join.
type Precedence string

// The precedences.
const (
	PrecedenceRegister  Precedence = "Register"
	PrecedenceDirectory Precedence = "Directory"
)

// ManualSource holds groups written by hand.
type ManualSource struct {
	// Groups written by hand.
	// +listType=map
	// +listMapKey=id
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=1000
	Groups []ManualGroup `json:"groups"`
}

// ManualGroup is a group written by hand.
type ManualGroup struct {
	// ID is the group's stable identity; room keys derive from it, so a
	// rename of displayName renames the room instead of replacing it.
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	ID string `json:"id"`
	// DisplayName of the group.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	DisplayName string `json:"displayName"`
	// SchoolUnitCode ties the group to a school unit, when it belongs to one.
	// +kubebuilder:validation:Pattern=`^[0-9]{8}$`
	// +optional
	SchoolUnitCode string `json:"schoolUnitCode,omitempty"`
	// Owners by account key.
	// +listType=set
	// +optional
	Owners []string `json:"owners,omitempty"`
	// Members by account key.
	// +listType=set
	// +optional
	Members []string `json:"members,omitempty"`
}

// RegisterSourceStatus is what the last fetches found.
type RegisterSourceStatus struct {
	ReconcileStatus `json:",inline"`

	// Counts of the last good snapshot.
	// +optional
	Counts *RegisterCounts `json:"counts,omitempty"`

	// ContentHash of the last good snapshot, sha256; it changes when the
	// register does and only then.
	// +optional
	ContentHash string `json:"contentHash,omitempty"`

	// LastSuccessTime is when the last good snapshot was fetched.
	// +optional
	LastSuccessTime *metav1.Time `json:"lastSuccessTime,omitempty"`
	// LastAttemptTime is when the last fetch began, good or not.
	// +optional
	LastAttemptTime *metav1.Time `json:"lastAttemptTime,omitempty"`
	// LastFullSyncTime is when the whole register was last read.
	// +optional
	LastFullSyncTime *metav1.Time `json:"lastFullSyncTime,omitempty"`

	// LastHandledApproval is the value of the elevsynk.io/approve-snapshot
	// annotation last acted on, whether or not it matched the snapshot. A
	// new value makes the source fetch at once; one left on does not.
	// +optional
	LastHandledApproval string `json:"lastHandledApproval,omitempty"`

	// Findings are data-quality problems in the last good snapshot, counted
	// by kind (people without a usable account key, duplicate ids, groups
	// with no teacher, dangling references). Never who they concern.
	// +listType=map
	// +listMapKey=reason
	// +optional
	Findings []ReasonCount `json:"findings,omitempty"`
}

// RegisterCounts counts a register snapshot.
type RegisterCounts struct {
	// Organisations, school units included.
	// +optional
	Organisations int32 `json:"organisations,omitempty"`
	// SchoolUnits among them.
	// +optional
	SchoolUnits int32 `json:"schoolUnits,omitempty"`
	// Persons of every kind.
	// +optional
	Persons int32 `json:"persons,omitempty"`
	// Students: persons with an enrolment.
	// +optional
	Students int32 `json:"students,omitempty"`
	// Staff: persons with a duty.
	// +optional
	Staff int32 `json:"staff,omitempty"`
	// Groups of every type.
	// +optional
	Groups int32 `json:"groups,omitempty"`
	// Duties.
	// +optional
	Duties int32 `json:"duties,omitempty"`
	// Activities.
	// +optional
	Activities int32 `json:"activities,omitempty"`
	// Syllabuses.
	// +optional
	Syllabuses int32 `json:"syllabuses,omitempty"`
	// Memberships: group memberships.
	// +optional
	Memberships int32 `json:"memberships,omitempty"`
	// Teachers: teacher assignments of activities.
	// +optional
	Teachers int32 `json:"teachers,omitempty"`
}

// RegisterSource is one student register, or a supplement to one.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=elevsynk,shortName=rs
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Persons",type=integer,JSONPath=`.status.counts.persons`
// +kubebuilder:printcolumn:name="Groups",type=integer,JSONPath=`.status.counts.groups`
// +kubebuilder:printcolumn:name="Activities",type=integer,JSONPath=`.status.counts.activities`
// +kubebuilder:printcolumn:name="Last Success",type=date,JSONPath=`.status.lastSuccessTime`
// +kubebuilder:printcolumn:name="Status",type=string,priority=1,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type RegisterSource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says where the register is read from.
	Spec RegisterSourceSpec `json:"spec"`
	// Status is what the last fetches found.
	// +optional
	Status RegisterSourceStatus `json:"status,omitempty"`
}

// RegisterSourceList is a list of RegisterSources.
// +kubebuilder:object:root=true
type RegisterSourceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []RegisterSource `json:"items"`
}
