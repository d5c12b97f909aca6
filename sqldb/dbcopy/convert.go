package dbcopy

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"time"
)

// kind is how a PostgreSQL column takes SQLite values. SQLite keeps
// booleans as the integers 0 and 1 and times as integer milliseconds (in
// Starling's schema as in PostgreSQL's), text as text and blobs as blobs;
// each kind turns whatever SQLite holds into the Go value pgx sends for the
// column.
type kind int

const (
	kindOther kind = iota // sent as text and cast by PostgreSQL (numeric, json, timestamps, …)
	kindInt               // smallint, integer, bigint
	kindBool              // boolean
	kindText              // text, varchar, char
	kindBytes             // bytea
	kindFloat             // double precision
)

// kindOf maps information_schema.columns.data_type to a kind.
func kindOf(dataType string) kind {
	switch dataType {
	case "smallint", "integer", "bigint":
		return kindInt
	case "boolean":
		return kindBool
	case "text", "character varying", "character":
		return kindText
	case "bytea":
		return kindBytes
	case "double precision":
		return kindFloat
	}
	return kindOther
}

// stageType is the column type in the staging table: the column's own for
// the kinds pgx encodes directly, text for the rest.
func (c column) stageType() string {
	switch c.kind {
	case kindInt:
		return c.pgType
	case kindBool:
		return "boolean"
	case kindBytes:
		return "bytea"
	case kindFloat:
		return "double precision"
	}
	return "text"
}

// fromStage is the expression that reads the column out of the staging table.
func (c column) fromStage() string {
	if c.kind == kindOther {
		return quote(c.name) + "::" + c.pgType
	}
	return quote(c.name)
}

// convert turns a value as the SQLite driver returns it (nil, int64,
// float64, string, []byte, or time.Time for columns declared as dates) into
// the value for the column's kind.
func (k kind) convert(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindInt:
		switch v := v.(type) {
		case int64:
			return v, nil
		case float64:
			if v == math.Trunc(v) && math.Abs(v) < 1<<63 {
				return int64(v), nil
			}
		case string:
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		case []byte:
			return strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		case bool:
			return map[bool]int64{false: 0, true: 1}[v], nil
		}
	case kindBool:
		switch v := v.(type) {
		case int64:
			return v != 0, nil
		case float64:
			return v != 0, nil
		case bool:
			return v, nil
		case string:
			return parseBool(v)
		case []byte:
			return parseBool(string(v))
		}
	case kindText, kindOther:
		switch v := v.(type) {
		case string:
			return v, nil
		case []byte:
			return string(v), nil
		case int64:
			return strconv.FormatInt(v, 10), nil
		case float64:
			return strconv.FormatFloat(v, 'g', -1, 64), nil
		case bool:
			return strconv.FormatBool(v), nil
		case time.Time:
			return v.Format(time.RFC3339Nano), nil
		}
	case kindBytes:
		switch v := v.(type) {
		case []byte:
			if v == nil { // the driver's empty blob; pgx would send NULL
				return []byte{}, nil
			}
			return v, nil
		case string:
			return []byte(v), nil
		case int64:
			return []byte(strconv.FormatInt(v, 10)), nil
		}
	case kindFloat:
		switch v := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		case string:
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return nil, fmt.Errorf("cannot store %T %v in a %s column", v, v, k)
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "y", "yes", "on":
		return true, nil
	case "0", "f", "false", "n", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", s)
}

func (k kind) String() string {
	return [...]string{"other", "integer", "boolean", "text", "bytea", "double precision"}[k]
}

// rowHasher sums a hash of every row, in any order, over the columns whose
// values read back from PostgreSQL exactly as they were sent: the sums of
// both sides are equal when they hold the same rows (up to collisions of a
// 64-bit hash).
type rowHasher struct {
	h     maphash.Hash
	cols  []column
	sum   uint64
	count int64
	buf   [8]byte
}

func newRowHasher(seed maphash.Seed, cols []column) *rowHasher {
	r := &rowHasher{cols: cols}
	r.h.SetSeed(seed)
	return r
}

// add adds a row of values, converted (source) or as pgx returns them (destination).
func (r *rowHasher) add(vals []any) {
	r.h.Reset()
	for i, v := range vals {
		if r.cols[i].kind == kindOther {
			continue
		}
		r.value(v)
	}
	r.sum += r.h.Sum64()
	r.count++
}

func (r *rowHasher) value(v any) {
	switch v := v.(type) {
	case nil:
		r.h.WriteByte(0)
	case int64:
		r.int(1, v)
	case int32:
		r.int(1, int64(v))
	case int16:
		r.int(1, int64(v))
	case bool:
		if v {
			r.h.WriteByte(2)
		} else {
			r.h.WriteByte(3)
		}
	case string:
		r.int(4, int64(len(v)))
		r.h.WriteString(v)
	case []byte:
		r.int(5, int64(len(v)))
		r.h.Write(v)
	case float64:
		r.int(6, int64(math.Float64bits(v)))
	default: // never sent: a value the comparison cannot read back makes the sums differ
		r.h.WriteByte(7)
		fmt.Fprintf(&r.h, "%T %v", v, v)
	}
}

func (r *rowHasher) int(tag byte, v int64) {
	r.h.WriteByte(tag)
	binary.LittleEndian.PutUint64(r.buf[:], uint64(v))
	r.h.Write(r.buf[:])
}
