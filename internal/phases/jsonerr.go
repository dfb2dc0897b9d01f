package phases

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// lineError says what is wrong with one JSON line of a file without
// quoting it: encoding/json and time put the offending value in their
// messages, and a journal may come from anywhere. It wraps the decoder's
// error for errors.As.
type lineError struct {
	msg string
	err error
}

func (e *lineError) Error() string { return e.msg }
func (e *lineError) Unwrap() error { return e.err }

// describeJSON turns a decoding error of one line into a lineError.
func describeJSON(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tm *time.ParseError
	switch {
	case errors.As(err, &syntax):
		return &lineError{msg: fmt.Sprintf("not valid JSON at byte %d", syntax.Offset), err: err}
	case errors.As(err, &typ) && typ.Field != "":
		return &lineError{msg: fmt.Sprintf("field %s: want %s", typ.Field, typ.Type), err: err}
	case errors.As(err, &typ):
		return &lineError{msg: "want a JSON object", err: err}
	case errors.As(err, &tm):
		return &lineError{msg: "a time that is not RFC 3339", err: err}
	}
	return &lineError{msg: "not a valid entry", err: err}
}
