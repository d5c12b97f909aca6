package dbcopy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConvert(t *testing.T) {
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		kind kind
		in   any
		want any
	}{
		{"NullStaysNull", kindBool, nil, nil},
		{"BoolFromZero", kindBool, int64(0), false},
		{"BoolFromOne", kindBool, int64(1), true},
		{"BoolFromText", kindBool, "TRUE", true},
		{"BoolFromTextF", kindBool, "f", false},
		{"IntFromInt", kindInt, int64(1 << 40), int64(1 << 40)},
		{"IntFromWholeReal", kindInt, float64(42), int64(42)},
		{"IntFromText", kindInt, " 17 ", int64(17)},
		{"TextFromText", kindText, "naïve ✓", "naïve ✓"},
		{"TextFromBlob", kindText, []byte("abc"), "abc"},
		{"TextFromInt", kindText, int64(-5), "-5"},
		{"TextFromReal", kindText, 0.5, "0.5"},
		{"BytesFromBlob", kindBytes, []byte{0, 255}, []byte{0, 255}},
		{"BytesEmptyIsNotNull", kindBytes, []byte(nil), []byte{}},
		{"BytesFromText", kindBytes, "ab", []byte("ab")},
		{"FloatFromInt", kindFloat, int64(3), float64(3)},
		{"OtherFromTime", kindOther, at, "2024-05-01T10:00:00Z"},
		{"OtherFromText", kindOther, `{"a":1}`, `{"a":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.kind.convert(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("convert %#v to %s (-want +got):\n%s", tc.in, tc.kind, diff)
			}
		})
	}
	for _, tc := range []struct {
		name string
		kind kind
		in   any
	}{
		{"ErrBoolFromWord", kindBool, "maybe"},
		{"ErrIntFromFraction", kindInt, 1.5},
		{"ErrIntFromWord", kindInt, "many"},
		{"ErrBytesFromReal", kindBytes, 1.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := tc.kind.convert(tc.in); err == nil {
				t.Fatalf("convert %#v to %s = %#v; want an error", tc.in, tc.kind, got)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for dataType, want := range map[string]kind{
		"bigint": kindInt, "integer": kindInt, "smallint": kindInt, "boolean": kindBool, "text": kindText,
		"character varying": kindText, "bytea": kindBytes, "double precision": kindFloat,
		"numeric": kindOther, "jsonb": kindOther, "timestamp with time zone": kindOther, "real": kindOther,
	} {
		if got := kindOf(dataType); got != want {
			t.Errorf("kindOf(%q) = %s; want %s", dataType, got, want)
		}
	}
}

func TestOrder(t *testing.T) {
	mk := func(name string, refs ...string) *table { return &table{name: name, refs: refs} }
	for _, tc := range []struct {
		name   string
		tables []*table
		want   []string
	}{
		{"Starling", []*table{mk("home_feed", "accounts", "statuses"), mk("statuses", "accounts", "applications"),
			mk("accounts"), mk("applications"), mk("tokens", "applications", "accounts")},
			[]string{"accounts", "applications", "statuses", "home_feed", "tokens"}},
		{"UnknownTableIgnored", []*table{mk("b", "gone"), mk("a", "b")}, []string{"b", "a"}},
		{"CycleLast", []*table{mk("x", "y"), mk("y", "x"), mk("z")}, []string{"z", "x", "y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			byName := map[string]*table{}
			for _, tb := range tc.tables {
				byName[tb.name] = tb
			}
			var got []string
			for _, tb := range order(tc.tables, byName) {
				got = append(got, tb.name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("order (-want +got):\n%s", diff)
			}
		})
	}
}
