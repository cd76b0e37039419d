package rostercsv

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/elevsynk/elevsynk/internal/atomicfile"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
	"github.com/elevsynk/elevsynk/internal/target/file"
)

// Publisher hands a new file set on (SDS uploads it). It is called only
// for a set whose hash differs from the last one published.
type Publisher func(ctx context.Context, files []File, hash string) error

// Target keeps one elevsynk Target's class rooms as a roster CSV set in
// <dir>/<name>/, beside the record of its rooms, <dir>/<name>.json
// (internal/target/file), which Observe reads: every write is a full
// snapshot of the record's rooms, as SDS and OneRoster bulk files are.
type Target struct {
	*file.Target
	dir     string
	dialect Dialect
	publish Publisher
	now     func() time.Time

	mu       sync.Mutex
	register *roster.Snapshot
	last     Written
}

var (
	_ target.Target       = (*Target)(nil)
	_ target.RegisterUser = (*Target)(nil)
)

// Written is what the last export wrote: counts and hashes, no people.
type Written struct {
	Hash                 string
	Published            string
	Classes, Enrollments int
	Bytes                int64
}

// New returns the target writing dialect into dir/name/; publish may be nil.
func New(dir, name string, dialect Dialect, publish Publisher) *Target {
	t := &Target{dir: filepath.Join(dir, name), dialect: dialect, publish: publish, now: time.Now}
	t.Target = file.WithExport(dir, name, t.export)
	return t
}

// UseRegister sets the register the rooms' people and schools are read
// from; the controller passes the one the desired rooms were made from.
func (t *Target) UseRegister(s *roster.Snapshot) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.register = s
}

// Last is what the last export wrote, or, before any, what the directory
// holds from an earlier process: its published hash.
func (t *Target) Last() Written {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.last
	if w.Published == "" {
		w.Published = t.readPublished()
	}
	return w
}

// publishedFile records the hash of the last set published, so a restart
// does not upload an unchanged set again.
const publishedFile = ".published"

func (t *Target) readPublished() string {
	b, err := os.ReadFile(filepath.Join(t.dir, publishedFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// export builds and writes the set, each file atomically with mode 0600
// (the files hold names), and publishes it when it is new. Bad input (no
// register yet, a line break in a name) fails before any file is touched.
func (t *Target) export(ctx context.Context, rooms []target.Room) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	set, err := Build(rooms, t.register, roster.DateOf(t.now()))
	if err != nil {
		return err
	}
	files, err := Files(set, t.dialect)
	if err != nil {
		return err
	}
	hash := Hash(files)
	if err := os.MkdirAll(t.dir, 0o700); err != nil {
		return err
	}
	w := Written{Hash: hash, Classes: len(set.Classes), Enrollments: len(set.Enrollments)}
	for _, f := range files {
		path := filepath.Join(t.dir, f.Name)
		w.Bytes += int64(len(f.Data))
		if same(path, f.Data) {
			continue
		}
		if err := atomicfile.Write(path, 0o600, func(out io.Writer) error {
			_, err := out.Write(f.Data)
			return err
		}); err != nil {
			return err
		}
	}
	w.Published = t.readPublished()
	if t.publish != nil && w.Published != hash {
		if err := t.publish(ctx, files, hash); err != nil {
			t.last = w
			return err
		}
		if err := atomicfile.Write(filepath.Join(t.dir, publishedFile), 0o600, func(out io.Writer) error {
			_, err := io.WriteString(out, hash+"\n")
			return err
		}); err != nil {
			return err
		}
		w.Published = hash
	}
	t.last = w
	return nil
}

// same reports whether path already holds data, so an unchanged file is
// not rewritten (its modification time then says when it last changed).
func same(path string, data []byte) bool {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		return false
	}
	return bytes.Equal(old, data)
}
