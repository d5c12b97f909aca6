package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
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
