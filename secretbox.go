package starling

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// SecretKeySize is the size of the server key: AES-256.
const SecretKeySize = 32

// sealedPrefix marks a value SecretBox sealed; TOTP secrets are base32
// (A–Z, 2–7), so a stored value without it is one kept before encryption.
const sealedPrefix = "gcm1:"

// SecretBox encrypts secrets the server must read back, not only check
// (TOTP keys), with AES-256-GCM under the server key. Each value is sealed
// with a fresh random nonce and bound to what it belongs to (additional
// data such as "two_factor:123"), so a sealed value copied onto another
// row does not open.
type SecretBox struct {
	aead cipher.AEAD
}

// errNoServerKey: a sealed value with no key to open it.
var errNoServerKey = errors.New("secret is encrypted but the server has no key: start it with the same STARLING_SECRET_KEY or data/secret.key as before")

// NewSecretBox returns a box using key, which must be SecretKeySize bytes.
func NewSecretBox(key []byte) (*SecretBox, error) {
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("server key: %d bytes, want %d", len(key), SecretKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead: aead}, nil
}

// seal encrypts plain for what it belongs to. A nil box keeps it as it is.
func (b *SecretBox) seal(plain, belongsTo string) string {
	if b == nil {
		return plain
	}
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(belongsTo))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// open decrypts a stored value; sealed reports whether it was encrypted
// (false: a value kept before encryption, returned as it is, for the
// caller to seal on its next write).
func (b *SecretBox) open(stored, belongsTo string) (plain string, sealed bool, err error) {
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, false, nil
	}
	if b == nil {
		return "", true, errNoServerKey
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", true, fmt.Errorf("open secret: malformed")
	}
	n := b.aead.NonceSize()
	out, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(belongsTo))
	if err != nil {
		return "", true, fmt.Errorf("open secret: wrong server key or a damaged value: %w", err)
	}
	return string(out), true, nil
}

// SetSecretKey makes the service encrypt TOTP secrets at rest with key
// (SecretKeySize bytes). Without it they are stored as they are, as before;
// secrets stored that way keep working and are encrypted on their next
// use once a key is set.
func (svc *Service) SetSecretKey(key []byte) error {
	b, err := NewSecretBox(key)
	if err != nil {
		return err
	}
	svc.secrets = b
	return nil
}
