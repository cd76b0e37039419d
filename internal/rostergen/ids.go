package rostergen

import "math/rand/v2"

// uuidGen draws RFC 4122 version-4 UUIDs from its own PCG stream, so ids
// are deterministic for a seed and do not shift when content choices change.
type uuidGen struct{ r *rand.Rand }

const hexDigits = "0123456789abcdef"

func (g uuidGen) next() string {
	var u [16]byte
	hi, lo := g.r.Uint64(), g.r.Uint64()
	for i := 0; i < 8; i++ {
		u[i] = byte(hi >> (56 - 8*i))
		u[8+i] = byte(lo >> (56 - 8*i))
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	var s [36]byte
	j := 0
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hexDigits[b>>4], hexDigits[b&0x0f]
		j += 2
	}
	return string(s[:])
}
