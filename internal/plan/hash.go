package plan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// hashVersion is hashed first so that a change of the canonical form shows
// as a new hash rather than as a silent collision with an approval.
const hashVersion = "elevsynk-plan-v1\n"

// Hash is "sha256:" and the hex digest of the actions, each field a
// length-prefixed string: equal actions give equal hashes, and since
// Compute orders actions canonically, the hash does not depend on the
// order of its inputs. A guarded plan is approved by this hash, so any
// change to any action must change it; drift and counts are left out
// because they change nothing in the target.
func (p Plan) Hash() string {
	h := sha256.New()
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, hashVersion...)
	for i := range p.Actions {
		a := &p.Actions[i]
		buf = appendStrings(buf, string(a.Op), string(a.Kind), a.Key, a.ID, a.Name, a.Description, a.MailNickname, a.Template)
		buf = binary.AppendUvarint(buf, uint64(len(a.People)))
		buf = appendStrings(buf, a.People...)
		if len(buf) > 60<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func appendStrings(buf []byte, ss ...string) []byte {
	for _, s := range ss {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}
