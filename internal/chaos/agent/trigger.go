package agent

import (
	"bytes"
	"errors"
	"math"
)

// maxTriggerBody bounds a trigger's body, {"action": NAME} or {"index": N}.
const maxTriggerBody = 1 << 10

// maxActionName bounds an action name in a trigger.
const maxActionName = 256

// ErrNoSuchAction is a trigger naming no action of the experiment: by a
// name it does not have or an index past its last action.
var ErrNoSuchAction = errors.New("the experiment has no such action; GET /v1/actions lists them")

// ParseTrigger reads a trigger's body and finds the action it names:
// {"action": NAME} or {"index": N}, N counting the experiment's actions
// from 0 in the order GET /v1/actions lists them. It never takes a fault,
// a command, a selector or a signal from the body: any field but action
// and index is refused, and named. Its errors never quote a value; one
// that wraps ErrNoSuchAction is a well-formed request for nothing.
func (e *Experiment) ParseTrigger(body []byte) (Action, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return Action{}, errors.New(`a body is required: {"action": NAME} or {"index": N}`)
	}
	name, index := "", -1
	err := readObject(body, map[string]jsonField{
		"action": stringField(&name, maxActionName, func(s string) bool { return s != "" }, "an action's name"),
		"index":  intField(&index, 0, math.MaxInt32),
	})
	switch {
	case err != nil:
		return Action{}, err
	case name != "" && index >= 0:
		return Action{}, errors.New("give action or index, not both")
	case name != "":
		if a, ok := e.Action(name); ok {
			return a, nil
		}
	case index >= 0:
		if index < len(e.Actions) {
			return e.Actions[index], nil
		}
	default:
		return Action{}, errors.New(`name the action: {"action": NAME} or {"index": N}`)
	}
	return Action{}, ErrNoSuchAction
}
