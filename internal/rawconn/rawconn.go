package rawconn

import (
	"fmt"
	"net"
	"time"
)

// Dial dials addr over TCP, within timeout, and wraps the connection.
func Dial(addr string, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return wrap(c.(*net.TCPConn))
}

// Listen listens on the TCP address addr ("tcp", "tcp4" or "tcp6" network)
// and accepts connections wrapped like Dial's.
func Listen(network, addr string) (net.Listener, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, fmt.Errorf("rawconn: %s is not a TCP network", network)
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, err
	}
	return listener{ln.(*net.TCPListener)}, nil
}

// listener accepts wrapped connections. It holds the TCP listener rather
// than embedding it, whose AcceptTCP would hand out unwrapped ones.
type listener struct{ tcp *net.TCPListener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.tcp.AcceptTCP()
	if err != nil {
		return nil, err
	}
	return wrap(c)
}

func (l listener) Close() error   { return l.tcp.Close() }
func (l listener) Addr() net.Addr { return l.tcp.Addr() }
