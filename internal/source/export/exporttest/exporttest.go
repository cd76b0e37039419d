// Package exporttest builds export files for the readers' tests.
package exporttest

import "testing/fstest"

// Files is base with over applied: a file of over replaces base's, and
// the content "-" removes the file, for tests of a missing one.
func Files(base, over map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, m := range []map[string]string{base, over} {
		for k, v := range m {
			if v == "-" {
				delete(fsys, k)
				continue
			}
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
	}
	return fsys
}
