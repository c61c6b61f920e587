package managesieve

import (
	"crypto/tls"
	"fmt"
	"time"

	"github.com/tamis-mss/tamis/sieve"
)

// Config is the [managesieve] section of the tamis serve configuration
// file. Zero fields take the defaults of DefaultConfig.
type Config struct {
	// Listen is the address of the plain port, where clients use STARTTLS
	// (RFC 5804's port is 4190), e.g. "127.0.0.1:4190"; "" disables it.
	Listen string `toml:"listen"`
	// ListenTLS is the address of the implicit TLS port; "" disables it.
	ListenTLS string `toml:"listen_tls"`
	// CertFile and KeyFile are the PEM certificate chain and key offered by
	// STARTTLS and the implicit TLS port.
	CertFile string `toml:"cert_file"`
	KeyFile  string `toml:"key_file"`
	// UsersFile is the users file of the embedded authenticator (see
	// package accounts).
	UsersFile string `toml:"users_file"`
	// AllowPlaintextAuth allows AUTHENTICATE PLAIN without TLS. Only for
	// tests and loopback set-ups: the password crosses the wire in clear.
	AllowPlaintextAuth bool `toml:"allow_plaintext_auth"`
	// Implementation is the IMPLEMENTATION capability.
	Implementation string `toml:"implementation"`
	// MaxScriptSize is the largest script accepted, in bytes (at most
	// sieve.MaxScriptSize).
	MaxScriptSize int64 `toml:"max_script_size"`
	// MaxScripts is the largest number of scripts per mailbox.
	MaxScripts int `toml:"max_scripts"`
	// MaxLineBytes bounds a command line outside its literals.
	MaxLineBytes int `toml:"max_line_bytes"`
	// MaxConnections bounds the connections served at once; more are
	// answered BYE (TRYLATER).
	MaxConnections int `toml:"max_connections"`
	// IdleTimeout is how long a connection may wait between commands;
	// CommandTimeout how long one command (its literal included) may take to
	// arrive once started, and an answer to be written.
	IdleTimeout    time.Duration `toml:"idle_timeout"`
	CommandTimeout time.Duration `toml:"command_timeout"`
	// ShutdownTimeout is how long Serve waits, once its context ends, for
	// the commands in progress to finish before closing their connections.
	ShutdownTimeout time.Duration `toml:"shutdown_timeout"`
}

// DefaultConfig returns the defaults: 1 MiB scripts, 20 scripts per mailbox,
// 8 KiB lines, 100 connections, 10 minutes idle, 1 minute per command, 10
// seconds to shut down, plaintext authentication refused.
func DefaultConfig() Config {
	return Config{
		Implementation:  "tamis",
		MaxScriptSize:   sieve.MaxScriptSize,
		MaxScripts:      20,
		MaxLineBytes:    8 << 10,
		MaxConnections:  100,
		IdleTimeout:     10 * time.Minute,
		CommandTimeout:  time.Minute,
		ShutdownTimeout: 10 * time.Second,
	}
}

// withDefaults fills zero fields from DefaultConfig and checks the others.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if c.Implementation == "" {
		c.Implementation = d.Implementation
	}
	if c.MaxScriptSize <= 0 {
		c.MaxScriptSize = d.MaxScriptSize
	}
	if c.MaxScriptSize > sieve.MaxScriptSize {
		return c, fmt.Errorf("managesieve: max_script_size %d is larger than tamis imports (%d)", c.MaxScriptSize, sieve.MaxScriptSize)
	}
	if c.MaxScripts <= 0 {
		c.MaxScripts = d.MaxScripts
	}
	if c.MaxLineBytes <= 0 {
		c.MaxLineBytes = d.MaxLineBytes
	}
	if c.MaxLineBytes < 2*maxQuoted {
		c.MaxLineBytes = 2 * maxQuoted // room for a command with two quoted strings
	}
	if c.MaxConnections <= 0 {
		c.MaxConnections = d.MaxConnections
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = d.IdleTimeout
	}
	if c.CommandTimeout <= 0 {
		c.CommandTimeout = d.CommandTimeout
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = d.ShutdownTimeout
	}
	return c, nil
}

// TLSConfig loads CertFile and KeyFile; nil when neither is set.
func (c Config) TLSConfig() (*tls.Config, error) {
	if c.CertFile == "" && c.KeyFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("managesieve: load TLS certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
