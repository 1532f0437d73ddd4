// Command ferretdb runs FerretDB v1 (MongoDB wire protocol over SQLite) for local
// development and tests on machines without MongoDB. It embeds the upstream
// package rather than `go install`-ing the upstream command, which panics on a
// missing version file when built outside its own repository.
//
// It prints one line `ready mongodb://host:port/` on stdout once it accepts
// connections (so a launcher can use port 0 and learn the real port), and
// exits cleanly on SIGINT/SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free one)")
	dataDir := flag.String("data-dir", "data/ferretdb", "directory holding the SQLite databases")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("bad -data-dir: %v", err)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		fail("cannot create data dir: %v", err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail("cannot start: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// The listener is bound inside New, so the URI is already final here.
	fmt.Printf("ready %s\n", f.MongoDBURI())

	select {
	case err = <-done:
		if err != nil && ctx.Err() == nil {
			fail("stopped: %v", err)
		}
	case <-ctx.Done():
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			fail("did not stop within 5s")
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
