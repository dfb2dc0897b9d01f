package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/secretfile"
	"github.com/loadchaos/loadgen/internal/wire"
)

// kafkaAuthFlags are the connection settings every Kafka path takes, for
// secured staging clusters: the one flag set of wire.KafkaAuth. Each reads
// the environment variable wire.KafkaAuth.Env sets, which is how a worker
// process gets its parent's settings. The password is read from a file or
// the environment, never from the command line, where ps would show it.
func kafkaAuthFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "kafka-tls", Usage: "connect to Kafka with TLS", EnvVars: []string{wire.KafkaTLSEnv}},
		&cli.StringFlag{Name: "kafka-ca", Usage: "PEM `FILE` of the CAs to trust (implies --kafka-tls)", DefaultText: "the system's", EnvVars: []string{wire.KafkaCAEnv}},
		&cli.StringFlag{Name: "kafka-cert", Usage: "PEM client certificate `FILE` for mutual TLS (with --kafka-key)", EnvVars: []string{wire.KafkaCertEnv}},
		&cli.StringFlag{Name: "kafka-key", Usage: "PEM client key `FILE`", EnvVars: []string{wire.KafkaKeyEnv}},
		&cli.StringFlag{Name: "kafka-sasl", Usage: "SASL `MECHANISM`: plain, scram-sha-256 or scram-sha-512", EnvVars: []string{wire.KafkaSASLEnv}},
		&cli.StringFlag{Name: "kafka-user", Usage: "SASL `USER`", EnvVars: []string{wire.KafkaUserEnv}},
		&cli.StringFlag{Name: "kafka-password-file", Usage: "`FILE` holding the SASL password (or set " + wire.KafkaPasswordEnv + ")", EnvVars: []string{"LOADGEN_KAFKA_PASSWORD_FILE"}},
		&cli.StringFlag{Name: "kafka-client-id", Usage: "Kafka client `ID`", DefaultText: "loadgen", EnvVars: []string{wire.KafkaClientIDEnv}},
	}
}

// maxPasswordFileBytes bounds what is read of --kafka-password-file, as a
// secret header's file is bounded.
const maxPasswordFileBytes = 64 << 10

// kafkaAuth reads the connection settings over base (a profile's): a flag
// that is set wins. A bad setting is bad input.
func kafkaAuth(c *cli.Context, base wire.KafkaAuth) (wire.KafkaAuth, error) {
	a := base
	a.TLS = a.TLS || c.Bool("kafka-tls")
	for flag, dst := range map[string]*string{"kafka-ca": &a.CAFile, "kafka-cert": &a.CertFile, "kafka-key": &a.KeyFile,
		"kafka-sasl": &a.SASL, "kafka-user": &a.Username, "kafka-client-id": &a.ClientID} {
		if c.IsSet(flag) {
			*dst = c.String(flag)
		}
	}
	a.Password = os.Getenv(wire.KafkaPasswordEnv)
	if f := c.String("kafka-password-file"); f != "" {
		data, err := secretfile.Read(f, maxPasswordFileBytes)
		if err != nil {
			return a, cliargs.BadInput(fmt.Errorf("--kafka-password-file %s: %w", f, err))
		}
		a.Password = strings.TrimRight(string(data), "\r\n")
		if a.Password == "" || strings.ContainsAny(a.Password, "\r\n") {
			return a, cliargs.BadInput(fmt.Errorf("--kafka-password-file %s: want one line, the password", f))
		}
	}
	if _, err := a.Connect(); err != nil {
		return a, cliargs.BadInput(fmt.Errorf("Kafka connection settings: %w", err))
	}
	return a, nil
}

// kafkaConn reads the connection settings and their files.
func kafkaConn(c *cli.Context) (*wire.KafkaConn, error) {
	a, err := kafkaAuth(c, wire.KafkaAuth{})
	if err != nil {
		return nil, err
	}
	return a.Connect()
}
