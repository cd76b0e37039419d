package target

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Fingerprint is a hash of what Observe returned, in its order, so that a
// Target whose desired rooms and observed rooms are both as last time can
// tell that planning again would give the same plan. Every field counts,
// each string with its length so that no two lists hash alike. It runs on
// every sync of every Target, so the bytes go through one buffer, not an
// allocation per string.
func Fingerprint(rooms []Room) string {
	h := sha256.New()
	buf := make([]byte, 0, 64<<10)
	put := func(s string) {
		if len(buf) > 60<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
		buf = strconv.AppendInt(buf, int64(len(s)), 10)
		buf = append(buf, ':')
		if len(s) > cap(buf)-len(buf) {
			h.Write(buf)
			h.Write([]byte(s))
			buf = buf[:0]
			return
		}
		buf = append(buf, s...)
	}
	putList := func(list []string) {
		buf = strconv.AppendInt(buf, int64(len(list)), 10)
		buf = append(buf, '[')
		for _, s := range list {
			put(s)
		}
	}
	for _, r := range rooms {
		put(r.Key)
		put(string(r.Kind))
		put(r.ID)
		put(r.Name)
		put(r.Description)
		put(r.MailNickname)
		putList(r.Owners)
		putList(r.Members)
		put(strconv.FormatBool(r.Archived))
	}
	h.Write(buf)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
