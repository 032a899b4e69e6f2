// Runtime validation of payloads against the declared types, without dependencies. The
// generated modules compose these checks; the client runs them on every request before it is
// sent and on every response before it is returned. A problem names its JSON path
// (`body.items[2].id`), as `charter eval` does.

/** One reason a value does not match its type. */
export interface Problem {
  readonly path: string;
  readonly message: string;
  /** The problem is about a provenance envelope (missing or malformed). */
  readonly provenance?: true;
}

/** Checks `value` (found at `path`) and appends what is wrong to `out`. */
export type Check = (value: unknown, path: string, out: Problem[]) => void;

/** A request or response that does not match the declared types. */
export class ValidationError extends Error {
  readonly direction: "request" | "response";
  readonly problems: readonly Problem[];
  constructor(direction: "request" | "response", problems: readonly Problem[]) {
    super(
      `invalid ${direction}: ` +
        problems.map((p) => `${p.path}: ${p.message}`).join("; "),
    );
    this.name = "ValidationError";
    this.direction = direction;
    this.problems = problems;
  }
}

/** A provenance envelope is missing or malformed on an operation that requires provenance. */
export class ProvenanceError extends ValidationError {
  constructor(direction: "request" | "response", problems: readonly Problem[]) {
    super(direction, problems);
    this.name = "ProvenanceError";
  }
}

function found(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function expected(what: string): Check {
  return (value, path, out) => {
    out.push({ path, message: `expected ${what}, found ${found(value)}` });
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const bool: Check = (value, path, out) => {
  if (typeof value !== "boolean") expected("a boolean")(value, path, out);
};

/**
 * A 64-bit integer, held as a `number`. JSON parsers read numbers as 64-bit floats, which
 * round integers beyond ±2^53: such a value is refused, never rounded silently.
 */
export const int: Check = (value, path, out) => {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    expected("an integer")(value, path, out);
  } else if (!Number.isSafeInteger(value)) {
    out.push({
      path,
      message: "integer beyond ±2^53 - 1: it cannot be represented here without rounding",
    });
  }
};

export const float: Check = (value, path, out) => {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    expected("a number")(value, path, out);
  }
};

export const string: Check = (value, path, out) => {
  if (typeof value !== "string") expected("a string")(value, path, out);
};

function formatted(what: string, test: (text: string) => boolean): Check {
  return (value, path, out) => {
    if (typeof value !== "string") {
      expected(what)(value, path, out);
    } else if (!test(value)) {
      out.push({ path, message: `invalid ${what}` });
    }
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DURATION = /^[0-9]+[smhdwy]$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `bytes`: standard base64 (RFC 4648 §4). */
export const bytes: Check = formatted("base64 bytes", (t) => BASE64.test(t));
/** `timestamp`: an RFC 3339 date-time with an offset. */
export const timestamp: Check = formatted(
  "RFC 3339 timestamp",
  (t) => TIMESTAMP.test(t) && isDate(t.slice(0, 10)) && !Number.isNaN(Date.parse(t)),
);
/** `date`: `YYYY-MM-DD`. */
export const date: Check = formatted("date (YYYY-MM-DD)", isDate);
/** `duration`: digits and one unit of `s m h d w y` (`30d`). */
export const duration: Check = formatted("duration (such as 30d)", (t) => DURATION.test(t));
/** `uuid`: 8-4-4-4-12 hexadecimal. */
export const uuid: Check = formatted("uuid", (t) => UUID.test(t));

// A value moves between the SDK's shape, where a record's fields are named by their identifiers,
// and the wire, where they carry their wire names (`@wire`). The checks that hold records (and
// the lists, maps, aliases and nullables around them) know how to convert; every other value is
// the same on both sides.
type Convert = (value: unknown, toWire: boolean) => unknown;
const converters = new WeakMap<Check, Convert>();

function converting(check: Check, convert: Convert): Check {
  converters.set(check, convert);
  return check;
}

function convert(check: Check, value: unknown, wire: boolean): unknown {
  const c = converters.get(check);
  return c === undefined ? value : c(value, wire);
}

/** `value` (the SDK's shape of `check`'s type) as it travels: every field under its wire name. */
export function toWire(check: Check, value: unknown): unknown {
  return convert(check, value, true);
}

/** `value` as received (wire names), in the SDK's shape: every field under its identifier. */
export function fromWire(check: Check, value: unknown): unknown {
  return convert(check, value, false);
}

/** Sets an own, enumerable member (also `__proto__`, which plain assignment would not). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function list(item: Check): Check {
  return converting(
    (value, path, out) => {
      if (!Array.isArray(value)) return expected("an array")(value, path, out);
      value.forEach((v: unknown, i) => item(v, `${path}[${i}]`, out));
    },
    (value, wire) => (Array.isArray(value) ? value.map((v: unknown) => convert(item, v, wire)) : value),
  );
}

/** A `@nullable` field's value: `null`, or a value of `inner`. */
export function nullable(inner: Check): Check {
  return converting(
    (value, path, out) => {
      if (value !== null) inner(value, path, out);
    },
    (value, wire) => (value === null ? null : convert(inner, value, wire)),
  );
}

/** The JSON text of a value with object keys sorted: equal values, equal texts. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A `set`: an array whose items are unique. */
export function set(item: Check): Check {
  const items = list(item);
  return converting((value, path, out) => {
    const before = out.length;
    items(value, path, out);
    if (out.length !== before || !Array.isArray(value)) return;
    const seen = new Set<string>();
    value.forEach((v: unknown, i) => {
      const key = canonical(v);
      if (seen.has(key)) out.push({ path: `${path}[${i}]`, message: "duplicate item in a set" });
      seen.add(key);
    });
  }, (value, wire) => convert(items, value, wire));
}

function member(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** `map<string, T>`: an object with any keys. */
export function map(item: Check): Check {
  return converting(
    (value, path, out) => {
      if (!isObject(value)) return expected("an object")(value, path, out);
      for (const key of Object.keys(value)) item(value[key], member(path, key), out);
    },
    (value, wire) => {
      if (!isObject(value)) return value;
      const converted: Record<string, unknown> = {};
      for (const key of Object.keys(value)) put(converted, key, convert(item, value[key], wire));
      return converted;
    },
  );
}

/** A range refinement (`in min..max`, both ends included). */
export function range(inner: Check, min: number | undefined, max: number | undefined): Check {
  return (value, path, out) => {
    const before = out.length;
    inner(value, path, out);
    if (out.length !== before || typeof value !== "number") return;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      out.push({ path, message: `outside ${min ?? ""}..${max ?? ""}` });
    }
  };
}

/** A pattern refinement (`matching "..."`): an ECMAScript regular expression, unanchored. */
export function pattern(inner: Check, source: string): Check {
  const re = new RegExp(source, "u");
  return (value, path, out) => {
    const before = out.length;
    inner(value, path, out);
    if (out.length !== before || typeof value !== "string") return;
    if (!re.test(value)) out.push({ path, message: `does not match ${JSON.stringify(source)}` });
  };
}

/** A closed enum: one of `values`. */
export function oneOf(name: string, values: readonly string[]): Check {
  return (value, path, out) => {
    if (typeof value !== "string") return expected(`a ${name} value`)(value, path, out);
    if (!values.includes(value)) out.push({ path, message: `not a value of ${name}` });
  };
}

/** One field of an object type. */
export interface FieldSpec {
  /** The field's wire name (`@wire`, else its identifier): what travels, and what paths name. */
  readonly name: string;
  /** The field's identifier in the SDK's types, when it differs from the wire name. */
  readonly id?: string;
  readonly check: Check;
  readonly required: boolean;
  /** The provenance envelope of a `with provenance` record. */
  readonly envelope?: true;
}

/** A record, entity or context: closed, so unknown fields are refused. */
export function object(name: string, fields: readonly FieldSpec[]): Check {
  const known = new Set(fields.map((f) => f.name));
  const check: Check = (value, path, out) => {
    if (!isObject(value)) return expected(`a ${name} object`)(value, path, out);
    for (const field of fields) {
      const at = member(path, field.name);
      const present = Object.prototype.hasOwnProperty.call(value, field.name);
      const v = value[field.name];
      if (!present || v === undefined) {
        if (field.required) {
          out.push(
            field.envelope === true
              ? { path: at, message: "missing provenance envelope", provenance: true }
              : { path: at, message: `missing required field of ${name}` },
          );
        }
        continue;
      }
      if (field.envelope === true) {
        const inner: Problem[] = [];
        field.check(v, at, inner);
        for (const p of inner) out.push({ ...p, provenance: true });
      } else {
        field.check(v, at, out);
      }
    }
    for (const key of Object.keys(value)) {
      if (!known.has(key)) out.push({ path: member(path, key), message: `unknown field of ${name}` });
    }
  };
  // Fields are written in declaration order; members that are no field are kept as they are,
  // so that the check still reports them.
  return converting(check, (value, wire) => {
    if (!isObject(value)) return value;
    const converted: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const field of fields) {
      const id = field.id ?? field.name;
      const [from, to] = wire ? [id, field.name] : [field.name, id];
      seen.add(from);
      if (Object.prototype.hasOwnProperty.call(value, from) && value[from] !== undefined) {
        put(converted, to, convert(field.check, value[from], wire));
      }
    }
    for (const key of Object.keys(value)) {
      if (!seen.has(key) && !Object.prototype.hasOwnProperty.call(converted, key)) put(converted, key, value[key]);
    }
    return converted;
  });
}

/** A check found later: named types refer to each other, recursively too. */
export function lazy(get: () => Check): Check {
  return converting(
    (value, path, out) => get()(value, path, out),
    (value, wire) => convert(get(), value, wire),
  );
}

/** The problems of `value` against `check`, with `path` as the root. */
export function problems(check: Check, value: unknown, path: string): Problem[] {
  const out: Problem[] = [];
  check(value, path, out);
  return out;
}

/** A type that did not resolve: anything passes. */
export const anything: Check = () => {};
