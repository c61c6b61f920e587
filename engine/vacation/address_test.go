package vacation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizeAddress(t *testing.T) {
	require.Equal(t, "dr.martin@chu-nantes.mssante.fr", NormalizeAddress(" <Dr.Martin@CHU-Nantes.mssante.fr> "))
	k := Key{Mailbox: "Cabinet@X.fr", Sender: "<A@B.fr>", Response: "Handle"}.Normalize()
	require.Equal(t, Key{"cabinet@x.fr", "a@b.fr", "Handle"}, k, "the response is kept as is")
}
