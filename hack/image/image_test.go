package main

import (
	"archive/tar"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// TestImage builds the manager as `make image` does, writes the image and
// reads the layout back as a runtime would: one linux image that runs
// /manager as 65532 with nothing else to execute, no shell above all.
func TestImage(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "manager")
	gobuild := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/manager")
	gobuild.Dir = "../.."
	gobuild.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := gobuild.CombinedOutput(); err != nil {
		t.Fatalf("building the manager: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "layout")
	if err := build(options{binary: bin, caFile: "/etc/ssl/certs/ca-certificates.crt", out: out, tag: "elevsynk/manager:test", arch: "amd64"}); err != nil {
		t.Fatal(err)
	}

	p, err := layout.FromPath(out)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 || im.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != "elevsynk/manager:test" {
		t.Fatalf("the layout's index holds %+v, want one image named elevsynk/manager:test", im.Manifests)
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	type config struct {
		OS, Arch, User, WorkingDir string
		Entrypoint, Cmd            []string
	}
	want := config{OS: "linux", Arch: "amd64", User: "65532:65532", WorkingDir: "/", Entrypoint: []string{"/manager"}}
	got := config{OS: cf.OS, Arch: cf.Architecture, User: cf.Config.User, WorkingDir: cf.Config.WorkingDir,
		Entrypoint: cf.Config.Entrypoint, Cmd: cf.Config.Cmd}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("image config (-want +got):\n%s", diff)
	}

	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*tar.Header{}
	var manager []byte
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			files[h.Name] = h
			if h.Name == "manager" {
				if manager, err = io.ReadAll(tr); err != nil {
					t.Fatal(err)
				}
			}
		}
		rc.Close()
	}
	for _, shell := range []string{"bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh"} {
		if _, ok := files[shell]; ok {
			t.Errorf("the image has a shell, %s", shell)
		}
	}
	for name, h := range files {
		if h.Typeflag == tar.TypeReg && h.Mode&0o111 != 0 && name != "manager" {
			t.Errorf("the image has another executable, %s", name)
		}
	}
	if h := files["manager"]; h == nil || h.Mode&0o555 != 0o555 {
		t.Fatalf("/manager is missing or not executable by everyone: %+v", h)
	}
	for _, want := range []string{"etc/ssl/certs/ca-certificates.crt", "etc/passwd", "etc/group"} {
		if files[want] == nil {
			t.Errorf("the image lacks /%s", want)
		}
	}

	// Static: the kernel runs it with no dynamic loader, which the image
	// does not have.
	path := filepath.Join(dir, "from-image")
	if err := os.WriteFile(path, manager, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			t.Error("/manager is dynamically linked; it needs a loader the image does not have")
		}
	}
}
