package fileget

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/sandbox/sftpd"
)

func files(t *testing.T, e *Export) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(e.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(e.FS, p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func zipOf(t *testing.T, content map[string]string) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, c := range content {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(c))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "users.csv"), "sourcedId\n1\n")
	write(t, filepath.Join(dir, "orgs.csv"), "sourcedId\n")
	write(t, filepath.Join(dir, ".hidden"), "x")
	write(t, filepath.Join(dir, "classes.csv.part"), "half")
	l := Local{Path: dir}
	e, err := l.Get(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, e); len(got) != 4 || got["users.csv"] != "sourcedId\n1\n" {
		t.Errorf("files %v", got)
	}
	if err := e.Verify(); err != nil {
		t.Errorf("an untouched export fails Verify: %v", err)
	}
	again, err := l.Get(context.Background(), e.Version)
	if err != nil || !again.Unchanged || again.FS != nil {
		t.Fatalf("the same listing is not Unchanged: %+v %v", again, err)
	}
	// A temporary file the tool is still writing is not part of the
	// listing; a real file that changes is.
	write(t, filepath.Join(dir, "classes.csv.part"), "half and more")
	if e2, _ := l.Get(context.Background(), e.Version); !e2.Unchanged {
		t.Error("a .part file changed the version")
	}
	write(t, filepath.Join(dir, "users.csv"), "sourcedId\n1\n2\n")
	if err := e.Verify(); !errors.As(err, new(*ChangedError)) {
		t.Errorf("a file changed while read: Verify = %v, want ChangedError", err)
	}
	e3, err := l.Get(context.Background(), e.Version)
	if err != nil || e3.Unchanged {
		t.Errorf("a changed file is Unchanged: %v", err)
	}

	// A zip file is opened as its files; any other file is one file.
	zf := filepath.Join(dir, "bundle.zip")
	os.WriteFile(zf, zipOf(t, map[string]string{"manifest.csv": "propertyName,value\n"}), 0o600)
	ez, err := Local{Path: zf}.Get(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer ez.Close()
	if got := files(t, ez); got["manifest.csv"] != "propertyName,value\n" {
		t.Errorf("zip files %v", got)
	}
	ef, err := Local{Path: filepath.Join(dir, "orgs.csv")}.Get(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, ef); len(got) != 1 || got["orgs.csv"] != "sourcedId\n" {
		t.Errorf("single file %v", got)
	}
	if matches, _ := fs.Glob(ef.FS, "*.csv"); len(matches) != 1 {
		t.Errorf("Glob over a single file found %v", matches)
	}
	if _, err := (Local{Path: filepath.Join(dir, "missing")}).Get(context.Background(), ""); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing path: %v", err)
	}
}

// export is a test server of one export file with an ETag, counting what
// it is sent.
type export struct {
	body     []byte
	etag     bool
	fail     []int // statuses to answer first, one per request
	requests atomic.Int64
	auth     atomic.Value
}

func (x *export) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := x.requests.Add(1)
	x.auth.Store(r.Header.Get("Authorization"))
	if int(n) <= len(x.fail) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(x.fail[n-1])
		return
	}
	if x.etag {
		// RFC 9110 §13.1.2: If-None-Match with the current entity tag.
		tag := `"v` + strconv.Itoa(len(x.body)) + `"`
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", tag)
	}
	w.Write(x.body)
}

var fast = retry.Policy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}

func TestHTTP(t *testing.T) {
	xml := []byte("<enterprise/>")
	tests := []struct {
		name         string
		x            *export
		since        func(first *Export) string
		wantErr      string
		wantRequests int64
		unchanged    bool
	}{
		{"a 304 is unchanged", &export{body: xml, etag: true}, func(e *Export) string { return e.Version }, "", 2, true},
		{"no ETag: the same content is unchanged", &export{body: xml}, func(e *Export) string { return e.Version }, "", 2, true},
		{"a 503 then the export: retried once", &export{body: xml, fail: []int{503}}, nil, "", 2, false},
		{"429 three times: gives up after three", &export{body: xml, fail: []int{429, 429, 429}}, nil, "429", 3, false},
		{"401: not retried", &export{body: xml, fail: []int{401}}, nil, "check the auth Secret", 1, false},
		{"404: not retried", &export{body: xml, fail: []int{404}}, nil, "check the url", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewTLSServer(tt.x)
			defer srv.Close()
			h := HTTP{URL: srv.URL + "/export/organisation.xml?token=secret", Client: srv.Client(), Retry: fast,
				Header: http.Header{"Authorization": {"Bearer t0k"}}, TempDir: t.TempDir()}
			e, err := h.Get(context.Background(), "")
			if tt.since != nil {
				if err != nil {
					t.Fatal(err)
				}
				e.Close()
				e, err = h.Get(context.Background(), tt.since(e))
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("the error %q shows the URL's query", err)
				}
			} else if err != nil {
				t.Fatal(err)
			} else {
				defer e.Close()
				if e.Unchanged != tt.unchanged {
					t.Errorf("Unchanged = %t", e.Unchanged)
				}
				if !e.Unchanged {
					if got := files(t, e); got["organisation.xml"] != string(xml) {
						t.Errorf("files %v", got)
					}
				}
			}
			if n := tt.x.requests.Load(); n != tt.wantRequests {
				t.Errorf("%d requests, want %d", n, tt.wantRequests)
			}
			if a := tt.x.auth.Load(); a != "Bearer t0k" {
				t.Errorf("Authorization %q", a)
			}
		})
	}
}

// TestHTTPCutShort: a body shorter than its Content-Length (an export
// still being written, a dropped connection) is an error, and no file is
// left behind.
func TestHTTPCutShort(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("<enterprise><person>"))
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	tmp := t.TempDir()
	_, err := HTTP{URL: srv.URL + "/e.xml", Client: srv.Client(), Retry: retry.Policy{MaxAttempts: 1}, TempDir: tmp}.Get(context.Background(), "")
	if err == nil || !strings.Contains(err.Error(), "broke off") {
		t.Fatalf("err %v, want the download broke off", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left %d files behind", len(left))
	}
}

func TestHTTPZip(t *testing.T) {
	body := zipOf(t, map[string]string{"users.csv": "sourcedId\n", "manifest.csv": "propertyName,value\n"})
	srv := httptest.NewTLSServer(&export{body: body, etag: true})
	defer srv.Close()
	e, err := HTTP{URL: srv.URL + "/roster.zip", Client: srv.Client()}.Get(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if got := files(t, e); len(got) != 2 || got["users.csv"] != "sourcedId\n" {
		t.Errorf("files %v", got)
	}
}

func TestSFTP(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "organisation.xml"), "<enterprise/>")
	write(t, filepath.Join(dir, "delta.xml"), "<enterprise/>")
	srv, err := sftpd.Start("127.0.0.1:0", dir, "export")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host, port, _ := net.SplitHostPort(srv.Addr())
	p, _ := strconv.Atoi(port)
	signer, err := ssh.ParsePrivateKey(sftpd.ClientKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseHostKeys([]string{sftpd.HostKey()})
	if err != nil {
		t.Fatal(err)
	}
	s := SFTP{Host: host, Port: p, User: "export", Path: "/", Signer: signer, HostKeys: keys, Field: "spec.imsEnterprise.sftp.hostKeys", TempDir: t.TempDir()}
	e, err := s.Get(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, e); len(got) != 2 || got["organisation.xml"] != "<enterprise/>" {
		t.Errorf("files %v", got)
	}
	e.Close()
	again, err := s.Get(context.Background(), e.Version)
	if err != nil || !again.Unchanged {
		t.Fatalf("the same listing is not Unchanged: %v", err)
	}
	if srv.Reads() != 2 {
		t.Errorf("%d files read, want 2: an unchanged export is not downloaded again", srv.Reads())
	}

	one := s
	one.Path = "/organisation.xml"
	e1, err := one.Get(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, e1); len(got) != 1 {
		t.Errorf("single file: %v", got)
	}
	e1.Close()

	other, _, _, _, _ := ssh.ParseAuthorizedKey([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEGv1IzYbXsxhbsuv4U2bbHO6TPKqyLLJtuvQSNLnq7L"))
	wrongKey := s
	wrongKey.HostKeys = []ssh.PublicKey{other}
	if _, err := wrongKey.Get(context.Background(), ""); !errors.As(err, new(*HostKeyError)) || !strings.Contains(err.Error(), "spec.imsEnterprise.sftp.hostKeys") {
		t.Errorf("an unpinned host key: %v", err)
	}
	wrongUser := s
	wrongUser.User = "someone"
	if _, err := wrongUser.Get(context.Background(), ""); !errors.As(err, new(*AuthError)) {
		t.Errorf("a refused user: %v", err)
	}
	missing := s
	missing.Path = "/nothing.xml"
	if _, err := missing.Get(context.Background(), ""); err == nil {
		t.Error("a missing path is no error")
	}
	var ke *KeyError
	if _, err := ParseHostKeys([]string{sftpd.HostKey(), "ssh-ed25519 notbase64"}); !errors.As(err, &ke) || ke.Index != 1 {
		t.Errorf("a bad host key line: %v", err)
	}
}
