package message

// Options bounds what Read keeps of a message. A zero or negative field
// takes its default, so Options{} is the same as DefaultOptions().
type Options struct {
	MaxHeaderBytes int   // total size of a header section; default 256 KiB
	MaxHeaders     int   // number of fields in a header section; default 1,000
	MaxBodyBytes   int64 // bytes of decoded text kept for BodyText, in total; default 1 MiB
	MaxParts       int   // MIME parts read; default 100
	MaxDepth       int   // MIME nesting (multipart and message/rfc822); default 10
}

// Defaults of Options.
const (
	DefaultMaxHeaderBytes       = 256 << 10
	DefaultMaxHeaders           = 1000
	DefaultMaxBodyBytes   int64 = 1 << 20
	DefaultMaxParts             = 100
	DefaultMaxDepth             = 10
)

// DefaultOptions returns the limits used when a field of Options is zero.
func DefaultOptions() Options {
	return Options{
		MaxHeaderBytes: DefaultMaxHeaderBytes,
		MaxHeaders:     DefaultMaxHeaders,
		MaxBodyBytes:   DefaultMaxBodyBytes,
		MaxParts:       DefaultMaxParts,
		MaxDepth:       DefaultMaxDepth,
	}
}

// withDefaults replaces zero or negative fields with their defaults.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if o.MaxHeaders <= 0 {
		o.MaxHeaders = d.MaxHeaders
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = d.MaxBodyBytes
	}
	if o.MaxParts <= 0 {
		o.MaxParts = d.MaxParts
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = d.MaxDepth
	}
	return o
}
