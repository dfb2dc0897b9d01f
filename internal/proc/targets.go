package proc

// The services under test, each started as `loadgen target NAME`. A name
// pairs the path (sync or async) with the role the process plays on it.
const (
	SyncEdge      = "sync-edge"      // answers each request once a backend has done the work
	SyncBackend   = "sync-backend"   // does the work of the sync path
	AsyncEdge     = "async-edge"     // answers 202 once Kafka has the job
	AsyncConsumer = "async-consumer" // does the work of the async path and reports completions
)

// The roles processes play, as the registry records them and chaos
// selects on (role=...). Both edges share one role: they are the same kind
// of worker, a front door.
const (
	RoleEdge     = "edge"
	RoleBackend  = "backend"
	RoleConsumer = "consumer"
	RoleBroker   = "broker" // the embedded drill's Kafka-protocol broker
)

// targets lists each service with the name it had first, which command
// lines and scripts written before the renaming still use, and its role.
var targets = []struct{ name, alias, role string }{
	{SyncEdge, "sync", RoleEdge},
	{SyncBackend, "backend", RoleBackend},
	{AsyncEdge, "edge", RoleEdge},
	{AsyncConsumer, "consumer", RoleConsumer},
}

// TargetRole is the role of a process started as `loadgen target command`,
// by the command's name or its first name; "" for a command loadgen does
// not have.
func TargetRole(command string) string {
	for _, t := range targets {
		if command == t.name || command == t.alias {
			return t.role
		}
	}
	return ""
}

// TargetAlias is the first name of the target command name, which loadgen
// still accepts.
func TargetAlias(name string) string {
	for _, t := range targets {
		if name == t.name {
			return t.alias
		}
	}
	return ""
}
