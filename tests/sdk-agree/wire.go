// The Go driver of the agreement test's wire cases (tests/sdk-agree/run.sh, wire.json): calls
// each case's operation through the generated SDK of tests/sdk/wire against the replay server
// and prints one normalised JSON line per case (see wire.mjs for the fields). Copied into the
// SDK module as agree/main.go.
//
// Usage: go run ./agree RESPONSES_JSON BASE_URL
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"wire/charter"
	"wire/wire/tracker"
)

func ptr[T any](v T) *T { return &v }

// task is the drivers' task: Due nil (a required nullable given nothing), no note, no labels.
func task() tracker.Task {
	return tracker.Task{
		ID:            "t-1",
		AssignedByAny: "ana",
		PlusOne:       ptr(int64(1)),
		Greeting:      ptr(`hello "you"`),
		Backslash:     ptr(true),
		Size:          ptr(2.5),
		State:         tracker.StateInProgress,
		Due:           nil,
		Owner:         &tracker.Person{DisplayName: "Ana", Email: ptr("ana@example.com")},
		NextState:     ptr(tracker.StatePlusOne),
		People:        []tracker.Person{{DisplayName: "Bo"}},
	}
}

func values() tracker.Task {
	t := task()
	due, _ := charter.ParseDate("2026-01-31")
	t.Due = &due
	t.Note = ptr("n")
	t.Owner = nil
	t.Labels = []string{"a"}
	return t
}

func call(ctx context.Context, client *tracker.TrackerClient, op string) (int, any, error) {
	switch op {
	case "list":
		res, err := client.ListTasks(ctx, tracker.TrackerListTasksParams{
			StartTime:  ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
			AssignedBy: ptr("ana"),
			Size:       ptr(int64(3)),
			States:     []tracker.State{tracker.StateInProgress, tracker.StatePlusOne},
		})
		if err != nil {
			return 0, nil, err
		}
		return res.Status, res.Data, nil
	case "create", "create_values":
		body := task()
		if op == "create_values" {
			body = values()
		}
		res, err := client.CreateTask(ctx, tracker.TrackerCreateTaskParams{Body: body})
		if err != nil {
			return 0, nil, err
		}
		return res.Status, res.Data, nil
	case "archive":
		res, err := client.ArchiveTask(ctx, tracker.TrackerArchiveTaskParams{ID: "t-1", DryRun: ptr(true)})
		if err != nil {
			return 0, nil, err
		}
		return res.Status, res.Data, nil
	}
	res, err := client.TouchTask(ctx, tracker.TrackerTouchTaskParams{ID: "t-1"})
	if err != nil {
		return 0, nil, err
	}
	return res.Status, nil, nil
}

func run(c testCase, base string) map[string]any {
	client := tracker.NewTrackerClient(base+"/go/"+c.Case, charter.WithRetry(charter.RetryPolicy{MaxRetries: 0}))
	line := map[string]any{"case": c.Case}
	status, data, err := call(context.Background(), client, c.Op)
	if err == nil {
		line["outcome"] = "ok"
		line["status"] = status
		if c.Op != "touch" {
			line["value_digest"] = canonical(data)
		}
		return line
	}
	line["outcome"] = "error"
	var (
		invalid *charter.ValidationError
		apiErr  *charter.APIError
	)
	switch {
	case errors.As(err, &invalid):
		line["kind"] = "validation"
		if len(invalid.Problems) > 0 {
			line["path"] = invalid.Problems[0].Path
		}
	case errors.As(err, &apiErr):
		line["kind"] = fmt.Sprintf("api:%d", apiErr.Status)
	default:
		line["kind"] = fmt.Sprintf("unexpected:%T: %v", err, err)
	}
	return line
}

func main() { drive(run) }
