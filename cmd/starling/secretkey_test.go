package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"starling/apptest"
)

// TestLoadSecretKey: a key given as base64 or hex is used; without one a
// key file is made on the first start (mode 0600) and read on the next;
// a file others may read, and keys of the wrong size, are refused.
func TestLoadSecretKey(t *testing.T) {
	want := bytes.Repeat([]byte{0xab}, 32)
	for name, v := range map[string]string{
		"Base64":    base64.StdEncoding.EncodeToString(want),
		"Base64URL": base64.RawURLEncoding.EncodeToString(want),
		"Hex":       hex.EncodeToString(want),
	} {
		key, path, created, err := loadSecretKey(v, t.TempDir())
		if err != nil || !bytes.Equal(key, want) || path != "" || created {
			t.Errorf("%s: %x %q %v %v", name, key, path, created, err)
		}
	}
	for name, v := range map[string]string{
		"Short":   base64.StdEncoding.EncodeToString(want[:16]),
		"Garbage": "not a key at all!",
	} {
		if _, _, _, err := loadSecretKey(v, t.TempDir()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}

	dir := filepath.Join(t.TempDir(), "data")
	first, path, created, err := loadSecretKey("", dir)
	if err != nil || !created || len(first) != 32 || path != filepath.Join(dir, "secret.key") {
		t.Fatalf("first start: %x %q %v %v", first, path, created, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
	again, _, created, err := loadSecretKey("", dir)
	if err != nil || created || !bytes.Equal(again, first) {
		t.Fatalf("second start: %x %v %v; want the same key, read", again, created, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := loadSecretKey("", dir); err == nil {
		t.Fatal("a key file others may read was accepted")
	}
}

// TestServeMakesKeyFile: the server makes its key file on the first start.
func TestServeMakesKeyFile(t *testing.T) {
	_, data := MustRunMain(t)
	info, err := os.Stat(filepath.Join(data, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("data/secret.key: %v, %v", info, err)
	}
}

// TestSecretKeyFileKeptWithRedis: a community that began on one server
// keeps using its key file when it adds --redis without --secret-key, so
// the secrets sealed with it still open; with no file, none is made and
// secrets are stored as they are.
func TestSecretKeyFileKeptWithRedis(t *testing.T) {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, withFile := range []bool{true, false} {
		data := t.TempDir()
		if withFile {
			key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
			if err := os.WriteFile(filepath.Join(data, "secret.key"), []byte(key+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		svc, db := apptest.MustService(t, "sqlite", apptest.Instance())
		if err := setSecretKey(svc, Config{Redis: "redis://127.0.0.1:6379/0", Data: data}, logger); err != nil {
			t.Fatal(err)
		}
		a := apptest.MustAccount(t, svc, "ann")
		u, err := db.User(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.BeginTwoFactor(ctx, u); err != nil {
			t.Fatal(err)
		}
		w, _ := db.SQL()
		var stored string
		if err := w.QueryRowContext(ctx, `SELECT secret FROM two_factors WHERE account_id = $1`, a.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if sealed := strings.HasPrefix(stored, "gcm1:"); sealed != withFile {
			t.Errorf("key file %v: secret sealed %v", withFile, sealed)
		}
		if _, err := os.Stat(filepath.Join(data, "secret.key")); !withFile && err == nil {
			t.Error("a key file was made for one of several servers")
		}
	}
}
