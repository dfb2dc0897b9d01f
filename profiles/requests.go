package profiles

import (
	"cmp"
	"fmt"
	"maps"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// Request is one kind of request of a mix (http.requests). An empty
// method, path or body takes the http section's; headers are added to the
// http section's, a header of the same name replacing it. The profile keeps
// the item as written, so that profile.yaml repeats it: Mix gives each
// kind with these defaults applied.
type Request struct {
	// Name tags the kind's figures in every output (summary.json's
	// requests, the reports, the request label of metrics, the .hlog tags):
	// a plain word (letters, digits, _ and -) that thresholds can name.
	// Default: its method and path, "GET /users".
	Name    string                 `yaml:"name,omitempty"`
	Weight  int                    `yaml:"weight"` // its share of the requests, weight / sum of weights: 1 to MaxWeight; default 1
	Method  string                 `yaml:"method,omitempty"`
	Path    string                 `yaml:"path,omitempty"`
	Headers map[string]HeaderValue `yaml:"headers,omitempty"`
	Body    string                 `yaml:"body,omitempty"`
}

// MaxWeight bounds a request's weight, so that the sum of a mix's weights
// stays far from overflowing while allowing shares as fine as one in a
// million.
const MaxWeight = 1_000_000

// maxRequests bounds how many kinds a mix has: each is a series in every
// output.
const maxRequests = 100

// Kind is one kind of request as sent: a Request with the http section's
// defaults applied.
type Kind struct {
	Name    string
	Weight  int
	Method  string
	Path    string                 // appended to the target URL's path
	Headers map[string]HeaderValue // the http section's with the request's over them
	Body    string
}

// Mix is the kinds of request a run sends, in the profile's order: one,
// unnamed, from the http section when it has no requests list.
func (h HTTP) Mix() []Kind {
	if len(h.Requests) == 0 {
		return []Kind{{Weight: 1, Method: h.Method, Path: h.Path, Headers: h.Headers, Body: h.Body}}
	}
	kinds := make([]Kind, len(h.Requests))
	for i, r := range h.Requests {
		k := Kind{Name: r.Name, Weight: r.Weight, Method: r.Method, Path: r.Path, Body: r.Body, Headers: h.Headers}
		if k.Method == "" {
			k.Method = h.Method
		}
		if k.Path == "" {
			k.Path = h.Path
		}
		if k.Body == "" {
			k.Body = h.Body
		}
		if len(r.Headers) > 0 {
			k.Headers = maps.Clone(h.Headers)
			if k.Headers == nil {
				k.Headers = map[string]HeaderValue{}
			}
			maps.Copy(k.Headers, r.Headers)
		}
		if k.Name == "" {
			k.Name = defaultRequestName(k.Method, k.Path)
		}
		kinds[i] = k
	}
	return kinds
}

// defaultRequestName is a request's name when the profile gives none.
func defaultRequestName(method, path string) string {
	return method + " " + cmp.Or(path, "/")
}

// readRequests reads http.requests: each item checked on its own line,
// and the names (given or defaulted) unique.
func readRequests(f *yamlfields.Fields, h HTTP) []Request {
	n := f.Take("requests")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content) > maxRequests {
		f.Fail("requests", "want a list of 1 to %d requests, got %s", maxRequests, yamlfields.Describe(n))
		return nil
	}
	requests := make([]Request, len(n.Content))
	seen := map[string]int{}
	for i, item := range n.Content {
		r := &requests[i]
		rf := f.Decoder().Mapping(yamlfields.Resolve(item), fmt.Sprintf("%s[%d]", f.At("requests"), i))
		if rf.Read("name", &r.Name) {
			rf.Check("name", isRequestName(r.Name), "%q is not a plain word (letters, digits, _ and -)", r.Name)
		}
		r.Weight = 1
		rf.Read("weight", &r.Weight)
		rf.Check("weight", r.Weight >= 1 && r.Weight <= MaxWeight, "must be from 1 to %d, got %d", MaxWeight, r.Weight)
		if rf.Read("method", &r.Method) {
			rf.Check("method", isMethod(r.Method), "%q is not an HTTP method (upper case, like POST)", r.Method)
		}
		if rf.Read("path", &r.Path) {
			rf.Check("path", strings.HasPrefix(r.Path, "/"), "%q does not start with /", r.Path)
		}
		r.Headers = readHeaders(rf.Section("headers"))
		if rf.Read("body", &r.Body) {
			checkBody(rf, r.Body, h.Data != nil)
		}
		name := cmp.Or(r.Name, defaultRequestName(cmp.Or(r.Method, h.Method), cmp.Or(r.Path, h.Path)))
		if first, dup := seen[name]; dup {
			key := "name"
			if r.Name == "" {
				key = "method"
				name += " (its method and path: give it a name)"
			}
			rf.Fail(key, "request %s is declared twice (first at requests[%d])", name, first)
		} else {
			seen[name] = i
		}
		rf.Close()
	}
	return requests
}

// isRequestName reports whether s is a plain word: a name a threshold
// (sync.requests.NAME.latency_ms.p99) and an .hlog tag can hold.
func isRequestName(s string) bool {
	return len(s) <= 64 && s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
}

func isMethod(s string) bool { return isToken(s) && s == strings.ToUpper(s) }
