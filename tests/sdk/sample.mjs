// Valid JSON values from the emitted OpenAPI documents' schemas, for calling every operation
// (tests/sdk/prism.test.mjs) and answering it (tests/sdk/server.test.mjs). Covers the JSON
// Schema vocabulary the openapi target emits (docs/openapi.md): $ref, enum, const, objects with
// required properties and maps, arrays (uniqueItems), strings with formats, base64 and the
// patterns the examples use, integers and numbers with bounds, booleans.

/** A value for each `pattern` the examples use (a regex sampler is not worth its weight). */
const PATTERNS = {
  '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  '^[A-Z]+-[0-9]{3}$': 'SEC-001',
  '^summit\\.policy\\.[a-z_]+$': 'summit.policy.dataset_access',
};

const FORMATS = {
  uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  'date-time': '2026-03-01T12:00:00Z',
  date: '2026-03-01',
};

/** Resolves a local `$ref` (`#/components/schemas/X`) against `doc`. */
export function resolve(doc, schema) {
  let s = schema;
  while (s && typeof s.$ref === 'string') {
    s = s.$ref
      .slice(2)
      .split('/')
      .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return s ?? {};
}

/** A valid value of `schema` in `doc`: required members only unless `full`. */
export function sample(doc, schema, full = false) {
  const s = resolve(doc, schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const key of ['oneOf', 'anyOf']) if (Array.isArray(s[key])) return sample(doc, s[key][0], full);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((part) => sample(doc, part, full)));
  if ('default' in s) return s.default;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : undefined)) {
    case 'object': {
      const out = {};
      const required = new Set(s.required ?? []);
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (full || required.has(name)) out[name] = sample(doc, property, full);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, s.minItems ?? 0);
      return Array.from({ length: n }, (_, i) => vary(sample(doc, s.items ?? {}, full), i));
    }
    case 'string': {
      if (s.pattern !== undefined) {
        if (!(s.pattern in PATTERNS)) throw new Error(`tests/sdk/sample.mjs: no sample for pattern ${s.pattern}`);
        return PATTERNS[s.pattern];
      }
      if (s.format in FORMATS) return FORMATS[s.format];
      if (s.contentEncoding === 'base64') return 'AAECAw==';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    case 'integer':
    case 'number': {
      const low = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return s.maximum !== undefined ? Math.min(low, s.maximum) : low;
    }
    case 'boolean':
      return true;
    default:
      return {};
  }
}

/** The `i`th of several array items, distinct for `uniqueItems` when it is a string. */
function vary(value, i) {
  return i === 0 || typeof value !== 'string' ? value : `${value}${i}`;
}

/** Every operation of a document: `{ method, path, op }`. */
export function operations(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      if (item[method]) out.push({ method: method.toUpperCase(), path, op: item[method] });
    }
  }
  return out;
}

/** Valid call parameters of `op`, by Charter parameter name (`body` for the body). */
export function params(doc, op, bodyName = 'body') {
  const out = {};
  for (const p of op.parameters ?? []) {
    const param = resolve(doc, p);
    if (param.in === 'header') continue;
    if (param.required) out[param.name] = param.schema?.format === undefined && param.in === 'path' ? 'p-1' : sample(doc, param.schema ?? {});
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body !== undefined) out[bodyName] = sample(doc, body, true);
  return out;
}

/** A valid success body of `op` (or undefined when it has none). */
export function success(doc, op) {
  const [status, response] = Object.entries(op.responses).find(([s]) => s.startsWith('2'));
  const schema = resolve(doc, response).content?.['application/json']?.schema;
  return { status: Number(status), body: schema === undefined ? undefined : sample(doc, schema, true) };
}
