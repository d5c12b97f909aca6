package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := Hasher{Params: Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}
	hash, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", hash)
	}
	if ok, err := h.Verify(hash, "correct horse battery staple"); err != nil || !ok {
		t.Fatalf("Verify(right password) = %v, %v; want true", ok, err)
	}
	if ok, err := h.Verify(hash, "correct horse battery stapler"); err != nil || ok {
		t.Fatalf("Verify(wrong password) = %v, %v; want false", ok, err)
	}
	again, _ := h.Hash("correct horse battery staple")
	if again == hash {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	// A hash made with other parameters still verifies: they travel in the string.
	if ok, err := (Hasher{}).Verify(hash, "correct horse battery staple"); err != nil || !ok {
		t.Fatalf("Verify with default params = %v, %v; want true", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	for name, hash := range map[string]string{
		"Empty":       "",
		"Bcrypt":      "$2a$10$abcdefghijklmnopqrstuu",
		"BadVersion":  "$argon2id$v=1$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"HugeMemory":  "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"BadBase64":   "$argon2id$v=19$m=1024,t=1,p=1$!!!$aGFzaA",
		"ZeroThreads": "$argon2id$v=19$m=1024,t=1,p=0$c2FsdHNhbHQ$aGFzaA",
	} {
		t.Run(name, func(t *testing.T) {
			if ok, err := (Hasher{}).Verify(hash, "x"); err == nil || ok {
				t.Fatalf("Verify(%q) = %v, %v; want ErrMalformed", hash, ok, err)
			}
		})
	}
}
