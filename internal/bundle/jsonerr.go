package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// jsonError says what is wrong with JSON read from a bundle without quoting
// it: encoding/json and time put the offending value in their messages (a
// number literal, a time string), and a bundle may come from anywhere. It
// wraps the decoder's error for errors.As.
type jsonError struct {
	msg string
	err error
}

func (e *jsonError) Error() string { return e.msg }
func (e *jsonError) Unwrap() error { return e.err }

// describeJSON turns a decoding error into a jsonError.
func describeJSON(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tm *time.ParseError
	switch {
	case errors.As(err, &syntax):
		return &jsonError{msg: fmt.Sprintf("not valid JSON at byte %d", syntax.Offset), err: err}
	case errors.As(err, &typ) && typ.Field != "":
		return &jsonError{msg: fmt.Sprintf("field %s: want %s", typ.Field, typ.Type), err: err}
	case errors.As(err, &typ):
		return &jsonError{msg: "want a JSON object", err: err}
	case errors.As(err, &tm):
		return &jsonError{msg: "a time that is not RFC 3339", err: err}
	}
	return &jsonError{msg: "not valid", err: err}
}

// schemaExcerptRunes bounds how much of a schema name an error quotes.
const schemaExcerptRunes = 40

// describeSchema says what a summary's schema field holds, for an error:
// a string quoted and cut short, or the kind of JSON value it is instead.
func describeSchema(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "missing"
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		switch raw[0] {
		case '{':
			return "an object, not a string"
		case '[':
			return "a list, not a string"
		case 'n':
			return "null, not a string"
		case 't', 'f':
			return "a boolean, not a string"
		}
		return "a number, not a string"
	}
	runes := 0
	for i := range s {
		if runes == schemaExcerptRunes {
			return strconv.Quote(s[:i]) + "..."
		}
		runes++
	}
	return strconv.Quote(s)
}
