#!/usr/bin/env bash
# Builds tiny Go binaries for the gobinary analyzer tests, offline, into $1.
#   mod_amd64   module mode, one dependency replaced by a local directory, build settings
#   mod_386     the same for GOARCH=386 (ELF32)
#   mod_s390x   the same for GOARCH=s390x (big endian)
#   gopath      built with GO111MODULE=off (no module info)
set -euo pipefail
out=$(realpath "$1")
mkdir -p "$out"
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE=${GOCACHE:-/tmp/hivesec-test-gocache} GOPATH=$src/gopath HOME=${HOME:-$src}

mkdir -p "$src/greet" "$src/hello"
cat >"$src/greet/go.mod" <<'G'
module example.com/greet

go 1.17
G
cat >"$src/greet/greet.go" <<'G'
package greet

func Hello() string { return "hello\n" }
G
cat >"$src/hello/go.mod" <<'G'
module example.com/org/hello

go 1.17

require example.com/greet v1.2.3

replace example.com/greet => ../greet
G
cat >"$src/hello/main.go" <<'G'
package main

import (
	"os"

	"example.com/greet"
)

func main() { os.Stdout.WriteString(greet.Hello()) }
G
(cd "$src/hello" && go build -trimpath -ldflags=-buildid= -o "$out/mod_amd64" .)
(cd "$src/hello" && GOARCH=386 go build -trimpath -o "$out/mod_386" .)
(cd "$src/hello" && GOARCH=s390x go build -trimpath -o "$out/mod_s390x" .)

mkdir -p "$src/gopath/src/plain"
cat >"$src/gopath/src/plain/main.go" <<'G'
package main

import "os"

func main() { os.Stdout.WriteString("plain\n") }
G
(cd "$src/gopath/src/plain" && GO111MODULE=off go build -o "$out/gopath" .)
