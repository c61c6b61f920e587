package store_test

import (
	"fmt"

	"github.com/tamis-mss/tamis/store"
)

func ExampleParseScriptName() {
	name, err := store.ParseScriptName("Congés d'été")
	fmt.Println(name, err)
	_, err = store.ParseScriptName("../../etc/passwd")
	fmt.Println(err)
	// Output:
	// Congés d'été <nil>
	// invalid script name "../../etc/passwd": it starts with "."
}
