// Package pace owns the open model: rate shapes (requests per second as a
// function of time), the schedule of intended send times derived from a shape,
// and the pacer that releases each request at its intended time whether or
// not earlier ones have answered.
//
// Shapes and schedules are pure and are tested in virtual time; only Pacer
// touches the wall clock.
package pace
