package agent

import (
	"context"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/proc"
)

// Exec runs a command, for workers that are not local processes: such as
// `kubectl delete pod -l app=worker --wait=false`. With a selector it runs
// once per target, the target filling in the command's templates; without
// one it runs once. Its output is journaled; a non-zero exit fails the
// injection. It has no undo.
type Exec struct{ Command *Command }

var _ chaos.Fault = Exec{}

func (Exec) Action() string     { return "exec" }
func (Exec) UndoAction() string { return "" }

func (e Exec) Inject(ctx context.Context, _ chaos.Processes, target proc.Info) (chaos.Outcome, chaos.Undo, error) {
	line, output, err := e.Command.Run(ctx, target)
	return chaos.Outcome{Target: target, Command: line, Output: output}, nil, err
}
