package atom

// Skip mode (Parser.SkipArgs): a tool call's arguments are read for their syntax and the kinds of
// the members the tool checks look at, without building a value.

// argsSummary is what the tool checks need of a tool call's "arguments": whether it is an
// object, and the kinds of its last "query" and "url_list" members.
type argsSummary struct {
	object         bool
	query, urlList argKind
}

// argKind is the kind of a JSON value as the tool checks see it.
type argKind uint8

const (
	argAbsent  argKind = iota
	argString          // a string
	argStrings         // a non-empty array of strings
	argArray           // another array
	argOther           // anything else
)

// skipValue reads the value at d.i as value does, building nothing. Of the "arguments" object
// (depth 1 while inArgs) it records the kinds of the "query" and "url_list" members.
func (d *jsonDecoder) skipValue(depth int) error {
	if depth > 10000 {
		return errJSONDepth
	}
	if d.i >= len(d.s) {
		return errJSONSyntax
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.skipObject(depth)
	case c == '[':
		return d.skipArray(depth)
	case c == '"':
		_, err := d.str()
		return err
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		_, err := d.number()
		return err
	}
	return errJSONSyntax
}

func (d *jsonDecoder) skipObject(depth int) error {
	d.i++ // {
	args := depth == 1 && d.inArgs
	if args {
		d.call.argsKinds.object = true
	}
	d.space()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return nil
	}
	for {
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return errJSONSyntax
		}
		k, err := d.str()
		if err != nil {
			return err
		}
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return errJSONSyntax
		}
		d.i++
		d.space()
		var first byte
		if d.i < len(d.s) {
			first = d.s[d.i]
		}
		if err := d.skipValue(depth + 1); err != nil {
			return err
		}
		if args && (k == "query" || k == "url_list") {
			kind := argOther
			switch {
			case first == '"':
				kind = argString
			case first == '[' && d.arrayLen > 0 && d.arrayStrs:
				kind = argStrings
			case first == '[':
				kind = argArray
			}
			if k == "query" {
				d.call.argsKinds.query = kind
			} else {
				d.call.argsKinds.urlList = kind
			}
		}
		closed, err := d.separator('}')
		if err != nil {
			return err
		}
		if closed {
			return nil
		}
	}
}

// skipArray reads an array, leaving its element count in arrayLen and whether they are all
// strings in arrayStrs.
func (d *jsonDecoder) skipArray(depth int) error {
	d.i++ // [
	d.space()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		d.arrayLen, d.arrayStrs = 0, true
		return nil
	}
	n, strs := 0, true
	for {
		d.space()
		strs = strs && d.i < len(d.s) && d.s[d.i] == '"'
		if err := d.skipValue(depth + 1); err != nil {
			return err
		}
		n++
		closed, err := d.separator(']')
		if err != nil {
			return err
		}
		if closed {
			d.arrayLen, d.arrayStrs = n, strs
			return nil
		}
	}
}
