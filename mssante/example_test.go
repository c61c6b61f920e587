package mssante_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tamis-mss/tamis/mssante"
)

// cabinetList is a two-domain list in the published format.
const cabinetList = `<?xml version="1.0" encoding="UTF-8"?>
<ListeBlancheMSSante xmlns="https://listeblanche.mssante.fr/schema">
  <DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration>
  <ListeDomaines>
    <Domaine><Nom>lilas.mssante.fr</Nom><DateMAJ>2025-03-13T14:54:10Z</DateMAJ></Domaine>
    <Domaine><Nom>interop-mssante.apicrypt.org</Nom><DateMAJ>2025-03-13T14:54:10Z</DateMAJ></Domaine>
  </ListeDomaines>
</ListeBlancheMSSante>`

func ExampleParseAddress() {
	for _, s := range []string{
		"Secretariat@Lilas.MSSante.fr",
		"dr@mssanté.fr",
		"Dr Martin <dr.martin@lilas.mssante.fr>",
		"dr@lilas.mss\u200bante.fr",
		"dr%gmail.com@lilas.mssante.fr",
	} {
		a, err := mssante.ParseAddress(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(a)
	}
	// Output:
	// Secretariat@lilas.mssante.fr
	// dr@xn--mssant-gva.fr
	// invalid address "Dr Martin <dr.martin@lilas.mssante.fr>": display names and angle brackets are not allowed; give the bare address
	// invalid address "dr@lilas.mss\u200bante.fr": contains the invisible character U+200B
	// invalid address "dr%gmail.com@lilas.mssante.fr": '%' routing is not allowed
}

func ExampleList_Authorize() {
	list, err := mssante.ParseList(strings.NewReader(cabinetList))
	if err != nil {
		fmt.Println(err)
		return
	}
	self := []string{"cabinet@lilas.mssante.fr"}
	for _, s := range []string{
		"secretariat@lilas.mssante.fr",
		"secretariat@lilas.mssanté.fr",
		"cabinet@lilas.mssante.fr",
		"dr@gmail.com",
	} {
		target, err := list.Authorize(s, self...)
		var refusal *mssante.Refusal
		if errors.As(err, &refusal) {
			fmt.Printf("%s: %s (suggestion %q)\n", refusal.Code, refusal.Input, refusal.Suggestion)
			continue
		}
		fmt.Println("reroute to", target)
	}
	// Output:
	// reroute to secretariat@lilas.mssante.fr
	// outside-trust-space: secretariat@lilas.mssanté.fr (suggestion "secretariat@lilas.mssante.fr")
	// self-target: cabinet@lilas.mssante.fr (suggestion "")
	// outside-trust-space: dr@gmail.com (suggestion "")
}

func ExampleList_Classify() {
	list, err := mssante.ParseList(strings.NewReader(cabinetList))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []string{
		"noreply@lilas.mssante.fr",
		"269054958815780@patient.mssante.fr",
		"269054958815781@patient.mssante.fr",
		"dr@apicrypt.org",
		"dr@interop-mssante.apycrypt.org",
	} {
		c := list.Classify(s)
		fmt.Printf("%s (%s): %s\n", c.Verdict, c.Kind, c.Reason)
		if c.Suggestion != "" {
			fmt.Printf("  did you mean %s?\n", c.Suggestion)
		}
	}
	// Output:
	// trusted (applicative): listed in the trust list of 2025-03-13
	// patient (patient): patient mailbox (Mon espace santé), INS key checked
	// invalid (patient): patient mailbox with an invalid matricule INS: wrong key 81, the number gives 80
	// outside (other): apicrypt.org is not an Apicrypt v2 interoperability domain (Apicrypt v1 is not interoperable with MSSanté; only interop-mssante.apicrypt.org and mssante.apicrypt.org are listed)
	// outside (other): interop-mssante.apycrypt.org is not in the trust list of 2025-03-13
	//   did you mean dr@interop-mssante.apicrypt.org?
}

func ExampleTrustSpace() {
	ts := mssante.NewTrustSpace(nil) // the built-in fallback until a list is loaded
	fmt.Println(ts.List().Verified(), ts.List().Contains("any.mssante.fr"))

	list, err := mssante.ParseList(strings.NewReader(cabinetList))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := ts.Replace(list); err != nil { // a daily refresh
		fmt.Println(err)
	}
	fmt.Println(ts.List().Verified(), ts.List().Contains("any.mssante.fr"), ts.List().Contains("LILAS.mssante.fr"))
	// Output:
	// false true
	// true false true
}

func ExampleParseINS() {
	ins, err := mssante.ParseINS("269054958815780")
	fmt.Println(ins.NIR(), ins.Key(), err)
	_, err = mssante.ParseINS("269054958815781")
	fmt.Println(err)
	// Output:
	// 2690549588157 80 <nil>
	// invalid INS "269054958815781": wrong key 81, the number gives 80
}

// LoadList reads a list published by ANS and checks it against the SHA-256
// published with it: a list that does not match is refused. Names that are
// not domains are set aside, not trusted.
func ExampleLoadList() {
	// An excerpt of ANS's listeblanchemssante.xml and its published SHA-256
	// (here computed; an operator reads it from the "checksum" file).
	xml := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ListeBlancheMSSante xmlns="https://listeblanche.mssante.fr/schema">
  <DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration>
  <ListeDomaines>
    <Domaine><Nom>chu-nantes.mssante.fr</Nom><DateMAJ>2025-03-13T14:54:10Z</DateMAJ></Domaine>
    <Domaine><Nom>UC-CMP.mssante.fr</Nom><DateMAJ>2025-03-13T14:54:10Z</DateMAJ></Domaine>
    <Domaine><Nom>sessad@ase.ditepbeziers.mssante.fr</Nom></Domaine>
  </ListeDomaines>
</ListeBlancheMSSante>`)
	dir, _ := os.MkdirTemp("", "liste")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "listeblanchemssante.xml")
	_ = os.WriteFile(path, xml, 0o644)
	sum := sha256.Sum256(xml)

	l, err := mssante.LoadList(path, hex.EncodeToString(sum[:]))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Entries(), "entries,", l.Len(), "distinct domains, generated", l.Generated().Format("2006-01-02"), "verified:", l.Verified())
	fmt.Println("set aside:", l.Rejected())
	fmt.Println(l.Contains("chu-nantes.mssante.fr"), l.Contains("uc-cmp.mssante.fr"), l.Contains("gmail.com"))

	_, err = mssante.LoadList(path, strings.Repeat("0", 64))
	fmt.Println(err != nil)
	// Output:
	// 3 entries, 2 distinct domains, generated 2025-03-13 verified: true
	// set aside: [sessad@ase.ditepbeziers.mssante.fr]
	// true true false
	// true
}
