package fileget

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Export is one fetch of an export.
type Export struct {
	// FS holds the export's files; nil when Unchanged.
	FS fs.FS
	// Version identifies the content: pass it as since to the next Get.
	Version string
	// Unchanged says the export is the one of since; FS is nil.
	Unchanged bool
	// Requests made, Bytes downloaded.
	Requests int
	Bytes    int64

	verify  func() error
	cleanup []func() error
}

// Verify says whether the files are still the ones listed before they
// were read: call it after reading FS, and discard what was read if it
// fails.
func (e *Export) Verify() error {
	if e.verify == nil {
		return nil
	}
	return e.verify()
}

// Close releases the files (temporary copies are removed).
func (e *Export) Close() error {
	var errs []error
	for _, f := range slices.Backward(e.cleanup) {
		errs = append(errs, f())
	}
	return errors.Join(errs...)
}

// ChangedError is an export whose files changed while they were read.
type ChangedError struct{ Where string }

func (e *ChangedError) Error() string {
	return e.Where + " changed while it was read (a file still being written?); it is read again at the next fetch"
}

// entry is one file as listed.
type entry struct {
	name  string
	size  int64
	mtime time.Time
}

// skip says whether a listed name is not part of the export: hidden files
// and the temporary names export tools write before they rename.
func skip(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".tmp") ||
		strings.HasSuffix(name, ".part") || strings.HasSuffix(name, ".partial") || strings.HasSuffix(name, ".filepart")
}

// listVersion is the version of a listing: it changes when a file is
// added, removed, resized or touched.
func listVersion(entries []entry) string {
	h := sha256.New()
	for _, e := range entries {
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", e.name, e.size, e.mtime.UnixNano())
	}
	return "list:" + hex.EncodeToString(h.Sum(nil))
}

// oneFile is an fs.FS of a single file, for an export that is one file.
type oneFile struct {
	name string
	open func() (fs.File, error)
}

func (o oneFile) Open(name string) (fs.File, error) {
	switch name {
	case o.name:
		return o.open()
	case ".":
		return dirOf{o.name}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// dirOf is the root directory of a oneFile, so fs.ReadDir and fs.Glob
// find its one file.
type dirOf struct{ name string }

func (d dirOf) Stat() (fs.FileInfo, error) { return dirInfo{}, nil }
func (d dirOf) Read([]byte) (int, error)   { return 0, io.EOF }
func (d dirOf) Close() error               { return nil }
func (d dirOf) ReadDir(n int) ([]fs.DirEntry, error) {
	return []fs.DirEntry{namedEntry(d.name)}, nil
}

type dirInfo struct{}

func (dirInfo) Name() string       { return "." }
func (dirInfo) Size() int64        { return 0 }
func (dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o500 }
func (dirInfo) ModTime() time.Time { return time.Time{} }
func (dirInfo) IsDir() bool        { return true }
func (dirInfo) Sys() any           { return nil }

type namedEntry string

func (n namedEntry) Name() string               { return string(n) }
func (n namedEntry) IsDir() bool                { return false }
func (n namedEntry) Type() fs.FileMode          { return 0 }
func (n namedEntry) Info() (fs.FileInfo, error) { return nil, fs.ErrNotExist }

// isZip says whether the file starts as a zip archive does (APPNOTE.TXT
// §4.3.7, the local file header signature).
func isZip(f io.ReaderAt) bool {
	var magic [4]byte
	n, _ := f.ReadAt(magic[:], 0)
	return n == 4 && string(magic[:]) == "PK\x03\x04"
}

// openLocal opens a downloaded or mounted file as an export: a zip as its
// files, anything else as the one file name.
func openLocal(e *Export, file, name string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	if isZip(f) {
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return err
		}
		z, err := zip.NewReader(f, info.Size())
		if err != nil {
			f.Close()
			return fmt.Errorf("%s: not a readable zip archive: %w", name, err)
		}
		e.FS = z
		e.cleanup = append(e.cleanup, f.Close)
		return nil
	}
	f.Close()
	e.FS = oneFile{name: name, open: func() (fs.File, error) { return os.Open(file) }}
	return nil
}

// baseName is the name a single-file export goes by: the last element of
// its path, or "export" when it has none.
func baseName(p string) string {
	b := path.Base(p)
	if b == "." || b == "/" || b == "" {
		return "export"
	}
	return b
}

func sizeText(n int64) string { return strconv.FormatInt(n, 10) + " bytes" }

// Getter fetches one export.
type Getter interface {
	Get(ctx context.Context, since string) (*Export, error)
}
