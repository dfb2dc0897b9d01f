package proc

// ReadyPrefix starts the line a child prints on standard output once it
// serves; the rest of the line is its address, if it has one.
const ReadyPrefix = "READY"

// Spec says how to start one process.
type Spec struct {
	Name  string   // unique in the run, such as "backend-1" or "consumer-email-2"
	Role  string   // RoleEdge, RoleBackend or RoleConsumer
	Group string   // the consumer group, for consumers; the chain's tier, for backends
	Path  string   // the executable
	Args  []string // without the executable
	Env   []string // added to this process's environment, such as secrets kept off the command line
}

// Info is what the registry records of a live process, and what chaos
// selects on.
type Info struct {
	Name      string `json:"name"`
	Role      string `json:"role"`
	Group     string `json:"group,omitempty"`
	PID       int    `json:"pid"`
	StartTime uint64 `json:"start_time_ticks"` // from /proc/PID/stat: tells a reused PID apart; 0 off Linux
	Addr      string `json:"addr,omitempty"`
	Paused    bool   `json:"paused,omitempty"`
}
