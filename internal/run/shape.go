package run

import (
	"fmt"

	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/internal/seeded"
	"github.com/loadchaos/loadgen/profiles"
)

// shapeOf is the offered rate over the run: the profile's stages in order,
// looped when its Duration is longer than they are. It is derived once the
// seed is final: burst timing follows the seed.
func shapeOf(p *profiles.Profile) pace.Shape {
	stages := make(pace.Stages, len(p.Stages))
	for i, s := range p.Stages {
		stages[i] = pace.Stage{Shape: stageShape(s, stageSeed(p.Seed, i)), For: s.For}
	}
	if total := stages.Total(); p.Duration > total {
		return pace.Looped{Shape: stages, Period: total}
	}
	return stages
}

// stageShape turns one validated stage into its rate shape; seed is the
// stage's own.
func stageShape(s profiles.Stage, seed uint64) pace.Shape {
	switch s.Shape {
	case "constant":
		return pace.Constant{PerSecond: s.Rate}
	case "ramp":
		return pace.Ramp{From: s.From, To: s.To, Over: s.For}
	case "step":
		return pace.Step{From: s.From, To: s.To, Steps: s.Steps, Over: s.For}
	case "sine":
		return pace.Sine{Base: s.Base, Amplitude: s.Amplitude, Period: s.Period}
	case "burst":
		return pace.NewBurstTrain(pace.BurstTrain{Base: s.Base, Peak: s.Peak, Width: s.Width,
			Period: s.Period, Jitter: s.Jitter, Seed: seed, Over: s.For})
	}
	panic(fmt.Sprintf("run: stage shape %q is not a shape; profiles.Parse lets none through", s.Shape))
}

// stageSeed gives each stage its own seed, mixed from the profile seed and the
// stage's index (splitmix64), so that two burst stages do not burst alike.
func stageSeed(seed uint64, index int) uint64 {
	return seeded.Hash(seed + uint64(index)*0x9e3779b97f4a7c15)
}
