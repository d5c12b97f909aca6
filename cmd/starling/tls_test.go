package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// MustSelfSignedCert writes a certificate for 127.0.0.1 and its key, and
// returns their paths and a pool that trusts the certificate.
func MustSelfSignedCert(tb testing.TB) (certFile, keyFile string, pool *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "starling test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS serves HTTPS on a loopback address with a port, and checks
// that every URL the API hands out uses https:// and that exact host:port.
func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := MustSelfSignedCert(t)
	old := http.DefaultTransport
	http.DefaultTransport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(func() { http.DefaultTransport = old })

	base, data := MustRunMain(t, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("base URL %q; want https://127.0.0.1:port", base)
	}
	token := MustCreateAccount(t, data, "alice")
	req, _ := http.NewRequest("GET", base+"/api/v2/instance", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var inst struct {
		Domain        string
		Configuration struct {
			URLs struct{ Streaming string } `json:"urls"`
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&inst)
	resp.Body.Close()
	host := strings.TrimPrefix(base, "https://")
	if inst.Domain != host || inst.Configuration.URLs.Streaming != "wss://"+host {
		t.Fatalf("instance domain %q streaming %q; want %q and wss://%s", inst.Domain, inst.Configuration.URLs.Streaming, host, host)
	}
	s := MustPostForm(t, base+"/api/v1/statuses", token, map[string][]string{"status": {"over TLS"}})
	if !strings.HasPrefix(s["url"], base+"/@alice/") || !strings.HasPrefix(s["uri"], base+"/users/alice/") {
		t.Fatalf("status url %q uri %q; want them under %s", s["url"], s["uri"], base)
	}
}
