package gate

import (
	"reflect"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// figure is a derived figure: a name that summary.json does not hold but a
// threshold may use, computed from the struct that owns it (the last of at)
// and the structs above it. ok is false when it has no value (null).
type figure struct {
	name string
	of   func(at []reflect.Value) (v float64, ok bool)
}

// derivedOn makes a figure owned by structs of type T.
func derivedOn[T any](name string, f func(v T, at []reflect.Value) (float64, bool)) figure {
	return figure{name: name, of: func(at []reflect.Value) (float64, bool) {
		return f(at[len(at)-1].Interface().(T), at)
	}}
}

// above finds the nearest struct of type T among at.
func above[T any](at []reflect.Value) (T, bool) {
	for i := len(at) - 1; i >= 0; i-- {
		if v, ok := at[i].Interface().(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// ratio is part/whole, 0 when whole is 0.
func ratio(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// ratioOf is ratio for a figure that may be null.
func ratioOf(part *int64, whole int64) (float64, bool) {
	if part == nil {
		return 0, false
	}
	return ratio(*part, whole), true
}

// phaseRate is count per second of the enclosing phase, or of the run
// for figures outside a phase (a kind of request, sync.requests.R).
func phaseRate(count int64, at []reflect.Value) (float64, bool) {
	p, ok := above[bundle.Phase](at)
	if !ok {
		s, ok := above[bundle.Summary](at)
		if !ok || s.Run.DurationS <= 0 {
			return 0, false
		}
		return float64(count) / s.Run.DurationS, true
	}
	if p.EndS <= p.StartS {
		return 0, false
	}
	return float64(count) / (p.EndS - p.StartS), true
}

func yes(v float64) (float64, bool) { return v, true }

// derived lists the derived figures by the type that owns them; the package
// documentation describes each.
var derived = map[reflect.Type][]figure{
	reflect.TypeFor[bundle.Sync](): {
		derivedOn("error_ratio", func(s bundle.Sync, _ []reflect.Value) (float64, bool) { return yes(ratio(s.Errors, s.Sent)) }),
		derivedOn("rate", func(s bundle.Sync, _ []reflect.Value) (float64, bool) { return yes(s.Schedule.AchievedRate) }),
		derivedOn("offered_rate", func(s bundle.Sync, _ []reflect.Value) (float64, bool) { return yes(s.Schedule.OfferedRate) }),
		derivedOn("late_ratio", func(s bundle.Sync, _ []reflect.Value) (float64, bool) {
			return yes(ratio(s.Schedule.Late, s.Schedule.Scheduled))
		}),
		derivedOn("dropped_ratio", func(s bundle.Sync, _ []reflect.Value) (float64, bool) {
			return yes(ratio(s.Schedule.Dropped, s.Schedule.Scheduled))
		}),
	},
	reflect.TypeFor[bundle.Async](): {
		derivedOn("reject_ratio", func(a bundle.Async, _ []reflect.Value) (float64, bool) { return yes(ratio(a.Rejected, a.Sent)) }),
		derivedOn("rate", func(a bundle.Async, _ []reflect.Value) (float64, bool) { return yes(a.Schedule.AchievedRate) }),
		derivedOn("offered_rate", func(a bundle.Async, _ []reflect.Value) (float64, bool) { return yes(a.Schedule.OfferedRate) }),
		derivedOn("late_ratio", func(a bundle.Async, _ []reflect.Value) (float64, bool) {
			return yes(ratio(a.Schedule.Late, a.Schedule.Scheduled))
		}),
		derivedOn("dropped_ratio", func(a bundle.Async, _ []reflect.Value) (float64, bool) {
			return yes(ratio(a.Schedule.Dropped, a.Schedule.Scheduled))
		}),
		derivedOn("completed_rate", func(a bundle.Async, at []reflect.Value) (float64, bool) {
			s, ok := above[bundle.Summary](at)
			if !ok || a.Completed == nil || s.Run.DurationS <= 0 {
				return 0, false
			}
			return float64(*a.Completed) / s.Run.DurationS, true
		}),
		derivedOn("accept_ratio", func(a bundle.Async, _ []reflect.Value) (float64, bool) { return yes(ratio(a.Accepted, a.Sent)) }),
		derivedOn("lost_ratio", func(a bundle.Async, _ []reflect.Value) (float64, bool) { return ratioOf(a.Lost, a.Accepted) }),
		derivedOn("duplicate_ratio", func(a bundle.Async, _ []reflect.Value) (float64, bool) {
			return ratioOf(a.Duplicates, a.Accepted)
		}),
	},
	reflect.TypeFor[bundle.Group](): {
		derivedOn("lost_ratio", func(g bundle.Group, at []reflect.Value) (float64, bool) {
			a, ok := above[bundle.Async](at)
			return ratio(g.Lost, a.Accepted), ok
		}),
		derivedOn("duplicate_ratio", func(g bundle.Group, at []reflect.Value) (float64, bool) {
			a, ok := above[bundle.Async](at)
			return ratio(g.Duplicates, a.Accepted), ok
		}),
	},
	reflect.TypeFor[bundle.PhaseSync](): {
		derivedOn("error_ratio", func(s bundle.PhaseSync, _ []reflect.Value) (float64, bool) { return yes(ratio(s.Errors, s.Sent)) }),
		derivedOn("rate", func(s bundle.PhaseSync, at []reflect.Value) (float64, bool) { return phaseRate(s.Sent, at) }),
	},
	reflect.TypeFor[bundle.AsyncRequest](): {
		derivedOn("reject_ratio", func(a bundle.AsyncRequest, _ []reflect.Value) (float64, bool) {
			return yes(ratio(a.Rejected, a.Sent))
		}),
		derivedOn("rate", func(a bundle.AsyncRequest, at []reflect.Value) (float64, bool) { return phaseRate(a.Sent, at) }),
	},
	reflect.TypeFor[bundle.PhaseAsync](): {
		derivedOn("reject_ratio", func(a bundle.PhaseAsync, _ []reflect.Value) (float64, bool) {
			return yes(ratio(a.Rejected, a.Sent))
		}),
		derivedOn("accept_ratio", func(a bundle.PhaseAsync, _ []reflect.Value) (float64, bool) {
			return yes(ratio(a.Accepted, a.Sent))
		}),
		derivedOn("rate", func(a bundle.PhaseAsync, at []reflect.Value) (float64, bool) { return phaseRate(a.Sent, at) }),
		derivedOn("completed_rate", func(a bundle.PhaseAsync, at []reflect.Value) (float64, bool) {
			if a.Completed == nil {
				return 0, false
			}
			return phaseRate(*a.Completed, at)
		}),
	},
}

func derivedFigure(t reflect.Type, name string) (figure, bool) {
	for _, f := range derived[t] {
		if f.name == name {
			return f, true
		}
	}
	return figure{}, false
}
