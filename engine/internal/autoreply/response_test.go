package autoreply

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResponseID(t *testing.T) {
	base := ResponseID("Absence", "Le cabinet est fermé.", "cabinet@esantepdl.mssante.fr", "")
	require.Regexp(t, `^sha256:[0-9a-f]{32}$`, base)
	require.Equal(t, base, ResponseID("Absence", "Le cabinet est fermé.", "cabinet@esantepdl.mssante.fr", ""), "stable")
	for _, other := range []string{
		ResponseID("Absence.", "Le cabinet est fermé.", "cabinet@esantepdl.mssante.fr", ""),
		ResponseID("Absence", "Le cabinet est fermé !", "cabinet@esantepdl.mssante.fr", ""),
		ResponseID("Absence", "Le cabinet est fermé.", "secretariat@esantepdl.mssante.fr", ""),
		// Fields are length-prefixed: moving text from one to the next changes the id.
		ResponseID("AbsenceLe cabinet", " est fermé.", "cabinet@esantepdl.mssante.fr", ""),
	} {
		require.NotEqual(t, base, other)
	}
	require.Equal(t, "conges-hiver", ResponseID("Absence", "x", "", "conges-hiver"), "the handle wins")
	require.Equal(t, ResponseID("", "", "", "h"), ResponseID("a", "b", "c", "h"))
	require.True(t, strings.HasPrefix(ResponseID("", "", "", ""), "sha256:"), "empty content is hashed too")
}
