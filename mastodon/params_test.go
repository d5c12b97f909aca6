package mastodon

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
)

// MustMultipart encodes pairs (key, value, key, value…) as a multipart body
// and returns it with its Content-Type.
func MustMultipart(tb testing.TB, pairs ...string) (body, contentType string) {
	tb.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := w.WriteField(pairs[i], pairs[i+1]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.String(), w.FormDataContentType()
}

// paramsView is what the accessors make of a request, for comparing.
type paramsView struct {
	Status         string
	Sensitive      bool
	SensitiveGiven bool
	Limit          int
	IDs            []int64
	Fields         *[]starling.Field
	Page           starling.Page
}

func view(tb testing.TB, p *params) paramsView {
	tb.Helper()
	sens, given := p.boolean("sensitive")
	limit, err := p.integer("limit", -1)
	if err != nil {
		tb.Fatal(err)
	}
	pg, err := p.page()
	if err != nil {
		tb.Fatal(err)
	}
	return paramsView{Status: p.get("status"), Sensitive: sens, SensitiveGiven: given, Limit: limit, IDs: p.ids("id"), Fields: p.fields(), Page: pg}
}

func TestReadParams(t *testing.T) {
	multipartBody, multipartType := MustMultipart(t, "status", "hi", "sensitive", "true", "id[]", "1", "id[]", "2", "limit", "5")
	multipartFields, multipartFieldsType := MustMultipart(t, "fields_attributes[0][name]", "a", "fields_attributes[0][value]", "1", "fields_attributes[1][name]", "b", "fields_attributes[1][value]", "2")
	fields := &[]starling.Field{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}
	basic := paramsView{Status: "hi", Sensitive: true, SensitiveGiven: true, Limit: 5, IDs: []int64{1, 2}, Page: starling.Page{Limit: 5}}
	tests := []struct {
		name   string
		method string
		target string
		ctype  string
		body   string
		want   paramsView
	}{
		{"Form", "POST", "/", "application/x-www-form-urlencoded", "status=hi&sensitive=true&id[]=1&id[]=2&limit=5", basic},
		{"FormOnDELETE", "DELETE", "/", "application/x-www-form-urlencoded", "status=hi&sensitive=true&id[]=1&id[]=2&limit=5", basic},
		{"FormOnPUT", "PUT", "/", "application/x-www-form-urlencoded", "status=hi&sensitive=true&id[]=1&id[]=2&limit=5", basic},
		{"FormCharset", "POST", "/", "application/x-www-form-urlencoded; charset=UTF-8", "status=hi&sensitive=true&id[]=1&id[]=2&limit=5", basic},
		{"FormPlainArrayKey", "POST", "/", "application/x-www-form-urlencoded", "status=hi&sensitive=1&id=1&id=2&limit=5", basic},
		{"Multipart", "POST", "/", multipartType, multipartBody, basic},
		{"MultipartOnDELETE", "DELETE", "/", multipartType, multipartBody, basic},
		{"JSON", "POST", "/", "application/json", `{"status":"hi","sensitive":true,"id":["1","2"],"limit":5}`, basic},
		{"JSONCharset", "POST", "/", "application/json; charset=utf-8", `{"status":"hi","sensitive":"true","id":["1","2"],"limit":"5"}`, basic},
		{"JSONNumberIDs", "POST", "/", "application/json", `{"status":"hi","sensitive":1,"id":[1,2],"limit":5}`, basic},
		{"JSONOnGET", "GET", "/", "application/json", `{"status":"hi","sensitive":true,"id":["1","2"],"limit":5}`, basic},
		{"Query", "GET", "/?status=hi&sensitive=true&id[]=1&id[]=2&limit=5", "", "", basic},
		{"QueryOnPOST", "POST", "/?status=hi&sensitive=true&id[]=1&id[]=2&limit=5", "", "", basic},
		{"BodyWinsOverQuery", "POST", "/?status=query&limit=9", "application/x-www-form-urlencoded", "status=hi&sensitive=true&id[]=1&id[]=2&limit=5", basic},
		{"JSONWinsOverQuery", "POST", "/?status=query", "application/json", `{"status":"hi","sensitive":true,"id":["1","2"],"limit":5}`, basic},
		{"FormBodyIgnoredOnGET", "GET", "/?status=hi", "application/x-www-form-urlencoded", "status=body", paramsView{Status: "hi", Limit: -1}},
		{"UnknownContentType", "POST", "/?status=hi", "text/plain", "status=body", paramsView{Status: "hi", Limit: -1}},
		{"EmptyJSON", "POST", "/?status=hi", "application/json", " \n", paramsView{Status: "hi", Limit: -1}},
		{"JSONNull", "POST", "/?status=hi", "application/json", `{"status":null,"sensitive":null}`, paramsView{Status: "hi", Limit: -1}},
		{"BooleanFalse", "POST", "/", "application/x-www-form-urlencoded", "sensitive=false", paramsView{SensitiveGiven: true, Limit: -1}},
		{"BooleanZero", "POST", "/", "application/x-www-form-urlencoded", "sensitive=0", paramsView{SensitiveGiven: true, Limit: -1}},
		{"BooleanOff", "POST", "/", "application/x-www-form-urlencoded", "sensitive=OFF", paramsView{SensitiveGiven: true, Limit: -1}},
		{"BooleanEmpty", "POST", "/", "application/x-www-form-urlencoded", "sensitive=", paramsView{SensitiveGiven: true, Limit: -1}},
		{"BooleanJSONFalse", "POST", "/", "application/json", `{"sensitive":false}`, paramsView{SensitiveGiven: true, Limit: -1}},
		{"BooleanOn", "POST", "/", "application/x-www-form-urlencoded", "sensitive=on", paramsView{Sensitive: true, SensitiveGiven: true, Limit: -1}},
		{"MalformedIDsSkipped", "GET", "/?id[]=1&id[]=abc&id[]=-4&id[]=2", "", "", paramsView{Limit: -1, IDs: []int64{1, 2}}},
		{"JSONSingleID", "POST", "/", "application/json", `{"id":"7"}`, paramsView{Limit: -1, IDs: []int64{7}}},
		{"LargeJSONNumberID", "POST", "/", "application/json", `{"id":[117701319523506319]}`, paramsView{Limit: -1, IDs: []int64{117701319523506319}}},
		{"Page", "GET", "/?max_id=30&since_id=10&min_id=20&limit=7", "", "", paramsView{Limit: 7, Page: starling.Page{MaxID: 30, SinceID: 10, MinID: 20, Limit: 7}}},
		{"FieldsForm", "PATCH", "/", "application/x-www-form-urlencoded",
			"fields_attributes[0][name]=a&fields_attributes[0][value]=1&fields_attributes[1][name]=b&fields_attributes[1][value]=2", paramsView{Limit: -1, Fields: fields}},
		{"FieldsFormUnordered", "PATCH", "/", "application/x-www-form-urlencoded",
			"fields_attributes[1][value]=2&fields_attributes[1][name]=b&fields_attributes[0][value]=1&fields_attributes[0][name]=a", paramsView{Limit: -1, Fields: fields}},
		{"FieldsMultipart", "PATCH", "/", multipartFieldsType, multipartFields, paramsView{Limit: -1, Fields: fields}},
		{"FieldsJSONArray", "PATCH", "/", "application/json", `{"fields_attributes":[{"name":"a","value":"1"},{"name":"b","value":"2"}]}`, paramsView{Limit: -1, Fields: fields}},
		{"FieldsJSONObject", "PATCH", "/", "application/json", `{"fields_attributes":{"0":{"name":"a","value":"1"},"1":{"name":"b","value":"2"}}}`, paramsView{Limit: -1, Fields: fields}},
		{"FieldsJSONObjectFromOne", "PATCH", "/", "application/json", `{"fields_attributes":{"2":{"name":"b","value":"2"},"1":{"name":"a","value":"1"}}}`, paramsView{Limit: -1, Fields: fields}},
		{"FieldsJSONEmpty", "PATCH", "/", "application/json", `{"fields_attributes":[]}`, paramsView{Limit: -1, Fields: new([]starling.Field)}},
		{"FieldsAbsent", "PATCH", "/", "application/json", `{"note":"x"}`, paramsView{Limit: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if body != nil {
				r = httptest.NewRequest(tt.method, tt.target, body)
			}
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			p, err := readParams(r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, view(t, p)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadParamsErrors(t *testing.T) {
	tests := []struct {
		name  string
		ctype string
		body  string
		code  string
	}{
		{"MalformedJSON", "application/json", `{"status":`, starling.EBADREQUEST},
		{"JSONArray", "application/json", `["status"]`, starling.EBADREQUEST},
		{"JSONString", "application/json", `"status"`, starling.EBADREQUEST},
		{"JSONTwoObjects", "application/json", `{}{}`, starling.EBADREQUEST},
		{"JSONInvalidUTF8", "application/json", "{\"status\":\"\xff\"}", starling.EINVALID},
		{"JSONNUL", "application/json", `{"status":"a\u0000"}`, starling.EINVALID},
		{"JSONNestedNUL", "application/json", `{"fields_attributes":[{"name":"\u0000"}]}`, starling.EINVALID},
		{"JSONNULKey", "application/json", `{"a\u0000":"b"}`, starling.EINVALID},
		{"JSONTooLarge", "application/json", `{"status":"` + strings.Repeat("a", maxBodyBytes) + `"}`, starling.EINVALID},
		{"FormBadEscape", "application/x-www-form-urlencoded", "status=%zz", starling.EBADREQUEST},
		{"FormInvalidUTF8", "application/x-www-form-urlencoded", "status=%ff", starling.EINVALID},
		{"FormInvalidUTF8Key", "application/x-www-form-urlencoded", "%ff=1", starling.EINVALID},
		{"FormNUL", "application/x-www-form-urlencoded", "status=a%00", starling.EINVALID},
		{"FormTooLarge", "application/x-www-form-urlencoded", "status=" + strings.Repeat("a", maxBodyBytes), starling.EINVALID},
		{"MultipartNoBoundary", "multipart/form-data", "--x--", starling.EBADREQUEST},
		{"MultipartTruncated", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb", starling.EBADREQUEST},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.ctype)
			_, err := readParams(r)
			if got := starling.ErrorCode(err); got != tt.code {
				t.Errorf("error %v has code %q, want %q", err, got, tt.code)
			}
		})
	}
	t.Run("QueryInvalidUTF8", func(t *testing.T) {
		_, err := readParams(httptest.NewRequest("GET", "/?q=%ff", nil))
		if got := starling.ErrorCode(err); got != starling.EINVALID {
			t.Errorf("error %v has code %q, want %q", err, got, starling.EINVALID)
		}
	})
}

// FuzzReadParams feeds arbitrary bodies to readParams and every accessor:
// whatever arrives, parsing answers with a value or an error, never a panic.
func FuzzReadParams(f *testing.F) {
	mp, mpType := MustMultipart(f, "status", "hi", "id[]", "1", "fields_attributes[0][name]", "a")
	seeds := []struct{ ctype, body string }{
		{"application/json", `{"status":"hi","sensitive":true,"id":["1",2],"limit":5,"max_id":"9"}`},
		{"application/json", `{"fields_attributes":{"0":{"name":"a","value":"b"},"7":null,"x":1}}`},
		{"application/json", `{"fields_attributes":[1,"x",{"name":3}],"home":{"last_read_id":1}}`},
		{"application/json", `{"limit":1e400,"min_id":"-1","id":{"a":1}}`},
		{"application/x-www-form-urlencoded", "status=hi&id[]=1&id[]=x&fields_attributes[99999999999999999999][name]=a&limit=9999999999999999999"},
		{"application/x-www-form-urlencoded", "fields_attributes[3][value]=v&sensitive=maybe&since_id=%ff"},
		{mpType, mp},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\r\n\r\nb\r\n--x--\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.ctype, s.body, "limit=3&id[]=4")
	}
	f.Fuzz(func(t *testing.T, ctype, body, query string) {
		r, err := http.NewRequest("POST", "http://example.org/?"+query, strings.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", ctype)
		p, err := readParams(r)
		if err != nil {
			if starling.ErrorCode(err) == starling.EINTERNAL {
				t.Fatalf("readParams: internal error %v", err)
			}
			return
		}
		for _, key := range []string{"status", "sensitive", "limit", "id", "max_id", "fields_attributes", "home", ""} {
			p.get(key)
			p.str(key)
			p.boolean(key)
			p.optBool(key)
			p.optStr(key)
			_, _ = p.integer(key, 0)
			for _, s := range p.strs(key) {
				if !isText(s) {
					t.Fatalf("strs(%q) returned %q, not text", key, s)
				}
			}
			p.ids(key)
		}
		_, _ = p.page()
		if fs := p.fields(); fs != nil && len(*fs) > 51 {
			t.Fatalf("fields returned %d fields", len(*fs))
		}
	})
}
