package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/wire"
)

// httpTLSFlags are how loadgen run checks https targets and tells them who
// it is: the one flag set of wire.HTTPTLS, over a profile's http.tls.
func httpTLSFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "ca", Usage: "trust only the CAs in PEM `FILE` for https targets", DefaultText: "the system's", EnvVars: []string{"LOADGEN_CA"}},
		&cli.StringFlag{Name: "cert", Usage: "show https targets the client certificate in PEM `FILE` (mutual TLS; with --key)", EnvVars: []string{"LOADGEN_CERT"}},
		&cli.StringFlag{Name: "key", Usage: "the client certificate's private key, PEM `FILE` that no other user may read (mode 0600)", EnvVars: []string{"LOADGEN_KEY"}},
		&cli.BoolFlag{Name: "insecure", Usage: "do not verify https targets' certificates: anyone in between could answer; the reports and summary.json say so", EnvVars: []string{"LOADGEN_INSECURE"}},
		&cli.StringFlag{Name: "server-name", Usage: "verify https targets' certificates for `NAME`, also sent as SNI", DefaultText: "the URL's host", EnvVars: []string{"LOADGEN_SERVER_NAME"}},
	}
}

// httpTLS puts the flags that are set over base (a profile's http.tls);
// the run reads the files. It warns on warn when certificates will not be
// verified.
func httpTLS(c *cli.Context, base wire.HTTPTLS, warn io.Writer) wire.HTTPTLS {
	t := base
	for flag, dst := range map[string]*string{"ca": &t.CAFile, "cert": &t.CertFile, "key": &t.KeyFile, "server-name": &t.ServerName} {
		if c.IsSet(flag) {
			*dst = c.String(flag)
		}
	}
	if c.IsSet("insecure") {
		t.Insecure = c.Bool("insecure")
	}
	if t.Insecure {
		fmt.Fprintln(warn, "loadgen: WARNING: --insecure: https targets' certificates will not be verified; anyone between loadgen and a target could answer")
	}
	return t
}
