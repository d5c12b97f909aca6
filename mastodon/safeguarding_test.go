package mastodon_test

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	gomastodon "github.com/mattn/go-mastodon"

	"starling"
	"starling/sqldb/sqldbtest"
)

// A valid NHS number (NHS Digital's own example).
const (
	nhsNumber = "943 476 5919"
	nhsDigits = "9434765919"
)

// personalDataBody is the error body of text the safeguarding check refused.
type personalDataBody struct {
	Error   string `json:"error"`
	Details []struct {
		Rule  string `json:"rule"`
		Label string `json:"label"`
		Field string `json:"field"`
		Start int    `json:"start"`
		End   int    `json:"end"`
	} `json:"details"`
	Confirmable *bool `json:"confirmable"`
}

// mustRefuse sends r, wants a 422 that names label and field, never holds
// the value, and says whether confirming would help.
func (ts *testServer) mustRefuse(t *testing.T, r request, field, label string, confirmable bool) personalDataBody {
	t.Helper()
	var e personalDataBody
	res := ts.MustCall(t, r, http.StatusUnprocessableEntity, &e)
	if !strings.Contains(e.Error, label) {
		t.Errorf("%s %s: error %q does not name %q", r.method, r.path, e.Error, label)
	}
	if bytes.Contains(res.Body, []byte(nhsNumber)) || bytes.Contains(res.Body, []byte(nhsDigits)) || bytes.Contains(res.Body, []byte("476")) {
		t.Errorf("%s %s: the body repeats the value: %s", r.method, r.path, res.Body)
	}
	if len(e.Details) == 0 || e.Details[0].Field != field || e.Details[0].Rule == "" || e.Details[0].End <= e.Details[0].Start {
		t.Errorf("%s %s: details %+v, want a finding in %q", r.method, r.path, e.Details, field)
	}
	if e.Confirmable == nil || *e.Confirmable != confirmable {
		t.Errorf("%s %s: confirmable %v, want %v", r.method, r.path, e.Confirmable, confirmable)
	}
	return e
}

// TestSafeguardingAPI: the API refuses personal data with 422 and an error
// that says what and where (offsets into the text as sent) without the
// value, on every request that publishes text; under the default policy,
// confirm_personal_data changes nothing.
func TestSafeguardingAPI(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		var ts *testServer
		if engine == "sqlite" {
			ts, _ = mustMediaServer(t) // uploads are tested once
		} else {
			ts = MustServer(t, engine)
		}
		ann := ts.MustUser(t, "ann")
		ts.MustUser(t, "bob")
		ctx := context.Background()

		// Through a Mastodon client library, which shows the error as Mastodon's.
		c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
		_, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "Her NHS number is " + nhsNumber})
		var apiErr *gomastodon.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(apiErr.Message, "an NHS number (in the text, ending …19)") || strings.Contains(apiErr.Message, nhsNumber) {
			t.Fatalf("go-mastodon PostStatus: %v", err)
		}

		text := "Her NHS number is " + nhsNumber + "."
		e := ts.mustRefuse(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {text}}), "status", "an NHS number", false)
		if d := e.Details[0]; d.Rule != "nhs_number" || d.Label != "an NHS number" || text[d.Start:d.End] != nhsNumber {
			t.Errorf("details %+v", d)
		}
		ts.mustRefuse(t, request{method: "POST", path: "/api/v1/statuses", token: ann.Token,
			json: map[string]any{"status": text, "confirm_personal_data": true}}, "status", "an NHS number", false)
		ts.mustRefuse(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {"@bob " + text}, "visibility": {"direct"}}), "status", "an NHS number", false)
		ts.mustRefuse(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {"Which?"}, "poll[options][]": {"Mr A", nhsDigits}, "poll[expires_in]": {"3600"}}),
			"poll[options][1]", "answer 2 of the poll", false)
		ts.mustRefuse(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {"Update"}, "spoiler_text": {"Re " + nhsNumber}}), "spoiler_text", "the content warning", false)

		s := ts.MustPostText(t, ann.Token, "Handover at six")
		ts.mustRefuse(t, request{method: "PUT", path: "/api/v1/statuses/" + s.ID, token: ann.Token, form: url.Values{"status": {"Handover at six for " + nhsNumber}}},
			"status", "an NHS number", false)

		ts.mustRefuse(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: ann.Token,
			form: url.Values{"note": {"Ring me on 07700 900123"}, "confirm_personal_data": {"true"}}}, "note", "a phone number (in the bio, ending …23)", false)
		ts.mustRefuse(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: ann.Token,
			form: url.Values{"fields_attributes[0][name]": {"Client"}, "fields_attributes[0][value]": {nhsNumber}}}, "fields_attributes[0][value]", "an NHS number", false)

		if engine != "sqlite" {
			return
		}
		_, err = c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t)), Description: "Care plan for " + nhsNumber})
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(apiErr.Message, "This image description seems to contain an NHS number") {
			t.Fatalf("upload: %v", err)
		}
		ts.mustRefuse(t, mediaUpload(t, ann.Token, "Care plan for "+nhsNumber, true), "description", "an NHS number", false)
		att, err := c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t)), Description: "A garden"})
		if err != nil {
			t.Fatal(err)
		}
		ts.mustRefuse(t, request{method: "PUT", path: "/api/v1/media/" + string(att.ID), token: ann.Token, form: url.Values{"description": {"Mr C " + nhsNumber}}},
			"description", "an NHS number", false)
		withImage := ts.MustPost(t, ann.Token, url.Values{"status": {"Our garden"}, "media_ids[]": {string(att.ID)}})
		ts.mustRefuse(t, request{method: "PUT", path: "/api/v1/statuses/" + withImage.ID, token: ann.Token, form: url.Values{"status": {"Our garden"},
			"media_ids[]": {string(att.ID)}, "media_attributes[][id]": {string(att.ID)}, "media_attributes[][description]": {"Mr C " + nhsNumber}}},
			"media_attributes["+string(att.ID)+"][description]", "an image description", false)
	})
}

// mediaUpload is POST /api/v2/media of a small image with a description.
func mediaUpload(t *testing.T, token, description string, confirm bool) request {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("file", "photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(jpegWithGPS(t))
	w.WriteField("description", description)
	if confirm {
		w.WriteField("confirm_personal_data", "true")
	}
	w.Close()
	return request{method: "POST", path: "/api/v2/media", token: token, body: b.String(), contentType: w.FormDataContentType()}
}

// TestSafeguardingAPIWarn: where the policy warns, the refusal says it can
// be confirmed, and the same request with confirm_personal_data (form or
// JSON) is accepted.
func TestSafeguardingAPIWarn(t *testing.T) {
	ts, _ := mustMediaServer(t, func(in *starling.Instance) { in.Safeguarding = starling.SafeguardWarn })
	ann := ts.MustUser(t, "ann")
	text := "Our ward's reference is " + nhsNumber

	e := ts.mustRefuse(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {text}}), "status", "confirm it is not personal data", true)
	if !strings.HasPrefix(e.Error, "Validation failed: This post seems to contain an NHS number") {
		t.Errorf("error %q", e.Error)
	}
	ts.mustRefuse(t, post("/api/v1/statuses", ann.Token, url.Values{"status": {text}, "confirm_personal_data": {"false"}}), "status", "an NHS number", true)
	s := ts.MustPost(t, ann.Token, url.Values{"status": {text}, "confirm_personal_data": {"true"}})
	var viaJSON struct{ ID string }
	ts.MustCall(t, request{method: "POST", path: "/api/v1/statuses", token: ann.Token, json: map[string]any{"status": text + ".", "confirm_personal_data": true}}, http.StatusOK, &viaJSON)

	ts.mustRefuse(t, request{method: "PUT", path: "/api/v1/statuses/" + s.ID, token: ann.Token, form: url.Values{"status": {text + " (again)"}}}, "status", "an NHS number", true)
	ts.MustCall(t, request{method: "PUT", path: "/api/v1/statuses/" + s.ID, token: ann.Token,
		form: url.Values{"status": {text + " (again)"}, "confirm_personal_data": {"1"}}}, http.StatusOK, nil)

	profile := url.Values{"fields_attributes[0][name]": {"Office"}, "fields_attributes[0][value]": {"SW1A 1AA"}}
	ts.mustRefuse(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: ann.Token, form: profile}, "fields_attributes[0][value]", "a postcode", true)
	profile.Set("confirm_personal_data", "true")
	ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: ann.Token, form: profile}, http.StatusOK, nil)

	ts.mustRefuse(t, mediaUpload(t, ann.Token, "Poster with "+nhsNumber, false), "description", "an NHS number", true)
	var att struct{ ID string }
	ts.MustCall(t, mediaUpload(t, ann.Token, "Poster with "+nhsNumber, true), http.StatusOK, &att)
	ts.mustRefuse(t, request{method: "PUT", path: "/api/v1/media/" + att.ID, token: ann.Token, form: url.Values{"description": {"Poster for " + nhsNumber}}},
		"description", "an NHS number", true)
	ts.MustCall(t, request{method: "PUT", path: "/api/v1/media/" + att.ID, token: ann.Token,
		form: url.Values{"description": {"Poster for " + nhsNumber}, "confirm_personal_data": {"true"}}}, http.StatusOK, nil)
}

// TestSafeguardingAPIOff: with the check off, the API takes anything.
func TestSafeguardingAPIOff(t *testing.T) {
	ts := MustServer(t, "sqlite", func(in *starling.Instance) { in.Safeguarding = starling.SafeguardOff })
	ann := ts.MustUser(t, "ann")
	ts.MustPostText(t, ann.Token, "NHS "+nhsNumber)
}
