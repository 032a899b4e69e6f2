// The transport every generated client uses: fetch, validation both ways, retries, timeouts,
// trace context, verdicts and deprecation signals. No dependencies beyond the platform
// (`fetch`, `AbortController`, `crypto.getRandomValues`, `TextEncoder`).

import { ProvenanceError, ValidationError, fromWire, toWire, type Check, type Problem } from "./validate.js";
import {
  SIGNATURE_HEADER,
  parseVerdict,
  verifyVerdict,
  type Verdict,
  type VerdictKey,
} from "./verdict.js";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/** What the `onVerdict` hook receives for every verdict of a guarded operation. */
export interface VerdictEvent {
  readonly operation: string;
  readonly decider: string;
  readonly ruleId: string;
  readonly reason: string;
  readonly confidence: number | undefined;
  readonly traceId: string;
  readonly verdict: Verdict;
}

/** What the `onDeprecation` hook receives when a response carries `Deprecation` or `Sunset`. */
export interface DeprecationEvent {
  readonly operation: string;
  /** The `Deprecation` header (RFC 9745, `@<unix seconds>`), or null. */
  readonly deprecation: string | null;
  /** The `Sunset` header (RFC 8594, an HTTP-date), or null. */
  readonly sunset: string | null;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  readonly maxRetries?: number;
  /** The first backoff step in milliseconds (default 200); doubled on every retry. */
  readonly baseDelayMs?: number;
  /** The longest single wait in milliseconds (default 10 000). */
  readonly maxDelayMs?: number;
  /** The total time spent waiting between attempts, at most (default 30 000 ms). */
  readonly budgetMs?: number;
}

export interface ClientOptions {
  /** The server's URL, without the service's base path (`https://api.example.com`). */
  readonly baseUrl: string;
  /** Headers sent with every call. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The time one attempt may take, in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Keys that sign verdicts: with them, guarded responses must carry a valid signature. */
  readonly verdictKeys?: readonly VerdictKey[];
  readonly onVerdict?: (event: VerdictEvent) => void;
  readonly onDeprecation?: (event: DeprecationEvent) => void;
  /** Where the once-per-operation deprecation warnings go (default `console.warn`). */
  readonly warn?: (message: string) => void;
}

export interface CallOptions {
  /** Headers for this call, over the client's. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** A W3C `traceparent` to forward unchanged (default: a new trace). */
  readonly traceparent?: string;
}

/** A successful call. */
export interface Result<T> {
  readonly data: T;
  readonly status: number;
  readonly headers: Headers;
  readonly traceId: string;
  /** The verdict of a guarded operation. */
  readonly verdict: Verdict | undefined;
}

/** A successful call of a guarded operation: it always has its verdict. */
export interface GuardedResult<T> extends Result<T> {
  readonly verdict: Verdict;
}

/** A response that is not a success and not a declared error (or one whose body is invalid). */
export class ApiError extends Error {
  readonly operation: string;
  readonly status: number;
  readonly headers: Headers;
  readonly rawBody: string;
  constructor(operation: string, status: number, headers: Headers, rawBody: string) {
    super(`${operation}: HTTP ${status}`);
    this.name = "ApiError";
    this.operation = operation;
    this.status = status;
    this.headers = headers;
    this.rawBody = rawBody;
  }
}

/** A declared error response, with its typed body. Each one has its own generated subclass. */
export class DeclaredError<B> extends ApiError {
  readonly body: B;
  constructor(operation: string, status: number, headers: Headers, rawBody: string, body: B) {
    super(operation, status, headers, rawBody);
    this.name = new.target.name;
    this.body = body;
  }
}

/** The attempt took longer than its timeout. */
export class TimeoutError extends Error {
  readonly operation: string;
  constructor(operation: string, ms: number) {
    super(`${operation}: no response within ${ms} ms`);
    this.name = "TimeoutError";
    this.operation = operation;
  }
}

/** A guarded operation answered with success although its verdict denies: fail closed. */
export class DeniedError extends Error {
  readonly verdict: Verdict;
  constructor(operation: string, verdict: Verdict) {
    super(`${operation}: the verdict denies (${verdict.ruleId}: ${verdict.reason})`);
    this.name = "DeniedError";
    this.verdict = verdict;
  }
}

export interface ParamSpec {
  /** The parameter's identifier: its key in the call's parameters. */
  readonly name: string;
  /** A query parameter's wire name (`@wire`), when it differs from its identifier. */
  readonly wire?: string;
  readonly in: "path" | "query" | "body";
  readonly check: Check;
  readonly required: boolean;
}

export interface ErrorSpec {
  readonly status: number;
  readonly check: Check;
  readonly create: (operation: string, status: number, headers: Headers, raw: string, body: unknown) => ApiError;
}

export interface OperationSpec {
  readonly name: string;
  readonly method: Method;
  readonly basePath: string;
  readonly path: string;
  readonly params: readonly ParamSpec[];
  readonly result: Check | undefined;
  readonly errors: readonly ErrorSpec[];
  readonly requiresProvenance: boolean;
  readonly guarded: boolean;
  /** The warning printed once when a deprecated operation is first called. */
  readonly deprecated: string | undefined;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const IDEMPOTENT: ReadonlySet<Method> = new Set<Method>(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const warned = new Set<string>();

function hex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fail(direction: "request" | "response", spec: OperationSpec, problems: Problem[]): never {
  if (spec.requiresProvenance && problems.some((p) => p.provenance === true)) {
    throw new ProvenanceError(direction, problems);
  }
  throw new ValidationError(direction, problems);
}

/** The wait before retry `attempt` (0-based): `Retry-After` when given, else full jitter. */
function delay(attempt: number, retry: RetryOptions, retryAfter: string | null): number {
  const max = retry.maxDelayMs ?? 10_000;
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  const step = Math.min(max, (retry.baseDelayMs ?? 200) * 2 ** attempt);
  return Math.random() * step;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Transport {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  async call<T>(spec: OperationSpec, params: object, call: CallOptions = {}): Promise<Result<T>> {
    const options = this.#options;
    if (spec.deprecated !== undefined && !warned.has(spec.name)) {
      warned.add(spec.name);
      (options.warn ?? ((m: string) => console.warn(m)))(spec.deprecated);
    }
    const values = params as Readonly<Record<string, unknown>>;
    const problems: Problem[] = [];
    let path = spec.path;
    const query = new URLSearchParams();
    let body: Uint8Array | undefined;
    let bodyText: string | undefined;
    let bodyValue: unknown = undefined;
    for (const param of spec.params) {
      const given = values[param.name];
      const wireName = param.wire ?? param.name;
      const at = param.in === "body" ? "body" : `${param.in}.${wireName}`;
      if (given === undefined) {
        if (param.required) problems.push({ path: at, message: "missing required parameter" });
        continue;
      }
      // Checked as it will travel: a record's fields under their wire names.
      const value = toWire(param.check, given);
      param.check(value, at, problems);
      if (param.in === "path") {
        path = path.split(`{${param.name}}`).join(encodeURIComponent(String(value)));
      } else if (param.in === "query") {
        for (const item of Array.isArray(value) ? value : [value]) query.append(wireName, String(item));
      } else {
        bodyValue = value;
        bodyText = JSON.stringify(value);
        body = new TextEncoder().encode(bodyText);
      }
    }
    if (problems.length > 0) fail("request", spec, problems);

    const forwarded = call.traceparent !== undefined ? TRACEPARENT.exec(call.traceparent) : null;
    const traceId = forwarded?.[1] ?? hex(16);
    const traceparent = forwarded !== null && call.traceparent !== undefined ? call.traceparent : `00-${traceId}-${hex(8)}-01`;
    const urlPath = `${spec.basePath}${path}`;
    const search = query.toString();
    const url = `${options.baseUrl.replace(/\/+$/, "")}${urlPath}${search === "" ? "" : `?${search}`}`;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers, ...call.headers, traceparent };
    if (body !== undefined) headers["content-type"] = "application/json";

    const response = await this.#send(spec, url, headers, bodyText, call);
    const raw = await response.text();
    if (options.onDeprecation !== undefined) {
      const deprecation = response.headers.get("Deprecation");
      const sunset = response.headers.get("Sunset");
      if (deprecation !== null || sunset !== null) options.onDeprecation({ operation: spec.name, deprecation, sunset });
    }
    const ok = response.status >= 200 && response.status < 300;
    let verdict: Verdict | undefined;
    const header = response.headers.get("Charter-Verdict");
    // A guarded success must carry a verdict (fail closed); an error response that carries one (a
    // denial) has it read and checked too; one without (a gateway's 503) is thrown as it is.
    if (spec.guarded && (ok || header !== null)) {
      verdict = parseVerdict(header);
      if (options.verdictKeys !== undefined && options.verdictKeys.length > 0 && header !== null) {
        // Bound to the request as sent: the path and query of the final URL (docs/sdk.md).
        const sent = new URL(url);
        const target = `${sent.pathname}${sent.search}`;
        const binding = body === undefined
          ? { method: spec.method, path: target, traceId }
          : { method: spec.method, path: target, traceId, body };
        await verifyVerdict(header, response.headers.get(SIGNATURE_HEADER), binding, options.verdictKeys);
      }
      options.onVerdict?.({
        operation: spec.name,
        decider: verdict.decider,
        ruleId: verdict.ruleId,
        reason: verdict.reason,
        confidence: provenanceConfidence(parseOrUndefined(raw)) ?? provenanceConfidence(bodyValue),
        traceId,
        verdict,
      });
      if (!verdict.allow) throw new DeniedError(spec.name, verdict);
    }
    if (!ok) throw this.#error(spec, response, raw);
    let data: unknown = undefined;
    if (spec.result !== undefined) {
      try {
        data = JSON.parse(raw);
      } catch {
        fail("response", spec, [{ path: "response", message: "not JSON" }]);
      }
      const found: Problem[] = [];
      spec.result(data, "response", found);
      if (found.length > 0) fail("response", spec, found);
      data = fromWire(spec.result, data);
    }
    return { data: data as T, status: response.status, headers: response.headers, traceId, verdict };
  }

  async #send(
    spec: OperationSpec,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    call: CallOptions,
  ): Promise<Response> {
    const options = this.#options;
    const retry = options.retry ?? {};
    const retries = IDEMPOTENT.has(spec.method) ? Math.max(0, retry.maxRetries ?? 2) : 0;
    let budget = retry.budgetMs ?? 30_000;
    const doFetch = options.fetch ?? fetch;
    const timeout = call.timeoutMs ?? options.timeoutMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      const abort = (): void => controller.abort(call.signal?.reason);
      call.signal?.addEventListener("abort", abort, { once: true });
      if (call.signal?.aborted === true) abort();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);
      let response: Response | undefined;
      let failure: unknown;
      try {
        const init: RequestInit = { method: spec.method, headers, signal: controller.signal };
        if (body !== undefined) init.body = body;
        response = await doFetch(url, init);
      } catch (error) {
        failure = timedOut ? new TimeoutError(spec.name, timeout) : error;
      } finally {
        clearTimeout(timer);
        call.signal?.removeEventListener("abort", abort);
      }
      const retryable =
        response === undefined
          ? !timedOut && call.signal?.aborted !== true
          : response.status === 429 || response.status === 503;
      if (attempt < retries && retryable) {
        const wait = delay(attempt, retry, response?.headers.get("Retry-After") ?? null);
        if (wait <= budget) {
          budget -= wait;
          if (response !== undefined) await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      if (response !== undefined) return response;
      throw failure;
    }
  }

  #error(spec: OperationSpec, response: Response, raw: string): ApiError {
    const declared = spec.errors.find((e) => e.status === response.status);
    if (declared !== undefined) {
      try {
        const body: unknown = JSON.parse(raw);
        const found: Problem[] = [];
        declared.check(body, "response", found);
        if (found.length === 0) {
          return declared.create(spec.name, response.status, response.headers, raw, fromWire(declared.check, body));
        }
      } catch {
        // Not JSON: the generic error below.
      }
    }
    return new ApiError(spec.name, response.status, response.headers, raw);
  }
}

/** The `provenance.confidence` of a record carrying the envelope, if `value` is one. */
function provenanceConfidence(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const provenance = (value as { readonly provenance?: unknown }).provenance;
  if (typeof provenance !== "object" || provenance === null) return undefined;
  const confidence = (provenance as { readonly confidence?: unknown }).confidence;
  return typeof confidence === "number" ? confidence : undefined;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
