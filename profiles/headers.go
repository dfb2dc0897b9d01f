package profiles

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/secretfile"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// HeaderValue is a header's value as a profile gives it: the value itself,
// or, for a secret such as an Authorization header, where the run finds it
// (`{env: API_TOKEN}` or `{file: /run/secrets/token}`). A profile, and so
// the bundle's profile.yaml, keeps where, never the secret. One field is set.
type HeaderValue struct {
	Value string // the value itself
	Env   string // the environment variable that holds it
	File  string // the file that holds it: one line, its line end dropped
}

// maxHeaderFileBytes bounds what is read of a header's file.
const maxHeaderFileBytes = 64 << 10

// MarshalYAML writes the value as a profile gives it: a string, or where
// the secret is.
func (v HeaderValue) MarshalYAML() (any, error) {
	switch {
	case v.Env != "":
		return map[string]string{"env": v.Env}, nil
	case v.File != "":
		return map[string]string{"file": v.File}, nil
	}
	return v.Value, nil
}

// ResolveHeaders returns every header with its value, reading the
// environment (through lookupEnv, as os.LookupEnv) and files now. Its
// errors name the header and where its value was to come from, never the
// value.
func (h HTTP) ResolveHeaders(lookupEnv func(string) (string, bool)) (map[string]string, error) {
	return resolveHeaders(h.Headers, lookupEnv, "http.headers")
}

// ResolveHeaders returns the kind's headers with their values, as
// HTTP.ResolveHeaders does; its errors name the kind.
func (k Kind) ResolveHeaders(lookupEnv func(string) (string, bool)) (map[string]string, error) {
	return resolveHeaders(k.Headers, lookupEnv, "http.requests["+k.Name+"].headers")
}

func resolveHeaders(headers map[string]HeaderValue, lookupEnv func(string) (string, bool), field string) (map[string]string, error) {
	if len(headers) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(headers))
	for name, v := range headers {
		value, err := v.resolve(lookupEnv)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", field, name, err)
		}
		out[name] = value
	}
	return out, nil
}

func (v HeaderValue) resolve(lookupEnv func(string) (string, bool)) (string, error) {
	switch {
	case v.Env != "":
		value, ok := lookupEnv(v.Env)
		if !ok || value == "" {
			return "", fmt.Errorf("environment variable %s is not set", v.Env)
		}
		if !isHeaderValue(value) {
			return "", fmt.Errorf("environment variable %s: a header value is one line of text", v.Env)
		}
		return value, nil
	case v.File != "":
		data, err := secretfile.Read(v.File, maxHeaderFileBytes)
		if err != nil {
			return "", fmt.Errorf("file %s: %w", v.File, err)
		}
		value := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
		if value == "" || !isHeaderValue(value) {
			return "", fmt.Errorf("file %s: want one line of text, the header's value", v.File)
		}
		return value, nil
	}
	return v.Value, nil
}

// isHeaderValue reports whether s may be sent as a header's value: no
// control characters but tabs (RFC 9110), so no line breaks.
func isHeaderValue(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f })
}

// readHeaders reads every key of the mapping as a header; nil when empty.
// A value is a string, or a mapping of env or file.
func readHeaders(f *yamlfields.Fields) map[string]HeaderValue {
	var headers map[string]HeaderValue
	for _, name := range f.Keys() {
		var v HeaderValue
		if n := f.Take(name); n != nil && n.Kind == yaml.MappingNode {
			v = readSecretHeader(f.Section(name))
		} else if !f.Read(name, &v.Value) {
			continue
		}
		f.Check(name, isToken(name), "is not a valid header name")
		f.Check(name, !strings.ContainsAny(v.Value, "\r\n"), "a header value must be one line")
		if headers == nil {
			headers = map[string]HeaderValue{}
		}
		headers[name] = v
	}
	return headers
}

// readSecretHeader reads `{env: NAME}` or `{file: PATH}`.
func readSecretHeader(f *yamlfields.Fields) HeaderValue {
	var v HeaderValue
	env, file := f.Read("env", &v.Env), f.Read("file", &v.File)
	switch {
	case env && file:
		f.Fail("file", "give env or file, not both")
	case !env && !file && !f.Broken():
		f.Fail("env", "want env: VARIABLE or file: PATH, where the value is found at run time")
	}
	f.Check("env", isEnvName(v.Env), "%q is not an environment variable name (letters, digits, _)", v.Env)
	f.Check("file", v.File != "", "must not be empty")
	f.Close()
	return v
}

// isEnvName reports whether s is a portable environment variable name.
func isEnvName(s string) bool {
	return isName(s) && !(s[0] >= '0' && s[0] <= '9')
}
