package vacation

import (
	"crypto/sha256"
	"encoding/hex"
)

// Addresses of the test mailbox.
const (
	mailbox = "cabinet-des-lilas.93260@esantepdl.mssante.fr"
	also    = "a.martin@medecin.mssante.fr"
	sender  = "dr.martin@chu-nantes.mssante.fr"
)

// responseID stands for the engine's response identifier: any string
// that changes with the reply's content.
func responseID(subject, body, from, handle string) string {
	if handle != "" {
		return handle
	}
	sum := sha256.Sum256([]byte(subject + "\x00" + body + "\x00" + from))
	return hex.EncodeToString(sum[:])
}
