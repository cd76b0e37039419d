package google

import "testing"

// FuzzPageToken: decoding never panics, and what decodes is exactly what
// encodeToken makes for the parts, so no two tokens name the same page.
func FuzzPageToken(f *testing.F) {
	f.Add(encodeToken("courses", seqKey(42)))
	f.Add(encodeToken("students/7000", "0000000000000000003"))
	f.Add("")
	f.Add("AA")
	f.Add("Y291cnNlcwA=")
	f.Fuzz(func(t *testing.T, tok string) {
		list, after, err := decodeToken(tok)
		if err != nil {
			return
		}
		if again := encodeToken(list, after); again != tok {
			t.Errorf("%q decodes to (%q, %q), which encodes to %q", tok, list, after, again)
		}
	})
}
