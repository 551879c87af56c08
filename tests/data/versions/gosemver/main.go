// Reference oracle for the go scheme tests: Go's own module-version ordering
// (golang.org/x/mod/semver, the copy vendored in the Go toolchain's source tree, which the test
// copies next to this file at run time as package gosemver/semver; it is not part of hivesec).
//
// Reads "A<TAB>B" lines on stdin (module versions as Go writes them, "v1.2.3"); prints "<", "="
// or ">" per pair as semver.Compare orders them, or "E" when either is not a valid module
// version.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"gosemver/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		pair := strings.SplitN(in.Text(), "\t", 2)
		if len(pair) != 2 {
			fmt.Fprintln(out, "E")
			continue
		}
		a, b := pair[0], pair[1]
		if !semver.IsValid(a) || !semver.IsValid(b) {
			fmt.Fprintln(out, "E")
			continue
		}
		fmt.Fprintln(out, [...]string{"<", "=", ">"}[semver.Compare(a, b)+1])
	}
}
