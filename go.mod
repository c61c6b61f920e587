module github.com/tamis-mss/tamis

go 1.26.0

require (
	github.com/alecthomas/participle/v2 v2.1.4
	github.com/fsnotify/fsnotify v1.10.1
	github.com/sourcegraph/jsonrpc2 v0.2.0
	github.com/stretchr/testify v1.12.1
	github.com/tliron/glsp v0.2.2
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.50.0
	golang.org/x/text v0.44.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
