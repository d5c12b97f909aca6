package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"starling"
)

// secretKeyFile is the server key's file in the data folder, made on the
// first start when no --secret-key is given.
const secretKeyFile = "secret.key"

// loadSecretKey returns the server key that encrypts secrets at rest (TOTP
// keys): --secret-key / STARLING_SECRET_KEY if set (32 bytes, as base64 or
// hex), else the key in data/secret.key, which is created with a fresh
// random key and mode 0600 on the first start. A key file that others than
// its owner may read is refused: the key is only worth having if the
// database alone does not give it away. created says a new file was made.
func loadSecretKey(value, dataDir string) (key []byte, path string, created bool, err error) {
	if value = strings.TrimSpace(value); value != "" {
		key, err = decodeSecretKey(value)
		if err != nil {
			return nil, "", false, fmt.Errorf("--secret-key: %w", err)
		}
		return key, "", false, nil
	}
	path = filepath.Join(dataDir, secretKeyFile)
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, path, false, err
	}
	fresh := make([]byte, starling.SecretKeySize)
	_, _ = rand.Read(fresh)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		_, werr := f.WriteString(base64.StdEncoding.EncodeToString(fresh) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path)
			return nil, path, false, fmt.Errorf("write %s: %w", path, werr)
		}
		return fresh, path, true, nil
	case !errors.Is(err, fs.ErrExist):
		return nil, path, false, fmt.Errorf("create %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, path, false, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, path, false, fmt.Errorf("%s may be read by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, path, false, err
	}
	if key, err = decodeSecretKey(string(b)); err != nil {
		return nil, path, false, fmt.Errorf("%s: %w", path, err)
	}
	return key, path, false, nil
}

// decodeSecretKey reads a 32-byte key written as base64 (standard or URL,
// padded or not) or as 64 hex digits.
func decodeSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*starling.SecretKeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != starling.SecretKeySize {
				return nil, fmt.Errorf("the key is %d bytes; want %d (e.g. openssl rand -base64 32)", len(b), starling.SecretKeySize)
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("the key is neither base64 nor hex; make one with: openssl rand -base64 32")
}

// setSecretKey gives svc the server key. Several servers (--redis) must
// share one key, which a file each server makes in its own data folder
// would not be: without --secret-key they make no key file and keep
// two-factor secrets unencrypted, as before, and say so, rather than each
// encrypt with a key the others cannot open. A key file already there
// (from running on one server) is still used.
func setSecretKey(svc *starling.Service, cfg Config, logger *slog.Logger) error {
	if cfg.SecretKey == "" && cfg.Redis != "" {
		// A community that began on one server has a key file already,
		// and secrets sealed with it: ignoring it would break every
		// two-factor code, so it is used, and the others must be given it.
		if _, err := os.Stat(filepath.Join(cfg.Data, secretKeyFile)); err != nil {
			logger.Warn("two-factor secrets are stored unencrypted: with several servers, give them all the same STARLING_SECRET_KEY (see SECURITY.md)")
			return nil
		}
		logger.Warn("using the server key in the data folder: give every server this same key as STARLING_SECRET_KEY (see SECURITY.md)")
	}
	key, path, created, err := loadSecretKey(cfg.SecretKey, cfg.Data)
	if err != nil {
		return fmt.Errorf("server key: %w", err)
	}
	if err := svc.SetSecretKey(key); err != nil {
		return fmt.Errorf("server key: %w", err)
	}
	if created {
		logger.Info("made a new server key; back it up apart from the database (see SECURITY.md)", "file", path)
	}
	return nil
}
