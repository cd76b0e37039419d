package source

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/sandbox/loopbacktls"
	"github.com/elevsynk/elevsynk/internal/source/csvmap"
	"github.com/elevsynk/elevsynk/internal/source/export"
	"github.com/elevsynk/elevsynk/internal/source/fileget"
	"github.com/elevsynk/elevsynk/internal/source/imsxml"
	"github.com/elevsynk/elevsynk/internal/source/oneroster"
	"github.com/elevsynk/elevsynk/internal/source/schoolsoft"
	"github.com/elevsynk/elevsynk/internal/source/unikum"
)

// readExport reads an export's files into a snapshot, on top of the
// format's state from the last read (nil before the first), and returns
// its new state.
type readExport func(fsys fs.FS, prev any) (*roster.Snapshot, any, error)

// fileFetcher reads a register's file export.
type fileFetcher struct {
	get  fileget.Getter
	read readExport
}

// fileResume is what a file source keeps between fetches: the export's
// version, to skip an unchanged one, and the reader's state, for a Delta
// export to apply on.
type fileResume struct {
	version string
	state   any
}

func (f *fileFetcher) Fetch(ctx context.Context, prev *Result, full bool) (*Result, error) {
	started := time.Now()
	var last fileResume
	if prev != nil {
		last, _ = prev.resume.(fileResume)
	}
	since := last.version
	if full {
		since = ""
	}
	ex, err := f.get.Get(ctx, since)
	if err != nil {
		return nil, err
	}
	defer ex.Close()
	if ex.Unchanged && prev != nil {
		// The export is the one read last time: its snapshot stands.
		return &Result{Snapshot: prev.Snapshot, Full: true, Started: started, Requests: ex.Requests, Unchanged: true, resume: last}, nil
	}
	snap, state, err := f.read(ex.FS, last.state)
	if err != nil {
		return nil, err
	}
	if err := ex.Verify(); err != nil {
		return nil, err
	}
	return &Result{Snapshot: snap, Full: true, Started: started, Requests: ex.Requests,
		resume: fileResume{version: ex.Version, state: state}}, nil
}

// newFile is the Fetcher of a file export kind: where (spec), and how to
// read what is there.
func newFile(ctx context.Context, field string, spec *elevsynkv1.FileSource, secrets Secrets, sandbox bool, read readExport) (*fileFetcher, error) {
	get, err := getter(ctx, field, spec, secrets, sandbox)
	if err != nil {
		return nil, err
	}
	return &fileFetcher{get: get, read: read}, nil
}

// getter is the transport spec names, with its credentials.
func getter(ctx context.Context, field string, spec *elevsynkv1.FileSource, secrets Secrets, sandbox bool) (fileget.Getter, error) {
	switch {
	case spec.Path != "":
		return fileget.Local{Path: spec.Path}, nil
	case spec.SFTP != nil:
		s := spec.SFTP
		data, err := secretKeys(ctx, secrets, s.SecretRef.Name, "ssh-privatekey")
		if err != nil {
			return nil, err
		}
		signer, err := ssh.ParsePrivateKey(data["ssh-privatekey"])
		if err != nil {
			return nil, fmt.Errorf("the Secret %q key ssh-privatekey: not a private key in PEM or OpenSSH form (a key with a passphrase is not supported)", s.SecretRef.Name)
		}
		keys, err := hostKeys(field, s.HostKeys)
		if err != nil {
			return nil, err
		}
		return fileget.SFTP{Host: s.Host, Port: int(s.Port), User: s.User, Path: s.Path, Signer: signer,
			HostKeys: keys, Field: field + ".sftp.hostKeys"}, nil
	case spec.URL != "":
		return httpGetter(ctx, spec, secrets, sandbox)
	}
	return nil, &InvalidSpecError{Field: field, Err: errors.New("set one of url, sftp or path")}
}

func httpGetter(ctx context.Context, spec *elevsynkv1.FileSource, secrets Secrets, sandbox bool) (fileget.Getter, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	ca, err := caPEM(ctx, secrets, spec.CASecretRef)
	if err != nil {
		return nil, err
	}
	if ca != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			return nil, fmt.Errorf("the Secret %q key ca.crt: no PEM certificate", spec.CASecretRef.Name)
		}
		tlsConfig.RootCAs = pool
	} else if sandbox {
		// An annotated loopback sandbox serves the fixed sandbox certificate.
		tlsConfig.RootCAs = loopbacktls.Pool()
	}
	header := http.Header{}
	if a := spec.Auth; a != nil {
		switch {
		case a.BearerTokenSecretRef != nil:
			data, err := secretKeys(ctx, secrets, a.BearerTokenSecretRef.Name, "token")
			if err != nil {
				return nil, err
			}
			header.Set("Authorization", "Bearer "+string(data["token"]))
		case a.BasicAuthSecretRef != nil:
			data, err := secretKeys(ctx, secrets, a.BasicAuthSecretRef.Name, "username", "password")
			if err != nil {
				return nil, err
			}
			// RFC 7617 §2: the user-pass, base64.
			header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(string(data["username"])+":"+string(data["password"]))))
		case a.ClientCertificateSecretRef != nil:
			data, err := secretKeys(ctx, secrets, a.ClientCertificateSecretRef.Name, "tls.crt", "tls.key")
			if err != nil {
				return nil, err
			}
			cert, err := tls.X509KeyPair(data["tls.crt"], data["tls.key"])
			if err != nil {
				return nil, fmt.Errorf("the Secret %q: tls.crt and tls.key are not a certificate and its key", a.ClientCertificateSecretRef.Name)
			}
			tlsConfig.Certificates = []tls.Certificate{cert}
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsConfig
	return fileget.HTTP{URL: spec.URL, Client: &http.Client{Transport: tr}, Header: header}, nil
}

// InvalidSpecError is a spec the API server's checks let through that
// cannot be used.
type InvalidSpecError struct {
	Field string // e.g. spec.csv.persons.columns
	Err   error
}

func (e *InvalidSpecError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *InvalidSpecError) Unwrap() error { return e.Err }

// hostKeys parses the pinned keys of the SFTP location at field.
func hostKeys(field string, lines []string) ([]ssh.PublicKey, error) {
	keys, err := fileget.ParseHostKeys(lines)
	var ke *fileget.KeyError
	if errors.As(err, &ke) {
		return nil, &InvalidSpecError{Field: fmt.Sprintf("%s.sftp.hostKeys[%d]", field, ke.Index), Err: err}
	}
	return keys, err
}

// CheckSpec finds what the CRD's schema cannot: a column mapping with an
// unknown field, a host key that does not parse. `elevsynk validate` runs
// it offline; New refuses the same.
func CheckSpec(src *elevsynkv1.RegisterSource) []error {
	var errs []error
	if c := src.Spec.CSV; c != nil {
		if _, err := csvConfig(c); err != nil {
			errs = append(errs, err)
		}
	}
	for field, f := range fileSources(&src.Spec) {
		if f.SFTP != nil {
			if _, err := hostKeys(field, f.SFTP.HostKeys); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// readIMS reads the export's .xml files in name order: a Complete one
// replaces what came before, a Delta applies on top.
func readIMS(encoding string) readExport {
	return func(fsys fs.FS, prev any) (*roster.Snapshot, any, error) {
		st, _ := prev.(*imsxml.State)
		names, err := fs.Glob(fsys, "*.xml")
		if err != nil {
			return nil, nil, err
		}
		if len(names) == 0 {
			return nil, nil, errors.New("the export holds no .xml file")
		}
		slices.Sort(names)
		for _, name := range names {
			f, err := fsys.Open(name)
			if err != nil {
				return nil, nil, err
			}
			st, err = imsxml.Read(f, name, encoding, st)
			f.Close()
			if err != nil {
				return nil, nil, err
			}
		}
		return st.Snapshot(), st, nil
	}
}

func readOneRoster(encoding string) readExport {
	return func(fsys fs.FS, prev any) (*roster.Snapshot, any, error) {
		st, _ := prev.(*oneroster.State)
		st, err := oneroster.Read(fsys, encoding, st)
		if err != nil {
			return nil, nil, err
		}
		return st.Snapshot(), st, nil
	}
}

func readSchoolSoft(spec *elevsynkv1.SchoolSoftSource) readExport {
	school := roster.Organisation{ID: export.DerivedID("schoolsoft-school", spec.SchoolUnitCode), DisplayName: spec.SchoolName,
		Type: roster.OrganisationSkolenhet, SchoolUnitCode: spec.SchoolUnitCode}
	return func(fsys fs.FS, _ any) (*roster.Snapshot, any, error) {
		snap, err := schoolsoft.Read(fsys, spec.Encoding, schoolsoft.Options{School: school, Today: roster.DateOf(time.Now())})
		return snap, nil, err
	}
}

// csvConfig is spec.csv as csvmap takes it; its errors name spec fields.
func csvConfig(spec *elevsynkv1.CSVSource) (csvmap.Config, error) {
	delim, _ := utf8.DecodeRuneInString(spec.Delimiter)
	if spec.Delimiter == "" {
		delim = ','
	}
	file := func(f *elevsynkv1.CSVFile) *csvmap.File {
		if f == nil {
			return nil
		}
		return &csvmap.File{Name: f.Name, Columns: f.Columns, Values: f.Values}
	}
	c := csvmap.Config{Delimiter: delim, Encoding: spec.Encoding, Persons: *file(&spec.Persons),
		Schools: file(spec.Schools), Groups: file(spec.Groups), Memberships: file(spec.Memberships)}
	if err := c.Validate(); err != nil {
		var ce *csvmap.ConfigError
		if errors.As(err, &ce) {
			return c, &InvalidSpecError{Field: ce.Path, Err: errors.New(ce.Msg)}
		}
		return c, &InvalidSpecError{Field: "spec.csv", Err: err}
	}
	return c, nil
}

func readCSV(c csvmap.Config) readExport {
	return func(fsys fs.FS, _ any) (*roster.Snapshot, any, error) {
		c.Today = roster.DateOf(time.Now())
		snap, err := csvmap.Read(fsys, c)
		return snap, nil, err
	}
}

func readUnikum(encoding string, key []byte) readExport {
	return func(fsys fs.FS, _ any) (*roster.Snapshot, any, error) {
		snap, err := unikum.Read(fsys, encoding, unikum.Options{IDKey: key, Today: roster.DateOf(time.Now())})
		return snap, nil, err
	}
}
