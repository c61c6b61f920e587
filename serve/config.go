package serve

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/tamis-mss/tamis/managesieve"
)

// Config is the tamis serve configuration file, one TOML section per part.
// Zero fields take the defaults of DefaultConfig; LoadConfig fills them and
// checks the rest.
type Config struct {
	LMTP    LMTPConfig    `toml:"lmtp"`
	Maildir MaildirConfig `toml:"maildir"`
	Relay   RelayConfig   `toml:"relay"`
	Trust   TrustConfig   `toml:"trust"`
	Store   StoreConfig   `toml:"store"`
	Replies RepliesConfig `toml:"replies"`
	Engine  EngineConfig  `toml:"engine"`
	Metrics MetricsConfig `toml:"metrics"`
	Log     LogConfig     `toml:"log"`
	// ManageSieve runs the ManageSieve server on the same store and trust
	// list when its listen or listen_tls is set.
	ManageSieve managesieve.Config `toml:"managesieve"`
}

// LMTPConfig is the [lmtp] section: the door Postfix delivers through.
type LMTPConfig struct {
	// Listen is "host:port" for TCP or "unix:/path" for a Unix socket.
	Listen string `toml:"listen"`
	// Hostname is the name in the greeting and LHLO answer.
	Hostname string `toml:"hostname"`
	// MaxMessageBytes is the largest message accepted (SIZE).
	MaxMessageBytes int64 `toml:"max_message_bytes"`
	// MaxRecipients is the largest number of recipients per transaction;
	// more are answered 452 and the MTA sends them in another one.
	MaxRecipients int `toml:"max_recipients"`
	// MaxSessions bounds the sessions served at once; more wait for a slot
	// (the client's own timeout applies).
	MaxSessions int `toml:"max_sessions"`
	// ReadTimeout and WriteTimeout bound one read or write on a session.
	ReadTimeout  time.Duration `toml:"read_timeout"`
	WriteTimeout time.Duration `toml:"write_timeout"`
	// ShutdownTimeout is how long a graceful shutdown waits for the
	// transactions in flight.
	ShutdownTimeout time.Duration `toml:"shutdown_timeout"`
	// RecipientDelimiter separates a detail from the local part
	// ("dr.martin+labo@…" is the mailbox "dr.martin@…"); "" disables it.
	RecipientDelimiter string `toml:"recipient_delimiter"`
	// DeliveryTimeout bounds the work for one message (evaluation, relay,
	// store) for all its recipients.
	DeliveryTimeout time.Duration `toml:"delivery_timeout"`
}

// MaildirConfig is the [maildir] section: where kept and filed messages go.
type MaildirConfig struct {
	// Path is the Maildir of a mailbox, with %u (the address), %n (its
	// local part) and %d (its domain), all lower-cased, as Dovecot's
	// mail_location writes them.
	Path string `toml:"path"`
	// Separator is the folder hierarchy separator of the names policies
	// use ("Archives/2025"), as Dovecot's namespace separator.
	Separator string `toml:"separator"`
}

// RelayConfig is the [relay] section: where copies, reroutes and absence
// replies are handed off.
type RelayConfig struct {
	// Address is the SMTP relay, "host:port"; normally the local Postfix,
	// which queues and retries.
	Address string `toml:"address"`
	// Hostname is the name sent in EHLO.
	Hostname string `toml:"hostname"`
	// EnvelopeFrom chooses the envelope sender of copies and reroutes, as
	// Pigeonhole's sieve_redirect_envelope_from: "sender" (the incoming
	// message's, the default), "recipient" (the mailbox's), "postmaster"
	// (Postmaster) or an explicit "<address>". Replies always use <>.
	EnvelopeFrom string `toml:"envelope_from"`
	// Postmaster is the address used by EnvelopeFrom "postmaster".
	Postmaster string `toml:"postmaster"`
	// Timeout bounds one hand-off.
	Timeout time.Duration `toml:"timeout"`
}

// TrustConfig is the [trust] section: the MSSanté trust list.
type TrustConfig struct {
	// List is the published list file; "" means the built-in unverified
	// fallback (a warning is logged).
	List string `toml:"list"`
	// Checksum is the list's published SHA-256 (hex); "" skips the check.
	// With ChecksumFile set it is read from that file at every reload.
	Checksum     string `toml:"checksum"`
	ChecksumFile string `toml:"checksum_file"`
	// ReloadInterval is how often the list is read again (also on SIGHUP);
	// the last good list is kept when a reload fails.
	ReloadInterval time.Duration `toml:"reload_interval"`
}

// StoreConfig is the [store] section: the policy store shared with the
// ManageSieve server.
type StoreConfig struct {
	// Backend names the store: "dir" (the embedded directory tree).
	Backend string `toml:"backend"`
	// Path is the directory tree of the "dir" backend.
	Path string `toml:"path"`
	// RefreshInterval drops every compiled policy this often, in case a
	// change notification was missed.
	RefreshInterval time.Duration `toml:"refresh_interval"`
}

// RepliesConfig is the [replies] section: the absence reply state.
type RepliesConfig struct {
	// Backend names the state store: "bolt" (an embedded bbolt file).
	Backend string `toml:"backend"`
	// Path is the bbolt file of the "bolt" backend.
	Path string `toml:"path"`
	// MaxPerMailbox bounds the replies remembered per mailbox; the oldest
	// is forgotten first.
	MaxPerMailbox int `toml:"max_per_mailbox"`
	// SweepInterval is how often expired replies are deleted.
	SweepInterval time.Duration `toml:"sweep_interval"`
}

// EngineConfig is the [engine] section: the compile options of every
// mailbox's policy.
type EngineConfig struct {
	MaxRedirects  int           `toml:"max_redirects"`
	DefaultPeriod time.Duration `toml:"default_period"`
	MinPeriod     time.Duration `toml:"min_period"`
	MaxPeriod     time.Duration `toml:"max_period"`
}

// MetricsConfig is the [metrics] section.
type MetricsConfig struct {
	// Listen is the address of the HTTP server that answers /metrics
	// (Prometheus) and /healthz; "" disables it.
	Listen string `toml:"listen"`
}

// LogConfig is the [log] section.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `toml:"level"`
	// Format is "json" or "text".
	Format string `toml:"format"`
}

// DefaultConfig returns the defaults: LMTP on 127.0.0.1:24 with 50 MiB
// messages, 100 recipients, 100 sessions, 5-minute reads, 1-minute writes,
// 30 seconds to shut down, 5 minutes per message; Maildir
// /var/vmail/%d/%n/Maildir with "/" folders; relay 127.0.0.1:25 with the
// incoming envelope sender (Pigeonhole's default) and a 1-minute timeout;
// the trust list read again every hour; the "dir" store in
// /var/lib/tamis/policies refreshed every 10 minutes; the "bolt" reply
// state in /var/lib/tamis/replies.db with 1000 replies per mailbox, swept
// every hour; info logs in JSON.
func DefaultConfig() Config {
	return Config{
		LMTP: LMTPConfig{
			Listen:          "127.0.0.1:24",
			Hostname:        "localhost",
			MaxMessageBytes: 50 << 20,
			MaxRecipients:   100,
			MaxSessions:     100,
			ReadTimeout:     5 * time.Minute,
			WriteTimeout:    time.Minute,
			ShutdownTimeout: 30 * time.Second,
			DeliveryTimeout: 5 * time.Minute,
		},
		Maildir: MaildirConfig{Path: "/var/vmail/%d/%n/Maildir", Separator: "/"},
		Relay: RelayConfig{Address: "127.0.0.1:25", Hostname: "localhost",
			EnvelopeFrom: "sender", Timeout: time.Minute},
		Trust:   TrustConfig{ReloadInterval: time.Hour},
		Store:   StoreConfig{Backend: "dir", Path: "/var/lib/tamis/policies", RefreshInterval: 10 * time.Minute},
		Replies: RepliesConfig{Backend: "bolt", Path: "/var/lib/tamis/replies.db", MaxPerMailbox: 1000, SweepInterval: time.Hour},
		Log:     LogConfig{Level: "info", Format: "json"},
	}
}

// ConfigError is a problem in the configuration file, with its position
// when known.
type ConfigError struct {
	File      string
	Line, Col int // 0 when unknown
	Msg       string
}

// Error returns "file:line:col: message".
func (e *ConfigError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// LoadConfig reads the configuration file at path over DefaultConfig.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read configuration: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig reads a configuration file's text over DefaultConfig; name
// is the file's name in errors. Unknown keys are errors, so that a typing
// mistake is not silently ignored.
func ParseConfig(name string, data []byte) (Config, error) {
	cfg := DefaultConfig()
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Config{}, &ConfigError{File: name, Line: pe.Position.Line, Col: pe.Position.Col, Msg: pe.Message}
		}
		return Config{}, &ConfigError{File: name, Msg: err.Error()}
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		k := keys[0]
		return Config{}, &ConfigError{File: name, Line: keyLine(data, k), Col: 1,
			Msg: fmt.Sprintf("unknown key %q; see docs/SERVE.md for the keys of each section", k.String())}
	}
	if err := cfg.Check(); err != nil {
		return Config{}, &ConfigError{File: name, Msg: err.Error()}
	}
	return cfg, nil
}

// keyLine finds the line of an unknown key: the first line, after the
// header of its table, that starts with its last part; 0 when not found.
func keyLine(data []byte, k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	table := "[" + strings.Join(k[:len(k)-1], ".") + "]"
	inTable := len(k) == 1
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			inTable = strings.ReplaceAll(line, " ", "") == table
			continue
		}
		if inTable && strings.HasPrefix(line, k[len(k)-1]) {
			rest := strings.TrimSpace(line[len(k[len(k)-1]):])
			if strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
	}
	return 0
}

// Check reports the first invalid value, naming its key.
func (c *Config) Check() error {
	switch {
	case c.LMTP.Listen == "":
		return errors.New("[lmtp] listen is empty")
	case c.LMTP.MaxMessageBytes <= 0:
		return errors.New("[lmtp] max_message_bytes must be positive")
	case c.LMTP.MaxRecipients <= 0:
		return errors.New("[lmtp] max_recipients must be positive")
	case c.LMTP.MaxSessions <= 0:
		return errors.New("[lmtp] max_sessions must be positive")
	case c.LMTP.ReadTimeout <= 0 || c.LMTP.WriteTimeout <= 0 || c.LMTP.ShutdownTimeout <= 0 || c.LMTP.DeliveryTimeout <= 0:
		return errors.New("[lmtp] read_timeout, write_timeout, shutdown_timeout and delivery_timeout must be positive")
	case len(c.LMTP.RecipientDelimiter) > 1:
		return fmt.Errorf("[lmtp] recipient_delimiter %q: one character or none", c.LMTP.RecipientDelimiter)
	case c.Maildir.Path == "":
		return errors.New("[maildir] path is empty")
	case !strings.Contains(c.Maildir.Path, "%u") && !strings.Contains(c.Maildir.Path, "%n"):
		return fmt.Errorf("[maildir] path %q names no mailbox: use %%u, or %%n and %%d", c.Maildir.Path)
	case c.Maildir.Separator != "/" && c.Maildir.Separator != ".":
		return fmt.Errorf("[maildir] separator %q: \"/\" or \".\"", c.Maildir.Separator)
	case c.Relay.Address == "":
		return errors.New("[relay] address is empty")
	case c.Relay.Timeout <= 0:
		return errors.New("[relay] timeout must be positive")
	case c.Trust.ReloadInterval < 0 || c.Store.RefreshInterval < 0 || c.Replies.SweepInterval < 0:
		return errors.New("intervals must not be negative")
	case c.Replies.MaxPerMailbox < 0:
		return errors.New("[replies] max_per_mailbox must not be negative")
	}
	switch ef := c.Relay.EnvelopeFrom; {
	case ef == "sender" || ef == "recipient":
	case ef == "postmaster":
		if c.Relay.Postmaster == "" {
			return errors.New(`[relay] envelope_from = "postmaster" needs postmaster = "address"`)
		}
	case strings.HasPrefix(ef, "<") && strings.HasSuffix(ef, ">"):
	default:
		return fmt.Errorf(`[relay] envelope_from %q: "sender", "recipient", "postmaster" or "<address>"`, ef)
	}
	if !knownBackend(storeBackends, c.Store.Backend) {
		return fmt.Errorf("[store] backend %q: one of %s", c.Store.Backend, backendNames(storeBackends))
	}
	if !knownBackend(replyBackends, c.Replies.Backend) {
		return fmt.Errorf("[replies] backend %q: one of %s", c.Replies.Backend, backendNames(replyBackends))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("[log] level %q: debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "json", "text":
	default:
		return fmt.Errorf("[log] format %q: json or text", c.Log.Format)
	}
	return nil
}
