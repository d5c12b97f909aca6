// Command starling runs a Starling server and its administration tasks.
//
//	starling serve [flags]                 run the server
//	starling admin create-account [flags]  create an approved account
//	starling admin reset-two-factor [flags] turn off a member's lost second factor
//	starling demo [flags]                  seed a demo community
//	starling bench [flags]                 load-test a Mastodon-compatible server
//	starling generate [flags]              fill an empty database for benchmarks
//	starling migrate-db [flags]            move a community from SQLite to PostgreSQL
//	starling version                       print the version
//
// Every flag can also be set through the environment as STARLING_<NAME>,
// for example STARLING_DB for --db.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is Starling's own version; the API reports it beside the Mastodon level it speaks.
var version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "starling:", err)
		os.Exit(1)
	}
}

const usage = `Usage:
  starling serve [flags]                  run the server (see starling serve -h)
  starling admin create-account [flags]   create a confirmed, approved account
  starling admin reset-two-factor [flags] turn off the second factor of a member who lost it (--username, --by, --reason)
  starling demo [flags]                   seed a demo community for trying Starling
  starling bench [flags]                  load-test a Mastodon-compatible server
  starling generate [flags]               fill an empty database with a synthetic community
  starling migrate-db [flags]             move a community from SQLite to PostgreSQL (--from, --to)
  starling version                        print the version
`

// run is the whole program, so tests can start it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "admin":
		return runAdmin(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], getenv, stdout, stderr)
	case "generate":
		return runGenerate(ctx, args[1:], getenv, stdout, stderr)
	case "migrate-db":
		return runMigrateDB(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "starling", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
