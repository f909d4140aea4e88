package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(context.Background(), &environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestVersionPrintsLinkedLibtorch(t *testing.T) {
	code, out, errOut := runCLI(t, "", "version")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^atomsearcher `, out)
	assert.Regexp(t, `(?m)^libtorch [0-9]+\.[0-9]+\.[0-9]+`, out)
}

func TestCLIUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: atomsearcher <command>"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"version", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"version", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"help", "nope"}, 2, `unknown command "nope"`},
		// train rejects a bad configuration before any work, naming the field.
		{[]string{"train", "--hasty-experts", "1.5"}, 1, "data.hasty_experts: must be in [0, 1], got 1.5"},
		{[]string{"train", "--reward", "both"}, 1, `reward.mode: must be hybrid or outcome, got "both"`},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, "", c.args...)
		assert.Equal(t, c.code, code, "%v", c.args)
		assert.Contains(t, errOut, c.want, "%v", c.args)
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	require.Equal(t, 0, code)
	for name := range commands {
		assert.Contains(t, out, "  "+name+" ", name)
	}
	code, out, _ = runCLI(t, "", "help", "version")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "-config")
}
