package rostergen

import "github.com/elevsynk/elevsynk/internal/roster"

// civicNo formats a personnummer the way SS 12000 Person.civicNo.value
// wants it: 12 digits, no separator (YYYYMMDDNNNC). The birth number NNN's
// last digit is odd for men and even for women; C is the Luhn check digit
// over the ten digits YYMMDDNNN.
func civicNo(birth roster.Date, birthNo int) string {
	var b [12]byte
	put := func(at, n, width int) {
		for i := width - 1; i >= 0; i-- {
			b[at+i] = byte('0' + n%10)
			n /= 10
		}
	}
	put(0, birth.Year(), 4)
	put(4, int(birth.Month()), 2)
	put(6, birth.Day(), 2)
	put(8, birthNo, 3)
	b[11] = luhnDigit(b[2:11])
	return string(b[:])
}

// luhnDigit is the check digit that makes digits+check pass the Luhn test,
// doubling every other digit from the left (Skatteverket's rule for the
// ten-digit form).
func luhnDigit(digits []byte) byte {
	sum := 0
	for i, c := range digits {
		d := int(c - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// luhnValid checks a ten-digit YYMMDDNNNC string.
func luhnValid(ten string) bool {
	if len(ten) != 10 {
		return false
	}
	for i := 0; i < 10; i++ {
		if ten[i] < '0' || ten[i] > '9' {
			return false
		}
	}
	return luhnDigit([]byte(ten[:9])) == ten[9]
}
