package ss12000

import (
	"encoding/json"
	"errors"
	"strings"
)

// listPage is the envelope every list endpoint answers with, e.g.
// components/schemas/Persons: required data array, nullable pageToken
// ("Om värdet är null finns inget mer att hämta"). data is a pointer so an
// absent or null data tells itself apart from an empty page.
type listPage[T any] struct {
	Data      *[]T    `json:"data"`
	PageToken *string `json:"pageToken"`
}

// deletedPage is components/schemas/DeletedEntities: data is an object of
// id arrays per entity type, not an array.
type deletedPage struct {
	Data      *Deletions `json:"data"`
	PageToken *string    `json:"pageToken"`
}

// decodeList decodes one list page. An empty returned token means the
// listing is complete; an empty-string token is taken as "done" as well,
// since sending it back could only mean "start over".
func decodeList[T any](ep Endpoint, page int, body []byte) ([]T, string, error) {
	var p listPage[T]
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", decodeErr(ep, page, err)
	}
	if p.Data == nil {
		return nil, "", &DecodeError{Endpoint: ep, Page: page, Reason: "response is not a {data, pageToken} page: data missing or null", Offset: -1}
	}
	return *p.Data, deref(p.PageToken), nil
}

func decodeDeleted(page int, body []byte) (*Deletions, string, error) {
	var p deletedPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", decodeErr(DeletedEntities, page, err)
	}
	if p.Data == nil {
		return nil, "", &DecodeError{Endpoint: DeletedEntities, Page: page, Reason: "response is not a {data, pageToken} page: data missing or null", Offset: -1}
	}
	return p.Data, deref(p.PageToken), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// decodeErr turns an encoding/json error into a DecodeError without its
// message: json's messages can quote the offending input (a syntax error
// names the character, a number type error the number).
func decodeErr(ep Endpoint, page int, err error) *DecodeError {
	de := &DecodeError{Endpoint: ep, Page: page, Reason: "invalid value", Offset: -1}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		de.Reason, de.Offset = "malformed JSON", syn.Offset
	case errors.As(err, &typ):
		// Value is "string", "array", "number 123", ...: keep the kind only.
		kind, _, _ := strings.Cut(typ.Value, " ")
		de.Reason, de.Offset, de.Field = "unexpected JSON "+kind, typ.Offset, schemaPath(typ.Field)
	case errors.Is(err, errTimestamp):
		de.Reason = "invalid meta timestamp"
	}
	return de
}

// schemaPath keeps a json field path only if it looks like one of our
// property paths (letters, digits, dots), as a belt to the braces of never
// decoding into maps.
func schemaPath(f string) string {
	for _, r := range f {
		if !(r == '.' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return f
}
