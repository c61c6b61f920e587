package main

import (
	"fmt"
	"runtime/debug"
)

// versionLine is what "tamis version" prints: the module version (a tag
// when installed with go install …@vX, "(devel)" in a work tree), the
// commit and its date when the binary was built from a VCS checkout, and
// the Go version.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "tamis (no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	line := "tamis " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += fmt.Sprintf(" (%s%s", rev, dirty)
		if at != "" {
			line += " " + at
		}
		line += ")"
	}
	return line + " " + bi.GoVersion
}
