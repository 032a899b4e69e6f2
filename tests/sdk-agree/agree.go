// What the Go drivers of the agreement test share (driver.go, wire.go): the case type, the
// canonical JSON of a line, and the loop over the command line's cases that prints one line
// per case. run.sh copies it beside the driver as agree/agree.go.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

type testCase struct {
	Case string `json:"case"`
	Op   string `json:"op"`
}

// canonical is JSON with object keys sorted at every depth (numbers kept as written).
func canonical(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return "unencodable: " + err.Error()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return "undecodable: " + err.Error()
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil {
		return "unencodable: " + err.Error()
	}
	return string(bytes.TrimSuffix(out.Bytes(), []byte("\n")))
}

// drive reads RESPONSES_JSON BASE_URL from the command line and prints run(case, base) for
// every case, one line each.
func drive(run func(testCase, string) map[string]any) {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var table struct {
		Cases []testCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &table); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, c := range table.Cases {
		fmt.Println(canonical(run(c, os.Args[2])))
	}
}
