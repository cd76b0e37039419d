package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/imsexport"
	"github.com/elevsynk/elevsynk/internal/sandbox/sftpd"
)

// The second tenant: an organiser whose register only exports files.
var (
	imsSourceKey = client.ObjectKey{Namespace: "norrby", Name: "register"}
	imsMapKey    = client.ObjectKey{Namespace: "norrby", Name: "skolor"}
	imsTargetKey = client.ObjectKey{Namespace: "norrby", Name: "rum"}
)

// exportServer is the second tenant's SFTP server, holding its register's
// IMS Enterprise export.
type exportServer struct {
	*sftpd.Server
	dir, file string
}

// startExportServer writes a generated municipality (seed+1, another
// organiser) as a Tieto-style IMS export and serves it over SFTP.
func startExportServer(seed int64, pupils int) (*exportServer, error) {
	dir, err := os.MkdirTemp("", "elevsynk-ims-")
	if err != nil {
		return nil, err
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: seed + 1, Pupils: pupils, Domain: "norrby.se",
		MunicipalityName: "Norrby", MunicipalityCode: "1298"})
	var buf bytes.Buffer
	if err := imsexport.Write(&buf, snap); err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "organisation.xml")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	srv, err := sftpd.Start("127.0.0.1:0", dir, "export")
	if err != nil {
		return nil, err
	}
	return &exportServer{Server: srv, dir: dir, file: file}, nil
}

func (e *exportServer) Close() error {
	err := e.Server.Close()
	os.RemoveAll(e.dir)
	return err
}

// imsStory applies the second tenant: its RegisterSource reads the IMS
// export from the SFTP server (host key pinned in the manifest), the
// sample Mapping makes its rooms, and a file Target writes them. Then the
// export tool breaks off halfway through a file, and the last good
// snapshot stays.
func (d *demo) imsStory(ctx context.Context, exp *exportServer, sampleMapping elevsynkv1.MappingSpec) error {
	d.step("A second organiser, Norrby, has a register that only exports files: a Tieto-style IMS Enterprise export on an SFTP server; its RegisterSource names the server and pins its host key")
	ns := imsSourceKey.Namespace
	host, port, _ := net.SplitHostPort(exp.Addr())
	p, _ := strconv.Atoi(port)
	out, err := os.MkdirTemp("", "elevsynk-norrby-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	objs := []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&elevsynkv1.Tenant{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "norrby"}, Spec: elevsynkv1.TenantSpec{DisplayName: "Norrby kommun"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "export-sftp"}, Type: corev1.SecretTypeSSHAuth,
			Data: map[string][]byte{corev1.SSHAuthPrivateKey: sftpd.ClientKeyPEM()}},
		&elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: imsSourceKey.Name},
			Spec: elevsynkv1.RegisterSourceSpec{IMSEnterprise: &elevsynkv1.FileSource{SFTP: &elevsynkv1.SFTPLocation{
				Host: host, Port: int32(p), User: "export", Path: "/", SecretRef: elevsynkv1.SecretReference{Name: "export-sftp"},
				HostKeys: []string{sftpd.HostKey()}}}}},
		&elevsynkv1.Mapping{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: imsMapKey.Name}, Spec: sampleMapping},
		&elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: imsTargetKey.Name},
			Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: imsMapKey.Name}, Mode: elevsynkv1.ModeApply,
				File: &elevsynkv1.FileTarget{Path: out}}},
	}
	for _, o := range objs {
		if err := d.c.Create(ctx, o); err != nil {
			return fmt.Errorf("applying %T %s: %w", o, o.GetName(), err)
		}
	}
	src := &elevsynkv1.RegisterSource{}
	if err := d.waitFor(ctx, imsSourceKey, src, func() bool { return isTrue(src, elevsynkv1.ConditionReady) }); err != nil {
		return err
	}
	c := src.Status.Counts
	d.say("fetched over SFTP (%d file read): %d school units, %d persons (%d students, %d staff), %d groups, %d activities; content hash %s",
		exp.Reads(), c.SchoolUnits, c.Persons, c.Students, c.Staff, c.Groups, c.Activities, short(src.Status.ContentHash))
	tg := &elevsynkv1.Target{}
	if err := d.waitFor(ctx, imsTargetKey, tg, func() bool { return readyReason(tg) == controllers.ReasonApplied }); err != nil {
		return err
	}
	d.say("%s", readyMessage(tg))

	d.step("Norrby's export tool breaks off halfway through writing the file")
	goodHash := src.Status.ContentHash
	data, err := os.ReadFile(exp.file)
	if err != nil {
		return err
	}
	if err := os.WriteFile(exp.file, data[:len(data)/2], 0o600); err != nil {
		return err
	}
	if err := requestReconcile(ctx, d.c, src); err != nil {
		return err
	}
	if err := d.waitFor(ctx, imsSourceKey, src, func() bool {
		ready := apimeta.FindStatusCondition(src.Status.Conditions, elevsynkv1.ConditionReady)
		return ready != nil && ready.Reason == controllers.ReasonFetchFailed
	}); err != nil {
		return err
	}
	d.say("Not ready: %s", readyMessage(src))
	if src.Status.ContentHash != goodHash {
		return fmt.Errorf("the cut-short export replaced the last good snapshot")
	}
	d.say("the last good snapshot stays in use (content hash %s); the whole file is read at the next fetch", short(goodHash))
	return os.WriteFile(exp.file, data, 0o600)
}
