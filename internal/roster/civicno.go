package roster

import (
	"fmt"
	"log/slog"
)

// CivicNo is a Swedish personnummer or samordningsnummer, as SS 12000
// Person.civicNo.value: 12 digits without separator (e.g. 200112240123).
//
// It is the most sensitive value in the model. Every way of printing it
// (fmt verbs, slog, JSON) yields a redaction marker; call Reveal where the
// raw value is genuinely needed, so that such places are easy to audit.
type CivicNo string

const redacted = "[civicNo redacted]"

// Reveal returns the raw value.
func (c CivicNo) Reveal() string { return string(c) }

func (c CivicNo) String() string               { return redacted }
func (c CivicNo) GoString() string             { return redacted }
func (c CivicNo) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (c CivicNo) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (c CivicNo) MarshalText() ([]byte, error) { return []byte(redacted), nil }
