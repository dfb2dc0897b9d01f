package profiles

import (
	"strings"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// readHTTPTLS reads http.tls. The files are read when the run starts
// (wire.HTTPTLS.Config), so a profile names them without their being here.
func readHTTPTLS(f *yamlfields.Fields) wire.HTTPTLS {
	var t wire.HTTPTLS
	f.Read("ca", &t.CAFile)
	f.Check("ca", t.CAFile != "", "must not be empty")
	f.Read("cert", &t.CertFile)
	f.Read("key", &t.KeyFile)
	f.Check("cert", t.CertFile != "" && t.KeyFile != "", "a client certificate needs both cert and key")
	f.Check("key", t.CertFile != "" && t.KeyFile != "", "a client certificate needs both cert and key")
	f.Read("insecure", &t.Insecure)
	f.Read("server_name", &t.ServerName)
	f.Check("server_name", t.ServerName != "" && !strings.ContainsFunc(t.ServerName, func(r rune) bool { return r <= ' ' || r >= 0x7f }),
		"%q is not a host name", t.ServerName)
	f.Close()
	return t
}
