package atom

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	for i, tc := range []struct {
		in string
		ok bool
	}{
		{`{"name": "web_search", "arguments": {"query": ["a", "b"]}}`, true},
		{` {"a": [1, -2.5e3, true, false, null, {}], "b": "\u00e9\ud83d\ude00\n"} `, true},
		{`{"a": 1,}`, false},
		{`{"a" 1}`, false},
		{`[1 2]`, false},
		{`{"a": 01}`, false},
		{`{"a": 1.}`, false},
		{`{"a": 1e}`, false},
		{`{"a": -}`, false},
		{`{"a": 1e400}`, false},
		{`{"a": "x` + "\x01" + `"}`, false},
		{`{"a": "\x"}`, false},
		{`{"a": "\u12"}`, false},
		{`{"a": "\ud800"}`, true},
		{`{"a": "\ud800\u0041"}`, true},
		{"{\"a\": \"\xff\"}", true},
		{`{"a": tru}`, false},
		{`{"a": 1} x`, false},
		{``, false},
		{`"unterminated`, false},
		{`{"a": 1, "a": 2}`, true},
		{"\f{}", false},
	} {
		got, err := decodeJSON(tc.in, nil)
		var want any
		werr := json.Unmarshal([]byte(tc.in), &want)
		if (err == nil) != tc.ok || (werr == nil) != tc.ok {
			t.Errorf("case %d %q: err %v, encoding/json err %v, want ok=%v", i, tc.in, err, werr, tc.ok)
			continue
		}
		if tc.ok && !reflect.DeepEqual(got, want) {
			t.Errorf("case %d %q: got %#v, encoding/json %#v", i, tc.in, got, want)
		}
	}
}

// FuzzDecodeJSON checks decodeJSON against encoding/json: the same inputs accepted, the same
// values. Only the seeds run by default.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"name": "web_search", "arguments": {"query": ["a"]}}`,
		`{"arguments": {"url_list": ["u", 1], "query": "q", "query": ["x"]}, "name": "browse_webpage", "arguments": {"url_list": []}}`,
		`{"name": "web_search", "arguments": {"query": "q", "query": null, "x": [[1], {"query": "y"}]}}`, `[1, "\u00e9\ud800", {"a": null}]`, `-0.5e-3`, `"\\\"\/\b\f\n\r\t"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeJSON(s, nil)
		var want any
		werr := json.Unmarshal([]byte(s), &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: err %v, encoding/json err %v", s, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, encoding/json %#v", s, got, want)
		}
		// decodeToolCall: the same acceptance and errors, the members of a top-level object
		// (arrays cut from one slab, shared with a second decode that must not disturb them)
		var vals []any
		call, cerr := decodeToolCall(s, nil, &vals, false)
		if _, err2 := decodeToolCall(s, nil, &vals, false); err2 != cerr {
			t.Fatalf("%q: second decodeToolCall err %v, first %v", s, err2, cerr)
		}
		if cerr != err {
			t.Fatalf("%q: decodeToolCall err %v, decodeJSON err %v", s, cerr, err)
		}
		obj, isObject := got.(map[string]any)
		name, hasName := obj["name"]
		args, hasArgs := obj["arguments"]
		callName := call.name
		if call.nameString {
			callName = call.nameStr
		}
		if call.object != isObject || call.hasName != hasName || call.hasArgs != hasArgs ||
			!reflect.DeepEqual(callName, name) || !reflect.DeepEqual(call.args, args) {
			t.Fatalf("%q: decodeToolCall %#v, decodeJSON %#v", s, call, got)
		}
		// skipping the values: the same acceptance and members, the arguments summarized
		skip, serr := decodeToolCall(s, nil, nil, true)
		if serr != err {
			t.Fatalf("%q: decodeToolCall (skip) err %v, decodeJSON err %v", s, serr, err)
		}
		if err != nil {
			return
		}
		argsObj, argsIsObject := args.(map[string]any)
		wantKinds := argsSummary{object: argsIsObject}
		if argsIsObject {
			wantKinds.query, wantKinds.urlList = kindOf(argsObj, "query"), kindOf(argsObj, "url_list")
		}
		if skip.object != call.object || skip.hasName != call.hasName || skip.hasArgs != call.hasArgs ||
			skip.nameString != call.nameString || skip.nameStr != call.nameStr || skip.argsRaw != call.argsRaw ||
			skip.args != nil || skip.argsKinds != wantKinds {
			t.Fatalf("%q: decodeToolCall (skip) %#v, want kinds %#v of %#v", s, skip, wantKinds, got)
		}
	})
}

// kindOf is the argKind of m[key].
func kindOf(m map[string]any, key string) argKind {
	v, ok := m[key]
	if !ok {
		return argAbsent
	}
	switch v := v.(type) {
	case string:
		return argString
	case []any:
		for _, x := range v {
			if _, isString := x.(string); !isString {
				return argArray
			}
		}
		if len(v) == 0 {
			return argArray
		}
		return argStrings
	}
	return argOther
}
