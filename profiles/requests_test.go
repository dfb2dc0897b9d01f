package profiles

import (
	"reflect"
	"strings"
	"testing"
)

// mixed is a profile with a mix of three requests, the fuzz target's seed too.
const mixed = `version: 1
stages:
  - {shape: constant, rate: 10, for: 1s}
http:
  method: POST
  path: /api
  headers: {Content-Type: application/json, X-Team: core}
  body: '{"id":"{{id}}"}'
  requests:
    - {name: browse, weight: 6, method: GET, path: /items}
    - name: checkout
      weight: 3
      headers: {X-Team: shop, Authorization: {env: SHOP_TOKEN}}
      body: '{"order":"{{seq}}"}'
    - {path: /health}
`

func TestMixAppliesTheHTTPSectionAsEveryRequestsDefault(t *testing.T) {
	p, err := Parse("mixed.yaml", []byte(mixed))
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]HeaderValue{"Content-Type": {Value: "application/json"}, "X-Team": {Value: "core"}}
	want := []Kind{
		{Name: "browse", Weight: 6, Method: "GET", Path: "/items", Headers: base, Body: `{"id":"{{id}}"}`},
		{Name: "checkout", Weight: 3, Method: "POST", Path: "/api", Body: `{"order":"{{seq}}"}`, Headers: map[string]HeaderValue{
			"Content-Type": {Value: "application/json"}, "X-Team": {Value: "shop"}, "Authorization": {Env: "SHOP_TOKEN"}}},
		// No name: its method and path; no weight: 1.
		{Name: "POST /health", Weight: 1, Method: "POST", Path: "/health", Headers: base, Body: `{"id":"{{id}}"}`},
	}
	if got := p.HTTP.Mix(); !reflect.DeepEqual(got, want) {
		t.Errorf("Mix() =\n%+v\nwant\n%+v", got, want)
	}
	if p.HTTP.Headers["X-Team"].Value != "core" {
		t.Errorf("a request's headers changed the http section's: %v", p.HTTP.Headers)
	}
}

func TestMixWithoutRequestsIsTheHTTPSectionUnnamed(t *testing.T) {
	p, err := Parse("one.yaml", []byte("version: 1\n"+oneStage+"http: {method: PUT, path: /x, body: b}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Kind{{Weight: 1, Method: "PUT", Path: "/x", Body: "b"}}
	if got := p.HTTP.Mix(); !reflect.DeepEqual(got, want) {
		t.Errorf("Mix() = %+v, want %+v", got, want)
	}
}

func TestMixWritesBackAsWritten(t *testing.T) {
	p, err := Parse("mixed.yaml", []byte(mixed))
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("mixed.yaml", data)
	if err != nil {
		t.Fatalf("profile.yaml does not parse: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(again.HTTP, p.HTTP) {
		t.Errorf("written back:\n%s\nparsed as %+v, want %+v", data, again.HTTP, p.HTTP)
	}
	if !strings.Contains(string(data), "env: SHOP_TOKEN") {
		t.Errorf("a request's secret header lost its reference:\n%s", data)
	}
}

func TestRequestsProblemsNameTheItemAndLine(t *testing.T) {
	src := `version: 1
stages:
  - {shape: constant, rate: 10, for: 1s}
http:
  path: /a
  requests:
    - {name: "two words", weight: 0}
    - {method: get, path: nope}
    - {name: ok, weight: 2000000, body: "{{guid}}", colour: red}
    - {name: ok}
    - {path: /b}
    - {method: GET, path: /b}
`
	want := []located{
		{7, "http.requests[0].name", `"two words" is not a plain word`},
		{7, "http.requests[0].weight", "must be from 1 to 1000000, got 0"},
		{8, "http.requests[1].method", `"get" is not an HTTP method`},
		{8, "http.requests[1].path", `"nope" does not start with /`},
		{9, "http.requests[2].weight", "got 2000000"},
		{9, "http.requests[2].body", "unknown placeholder {{guid}}"},
		{9, "http.requests[2].colour", "unknown field"},
		{10, "http.requests[3].name", "request ok is declared twice (first at requests[2])"},
		// Unnamed, the defaults make its name: GET /b twice.
		{12, "http.requests[5].method", "request GET /b (its method and path: give it a name) is declared twice (first at requests[4])"},
	}
	wantLocated(t, problemsOf(t, src), want)
}

func TestRequestsMustBeANonEmptyList(t *testing.T) {
	for _, src := range []string{"requests: []", "requests: {name: a}", "requests: x"} {
		got := problemsOf(t, "version: 1\n"+oneStage+"http:\n  "+src+"\n")
		if len(got) != 1 || got[0].Field != "http.requests" || !strings.Contains(got[0].Message, "want a list of 1 to 100 requests") {
			t.Errorf("%s: problems %v, want one: a list of 1 to 100 requests", src, got)
		}
	}
}
