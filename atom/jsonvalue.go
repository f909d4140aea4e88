package atom

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeJSON decodes one JSON value (RFC 8259, white space around it allowed, nothing else)
// into the types encoding/json gives an any: map[string]any, []any, string, float64, bool,
// nil. It accepts and yields what encoding/json.Unmarshal does (invalid UTF-8 in strings
// becomes U+FFFD; a repeated key keeps its last value) — the fuzz test checks it against
// encoding/json — at a fraction of the cost, since tool calls are decoded for every rollout.
// objectValue, when non-nil, receives the raw text of each top-level member's value.
func decodeJSON(s string, member func(key string, raw string)) (any, error) {
	d := jsonDecoder{s: s, member: member}
	return d.decode()
}

// toolCallJSON is what a tool call's JSON holds, decoded without building its top-level map.
type toolCallJSON struct {
	object           bool // the value is an object
	name, args       any  // the last "name" and "arguments" values (name nil when nameString)
	nameString       bool // the last "name" is a string: nameStr
	nameStr          string
	hasName, hasArgs bool   // whether those members are present
	argsRaw          string // the last "arguments" value as written
	// argsKinds describes the last "arguments" value when no values were built (skip): all
	// checkToolCall needs of it
	argsKinds argsSummary
}

// decodeToolCall decodes s as decodeJSON does (same acceptance, same errors), keeping of a
// top-level object only its "name" and "arguments" members. stack, when non-nil, is scratch
// space kept between calls; vals, when non-nil, is the slab the arrays are cut from (a
// trajectory's tool calls share one). With skip, no value below the top-level object is built:
// args is nil and argsKinds describes the arguments instead.
func decodeToolCall(s string, stack, vals *[]any, skip bool) (toolCallJSON, error) {
	d := jsonDecoder{s: s, isCall: true, skip: skip}
	if stack != nil {
		d.stack = (*stack)[:0]
		defer func() { *stack = d.stack }()
	}
	if vals != nil {
		d.vals = *vals
		defer func() { *vals = d.vals }()
	}
	if _, err := d.decode(); err != nil {
		return toolCallJSON{}, err
	}
	return d.call, nil
}

func (d *jsonDecoder) decode() (any, error) {
	d.space()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.i != len(d.s) {
		return nil, errJSONTrailing
	}
	return v, nil
}

var (
	errJSONSyntax   = errors.New("invalid JSON")
	errJSONTrailing = errors.New("invalid JSON: text after the value")
	errJSONDepth    = errors.New("invalid JSON: nested too deeply")
)

type jsonDecoder struct {
	s      string
	i      int
	member func(key, raw string)
	// isCall: call receives the top-level object's "name" and "arguments" instead of a map.
	isCall bool
	call   toolCallJSON
	// stack holds the elements of the arrays being read, copied out when each one ends, into
	// vals (capacity-limited cuts; a new slab when it is full).
	stack, vals []any
	// skip (tool calls only): check the syntax below the top-level object without building
	// values; inArgs is set while the "arguments" value is read, and array records the
	// element count of the last array read and whether they were all strings.
	skip      bool
	inArgs    bool
	arrayLen  int
	arrayStrs bool
}

func (d *jsonDecoder) space() {
	s, i := d.s, d.i // locals: the loop does not go through d
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	d.i = i
}

func (d *jsonDecoder) value(depth int) (any, error) {
	if depth > 10000 {
		return nil, errJSONDepth
	}
	if d.i >= len(d.s) {
		return nil, errJSONSyntax
	}
	if d.skip && depth > 0 {
		return nil, d.skipValue(depth)
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.str()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return d.number()
	}
	return nil, errJSONSyntax
}

func (d *jsonDecoder) literal(lit string) error {
	if len(d.s)-d.i < len(lit) || d.s[d.i:d.i+len(lit)] != lit {
		return errJSONSyntax
	}
	d.i += len(lit)
	return nil
}

func (d *jsonDecoder) object(depth int) (any, error) {
	d.i++ // {
	call := depth == 0 && d.isCall
	var m map[string]any
	if call {
		d.call.object = true
	} else {
		m = map[string]any{}
	}
	d.space()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return m, nil
	}
	for {
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return nil, errJSONSyntax
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return nil, errJSONSyntax
		}
		d.i++
		d.space()
		start := d.i
		var v any
		var name string
		nameString := call && k == "name" && d.i < len(d.s) && d.s[d.i] == '"'
		if nameString {
			name, err = d.str() // the usual string name, kept unboxed
		} else if call && d.skip && k == "arguments" {
			d.call.argsKinds = argsSummary{}
			d.inArgs = true
			v, err = d.value(depth + 1)
			d.inArgs = false
		} else {
			v, err = d.value(depth + 1)
		}
		if err != nil {
			return nil, err
		}
		if depth == 0 && d.member != nil {
			d.member(k, d.s[start:d.i])
		}
		if call {
			switch k {
			case "name":
				d.call.name, d.call.nameStr, d.call.nameString, d.call.hasName = v, name, nameString, true
			case "arguments":
				d.call.args, d.call.hasArgs, d.call.argsRaw = v, true, d.s[start:d.i]
			}
		} else {
			m[k] = v
		}
		closed, err := d.separator('}')
		if err != nil {
			return nil, err
		}
		if closed {
			return m, nil
		}
	}
}

func (d *jsonDecoder) array(depth int) (any, error) {
	d.i++ // [
	d.space()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return []any{}, nil
	}
	// the elements go on d.stack (nested arrays above them) and are copied out once, at the end
	base := len(d.stack)
	defer func() {
		clear(d.stack[base:])
		d.stack = d.stack[:base]
	}()
	for {
		d.space()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d.stack = append(d.stack, v)
		closed, err := d.separator(']')
		if err != nil {
			return nil, err
		}
		if closed {
			return d.cut(d.stack[base:]), nil
		}
	}
}

// cut returns a copy of elems cut from d.vals.
func (d *jsonDecoder) cut(elems []any) []any {
	n := len(elems)
	if cap(d.vals)-len(d.vals) < n {
		d.vals = make([]any, 0, max(n, 8))
	}
	k := len(d.vals)
	d.vals = append(d.vals, elems...)
	return d.vals[k : k+n : k+n]
}

func (d *jsonDecoder) number() (any, error) {
	start := d.i
	if d.s[d.i] == '-' {
		d.i++
	}
	digits := func() int {
		n := 0
		for d.i < len(d.s) && '0' <= d.s[d.i] && d.s[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.i < len(d.s) && d.s[d.i] == '0' {
		d.i++
	} else if digits() == 0 {
		return nil, errJSONSyntax
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return nil, errJSONSyntax
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return nil, errJSONSyntax
		}
	}
	f, err := strconv.ParseFloat(d.s[start:d.i], 64)
	if err != nil {
		return nil, errJSONSyntax
	}
	return f, nil
}

// str reads a string at d.i (the opening quote).
func (d *jsonDecoder) str() (string, error) {
	d.i++
	start := d.i
	// fast path: no escapes, valid UTF-8, no control characters: the text itself (scanned in
	// locals, not through d)
	src, i := d.s, d.i
	for i < len(src) {
		if i+8 <= len(src) { // eight plain ASCII bytes at once
			w := word(src, i)
			if zeroBytes(w^('"'*lowBytes))|zeroBytes(w^('\\'*lowBytes))|lessBytes(w, 0x20)|w&highBytes == 0 {
				i += 8
				continue
			}
		}
		c := src[i]
		if c == '"' {
			d.i = i + 1
			return src[start:i], nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				break // invalid UTF-8 becomes U+FFFD
			}
			i += size
			continue
		}
		i++
	}
	d.i = i
	buf := []byte(d.s[start:d.i])
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return string(buf), nil
		case c < 0x20:
			return "", errJSONSyntax
		case c == '\\':
			if d.i+1 >= len(d.s) {
				return "", errJSONSyntax
			}
			e := d.s[d.i+1]
			d.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return "", errJSONSyntax
				}
				if utf16.IsSurrogate(r) {
					// a valid pair makes one rune; anything else is U+FFFD, as encoding/json does
					if d.i+1 < len(d.s) && d.s[d.i] == '\\' && d.s[d.i+1] == 'u' {
						save := d.i
						d.i += 2
						if r2, ok := d.hex4(); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								buf = utf8.AppendRune(buf, dec)
								continue
							}
						}
						d.i = save
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", errJSONSyntax
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			d.i++
		default:
			r, size := utf8.DecodeRuneInString(d.s[d.i:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, d.s[d.i:d.i+size]...)
			}
			d.i += size
		}
	}
	return "", errJSONSyntax
}

func (d *jsonDecoder) hex4() (rune, bool) {
	if len(d.s)-d.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(d.s[d.i : d.i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	d.i += 4
	return r, true
}

// separator reads what follows a member or element: a comma (closed false) or the close byte of
// the object or array (closed true), after white space; anything else is a syntax error.
func (d *jsonDecoder) separator(close byte) (closed bool, err error) {
	d.space()
	if d.i >= len(d.s) {
		return false, errJSONSyntax
	}
	switch d.s[d.i] {
	case ',':
		d.i++
		return false, nil
	case close:
		d.i++
		return true, nil
	}
	return false, errJSONSyntax
}
