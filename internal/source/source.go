// Package source turns a RegisterSource spec into a Fetcher and guards what
// it fetches. The per-format packages below it (ss12000, ...) talk to the
// outside world; this package knows nothing of Kubernetes beyond the spec.
package source

import (
	"context"
	"errors"
	"fmt"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/unikum"
)

// Fetcher reads one register.
type Fetcher interface {
	// Fetch reads the register. With a previous result and full false it may
	// read only what changed since; prev is never modified.
	Fetch(ctx context.Context, prev *Result, full bool) (*Result, error)
}

// Result is one fetched register, or one fetched supplement to a
// register: exactly one of Snapshot, Directory (an LDAP directory's
// people) and Groups (groups kept by hand in a Target's directory) is set.
type Result struct {
	Snapshot  *roster.Snapshot
	Directory *roster.Directory
	Groups    []elevsynkv1.ManualGroup
	Full      bool      // the whole register was read
	Started   time.Time // when the fetch began, by the fetcher's clock
	Requests  int       // API requests it took
	// Unchanged says the register is as the previous Result had it, and
	// Snapshot is that Result's: its hash and findings stand, and nothing
	// needs normalising, hashing or checking again.
	Unchanged bool

	// resume is the format's own state for the next incremental fetch.
	resume any
}

// Hash is the content hash of what was fetched; it changes when the
// register or directory does and only then.
func (r *Result) Hash() string {
	switch {
	case r.Directory != nil:
		return r.Directory.Hash()
	case r.Groups != nil:
		return groupsHash(r.Groups)
	}
	return r.Snapshot.Hash()
}

// Counts counts what was fetched on a day: a directory's entries count as
// persons, a group's owners and members as memberships.
func (r *Result) Counts(on roster.Date) roster.Counts {
	switch {
	case r.Directory != nil:
		return roster.Counts{Persons: len(r.Directory.Entries)}
	case r.Groups != nil:
		c := roster.Counts{Groups: len(r.Groups)}
		for _, g := range r.Groups {
			c.Memberships += len(g.Owners) + len(g.Members)
		}
		return c
	}
	return r.Snapshot.Counts(on)
}

// Findings are the data-quality problems of what was fetched, by kind.
func (r *Result) Findings() []roster.KindCount {
	switch {
	case r.Directory != nil:
		return r.Directory.Findings()
	case r.Groups != nil:
		return nil
	}
	return roster.Validate(r.Snapshot).Summary()
}

// Guard decides whether the result may replace one with counts prev (nil
// when there is none): Guard for a register, GuardDirectory for a
// directory, GuardGroups for groups.
func (r *Result) Guard(prev *roster.Counts, on roster.Date, maxShrinkPercent int) error {
	switch {
	case r.Directory != nil:
		return GuardDirectory(prev, r.Directory, maxShrinkPercent)
	case r.Groups != nil:
		return GuardGroups(prev, r.Counts(on), maxShrinkPercent)
	}
	return Guard(prev, r.Snapshot.Counts(on), maxShrinkPercent)
}

// Secrets returns the data of a Secret in the source's namespace.
type Secrets func(ctx context.Context, name string) (map[string][]byte, error)

// ErrNothingToFetch is a manual source: its groups are in its spec.
var ErrNothingToFetch = errors.New("spec.manual: the groups are written in the spec; there is nothing to fetch")

// New returns the Fetcher for src, reading credentials through secrets
// and, for directory groups, the Target's directory through readers.
// Its endpoints must be https, unless src is an annotated loopback
// sandbox (CheckEndpoints).
func New(ctx context.Context, src *elevsynkv1.RegisterSource, secrets Secrets, readers GroupReaders) (Fetcher, error) {
	if errs := CheckEndpoints(src); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	spec := &src.Spec
	sandbox := elevsynkv1.IsSandbox(src)
	switch {
	case spec.SS12000 != nil:
		return newSS12000(ctx, spec.SS12000, secrets, sandbox)
	case spec.IMSEnterprise != nil:
		return newFile(ctx, "spec.imsEnterprise", spec.IMSEnterprise, secrets, sandbox, readIMS(spec.IMSEnterprise.Encoding))
	case spec.OneRoster != nil:
		return newFile(ctx, "spec.oneRoster", spec.OneRoster, secrets, sandbox, readOneRoster(spec.OneRoster.Encoding))
	case spec.SchoolSoft != nil:
		return newFile(ctx, "spec.schoolSoft", &spec.SchoolSoft.FileSource, secrets, sandbox, readSchoolSoft(spec.SchoolSoft))
	case spec.Unikum != nil:
		key, err := secretKeys(ctx, secrets, spec.Unikum.IDKeySecretRef.Name, "idKey")
		if err != nil {
			return nil, err
		}
		if len(key["idKey"]) < unikum.MinKeyLen {
			return nil, &InvalidSpecError{Field: "spec.unikum.idKeySecretRef", Err: fmt.Errorf("the Secret %q key idKey is %d bytes; it must be at least %d (openssl rand 32 > idKey)",
				spec.Unikum.IDKeySecretRef.Name, len(key["idKey"]), unikum.MinKeyLen)}
		}
		return newFile(ctx, "spec.unikum", &spec.Unikum.FileSource, secrets, sandbox, readUnikum(spec.Unikum.Encoding, key["idKey"]))
	case spec.CSV != nil:
		c, err := csvConfig(spec.CSV)
		if err != nil {
			return nil, err
		}
		return newFile(ctx, "spec.csv", &spec.CSV.FileSource, secrets, sandbox, readCSV(c))
	case spec.LDAP != nil:
		return newLDAP(ctx, spec.LDAP, secrets)
	case spec.Manual != nil:
		return nil, ErrNothingToFetch
	case spec.DirectoryGroups != nil:
		return newDirectoryGroups(ctx, spec.DirectoryGroups, readers)
	}
	return nil, errors.New("the spec names no source kind")
}

// CheckEndpoints refuses each plain http URL of src, naming its field,
// unless src carries elevsynkv1.SandboxAnnotation and the URL is on a
// loopback host (internal/endpoint). An LDAP URL needs no check here:
// the reader encrypts every connection (ldaps, or StartTLS required);
// neither does SFTP, which is SSH.
func CheckEndpoints(src *elevsynkv1.RegisterSource) []error {
	var urls [][2]string
	if s := src.Spec.SS12000; s != nil {
		urls = append(urls, [2]string{"spec.ss12000.url", s.URL})
		if s.Auth.OAuth2 != nil {
			urls = append(urls, [2]string{"spec.ss12000.auth.oauth2.tokenURL", s.Auth.OAuth2.TokenURL})
		}
	}
	for field, f := range fileSources(&src.Spec) {
		if f.URL != "" {
			urls = append(urls, [2]string{field + ".url", f.URL})
		}
	}
	var errs []error
	for _, u := range urls {
		if err := endpoint.Check(u[0], u[1], elevsynkv1.IsSandbox(src)); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// fileSources are spec's file export locations by field.
func fileSources(spec *elevsynkv1.RegisterSourceSpec) map[string]*elevsynkv1.FileSource {
	out := map[string]*elevsynkv1.FileSource{}
	if spec.IMSEnterprise != nil {
		out["spec.imsEnterprise"] = spec.IMSEnterprise
	}
	if spec.OneRoster != nil {
		out["spec.oneRoster"] = spec.OneRoster
	}
	if spec.SchoolSoft != nil {
		out["spec.schoolSoft"] = &spec.SchoolSoft.FileSource
	}
	if spec.Unikum != nil {
		out["spec.unikum"] = &spec.Unikum.FileSource
	}
	if spec.CSV != nil {
		out["spec.csv"] = &spec.CSV.FileSource
	}
	return out
}

// secretKeys reads a Secret and checks it has every key, naming the missing
// ones (never the values).
func secretKeys(ctx context.Context, secrets Secrets, name string, keys ...string) (map[string][]byte, error) {
	data, err := secrets(ctx, name)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, k := range keys {
		if len(data[k]) == 0 {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &SecretError{Name: name, Missing: missing}
	}
	return data, nil
}

// caPEM is the key ca.crt of the Secret ref names, the certificates to
// trust for a server not signed by a public CA; nil without a ref.
func caPEM(ctx context.Context, secrets Secrets, ref *elevsynkv1.SecretReference) ([]byte, error) {
	if ref == nil {
		return nil, nil
	}
	data, err := secretKeys(ctx, secrets, ref.Name, "ca.crt")
	if err != nil {
		return nil, err
	}
	return data["ca.crt"], nil
}

// SecretError is a Secret that lacks keys the spec needs.
type SecretError struct {
	Name    string
	Missing []string
}

func (e *SecretError) Error() string {
	return fmt.Sprintf("Secret %q has no %v", e.Name, e.Missing)
}
