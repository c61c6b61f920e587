package locale

import (
	"strings"

	"golang.org/x/text/language"
)

// The languages tamis speaks. English is the language of the code and the
// fallback.
var (
	English = language.English
	French  = language.French
)

// Supported lists the languages, English first.
var Supported = []language.Tag{English, French}

// Parse returns the supported language named by s, a --lang value or a
// POSIX locale ("fr", "fr_FR.UTF-8", "en-GB"), and whether s names one.
// "C" and "POSIX" are English.
func Parse(s string) (language.Tag, bool) {
	s = strings.TrimSpace(s)
	if s == "C" || s == "POSIX" {
		return English, true
	}
	// A POSIX locale: language[_TERRITORY][.codeset][@modifier].
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "_", "-")
	tag, err := language.Parse(s)
	if err != nil {
		return English, false
	}
	base, _ := tag.Base()
	for _, t := range Supported {
		if b, _ := t.Base(); b == base {
			return t, true
		}
	}
	return English, false
}

// Detect chooses the language: the --lang value when given, else the
// first of LC_ALL, LC_MESSAGES and LANG that is set, as POSIX programs do;
// English when none names a supported language. getenv is os.Getenv in
// the CLI. ok is false only when lang is given and not supported.
func Detect(lang string, getenv func(string) string) (tag language.Tag, ok bool) {
	if lang != "" {
		return Parse(lang)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			tag, _ := Parse(v)
			return tag, true
		}
	}
	return English, true
}
