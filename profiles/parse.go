package profiles

import (
	"cmp"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Parse reads and validates a profile. source names the data in problems and
// in Profile.Source; its base name without extension is the default name
// ("profiles/spike.yaml" -> "spike"). An invalid profile returns an *Error
// holding every problem found.
func Parse(source string, data []byte) (*Profile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{Problems: []Problem{syntaxProblem(source, err)}}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Line: 1} // an empty file: report what it lacks
	if len(doc.Content) > 0 {
		root = resolve(doc.Content[0])
	}
	d := &decoder{file: source}
	base := filepath.Base(source)
	p := &Profile{Name: strings.TrimSuffix(base, filepath.Ext(base)), Source: source}
	readProfile(d.mapping(root, ""), p)
	if len(d.problems) > 0 {
		slices.SortStableFunc(d.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
		return nil, &Error{Problems: d.problems}
	}
	return p, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml.v3 syntax error into a Problem on its line.
func syntaxProblem(file string, err error) Problem {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1]) // the pattern admits only digits
		return Problem{File: file, Line: line, Message: "invalid YAML: " + m[2]}
	}
	return Problem{File: file, Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// readProfile reads the top level.
func readProfile(f *fields, p *Profile) {
	if f.require("version", &p.Version) {
		f.check("version", p.Version == 1, "%d is not supported; this loadgen reads version 1", p.Version)
	}
	f.read("name", &p.Name)
	f.check("name", p.Name != "", "must not be empty")
	f.read("description", &p.Description)
	f.read("seed", &p.Seed)
	f.read("duration", &p.Duration)
	f.check("duration", p.Duration > 0, "must be positive, got %v", p.Duration)
	p.Stages = readStages(f)
	if p.Duration == 0 {
		p.Duration = p.StagesTotal()
	}
	p.HTTP = readHTTP(f.section("http"))
	p.Kafka = readKafka(f.section("kafka"))
	p.Limits = readLimits(f.section("limits"))
	p.Environment = readEnvironment(f.section("environment"))
	p.Chaos = readChaos(f, p)
	p.Thresholds = readThresholds(f)
	f.close()
}

func readStages(f *fields) []Stage {
	n := f.take("stages")
	switch {
	case n == nil:
		f.missing("stages")
		return nil
	case n.Kind != yaml.SequenceNode:
		f.fail("stages", "want a list of stages, got %s", describe(n))
		return nil
	case len(n.Content) == 0:
		f.fail("stages", "needs at least one stage")
		return nil
	}
	stages := make([]Stage, len(n.Content))
	for i, item := range n.Content {
		stages[i] = readStage(f.d.mapping(resolve(item), fmt.Sprintf("stages[%d]", i)))
	}
	return stages
}

func readHTTP(f *fields) HTTP {
	h := HTTP{Method: "GET", Timeout: 10 * time.Second}
	f.read("method", &h.Method)
	f.check("method", isToken(h.Method) && h.Method == strings.ToUpper(h.Method),
		"%q is not an HTTP method (upper case, like POST)", h.Method)
	f.read("path", &h.Path)
	f.check("path", strings.HasPrefix(h.Path, "/"), "%q does not start with /", h.Path)
	h.Headers = readHeaders(f.section("headers"))
	f.read("body", &h.Body)
	bad := badPlaceholder(h.Body)
	f.check("body", bad == "", "%q is not a placeholder; the driver fills in %s and %s", bad, IDPlaceholder, SeqPlaceholder)
	f.read("timeout", &h.Timeout)
	f.check("timeout", h.Timeout > 0, "must be positive, got %v", h.Timeout)
	f.close()
	return h
}

// readHeaders reads every key of the mapping as a header; nil when empty.
func readHeaders(f *fields) map[string]string {
	var headers map[string]string
	for _, k := range f.keys {
		var value string
		if !f.read(k.Value, &value) {
			continue
		}
		f.check(k.Value, isToken(k.Value), "is not a valid header name")
		f.check(k.Value, !strings.ContainsAny(value, "\r\n"), "a header value must be one line")
		if headers == nil {
			headers = map[string]string{}
		}
		headers[k.Value] = value
	}
	return headers
}

func readKafka(f *fields) Kafka {
	k := Kafka{Topic: "loadgen.jobs", Key: "id", ValueBytes: 256, Acks: "all", Timeout: 10 * time.Second}
	f.read("topic", &k.Topic)
	f.check("topic", isTopic(k.Topic), "%q is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)", k.Topic)
	f.read("key", &k.Key)
	f.check("key", k.Key == "id" || k.Key == "none", "%q is not id or none", k.Key)
	f.read("value_bytes", &k.ValueBytes)
	f.check("value_bytes", k.ValueBytes >= 0 && k.ValueBytes <= 1<<20, "%d is not from 0 to 1048576", k.ValueBytes)
	f.read("acks", &k.Acks)
	f.check("acks", k.Acks == "all" || k.Acks == "one" || k.Acks == "none", "%q is not all, one or none", k.Acks)
	f.read("timeout", &k.Timeout)
	f.check("timeout", k.Timeout > 0, "must be positive, got %v", k.Timeout)
	f.read("tls", &k.TLS)
	f.read("ca_file", &k.CAFile)
	f.read("cert_file", &k.CertFile)
	f.read("key_file", &k.KeyFile)
	f.check("key_file", k.CertFile != "", "a key file needs cert_file")
	f.read("sasl", &k.SASL)
	f.check("sasl", k.SASL == "plain" || k.SASL == "scram-sha-256" || k.SASL == "scram-sha-512",
		"%q is not plain, scram-sha-256 or scram-sha-512", k.SASL)
	f.read("username", &k.Username)
	f.check("username", k.SASL != "", "a username needs sasl")
	f.read("client_id", &k.ClientID)
	if f.values["password"] != nil {
		f.fail("password", "a password does not belong in a profile: use --kafka-password-file or LOADGEN_KAFKA_PASSWORD")
		f.take("password")
	}
	f.close()
	return k
}

func readLimits(f *fields) Limits {
	l := Limits{MaxInFlight: 10000, LateAfter: 10 * time.Millisecond, MaxLateRatio: 0.01, MaxDroppedRatio: 0.001}
	f.read("max_in_flight", &l.MaxInFlight)
	f.check("max_in_flight", l.MaxInFlight >= 1, "must be at least 1, got %d", l.MaxInFlight)
	f.read("late_after", &l.LateAfter)
	f.check("late_after", l.LateAfter > 0, "must be positive, got %v", l.LateAfter)
	f.read("max_late_ratio", &l.MaxLateRatio)
	f.check("max_late_ratio", l.MaxLateRatio >= 0 && l.MaxLateRatio <= 1, "%v is not a fraction from 0 to 1", l.MaxLateRatio)
	f.read("max_dropped_ratio", &l.MaxDroppedRatio)
	f.check("max_dropped_ratio", l.MaxDroppedRatio >= 0 && l.MaxDroppedRatio <= 1, "%v is not a fraction from 0 to 1", l.MaxDroppedRatio)
	f.close()
	return l
}

// badPlaceholder returns the first {{name}} in body other than {{id}} and
// {{seq}}, or "" when there is none. As in the driver, braces around anything
// but a name (letters, digits, _) are literal text, so {{ID}} is caught as a
// typo while JSON such as {"a":{"b":1}} needs no escaping.
func badPlaceholder(body string) string {
	for {
		start := strings.Index(body, "{{")
		if start < 0 {
			return ""
		}
		end := strings.Index(body[start:], "}}")
		if end < 0 {
			return ""
		}
		ph := body[start : start+end+2]
		if isName(ph[2:len(ph)-2]) && ph != IDPlaceholder && ph != SeqPlaceholder {
			return ph
		}
		body = body[start+2:]
	}
}

func isName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
}

// isToken reports whether s is an HTTP token (RFC 9110), as header names and
// methods must be.
func isToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	})
}

// isTopic reports whether s is a legal Kafka topic name.
func isTopic(s string) bool {
	return len(s) >= 1 && len(s) <= 249 && s != "." && s != ".." && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	})
}
