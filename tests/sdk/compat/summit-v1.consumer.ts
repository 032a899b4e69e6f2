// Code written against the TypeScript SDK of tests/evolution/summit-v1 (summit 2.0.0). The
// compatibility test (compat.test.mjs) copies it into today's summit SDK, built with
// `--compat tests/evolution/summit-v1`, and compiles it there with tsc --strict: code written
// against the N-1 SDK must keep compiling.
import { ApiError, ValidationError, summit_lineage, summit_platform } from "./index.js";

export async function usesTheV1Sdk(baseUrl: string): Promise<string[]> {
  const catalog = new summit_platform.CatalogClient({ baseUrl, timeoutMs: 5_000 });
  const found = await catalog.getDataset({ dataset_id: "d-1" });
  const summary: summit_platform.DatasetSummary = found.data;
  const decider: string = found.verdict.decider;
  const formats: summit_platform.ExportFormat[] = ["parquet", "csv"];
  const listed = await catalog.search({ limit: 10 });
  const names = listed.data.map((d: summit_platform.DatasetSummary) => d.name);
  const audit = new summit_platform.AuditClient({ baseUrl });
  const exported = await audit.exportCsv({ tenant: "t-1" });
  const lineage = new summit_lineage.LineageClient({ baseUrl });
  const trace = await lineage.trace({ entity_id: "e-1", depth: 2 });
  try {
    await catalog.getDataset({ dataset_id: "" });
  } catch (error) {
    if (error instanceof ValidationError || error instanceof ApiError) return [];
  }
  return [summary.name, decider, ...formats, ...names, exported.data.tenant, String(trace.status)];
}
