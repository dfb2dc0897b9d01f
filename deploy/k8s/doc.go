// Package k8s holds no code: it is the Kubernetes deployment of a
// distributed run (a container image, an Indexed Job of generators, the
// merge and gate, the chaos agent for staging drills), and its tests decode
// every manifest strictly into the Kubernetes API types and check that the
// pieces are wired to each other: the index reaches the segment, N matches
// the Job, the merge reads what the generators write. README.md beside it
// says how to use it.
package k8s
