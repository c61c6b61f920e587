package lsp

import (
	"encoding/json"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"golang.org/x/text/language"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/locale"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
)

// Options configure a Server.
type Options struct {
	// Trust is the trust space the documents are checked against. nil
	// means the list the client names in its initializationOptions, or
	// else the built-in unverified fallback.
	Trust *mssante.TrustSpace
	// Parser holds the parser's limits; the zero value means
	// parser.DefaultOptions().
	Parser *parser.Options
	// Language is the language of the diagnostics, hints, messages and
	// keyword documentation (English or French) when the client does not
	// name a supported one in the locale of its initialize request (LSP
	// 3.16); the zero value means English. Codes do not change with it.
	Language language.Tag
	// FixedLanguage makes Language win over the client's locale: the
	// language was chosen on the command line (tamis lsp --lang).
	FixedLanguage bool
	// Logger receives one record per request at debug level and the
	// problems of the server; nil discards them. Document text is never
	// logged.
	Logger *slog.Logger
}

// Server is a language server for tamis policies. Its methods are safe for
// concurrent use; one Server serves one client.
type Server struct {
	opts    Options
	lang    atomic.Pointer[locale.Printer] // see printer
	log     *slog.Logger
	handler protocol.Handler
	tracker vacation.Tracker // shared by every Compile: checking sends no reply

	mu      sync.Mutex
	root    string // the workspace root directory, for relative list paths
	trust   *mssante.TrustSpace
	docs    map[protocol.DocumentUri]*document
	pending []protocol.ShowMessageParams // said once the client is initialized
	// domainNames are the domains of domainList, for completion.
	domainList  *mssante.List
	domainNames []string
	shutdown    bool
	exit        chan struct{}
	exitOnce    sync.Once
}

// New returns a server with the given options.
func New(opts Options) *Server {
	if opts.Parser == nil {
		po := parser.DefaultOptions()
		opts.Parser = &po
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:    opts,
		log:     log,
		tracker: vacation.NewMemoryTracker(1),
		trust:   opts.Trust,
		docs:    map[protocol.DocumentUri]*document{},
		exit:    make(chan struct{}),
	}
	s.lang.Store(locale.New(opts.Language))
	s.handler = protocol.Handler{
		Initialize:  s.initialize,
		Initialized: s.initialized,
		Shutdown:    s.shutdownRequest,
		SetTrace:    func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		CancelRequest: func(*glsp.Context, *protocol.CancelParams) error {
			return nil // every request is answered before the next is read
		},
		TextDocumentDidOpen:             s.didOpen,
		TextDocumentDidChange:           s.didChange,
		TextDocumentDidClose:            s.didClose,
		TextDocumentDidSave:             func(*glsp.Context, *protocol.DidSaveTextDocumentParams) error { return nil },
		TextDocumentFormatting:          s.formatting,
		TextDocumentCompletion:          s.completion,
		TextDocumentHover:               s.hover,
		WorkspaceDidChangeConfiguration: s.didChangeConfiguration,
	}
	return s
}

// initOptions are the initializationOptions (and the "tamis" section of
// the settings) a client may send.
type initOptions struct {
	// Trust is the path of listeblanchemssante.xml; a relative path is
	// taken from the workspace root.
	Trust string `json:"trust"`
	// Checksum is the list's published SHA-256, in hexadecimal.
	Checksum string `json:"checksum"`
}

func (s *Server) initialize(ctx *glsp.Context, params *protocol.InitializeParams) (any, error) {
	if params.Locale != nil && !s.opts.FixedLanguage {
		if tag, ok := locale.Parse(*params.Locale); ok {
			s.lang.Store(locale.New(tag))
		}
	}
	s.mu.Lock()
	s.root = rootDir(params)
	s.mu.Unlock()
	if s.opts.Trust == nil && params.InitializationOptions != nil {
		var o initOptions
		if raw, err := json.Marshal(params.InitializationOptions); err == nil && json.Unmarshal(raw, &o) == nil && o.Trust != "" {
			s.loadTrust(o)
		}
	}
	s.mu.Lock()
	if s.trust == nil {
		s.trust = mssante.NewTrustSpace(nil)
		s.pending = append(s.pending, protocol.ShowMessageParams{Type: protocol.MessageTypeLog, Message: s.printer().Text(msgFallback)})
	}
	s.mu.Unlock()

	sync := protocol.TextDocumentSyncKindIncremental
	yes := true
	version := serverVersion()
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync:           protocol.TextDocumentSyncOptions{OpenClose: &yes, Change: &sync},
			CompletionProvider:         &protocol.CompletionOptions{TriggerCharacters: []string{"@"}},
			HoverProvider:              true,
			DocumentFormattingProvider: true,
		},
		ServerInfo: &protocol.InitializeResultServerInfo{Name: "tamis", Version: &version},
	}, nil
}

// loadTrust loads the list o names, relative to the workspace root, into
// the server's trust space; a failure is shown to the user and leaves the
// trust space as it was.
func (s *Server) loadTrust(o initOptions) {
	s.mu.Lock()
	root := s.root
	s.mu.Unlock()
	path := o.Trust
	if !filepath.IsAbs(path) && root != "" {
		path = filepath.Join(root, path)
	}
	l, err := mssante.LoadList(path, o.Checksum)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.log.Warn("load trust list", "path", path, "err", err)
		s.pending = append(s.pending, protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: s.printer().Text(msgTrustLoad(path, err))})
		return
	}
	s.log.Info("trust list loaded", "path", path, "domains", l.Len(), "verified", o.Checksum != "")
	if s.trust == nil {
		s.trust = mssante.NewTrustSpace(l)
		return
	}
	if err := s.trust.Replace(l); err != nil {
		s.pending = append(s.pending, protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: s.printer().Text(msgTrustLoad(path, err))})
	}
}

// printer prints in the language of the session: the client's locale when
// it names a supported language, else Options.Language.
func (s *Server) printer() *locale.Printer { return s.lang.Load() }

// rootDir returns the workspace root directory of a client, or "".
func rootDir(params *protocol.InitializeParams) string {
	if params.RootURI != nil {
		if p := uriPath(*params.RootURI); p != "" {
			return p
		}
	}
	if params.RootPath != nil {
		return *params.RootPath
	}
	return ""
}

// uriPath returns the file path of a file: URI, or "" for another scheme.
func uriPath(uri protocol.DocumentUri) string {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.FromSlash(u.Path)
}

func (s *Server) initialized(ctx *glsp.Context, _ *protocol.InitializedParams) error {
	s.say(ctx)
	return nil
}

// say sends the messages waiting for the client.
func (s *Server) say(ctx *glsp.Context) {
	s.mu.Lock()
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, m := range pending {
		method := protocol.ServerWindowShowMessage
		if m.Type == protocol.MessageTypeLog {
			method = protocol.ServerWindowLogMessage
		}
		ctx.Notify(method, m)
	}
}

// didChangeConfiguration reloads the trust list when the client's "tamis"
// settings name one, and checks the open documents again.
func (s *Server) didChangeConfiguration(ctx *glsp.Context, params *protocol.DidChangeConfigurationParams) error {
	var settings struct {
		Tamis *initOptions `json:"tamis"`
	}
	raw, err := json.Marshal(params.Settings)
	if err != nil || json.Unmarshal(raw, &settings) != nil || settings.Tamis == nil || settings.Tamis.Trust == "" || s.opts.Trust != nil {
		return nil
	}
	s.loadTrust(*settings.Tamis)
	s.say(ctx)
	s.mu.Lock()
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	for _, d := range docs {
		s.publish(ctx, d)
	}
	return nil
}

func (s *Server) shutdownRequest(*glsp.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil
}

// trustSpace returns the trust space documents are checked against.
func (s *Server) trustSpace() *mssante.TrustSpace {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.trust == nil {
		s.trust = mssante.NewTrustSpace(nil)
	}
	return s.trust
}

// compileOptions are the engine options of a check.
func (s *Server) compileOptions() engine.Options {
	o := engine.DefaultOptions()
	o.Trust = s.trustSpace()
	o.Tracker = s.tracker
	return o
}

// serverVersion is the module version of the binary, "(devel)" when built
// from a work tree.
func serverVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
