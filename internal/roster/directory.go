package roster

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
)

// Directory is one complete read of a directory that supplements a
// register (an LDAP directory such as Active Directory): per entry, the
// value it is joined on and the attributes it adds to the register person
// with that value. It holds no people of its own.
type Directory struct {
	// Entries that carry the join attribute, sorted (Sort).
	Entries []DirectoryEntry
	// WithoutJoinValue counts the entries read that lacked the join
	// attribute: they cannot be joined and are not kept.
	WithoutJoinValue int
}

// DirectoryEntry is what one directory entry adds to a register person.
// Every field is personal data; String and the fmt verbs print none of it.
type DirectoryEntry struct {
	// JoinValue is compared with the register person's join key attribute
	// (a civic number, an eduPersonPrincipalName, an id...).
	JoinValue               JoinValue
	EduPersonPrincipalNames []string
	Emails                  []Email
	ExternalIdentifiers     []Identifier
}

// String prints no value, so a stray %v in a log line or an error leaks
// nothing.
func (e DirectoryEntry) String() string { return "DirectoryEntry" }

// GoString does the same for %#v.
func (e DirectoryEntry) GoString() string { return e.String() }

// LogValue does the same for log/slog.
func (e DirectoryEntry) LogValue() slog.Value { return slog.StringValue(e.String()) }

// JoinValue is a join key's value. It may be a civic number, so every way
// of printing it (fmt verbs, slog, JSON) yields a redaction marker, as
// CivicNo does; Reveal gives the raw value where a join needs it.
type JoinValue string

const joinRedacted = "[join value redacted]"

// Reveal returns the raw value.
func (v JoinValue) Reveal() string { return string(v) }

func (v JoinValue) String() string               { return joinRedacted }
func (v JoinValue) GoString() string             { return joinRedacted }
func (v JoinValue) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(joinRedacted)) }
func (v JoinValue) LogValue() slog.Value         { return slog.StringValue(joinRedacted) }
func (v JoinValue) MarshalText() ([]byte, error) { return []byte(joinRedacted), nil }

// Sort orders the entries by join value and then by content, so equal
// directories compare and hash equal whatever order the server sent.
func (d *Directory) Sort() {
	slices.SortFunc(d.Entries, compareEntries)
}

func compareEntries(a, b DirectoryEntry) int {
	if c := cmp.Compare(a.JoinValue, b.JoinValue); c != 0 {
		return c
	}
	return cmp.Compare(entryLine(a), entryLine(b))
}

// entryLine is the canonical encoding of an entry's attributes; the join
// value is written raw into the hash only, never shown.
func entryLine(e DirectoryEntry) string {
	b, _ := json.Marshal(struct {
		EPPN  []string     `json:"eppn"`
		Email []Email      `json:"email"`
		Ext   []Identifier `json:"ext"`
	}{e.EduPersonPrincipalNames, e.Emails, e.ExternalIdentifiers}) // plain strings and structs of strings: cannot fail
	return string(b)
}

// Data-quality findings of a directory.
const (
	// EntryWithoutJoinValue: an entry read without the join attribute.
	EntryWithoutJoinValue Kind = "EntryWithoutJoinValue"
	// DuplicateJoinValue: a join value found on more than one entry.
	DuplicateJoinValue Kind = "DuplicateJoinValue"
)

// Findings counts the sorted directory's problems by kind, as Summary
// does for a snapshot; never which entries.
func (d *Directory) Findings() []KindCount {
	dups := 0
	for i := 1; i < len(d.Entries); i++ {
		if d.Entries[i].JoinValue == d.Entries[i-1].JoinValue &&
			(i == 1 || d.Entries[i-2].JoinValue != d.Entries[i].JoinValue) {
			dups++
		}
	}
	var out []KindCount
	for _, f := range []KindCount{{DuplicateJoinValue, dups}, {EntryWithoutJoinValue, d.WithoutJoinValue}} {
		if f.Count > 0 {
			out = append(out, f)
		}
	}
	return out
}

// directoryHashVersion starts the hash, as hashVersion does for snapshots.
const directoryHashVersion = "elevsynk-directory-v1\n"

// Hash returns a stable content hash of the sorted directory ("sha256:" +
// hex). Unlike a snapshot's, it covers the join values, civic numbers
// included: a directory whose join values changed joins differently, and
// the Mapping must evaluate again. A SHA-256 over a whole directory says
// nothing about one value in it.
func (d *Directory) Hash() string {
	h := sha256.New()
	h.Write([]byte(directoryHashVersion))
	fmt.Fprintf(h, "%d\n", d.WithoutJoinValue)
	for _, e := range d.Entries {
		fmt.Fprintf(h, "%q %s\n", e.JoinValue.Reveal(), entryLine(e))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
