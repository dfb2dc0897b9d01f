package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The JSON the agent reads from others (API requests, registry records) is
// read strictly: one object, each field known and given once, nothing after
// it. Its errors never quote a value: encoding/json's own messages may (a
// character of the input, a number as written), so they are never passed on.

// jsonField decodes one field's value from the decoder.
type jsonField func(dec *json.Decoder) error

// fieldName matches a key that may be named in an error: one that looks
// like a field name, not data.
var fieldName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,31}$`)

// nameOf names a key in an error, quoted, or says it is not fit to quote.
func nameOf(key string) string {
	if fieldName.MatchString(key) {
		return strconv.Quote(key)
	}
	return "(a field whose name is not quoted)"
}

// maxUnknownNamed bounds how many unknown fields one error lists.
const maxUnknownNamed = 8

// readObject reads data as exactly one JSON object, handing each known
// field's value to its decoder. Unknown fields are all named in one error.
func readObject(data []byte, fields map[string]jsonField) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	seen := map[string]bool{}
	var unknown []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return notJSON(err)
		}
		key, _ := tok.(string) // inside an object the decoder hands out keys as strings
		if seen[key] {
			return fmt.Errorf("field %s given twice", nameOf(key))
		}
		seen[key] = true
		field, known := fields[key]
		if !known {
			unknown = append(unknown, nameOf(key))
			field = skipValue
		}
		if err := field(dec); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
				return notJSON(err)
			}
			return fmt.Errorf("field %s: %w", nameOf(key), err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return notJSON(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("something after the JSON object")
	}
	if len(unknown) > 0 {
		return unknownFields(unknown, fields)
	}
	return nil
}

func unknownFields(unknown []string, fields map[string]jsonField) error {
	slices.Sort(unknown)
	unknown = slices.Compact(unknown)
	if len(unknown) > maxUnknownNamed {
		unknown = append(unknown[:maxUnknownNamed], fmt.Sprintf("and %d more", len(unknown)-maxUnknownNamed))
	}
	known := make([]string, 0, len(fields))
	for key := range fields {
		known = append(known, key)
	}
	slices.Sort(known)
	noun := "field"
	if len(unknown) > 1 {
		noun = "fields"
	}
	return fmt.Errorf("unknown %s %s (the fields are %s)", noun, strings.Join(unknown, ", "), strings.Join(known, ", "))
}

// notJSON says where the JSON broke, without quoting it.
func notJSON(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("not valid JSON at byte %d", syntax.Offset)
	}
	return errors.New("not valid JSON: it ends early")
}

func skipValue(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}

// stringField decodes a string of at most maxBytes that ok accepts; want
// says what it must be.
func stringField(dst *string, maxBytes int, ok func(string) bool, want string) jsonField {
	return func(dec *json.Decoder) error {
		var s string
		if err := dec.Decode(&s); err != nil {
			return decodeError(err, "want a string")
		}
		if len(s) > maxBytes || !ok(s) {
			return errors.New("want " + want)
		}
		*dst = s
		return nil
	}
}

// intField decodes a whole number from low to high.
func intField(dst *int, low, high int) jsonField {
	return func(dec *json.Decoder) error {
		want := fmt.Sprintf("want a whole number from %d to %d", low, high)
		var n json.Number
		if err := dec.Decode(&n); err != nil {
			return decodeError(err, want)
		}
		v, err := strconv.Atoi(n.String())
		if err != nil || v < low || v > high {
			return errors.New(want)
		}
		*dst = v
		return nil
	}
}

// uintField decodes a whole number of at least 1.
func uintField(dst *uint64) jsonField {
	return func(dec *json.Decoder) error {
		const want = "want a whole number of at least 1"
		var n json.Number
		if err := dec.Decode(&n); err != nil {
			return decodeError(err, want)
		}
		v, err := strconv.ParseUint(n.String(), 10, 64)
		if err != nil || v < 1 {
			return errors.New(want)
		}
		*dst = v
		return nil
	}
}

func boolField(dst *bool) jsonField {
	return func(dec *json.Decoder) error {
		return decodeError(dec.Decode(dst), "want true or false")
	}
}

// decodeError keeps a syntax error (readObject reports where) and turns
// any other, which may quote the value, into want.
func decodeError(err error, want string) error {
	var syntax *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return err
	}
	return errors.New(want)
}
