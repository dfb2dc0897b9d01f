package drive

// Class sorts an outcome: OK, or the kind of error it was.
type Class uint8

const (
	OK        Class = iota
	Refused         // connection refused: nothing listens
	Reset           // connection reset or closed by the peer mid-request
	Timeout         // no answer within the request timeout
	TLS             // the TLS handshake or a TLS record failed, such as an untrusted certificate
	Status4xx       // the target answered with a 4xx status
	Status5xx       // the target answered with a 5xx status
	Broker          // the Kafka broker refused or failed the produce
	Other           // anything else, such as a DNS failure
	numClasses
)

// Classes lists every class in order, for tables and counters indexed by Class.
var Classes = func() []Class {
	cs := make([]Class, numClasses)
	for i := range cs {
		cs[i] = Class(i)
	}
	return cs
}()

var classNames = [numClasses]string{"ok", "refused", "reset", "timeout", "tls", "4xx", "5xx", "broker", "other"}

func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return "unknown"
}
