package mastodon

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"starling"
)

// Request body limits: forms and JSON, and multipart bodies that may carry files.
const (
	maxBodyBytes   = 1 << 20
	maxUploadBytes = 16 << 20
)

// params reads request parameters the way Mastodon clients send them: in the
// query string, as a form (urlencoded or multipart) or as a JSON object, with
// arrays as "key[]" (forms) or JSON arrays.
type params struct {
	form url.Values
	json map[string]any
}

var errMalformed = starling.Errorf(starling.EBADREQUEST, "The request body could not be parsed")

func readParams(r *http.Request) (*params, error) {
	p := &params{form: r.URL.Query()}
	if err := p.readBody(r); err != nil {
		return nil, err
	}
	for k, vs := range p.form {
		if !isText(k) || slices.ContainsFunc(vs, notText) {
			return nil, errNotText
		}
	}
	return p, nil
}

// readBody adds the parameters in the body. JSON is read whatever the
// method, as Rails does, so GET endpoints take JSON arrays too.
func (p *params) readBody(r *http.Request) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			return errMalformed
		}
		if len(body) > maxBodyBytes {
			return starling.Errorf(starling.EINVALID, "The request body is too large")
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			return nil
		}
		if !utf8.Valid(body) {
			return starling.Errorf(starling.EINVALID, "The request body is not valid UTF-8")
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		if err := dec.Decode(&p.json); err != nil {
			return starling.Errorf(starling.EBADREQUEST, "The request body is not a valid JSON object: %s", jsonProblem(err))
		}
		// Decode stops after the first value; anything after it is as malformed as a broken object.
		if _, err := dec.Token(); err != io.EOF {
			return starling.Errorf(starling.EBADREQUEST, "The request body is not a valid JSON object: unexpected data after the object")
		}
		if !textJSON(p.json) {
			return errNotText
		}
	case "application/x-www-form-urlencoded":
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return nil
		}
		// Read here rather than with r.ParseForm, which skips the body of
		// a DELETE, where Mastodon takes form data too (list members).
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			return errMalformed
		}
		if len(body) > maxBodyBytes {
			return starling.Errorf(starling.EINVALID, "The request body is too large")
		}
		vs, err := url.ParseQuery(string(body))
		if err != nil {
			return errMalformed
		}
		p.addForm(vs)
	case "multipart/form-data":
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return nil
		}
		r.Body = http.MaxBytesReader(nil, r.Body, maxUploadBytes)
		err := r.ParseMultipartForm(maxBodyBytes)
		if r.MultipartForm != nil {
			// No endpoint reads uploaded files yet. The server removes the
			// temporary files of large parts only for the request it
			// created, and handlers see a copy (r.WithContext), so they
			// would stay on disk.
			p.addForm(r.MultipartForm.Value)
			_ = r.MultipartForm.RemoveAll()
		}
		if err != nil {
			return errMalformed
		}
	}
	return nil
}

// addForm adds body parameters after those of the query, so they win.
func (p *params) addForm(vs url.Values) {
	for k, v := range vs {
		p.form[k] = append(p.form[k], v...)
	}
}

// errNotText refuses parameters the database could not store as text:
// invalid UTF-8 (which PostgreSQL rejects) and NUL characters (which no
// text column holds). Refusing them here keeps every endpoint from failing
// with an internal error on such input.
var errNotText = starling.Errorf(starling.EINVALID, "Validation failed: parameters must be UTF-8 text without NUL characters")

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func notText(s string) bool { return !isText(s) }

// textJSON reports whether every key and string in a decoded JSON value is text.
func textJSON(v any) bool {
	switch x := v.(type) {
	case string:
		return isText(x)
	case map[string]any:
		for k, e := range x {
			if !isText(k) || !textJSON(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !textJSON(e) {
				return false
			}
		}
	}
	return true
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return "expected an object"
}

// value returns the raw value of key and whether it was given.
func (p *params) value(key string) (any, bool) {
	if v, ok := p.json[key]; ok && v != nil {
		return v, true
	}
	if vs, ok := p.form[key]; ok && len(vs) > 0 {
		return vs[len(vs)-1], true
	}
	return nil, false
}

// str returns key as a string ("" if absent), and whether it was given.
func (p *params) str(key string) (string, bool) {
	v, ok := p.value(key)
	if !ok {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// has reports whether key was given at all, as a value or an array
// (key[] in a form), even an empty one.
func (p *params) has(key string) bool {
	if _, ok := p.json[key]; ok {
		return true
	}
	_, ok := p.form[key]
	_, arr := p.form[key+"[]"]
	return ok || arr
}

// get returns key as a string, "" if absent.
func (p *params) get(key string) string {
	s, _ := p.str(key)
	return s
}

// boolean returns key as a bool. Like Rails, which Mastodon clients were
// written against, only "0", "f", "false", "off" (any case) and "" are false.
func (p *params) boolean(key string) (value, given bool) {
	v, ok := p.value(key)
	if !ok {
		return false, false
	}
	if b, isBool := v.(bool); isBool {
		return b, true
	}
	s, _ := p.str(key)
	switch strings.ToLower(s) {
	case "0", "f", "false", "off", "":
		return false, true
	}
	return true, true
}

// optBool returns a pointer to the bool value of key, nil if absent.
func (p *params) optBool(key string) *bool {
	v, ok := p.boolean(key)
	if !ok {
		return nil
	}
	return &v
}

// optStr returns a pointer to the value of key, nil if absent.
func (p *params) optStr(key string) *string {
	v, ok := p.str(key)
	if !ok {
		return nil
	}
	return &v
}

// integer returns key as an int, def if absent; junk is an error.
func (p *params) integer(key string, def int) (int, error) {
	s, ok := p.str(key)
	if !ok || s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, starling.Errorf(starling.EINVALID, "Validation failed: %s must be a number", key)
	}
	return n, nil
}

// strs returns the values of an array parameter: "key[]" or "key" in forms, or a JSON array (or a single string).
func (p *params) strs(key string) []string {
	if v, ok := p.json[key]; ok {
		switch x := v.(type) {
		case []any:
			var out []string
			for _, e := range x {
				switch s := e.(type) {
				case string:
					out = append(out, s)
				case json.Number:
					out = append(out, s.String())
				}
			}
			return out
		case string:
			return []string{x}
		case json.Number:
			return []string{x.String()}
		}
	}
	out := append([]string(nil), p.form[key+"[]"]...)
	return append(out, p.form[key]...)
}

// ids returns an array parameter of IDs; a malformed ID is skipped, as Mastodon does.
func (p *params) ids(key string) []int64 {
	var out []int64
	for _, s := range p.strs(key) {
		if id, ok := starling.ParseID(s); ok {
			out = append(out, id)
		}
	}
	return out
}

// page reads max_id, since_id, min_id and limit.
func (p *params) page() (starling.Page, error) {
	var pg starling.Page
	for key, dst := range map[string]*int64{"max_id": &pg.MaxID, "since_id": &pg.SinceID, "min_id": &pg.MinID} {
		if s := p.get(key); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id < 0 {
				return pg, starling.Errorf(starling.EINVALID, "Validation failed: %s must be an ID", key)
			}
			*dst = id
		}
	}
	limit, err := p.integer("limit", 0)
	if err != nil {
		return pg, err
	}
	pg.Limit = limit
	return pg, nil
}

var fieldKey = regexp.MustCompile(`^fields_attributes\[(\d+)\]\[(name|value)\]$`)

// fields reads profile fields: fields_attributes as a JSON array or object
// of {name, value}, or form keys fields_attributes[0][name]. nil if absent.
func (p *params) fields() *[]starling.Field {
	var out []starling.Field
	if v, ok := p.json["fields_attributes"]; ok {
		var items []any
		switch x := v.(type) {
		case []any:
			items = x
		case map[string]any: // {"0": {...}, "1": {...}}, in the order of the numbers
			var keys []string
			for k := range x {
				if _, err := strconv.Atoi(k); err == nil {
					keys = append(keys, k)
				}
			}
			slices.SortFunc(keys, func(a, b string) int {
				i, _ := strconv.Atoi(a)
				j, _ := strconv.Atoi(b)
				return cmp.Compare(i, j)
			})
			for _, k := range keys {
				items = append(items, x[k])
			}
		}
		for _, it := range items {
			m, _ := it.(map[string]any)
			name, _ := m["name"].(string)
			value, _ := m["value"].(string)
			out = append(out, starling.Field{Name: name, Value: value})
		}
		return &out
	}
	byIndex := map[int]*starling.Field{}
	maxIndex := -1
	for k, vs := range p.form {
		m := fieldKey.FindStringSubmatch(k)
		if m == nil || len(vs) == 0 {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if i > 50 {
			continue
		}
		f := byIndex[i]
		if f == nil {
			f = &starling.Field{}
			byIndex[i] = f
		}
		if m[2] == "name" {
			f.Name = vs[len(vs)-1]
		} else {
			f.Value = vs[len(vs)-1]
		}
		maxIndex = max(maxIndex, i)
	}
	if maxIndex < 0 {
		return nil
	}
	for i := 0; i <= maxIndex; i++ {
		if f := byIndex[i]; f != nil {
			out = append(out, *f)
		}
	}
	return &out
}
