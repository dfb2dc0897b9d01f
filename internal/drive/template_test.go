package drive

import (
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},           // no body
		{"plain", "plain"}, // no placeholder
		{`{"id":"{{id}}","seq":{{seq}}}`, `{"id":"a-7","seq":42}`},     // both, inside JSON
		{"{{id}}{{id}}", "a-7a-7"},                                     // adjacent, repeated
		{"{{ id }} {{}} {{x-y}} }} {{", "{{ id }} {{}} {{x-y}} }} {{"}, // braces that name nothing stay literal
		{"{{{{seq}}}}", "{{42}}"},                                      // placeholder inside literal braces
	}
	for _, tt := range tests {
		tpl, err := parseTemplate(tt.in)
		if err != nil {
			t.Errorf("parseTemplate(%q): %v", tt.in, err)
			continue
		}
		if got := string(tpl.appendTo([]byte(nil), "a-7", 42)); got != tt.want {
			t.Errorf("template %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTemplateUnknownPlaceholder(t *testing.T) {
	_, err := parseTemplate(`{"id":"{{ID}}"}`)
	if err == nil || !strings.Contains(err.Error(), "{{ID}}") {
		t.Fatalf("got %v, want an error naming {{ID}}", err)
	}
}
