//go:build !linux || portable

package rawconn

import "net"

// wrap returns tcp as it is: away from Linux, net's own path is the one
// that works.
func wrap(tcp *net.TCPConn) (net.Conn, error) { return tcp, nil }
