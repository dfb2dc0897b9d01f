// Package wire is the contract between the load generator and the systems
// it drives: the identity headers every request and message carries, the
// default topic names, the completion a worker reports, and how a Kafka
// client connects (TLS, SASL). Both the generator (internal/drive) and the
// systems under test (targets/) import it, so neither imports the other.
package wire
