// Package redisconf is the Redis connection settings of tamis serve's Redis
// backends ([store.redis] and [replies.redis]): addresses, Sentinel, TLS,
// timeouts and pool size, read from TOML and turned into a go-redis client.
package redisconf

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Config is one Redis connection. The zero Config is not usable: Addrs is
// required; zero timeouts take the defaults of Defaults.
type Config struct {
	// Addrs are "host:port" addresses. One address without MasterName is a
	// single Redis; with MasterName they are Sentinel addresses; several
	// without MasterName are the seed nodes of a Redis Cluster.
	Addrs []string `toml:"addrs"`
	// MasterName is the name of the master the Sentinels monitor.
	MasterName string `toml:"master_name"`
	// Username and PasswordFile authenticate (ACL user, or the default
	// user when Username is empty). The password is read from a file so
	// that the configuration file holds no secret.
	Username     string `toml:"username"`
	PasswordFile string `toml:"password_file"`
	// SentinelPasswordFile authenticates to the Sentinels.
	SentinelPasswordFile string `toml:"sentinel_password_file"`
	// DB is the database number (not with Redis Cluster).
	DB int `toml:"db"`
	// Prefix starts every key, so that several deployments can share one
	// Redis; "" means "tamis:".
	Prefix string `toml:"prefix"`
	// DialTimeout, ReadTimeout and WriteTimeout bound connecting and each
	// command. A delivery waits at most about (MaxRetries+1) × these before
	// it is answered with a temporary failure.
	DialTimeout  time.Duration `toml:"dial_timeout"`
	ReadTimeout  time.Duration `toml:"read_timeout"`
	WriteTimeout time.Duration `toml:"write_timeout"`
	// PoolSize bounds the connections per node (0: 10 per CPU, go-redis's
	// default); MinIdleConns keeps some open.
	PoolSize     int `toml:"pool_size"`
	MinIdleConns int `toml:"min_idle_conns"`
	// MaxRetries is how many times a failed command is retried (-1: never).
	MaxRetries int `toml:"max_retries"`
	// TLS turns TLS on; TLSCA is a PEM file of the authorities to trust
	// (default: the system's); TLSCert and TLSKey are a client
	// certificate; TLSServerName overrides the name checked.
	TLS           bool   `toml:"tls"`
	TLSCA         string `toml:"tls_ca"`
	TLSCert       string `toml:"tls_cert"`
	TLSKey        string `toml:"tls_key"`
	TLSServerName string `toml:"tls_server_name"`
}

// Defaults of the timeouts and retries.
const (
	DefaultDialTimeout  = 2 * time.Second
	DefaultReadTimeout  = time.Second
	DefaultWriteTimeout = time.Second
	DefaultMaxRetries   = 1
)

// Defaults returns a Config with the default timeouts and retries and no
// address.
func Defaults() Config {
	return Config{DialTimeout: DefaultDialTimeout, ReadTimeout: DefaultReadTimeout,
		WriteTimeout: DefaultWriteTimeout, MaxRetries: DefaultMaxRetries}
}

// Check reports the first invalid setting; section names the TOML table in
// the message ("[store.redis]").
func (c Config) Check(section string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s "+format, append([]any{section}, args...)...)
	}
	switch {
	case len(c.Addrs) == 0:
		return bad(`addrs is empty: give the Redis address, e.g. addrs = ["10.0.0.5:6379"]`)
	case c.DialTimeout < 0 || c.ReadTimeout < 0 || c.WriteTimeout < 0:
		return bad("timeouts must not be negative")
	case c.PoolSize < 0 || c.MinIdleConns < 0:
		return bad("pool_size and min_idle_conns must not be negative")
	case c.MaxRetries < -1:
		return bad("max_retries: -1 (never), 0 or more")
	case c.DB != 0 && len(c.Addrs) > 1 && c.MasterName == "":
		return bad("db must be 0 with Redis Cluster (several addrs without master_name)")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return bad("tls_cert and tls_key go together")
	case !c.TLS && (c.TLSCA != "" || c.TLSCert != "" || c.TLSServerName != ""):
		return bad("tls_ca, tls_cert and tls_server_name need tls = true")
	}
	for _, a := range c.Addrs {
		if i := strings.LastIndexByte(a, ':'); i <= 0 || i == len(a)-1 {
			return bad("addrs: %q is not host:port", a)
		}
	}
	return nil
}

// Options returns the go-redis options of c, reading the password and TLS
// files.
func (c Config) Options() (*goredis.UniversalOptions, error) {
	d := Defaults()
	o := &goredis.UniversalOptions{
		Addrs:        c.Addrs,
		MasterName:   c.MasterName,
		Username:     c.Username,
		DB:           c.DB,
		DialTimeout:  cmp.Or(c.DialTimeout, d.DialTimeout),
		ReadTimeout:  cmp.Or(c.ReadTimeout, d.ReadTimeout),
		WriteTimeout: cmp.Or(c.WriteTimeout, d.WriteTimeout),
		PoolSize:     c.PoolSize,
		MinIdleConns: c.MinIdleConns,
		MaxRetries:   c.MaxRetries,
	}
	var err error
	if o.Password, err = secret(c.PasswordFile); err != nil {
		return nil, err
	}
	if o.SentinelPassword, err = secret(c.SentinelPasswordFile); err != nil {
		return nil, err
	}
	if c.TLS {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.TLSServerName}
		if c.TLSCA != "" {
			pem, err := os.ReadFile(c.TLSCA)
			if err != nil {
				return nil, fmt.Errorf("read tls_ca: %w", err)
			}
			cfg.RootCAs = x509.NewCertPool()
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("tls_ca %s: no PEM certificate in it", c.TLSCA)
			}
		}
		if c.TLSCert != "" {
			cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
			if err != nil {
				return nil, fmt.Errorf("read tls_cert and tls_key: %w", err)
			}
			cfg.Certificates = []tls.Certificate{cert}
		}
		o.TLSConfig = cfg
	}
	return o, nil
}

// NewClient returns the client c describes: a single node, a Sentinel
// failover client, or a Cluster client (see Addrs).
func (c Config) NewClient() (goredis.UniversalClient, error) {
	o, err := c.Options()
	if err != nil {
		return nil, err
	}
	return goredis.NewUniversalClient(o), nil
}

func secret(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read Redis password: %w", err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", errors.New("read Redis password: " + path + " is empty")
	}
	return s, nil
}
