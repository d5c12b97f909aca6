package loadtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClient(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/timelines/home", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("since_id") != "5" || r.URL.Query().Get("limit") != "40" {
			t.Errorf("home timeline query %q", r.URL.RawQuery)
		}
		w.Write([]byte(`[{"id":"7","visibility":"public","favourited":true,"reblog":{"id":"3","visibility":"public"}}]`))
	})
	mux.HandleFunc("POST /api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("status") != "hello #adassspring" || r.FormValue("visibility") != "public" {
			t.Errorf("post form %v", r.Form)
		}
		w.Write([]byte(`{"id":"8"}`))
	})
	mux.HandleFunc("GET /api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("GET /api/v1/instance", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"version":"3.5.3"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := NewClient(srv.URL+"/", 4, "test")
	ctx := context.Background()

	list, err := c.HomeTimeline(ctx, "tok", "5", 40)
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{{ID: "7", Visibility: "public", Favourited: true, Reblog: &Status{ID: "3", Visibility: "public"}}}
	if diff := cmp.Diff(want, list); diff != "" {
		t.Fatalf("home timeline (-want +got):\n%s", diff)
	}
	if id, err := c.PostStatus(ctx, "tok", "hello #adassspring"); err != nil || id != "8" {
		t.Fatalf("PostStatus = %q, %v", id, err)
	}
	if v, err := c.Instance(ctx); err != nil || v != "3.5.3" {
		t.Fatalf("Instance = %q, %v; want the v1 version when v2 is missing", v, err)
	}

	_, err = c.HomeTimeline(ctx, "wrong", "5", 40)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized || ErrorKey(err) != "401" {
		t.Fatalf("bad token: %v, want a 401 StatusError", err)
	}
	if err := c.Get(ctx, "/api/v1/nothing", ""); ErrorKey(err) != "404" {
		t.Fatalf("missing path: %v, want 404", err)
	}

	srv.Close()
	if err := c.Get(ctx, "/api/v1/instance", ""); err == nil || ErrorKey(err) != "net" {
		t.Fatalf("closed server: %v, want a net error", err)
	}
}

func TestPrepareBaseline(t *testing.T) {
	for name, tc := range map[string]struct {
		healthz  int
		wantPath string
		wantNote bool
	}{
		"Healthz":        {http.StatusOK, "/healthz", false},
		"NoHealthz":      {http.StatusNotFound, "/api/v1/instance", true},
		"HealthzFailing": {http.StatusServiceUnavailable, "/healthz", false}, // measured, and its errors shown
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/healthz" {
					w.WriteHeader(tc.healthz)
				}
			}))
			defer srv.Close()
			b := &bench{c: NewClient(srv.URL, 1, "")}
			note := b.prepareBaseline(context.Background())
			if b.healthPath != tc.wantPath || (note != "") != tc.wantNote {
				t.Fatalf("path %q, note %q; want %q, a note: %v", b.healthPath, note, tc.wantPath, tc.wantNote)
			}
		})
	}
}
