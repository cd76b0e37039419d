// Command image writes the manager's container image as an OCI image
// layout, with no Docker engine: one layer on an empty base holding the
// static binary at /manager, the CA certificates of Debian's
// ca-certificates package, and /etc/passwd and /etc/group naming the
// nonroot user 65532, which the image runs as. There is no shell and no
// package manager. The binary embeds Go's time zone database
// (time/tzdata), so the Tenants' time zones need no /usr/share/zoneinfo.
// It is the image the Dockerfile builds on distroless/static:nonroot.
//
//	go run ./hack/image -binary bin/manager-linux-amd64 -out dist/image -tag elevsynk/manager:dev
//
// The layout can be pushed with any OCI tool (crane, skopeo, oras) or
// loaded by a container runtime.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// options say what to put in the image and where to write it.
type options struct {
	binary string // the static manager binary
	caFile string // PEM bundle of CA certificates
	out    string // directory of the OCI layout, made or replaced
	tag    string // the reference name annotated in the layout's index
	arch   string // GOARCH the binary was built for
}

func main() {
	var o options
	flag.StringVar(&o.binary, "binary", "", "static manager binary (CGO_ENABLED=0 go build ./cmd/manager)")
	flag.StringVar(&o.caFile, "ca-certificates", "/etc/ssl/certs/ca-certificates.crt", "CA bundle, from Debian's ca-certificates package")
	flag.StringVar(&o.out, "out", "dist/image", "directory to write the OCI image layout into (replaced)")
	flag.StringVar(&o.tag, "tag", "elevsynk/manager:dev", "image reference recorded in the layout")
	flag.StringVar(&o.arch, "arch", runtime.GOARCH, "architecture the binary was built for")
	flag.Parse()
	if o.binary == "" {
		fmt.Fprintln(os.Stderr, "image: -binary is required")
		os.Exit(2)
	}
	if err := build(o); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

// The nonroot user and group, as distroless names them.
const (
	uid    = 65532
	passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group  = "root:x:0:\nnonroot:x:65532:\n"
)

// epoch is every file's and the image's time, so that the same inputs give
// the same digest.
var epoch = time.Unix(0, 0).UTC()

func build(o options) error {
	bin, err := os.ReadFile(o.binary)
	if err != nil {
		return err
	}
	ca, err := os.ReadFile(o.caFile)
	if err != nil {
		return fmt.Errorf("%w (install Debian's ca-certificates package)", err)
	}
	layer, err := filesLayer([]file{
		{name: "etc/group", mode: 0o644, data: []byte(group)},
		{name: "etc/passwd", mode: 0o644, data: []byte(passwd)},
		{name: "etc/ssl/certs/ca-certificates.crt", mode: 0o644, data: ca},
		{name: "home/nonroot", mode: 0o700, dir: true, owner: uid},
		{name: "manager", mode: 0o755, data: bin},
	})
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return err
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	// The config AppendLayers made carries the layer's diff ID and history.
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf.Architecture, cf.OS, cf.Created = o.arch, "linux", v1.Time{Time: epoch}
	cf.Config = v1.Config{
		User:       fmt.Sprintf("%d:%d", uid, uid),
		Entrypoint: []string{"/manager"},
		WorkingDir: "/",
		Env:        []string{"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
		Labels:     map[string]string{"org.opencontainers.image.source": "https://github.com/elevsynk/elevsynk"},
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return err
	}
	if err := os.RemoveAll(o.out); err != nil {
		return err
	}
	p, err := layout.Write(o.out, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": o.tag}),
		layout.WithPlatform(v1.Platform{OS: "linux", Architecture: o.arch}))
}

type file struct {
	name  string
	mode  int64
	data  []byte
	dir   bool
	owner int
}

// filesLayer is one layer with the files and their parent directories,
// owned by root unless said otherwise.
func filesLayer(files []file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	made := map[string]bool{}
	for _, f := range files {
		var parents []string
		for d := path.Dir(f.name); d != "."; d = path.Dir(d) {
			parents = append([]string{d}, parents...)
		}
		for _, d := range parents {
			if made[d] {
				continue
			}
			made[d] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX}); err != nil {
				return nil, err
			}
		}
		h := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: epoch,
			Uid: f.owner, Gid: f.owner, Format: tar.FormatPAX}
		if f.dir {
			h.Typeflag, h.Name, h.Size = tar.TypeDir, f.name+"/", 0
			made[f.name] = true
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		tarball.WithMediaType(types.OCILayer))
}
