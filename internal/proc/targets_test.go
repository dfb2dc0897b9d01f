package proc

import "testing"

func TestATargetHasItsRoleByNameAndByFirstName(t *testing.T) {
	tests := []struct{ command, role string }{
		{SyncEdge, RoleEdge}, {"sync", RoleEdge},
		{SyncBackend, RoleBackend}, {"backend", RoleBackend},
		{AsyncEdge, RoleEdge}, {"edge", RoleEdge},
		{AsyncConsumer, RoleConsumer}, {"consumer", RoleConsumer},
		{"broker", ""}, {"", ""}, {"Consumer", ""},
	}
	for _, tt := range tests {
		if got := TargetRole(tt.command); got != tt.role {
			t.Errorf("TargetRole(%q) = %q, want %q", tt.command, got, tt.role)
		}
	}
	for name, alias := range map[string]string{SyncEdge: "sync", SyncBackend: "backend", AsyncEdge: "edge", AsyncConsumer: "consumer", "sync": ""} {
		if got := TargetAlias(name); got != alias {
			t.Errorf("TargetAlias(%q) = %q, want %q", name, got, alias)
		}
	}
}
