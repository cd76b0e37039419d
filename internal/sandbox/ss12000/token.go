package ss12000

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
)

// cursor is what a page token stands for: where in which listing, under
// which filters. The spec makes page tokens opaque ("Ett opakt värde som
// servern givit") and forbids repeating filters with them, so the token
// must carry the filters itself.
type cursor struct {
	Endpoint      string
	Offset        int64
	ModifiedAfter int64 // unix nanoseconds; 0 = no filter
	CreatedAfter  int64
	Entities      uint8 // deletedEntities: bit set of entity types; 0 = all
	// Seq numbers the pages of one listing, so that every token issued is
	// new even when two pages start at the same offset (FaultEmptyPage).
	Seq int64
}

var errBadToken = errors.New("invalid pageToken")

// encodeToken is base64url(version, fields) "." base64url(HMAC-SHA256[:16]).
// The MAC keeps tests honest: a client that builds or edits tokens gets a
// 400, as it would from a real server with opaque tokens.
func encodeToken(key []byte, c cursor) string {
	b := make([]byte, 0, 48)
	b = append(b, 1) // version
	b = binary.AppendUvarint(b, uint64(len(c.Endpoint)))
	b = append(b, c.Endpoint...)
	b = binary.AppendVarint(b, c.Offset)
	b = binary.AppendVarint(b, c.ModifiedAfter)
	b = binary.AppendVarint(b, c.CreatedAfter)
	b = binary.AppendVarint(b, c.Seq)
	b = append(b, c.Entities)
	enc := base64.RawURLEncoding.Strict()
	return enc.EncodeToString(b) + "." + enc.EncodeToString(mac(key, b))
}

func decodeToken(key []byte, s string) (cursor, error) {
	enc := base64.RawURLEncoding.Strict()
	p, m, ok := strings.Cut(s, ".")
	if !ok || len(s) > 512 {
		return cursor{}, errBadToken
	}
	b, err1 := enc.DecodeString(p)
	sum, err2 := enc.DecodeString(m)
	if err1 != nil || err2 != nil || !hmac.Equal(sum, mac(key, b)) {
		return cursor{}, errBadToken
	}
	if len(b) < 1 || b[0] != 1 {
		return cursor{}, errBadToken
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return cursor{}, errBadToken
	}
	c := cursor{Endpoint: string(b[k : k+int(n)])}
	b = b[k+int(n):]
	for _, f := range []*int64{&c.Offset, &c.ModifiedAfter, &c.CreatedAfter, &c.Seq} {
		v, k := binary.Varint(b)
		if k <= 0 {
			return cursor{}, errBadToken
		}
		*f, b = v, b[k:]
	}
	if len(b) != 1 || c.Offset < 0 {
		return cursor{}, errBadToken
	}
	c.Entities = b[0]
	return c, nil
}

func mac(key, b []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(b)
	return h.Sum(nil)[:16]
}
