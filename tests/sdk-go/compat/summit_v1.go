// Package compat is code written against the Go SDK of tests/evolution/summit-v1 (summit
// 2.0.0). tests/sdk-go/run.sh copies it into today's summit SDK, built with
// `--compat tests/evolution/summit-v1`, and builds it there: code written against the N-1 SDK
// must keep compiling.
package compat

import (
	"context"
	"errors"

	"summit/charter"
	"summit/summit/lineage"
	"summit/summit/platform"
)

// UsesTheV1SDK calls the v1 operations with the v1 names.
func UsesTheV1SDK(ctx context.Context, baseURL string) ([]string, error) {
	catalog := platform.NewCatalogClient(baseURL, charter.WithTimeout(5e9))
	found, err := catalog.GetDataset(ctx, platform.CatalogGetDatasetParams{DatasetID: "d-1"})
	if err != nil {
		var invalid *charter.ValidationError
		var api *charter.APIError
		if errors.As(err, &invalid) || errors.As(err, &api) {
			return nil, nil
		}
		return nil, err
	}
	var summary platform.DatasetSummary = found.Data
	decider := found.Verdict.Decider
	formats := []platform.ExportFormat{platform.ExportFormatParquet, platform.ExportFormatCsv}
	limit := int64(10)
	listed, err := catalog.Search(ctx, platform.CatalogSearchParams{Limit: &limit})
	if err != nil {
		return nil, err
	}
	names := []string{summary.Name, decider, string(formats[0])}
	for _, d := range listed.Data {
		names = append(names, d.Name)
	}
	exported, err := platform.NewAuditClient(baseURL).ExportCsv(ctx, platform.AuditExportCsvParams{Tenant: "t-1"})
	if err != nil {
		return nil, err
	}
	depth := int64(2)
	trace, err := lineage.NewLineageClient(baseURL).Trace(ctx, lineage.LineageTraceParams{EntityID: "e-1", Depth: &depth})
	if err != nil {
		return nil, err
	}
	return append(names, exported.Data.Tenant, trace.Data.EntityID), nil
}
