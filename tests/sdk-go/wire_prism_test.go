// Every operation of tests/sdk/wire (issue 17: wire names, @nullable, @status), called through
// the generated Go SDK, is accepted by Prism (`prism mock --errors`, request validation on)
// serving the emitted OpenAPI document, which answers each operation's declared success status.
// tests/sdk-go/run.sh copies this file and prismkit_test.go into the wire SDK's prism/ folder.
package prism_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"wire/charter"
	"wire/wire/tracker"
)

func ptr[T any](v T) *T { return &v }

func task() tracker.Task {
	return tracker.Task{
		ID:            "t-1",
		AssignedByAny: "ana",
		PlusOne:       ptr(int64(1)),
		Greeting:      ptr(`hello "you"`),
		Backslash:     ptr(true),
		Size:          ptr(2.5),
		State:         tracker.StateInProgress,
		Owner:         &tracker.Person{DisplayName: "Ana", Email: ptr("ana@example.com")},
		NextState:     ptr(tracker.StatePlusOne),
		People:        []tracker.Person{{DisplayName: "Bo"}},
	}
}

// call runs one operation: exactly one request went out, Prism took it and answered want. A
// mock response may fail the SDK's own checks; a request-side validation error fails the test.
func call[T any](t *testing.T, r *recorder, name string, want int, f func() (*charter.Response[T], error)) {
	t.Helper()
	before := r.sent
	_, err := f()
	var invalid *charter.ValidationError
	if errors.As(err, &invalid) && invalid.Direction == "request" {
		t.Fatalf("%s: refused by the SDK: %v", name, err)
	}
	if r.sent != before+1 {
		t.Fatalf("%s: %d requests sent", name, r.sent-before)
	}
	if len(r.problems) > 0 {
		t.Fatalf("%s: Prism refused the request: %s", name, strings.Join(r.problems, "\n"))
	}
	if got := r.statuses[len(r.statuses)-1]; got != want {
		t.Fatalf("%s: Prism answered %d, want %d", name, got, want)
	}
}

func TestTracker(t *testing.T) {
	r := &recorder{prism: prism(t, "Tracker"), base: "/tracker"}
	client := tracker.NewTrackerClient("http://sdk.invalid",
		charter.WithHTTPClient(&http.Client{Transport: r}),
		charter.WithRetry(charter.RetryPolicy{MaxRetries: 0, Budget: time.Second}))
	ctx := context.Background()
	call(t, r, "list_tasks", 200, func() (*charter.Response[[]tracker.Task], error) {
		return client.ListTasks(ctx, tracker.TrackerListTasksParams{
			StartTime:  ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
			AssignedBy: ptr("ana"),
			Size:       ptr(int64(3)),
			States:     []tracker.State{tracker.StateInProgress},
			Limit:      ptr(int64(5)),
		})
	})
	call(t, r, "get_task", 200, func() (*charter.Response[tracker.Task], error) {
		return client.GetTask(ctx, tracker.TrackerGetTaskParams{ID: "t-1"})
	})
	call(t, r, "create_task", 201, func() (*charter.Response[tracker.Task], error) {
		return client.CreateTask(ctx, tracker.TrackerCreateTaskParams{Body: task()})
	})
	withValues := task()
	due, err := charter.ParseDate("2026-01-31")
	if err != nil {
		t.Fatal(err)
	}
	withValues.Due, withValues.Note, withValues.Owner, withValues.Labels = &due, ptr("n"), nil, []string{"a"}
	call(t, r, "create_task with values", 201, func() (*charter.Response[tracker.Task], error) {
		return client.CreateTask(ctx, tracker.TrackerCreateTaskParams{Body: withValues})
	})
	call(t, r, "archive_task", 202, func() (*charter.Response[tracker.Receipt], error) {
		return client.ArchiveTask(ctx, tracker.TrackerArchiveTaskParams{ID: "t-1", DryRun: ptr(true)})
	})
	call(t, r, "touch_task", 202, func() (*charter.Response[struct{}], error) {
		return client.TouchTask(ctx, tracker.TrackerTouchTaskParams{ID: "t-1"})
	})
}
