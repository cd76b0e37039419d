package target

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
)

// Fingerprint is a hash of what Observe returned, in its order, so that a
// Target whose desired rooms and observed rooms are both as last time can
// tell that planning again would give the same plan. Every field counts,
// each string with its length so that no two lists hash alike.
func Fingerprint(rooms []Room) string {
	h := sha256.New()
	put := func(s string) {
		h.Write(strconv.AppendInt(nil, int64(len(s)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	for _, r := range rooms {
		put(r.Key)
		put(string(r.Kind))
		put(r.ID)
		put(r.Name)
		put(r.Description)
		put(r.MailNickname)
		putList(h, put, r.Owners)
		putList(h, put, r.Members)
		put(strconv.FormatBool(r.Archived))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func putList(h hash.Hash, put func(string), list []string) {
	h.Write(strconv.AppendInt(nil, int64(len(list)), 10))
	h.Write([]byte{'['})
	for _, s := range list {
		put(s)
	}
}
