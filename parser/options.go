package parser

// Options are the limits the parser enforces. A zero or negative field
// means "no limit", except MaxDiagnostics where it means "report all".
type Options struct {
	// MaxFileSize is the largest accepted source, in bytes.
	MaxFileSize int
	// MaxStatements is the largest number of rules and absence blocks.
	MaxStatements int
	// MaxDepth is the deepest nesting of conditions (not, all, any) and of
	// braces.
	MaxDepth int
	// MaxStringLen is the longest accepted string value, in bytes, after
	// decoding.
	MaxStringLen int
	// MaxDiagnostics caps the number of diagnostics returned; the last one
	// kept then says how many were dropped.
	MaxDiagnostics int
}

// Default limits, as documented in docs/LANGUAGE.md.
const (
	DefaultMaxFileSize    = 1 << 20 // 1 MiB
	DefaultMaxStatements  = 10000
	DefaultMaxDepth       = 32
	DefaultMaxStringLen   = 64 << 10 // 64 KiB
	DefaultMaxDiagnostics = 50
)

// DefaultOptions returns the default limits: 1 MiB files, 10,000 rules and
// absence blocks, 32 levels of nesting, 64 KiB strings, 50 diagnostics.
func DefaultOptions() Options {
	return Options{
		MaxFileSize:    DefaultMaxFileSize,
		MaxStatements:  DefaultMaxStatements,
		MaxDepth:       DefaultMaxDepth,
		MaxStringLen:   DefaultMaxStringLen,
		MaxDiagnostics: DefaultMaxDiagnostics,
	}
}
