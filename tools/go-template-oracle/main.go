// go-template-oracle renders Go text/template + Sprig v3 templates, the way atmos does, so kit's
// template engine can be compared byte for byte with the real thing.
//
// Input (stdin): a JSON array of cases, each {"template": "...", "data": <JSON>, "missingkey": "error"|"default"}.
// JSON numbers that are integers become Go int (as YAML decodes them for atmos), others float64.
// Output (stdout): a JSON array, one object per case: {"output": "..."} or {"error": "..."}.
// The process environment (TZ, variables for env/expandenv) is the templates' environment.
//
// Built in GOPATH mode over Debian's Go tree (scripts/setup, tools/go-template-oracle/build):
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o <out> .
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/template"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	MissingKey string          `json:"missingkey"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// convert turns json.Number into int or float64, recursively.
func convert(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return int(i)
		}
		f, _ := t.Float64()
		return f
	case map[string]interface{}:
		for k, e := range t {
			t[k] = convert(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = convert(e)
		}
		return t
	default:
		return v
	}
}

func render(c testCase) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	var data interface{}
	if len(c.Data) > 0 {
		decoder := json.NewDecoder(bytes.NewReader(c.Data))
		decoder.UseNumber()
		if err := decoder.Decode(&data); err != nil {
			return "", err
		}
		data = convert(data)
	}
	missing := c.MissingKey
	if missing == "" {
		missing = "error"
	}
	t, err := template.New("oracle").Funcs(sprig.TxtFuncMap()).Option("missingkey=" + missing).Parse(c.Template)
	if err != nil {
		return "", err
	}
	var buffer bytes.Buffer
	if err := t.Execute(&buffer, data); err != nil {
		return "", err
	}
	return buffer.String(), nil
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var cases []testCase
	if err := json.Unmarshal(input, &cases); err != nil {
		fmt.Fprintln(os.Stderr, "go-template-oracle: the input is not a JSON array of cases:", err)
		os.Exit(1)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		out, err := render(c)
		if err != nil {
			message := err.Error()
			results[i].Error = &message
		} else {
			results[i].Output = &out
		}
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
