package fileget

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Local is an export on a mounted volume: a file, a zip file or a
// directory of files.
type Local struct{ Path string }

func (l Local) list() ([]entry, bool, error) {
	info, err := os.Stat(l.Path)
	if err != nil {
		return nil, false, err
	}
	if !info.IsDir() {
		return []entry{{filepath.Base(l.Path), info.Size(), info.ModTime()}}, false, nil
	}
	des, err := os.ReadDir(l.Path)
	if err != nil {
		return nil, true, err
	}
	var out []entry
	for _, de := range des {
		if !de.Type().IsRegular() || skip(de.Name()) {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			return nil, true, err
		}
		out = append(out, entry{de.Name(), fi.Size(), fi.ModTime()})
	}
	return out, true, nil
}

// Get lists the export, and opens it unless its listing is since's.
func (l Local) Get(_ context.Context, since string) (*Export, error) {
	entries, dir, err := l.list()
	if err != nil {
		return nil, err
	}
	e := &Export{Version: listVersion(entries)}
	if e.Version == since {
		e.Unchanged = true
		return e, nil
	}
	e.verify = func() error {
		again, _, err := l.list()
		if err != nil {
			return err
		}
		if !slices.Equal(again, entries) {
			return &ChangedError{Where: l.Path}
		}
		return nil
	}
	for _, en := range entries {
		e.Bytes += en.size
	}
	if dir {
		e.FS = os.DirFS(l.Path)
		return e, nil
	}
	if err := openLocal(e, l.Path, filepath.Base(l.Path)); err != nil {
		return nil, fmt.Errorf("%s: %w", l.Path, err)
	}
	return e, nil
}
