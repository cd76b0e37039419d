package v1alpha1

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SecurityMarking is the SS 12000 Person.securityMarking value, copied from
// the population register.
// +kubebuilder:validation:Enum=Ingen;Sekretessmarkering;Skyddad folkbokföring
type SecurityMarking string

// The SS 12000 v2.1 securityMarking values.
const (
	SecurityMarkingNone         SecurityMarking = "Ingen"
	SecurityMarkingConfidential SecurityMarking = "Sekretessmarkering"
	SecurityMarkingProtected    SecurityMarking = "Skyddad folkbokföring"
)

// TenantSpec holds what every object in the namespace shares.
type TenantSpec struct {
	// DisplayName is the organiser's name as people know it, e.g. "Exempelstads kommun".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	DisplayName string `json:"displayName"`

	// Calendar is the school-year calendar: terms and the yearly rollover.
	// +optional
	Calendar *SchoolCalendar `json:"calendar,omitempty"`

	// TimeZone is the IANA time zone the tenant's dates follow: the day
	// membership windows open and close, archive dates, and the midnight a
	// Mapping evaluates its rules again. The default is Europe/Stockholm.
	// +kubebuilder:default="Europe/Stockholm"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$`
	// +optional
	TimeZone string `json:"timeZone,omitempty"`

	// Privacy holds who is left out of every room.
	// +kubebuilder:default={}
	// +optional
	Privacy Privacy `json:"privacy,omitempty"`

	// Safety holds the defaults of the safety rails; a Target may tighten them.
	// +kubebuilder:default={}
	// +optional
	Safety SafetyDefaults `json:"safety,omitempty"`

	// Suspend stops every write to every target of this tenant. Sources are
	// still read and drift is still reported.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// DefaultTimeZone is the time zone of a Tenant that names none.
const DefaultTimeZone = "Europe/Stockholm"

// Location is the tenant's time zone. The binaries embed the time zone
// database (time/tzdata), so this works in a distroless image too.
func (s TenantSpec) Location() (*time.Location, error) {
	name := s.TimeZone
	if name == "" {
		name = DefaultTimeZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("spec.timeZone: %q is not an IANA time zone such as Europe/Stockholm", name)
	}
	return loc, nil
}

// SchoolCalendar is the organiser's school year.
type SchoolCalendar struct {
	// Terms of the school year(s), e.g. HT25 and VT26. Names are used in
	// room-name templates.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=16
	// +optional
	Terms []Term `json:"terms,omitempty"`

	// Rollover is the month and day, as MM-DD, when a new school year begins
	// for naming purposes, e.g. "07-01".
	// Default: 07-01.
	// +kubebuilder:validation:Pattern=`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	// +kubebuilder:default="07-01"
	// +optional
	Rollover string `json:"rollover,omitempty"`
}

// Term is one term of a school year.
// +kubebuilder:validation:XValidation:rule="self.end > self.start",message="a term's end date must be after its start date"
type Term struct {
	// Name of the term, e.g. HT25.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	Name string `json:"name"`
	// Start date, YYYY-MM-DD.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	Start string `json:"start"`
	// End date, YYYY-MM-DD, inclusive.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	End string `json:"end"`
}

// Privacy says who is never placed in a room.
type Privacy struct {
	// ExcludedSecurityMarkings: people whose SS 12000 securityMarking is one of
	// these are left out of every room of the tenant. By default everyone
	// with a marking other than Ingen is excluded: Sekretessmarkering and
	// Skyddad folkbokföring. A Mapping may exclude more, never fewer.
	// +listType=set
	// +kubebuilder:default={"Sekretessmarkering","Skyddad folkbokföring"}
	// +optional
	ExcludedSecurityMarkings []SecurityMarking `json:"excludedSecurityMarkings,omitempty"`
}

// SafetyDefaults are the tenant-wide defaults of the safety rails.
type SafetyDefaults struct {
	// DeletionGuard is the default for Targets that set none.
	// +optional
	DeletionGuard *DeletionGuard `json:"deletionGuard,omitempty"`

	// MaxSourceShrinkPercent is the default for RegisterSources that set
	// none: a snapshot with this many percent fewer people or groups than the
	// last good one is not used. Default: 20.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=20
	// +optional
	MaxSourceShrinkPercent int32 `json:"maxSourceShrinkPercent,omitempty"`
}

// TenantStatus aggregates the tenant's objects.
type TenantStatus struct {
	ReconcileStatus `json:",inline"`

	// Sources counts RegisterSources, and how many are Ready.
	// +optional
	Sources ObjectCounts `json:"sources,omitempty"`
	// Mappings counts Mappings, and how many are Ready.
	// +optional
	Mappings ObjectCounts `json:"mappings,omitempty"`
	// Targets counts Targets, and how many are Ready.
	// +optional
	Targets ObjectCounts `json:"targets,omitempty"`

	// Rooms is the number of rooms the tenant's Targets manage.
	// +optional
	Rooms int32 `json:"rooms,omitempty"`
	// DriftedRooms is the number of those rooms that differ from the desired state.
	// +optional
	DriftedRooms int32 `json:"driftedRooms,omitempty"`
}

// ObjectCounts counts objects of one kind.
type ObjectCounts struct {
	// Total number of objects.
	// +optional
	Total int32 `json:"total,omitempty"`
	// Ready is how many have Ready=True.
	// +optional
	Ready int32 `json:"ready,omitempty"`
}

// Tenant is one school organiser: a municipality or an independent school
// organiser. A namespace holds exactly one; every other elevsynk object in
// the namespace belongs to it, and a second Tenant is refused in status.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=elevsynk
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Suspended",type=boolean,JSONPath=`.spec.suspend`
// +kubebuilder:printcolumn:name="Targets",type=integer,JSONPath=`.status.targets.total`
// +kubebuilder:printcolumn:name="Rooms",type=integer,JSONPath=`.status.rooms`
// +kubebuilder:printcolumn:name="Drifted",type=integer,JSONPath=`.status.driftedRooms`
// +kubebuilder:printcolumn:name="Status",type=string,priority=1,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Tenant struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the tenant's shared settings.
	Spec TenantSpec `json:"spec"`
	// Status is what the controller observed.
	// +optional
	Status TenantStatus `json:"status,omitempty"`
}

// TenantList is a list of Tenants.
// +kubebuilder:object:root=true
type TenantList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Tenant `json:"items"`
}
