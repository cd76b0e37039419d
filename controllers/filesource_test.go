package controllers_test

import (
	"bytes"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/imsexport"
	"github.com/elevsynk/elevsynk/internal/sandbox/sftpd"
	"github.com/elevsynk/elevsynk/internal/source"
	"github.com/elevsynk/elevsynk/internal/source/export"
	"github.com/elevsynk/elevsynk/internal/source/imsxml"
)

// imsExport writes snap as organisation.xml in dir and returns the
// snapshot's hash as the reader sees it.
func imsExport(t *testing.T, dir string, snap *roster.Snapshot) string {
	t.Helper()
	var buf bytes.Buffer
	if err := imsexport.Write(&buf, snap); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "organisation.xml"), buf.Bytes())
	st, err := imsxml.Read(bytes.NewReader(buf.Bytes()), "organisation.xml", export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st.Snapshot().Hash()
}

// writeFile replaces path's content the way an export tool should: a
// temporary name first, then a rename.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path+".tmp", data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
}

func sftpSource(ns, addr string, hostKey string) *elevsynkv1.RegisterSource {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "alvis"},
		Spec: elevsynkv1.RegisterSourceSpec{IMSEnterprise: &elevsynkv1.FileSource{SFTP: &elevsynkv1.SFTPLocation{
			Host: host, Port: int32(p), User: "export", Path: "/", SecretRef: elevsynkv1.SecretReference{Name: "sftp"},
			HostKeys: []string{hostKey}}}}}
}

func sftpKey(ns string) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "sftp"}, Type: corev1.SecretTypeSSHAuth,
		Data: map[string][]byte{corev1.SSHAuthPrivateKey: sftpd.ClientKeyPEM()}}
}

// TestIMSExportOverSFTP: an IMS export on an SFTP server is fetched and
// counted; an unchanged export is not downloaded again; a file cut short
// and a shrunk export keep the last good snapshot.
func TestIMSExportOverSFTP(t *testing.T) {
	ns := newNamespace(t)
	dir := t.TempDir()
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 11, Pupils: 300})
	hash := imsExport(t, dir, snap)
	srv, err := sftpd.Start("127.0.0.1:0", dir, "export")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	create(t, tenant(ns, "exempelstad"))
	create(t, sftpKey(ns))
	src := sftpSource(ns, srv.Addr(), sftpd.HostKey())
	create(t, src)

	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
	if src.Status.ContentHash != hash {
		t.Fatalf("content hash %s, want the export's %s", src.Status.ContentHash, hash)
	}
	want := snap.Counts(roster.DateOf(src.Status.LastSuccessTime.Time))
	if c := src.Status.Counts; int(c.Persons) != want.Persons || int(c.Groups) != want.Groups || int(c.SchoolUnits) != want.SchoolUnits {
		t.Errorf("counts %+v, want %+v", c, want)
	}
	reads := srv.Reads()

	// Nothing changed on the server: the next fetch lists it and reads nothing.
	fetchAgain(t, src)
	if srv.Reads() != reads {
		t.Errorf("an unchanged export was downloaded again: %d reads, then %d", reads, srv.Reads())
	}

	// The export tool dies halfway through writing: the snapshot stays.
	data, _ := os.ReadFile(filepath.Join(dir, "organisation.xml"))
	writeFile(t, filepath.Join(dir, "organisation.xml"), data[:len(data)/2])
	requestReconcile(t, src, nil)
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonFetchFailed)
	if msg := readyMessage(src); !strings.Contains(msg, "organisation.xml") || !strings.Contains(msg, "cut short") {
		t.Errorf("message %q does not name the file and say it is cut short", msg)
	}
	if src.Status.ContentHash != hash {
		t.Error("a cut-short export replaced the last good snapshot")
	}

	// Half the groups gone: the source guard holds, as for the API.
	shrunk := *snap
	shrunk.Groups = snap.Groups[:len(snap.Groups)/2]
	imsExport(t, dir, &shrunk)
	requestReconcile(t, src, nil)
	waitForCondition(t, src, elevsynkv1.ConditionStalled, metav1.ConditionTrue, source.ReasonRegisterShrank)
	if src.Status.ContentHash != hash {
		t.Error("a shrunk export replaced the last good snapshot")
	}
}

// TestFileSourceStalls: what only a person can fix stalls with a reason
// that says what to do.
func TestFileSourceStalls(t *testing.T) {
	dir := t.TempDir()
	srv, err := sftpd.Start("127.0.0.1:0", dir, "export")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	otherKey := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEGv1IzYbXsxhbsuv4U2bbHO6TPKqyLLJtuvQSNLnq7L"
	// An export server that refuses the token.
	refusing := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(refusing.Close)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: refusing.Certificate().Raw})
	oneRoster := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Name: "oneroster"},
		Spec: elevsynkv1.RegisterSourceSpec{OneRoster: &elevsynkv1.FileSource{URL: refusing.URL + "/roster.zip",
			Auth:        &elevsynkv1.HTTPAuth{BearerTokenSecretRef: &elevsynkv1.SecretReference{Name: "export-token"}},
			CASecretRef: &elevsynkv1.SecretReference{Name: "export-ca"}}}}
	badMapping := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Name: "adela"},
		Spec: elevsynkv1.RegisterSourceSpec{CSV: &elevsynkv1.CSVSource{FileSource: elevsynkv1.FileSource{Path: dir},
			Persons: elevsynkv1.CSVFile{Name: "elever.csv", Columns: map[string]string{"id": "Id", "givenName": "Förnamn", "shoeSize": "Skostorlek"}}}}}
	tests := []struct {
		name   string
		src    *elevsynkv1.RegisterSource
		reason string
		text   string
	}{
		{"a host key not pinned", sftpSource("", srv.Addr(), otherKey), controllers.ReasonHostKeyMismatch, "spec.imsEnterprise.sftp.hostKeys"},
		{"a column mapping with an unknown field", badMapping, elevsynkv1.ReasonInvalidSpec, "spec.csv.persons.columns"},
		{"an export server that refuses the token", oneRoster, controllers.ReasonAuthenticationFailed, "401 Unauthorized: check the auth Secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := newNamespace(t)
			create(t, tenant(ns, "exempelstad"))
			create(t, sftpKey(ns))
			create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "export-token"}, StringData: map[string]string{"token": "t0ken"}})
			create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "export-ca"}, Data: map[string][]byte{"ca.crt": caPEM}})
			tt.src.Namespace = ns
			create(t, tt.src)
			waitForCondition(t, tt.src, elevsynkv1.ConditionStalled, metav1.ConditionTrue, tt.reason)
			if msg := readyMessage(tt.src); !strings.Contains(msg, tt.text) || strings.Contains(msg, "t0ken") {
				t.Errorf("message %q does not say %s, or shows the token", msg, tt.text)
			}
		})
	}
}
