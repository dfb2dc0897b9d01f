package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHeadersTakeSecretsFromTheEnvironmentOrAFile(t *testing.T) {
	const token, key = "Bearer s3cr3t-t0ken", "k3y-fr0m-a-f1le"
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := mustParse(t, "version: 1\n"+oneStage+"http:\n  headers:\n    Authorization: {env: API_TOKEN}\n    X-Key: {file: "+file+"}\n    X-Plain: one\n")
	env := map[string]string{"API_TOKEN": token}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }

	got, err := p.HTTP.ResolveHeaders(lookup)
	if err != nil || got["Authorization"] != token || got["X-Key"] != key || got["X-Plain"] != "one" || len(got) != 3 {
		t.Fatalf("headers %q, %v; want the variable's, the file's line and the plain value", got, err)
	}

	// The profile as written keeps where each secret is, never the secret.
	data, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "env: API_TOKEN") || !strings.Contains(string(data), "file: "+file) ||
		strings.Contains(string(data), "s3cr3t") || strings.Contains(string(data), "k3y") {
		t.Errorf("profile.yaml:\n%s\nwant the references, not the secrets", data)
	}

	// What cannot be read is named by header and source, its value never.
	delete(env, "API_TOKEN")
	if _, err := p.HTTP.ResolveHeaders(lookup); err == nil || err.Error() != "http.headers.Authorization: environment variable API_TOKEN is not set" {
		t.Errorf("an unset variable: %v", err)
	}
	env["API_TOKEN"] = "two\nlines s3cr3t"
	if _, err := p.HTTP.ResolveHeaders(lookup); err == nil || !strings.Contains(err.Error(), "one line of text") || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("a variable of two lines: %v", err)
	}
	env["API_TOKEN"] = token
	if err := os.WriteFile(file, []byte(key+"\nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := p.HTTP.ResolveHeaders(lookup); err == nil || !strings.Contains(err.Error(), "http.headers.X-Key: file "+file+": want one line") ||
		strings.Contains(err.Error(), "k3y") {
		t.Errorf("a file of two lines: %v", err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if _, err := p.HTTP.ResolveHeaders(lookup); err == nil || !strings.Contains(err.Error(), "http.headers.X-Key: file "+file) {
		t.Errorf("a missing file: %v", err)
	}
}
