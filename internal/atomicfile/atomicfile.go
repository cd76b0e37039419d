// Package atomicfile replaces a file so that a reader sees the old content
// or the new, never a part: the new content goes into a temporary file in
// the same directory, which is synced and renamed over the old one.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Write replaces path with what write writes, with mode perm. On any
// error the old file stays as it was and no temporary file is left.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
