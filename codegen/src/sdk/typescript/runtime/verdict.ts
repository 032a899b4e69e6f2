// The verdict runtime of Charter's TypeScript SDK: reads the `Charter-Verdict` response header
// (an RFC 9651 structured-field dictionary, docs/openapi.md), and signs and verifies the
// `Charter-Verdict-Signature` header that binds a verdict to the request it answers
// (docs/sdk.md, "Signed verdicts"). Copied verbatim into every generated SDK; no dependencies
// beyond WebCrypto (`globalThis.crypto.subtle`).

/** The decision of the policy that guards an operation (`std.verdict.Verdict`). */
export interface Verdict {
  /** Whether the request was allowed. */
  allow: boolean;
  /** The full name of the policy that decided. */
  decider: string;
  /** The rule that decided, or `default` (the `rule_id` member). */
  ruleId: string;
  /** The deciding rule's `because` text. */
  reason: string;
  /** The version of the policy that decided (the `policy_version` member), when sent. */
  policy?: string;
  /** The `confidence` member, when sent (an integer or decimal). */
  confidence?: number;
  /** The canary rules that would have changed the outcome (the `canary` member), when sent. */
  canary?: string[];
}

/** Why a verdict was refused. */
export type VerdictErrorKind =
  | "missing"
  | "malformed"
  | "unsigned"
  | "unknown-key"
  | "bad-signature"
  | "wrong-request";

/** A verdict that cannot be trusted: absent, unreadable, unsigned or not signed for this request. */
export class VerdictError extends Error {
  readonly kind: VerdictErrorKind;

  constructor(kind: VerdictErrorKind, message: string) {
    super(message);
    this.name = "VerdictError";
    this.kind = kind;
  }
}

/** The response header carrying the verdict. */
export const VERDICT_HEADER = "Charter-Verdict";

/** The response header carrying the compact JWS over the verdict and its request. */
export const SIGNATURE_HEADER: string = "Charter-Verdict-Signature";

/** The JWS `typ` of a verdict signature. */
export const SIGNATURE_TYPE = "charter-verdict+jws";

/** The JWS `alg` of a verdict signature. */
export const SIGNATURE_ALGORITHM = "ES256";

// ---------------------------------------------------------------------------------------------
// RFC 9651 structured fields: the dictionary parser (§4.2.2) and every bare item type.

/** A bare item of a structured field. */
export type SfBareItem =
  | { type: "integer"; value: number }
  | { type: "decimal"; value: number }
  | { type: "string"; value: string }
  | { type: "token"; value: string }
  | { type: "bytes"; value: Uint8Array }
  | { type: "boolean"; value: boolean }
  | { type: "date"; value: number }
  | { type: "display"; value: string };

/** An item with its parameters. */
export interface SfItem {
  item: SfBareItem;
  params: Map<string, SfBareItem>;
}

/** An inner list with its parameters. */
export interface SfInnerList {
  list: SfItem[];
  params: Map<string, SfBareItem>;
}

/** A dictionary member: an item or an inner list. */
export type SfMember = SfItem | SfInnerList;

class SfError extends Error {}

const DIGIT = /^[0-9]$/;
const LCALPHA = /^[a-z]$/;
const ALPHA = /^[A-Za-z]$/;
const KEY_CHAR = /^[a-z0-9_\-.*]$/;
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z:/]$/;
const BASE64_CHAR = /^[A-Za-z0-9+/=]$/;
const LCHEX = /^[0-9a-f]{2}$/;

class Cursor {
  private pos = 0;
  constructor(private readonly input: string) {}

  peek(): string {
    return this.input.charAt(this.pos);
  }
  next(): string {
    const c = this.input.charAt(this.pos);
    this.pos += 1;
    return c;
  }
  atEnd(): boolean {
    return this.pos >= this.input.length;
  }
  skipSp(): void {
    while (this.peek() === " ") this.pos += 1;
  }
  skipOws(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos += 1;
  }
  fail(what: string): never {
    throw new SfError(`${what} at offset ${this.pos}`);
  }
}

/** Parses an RFC 9651 dictionary; throws on anything the RFC refuses. Later duplicates win. */
export function parseSfDictionary(input: string): Map<string, SfMember> {
  const c = new Cursor(input);
  const out = new Map<string, SfMember>();
  c.skipSp();
  while (!c.atEnd()) {
    const key = parseKey(c);
    let member: SfMember;
    if (c.peek() === "=") {
      c.next();
      member = parseItemOrInnerList(c);
    } else {
      member = { item: { type: "boolean", value: true }, params: parseParameters(c) };
    }
    out.delete(key);
    out.set(key, member);
    c.skipOws();
    if (c.atEnd()) return out;
    if (c.next() !== ",") c.fail("expected `,` after a dictionary member");
    c.skipOws();
    if (c.atEnd()) c.fail("trailing `,`");
  }
  return out;
}

function parseKey(c: Cursor): string {
  const first = c.peek();
  if (!LCALPHA.test(first) && first !== "*") c.fail("expected a key");
  let key = "";
  while (KEY_CHAR.test(c.peek())) key += c.next();
  return key;
}

function parseItemOrInnerList(c: Cursor): SfMember {
  if (c.peek() !== "(") return parseItem(c);
  c.next();
  const list: SfItem[] = [];
  for (;;) {
    c.skipSp();
    if (c.atEnd()) c.fail("unclosed inner list");
    if (c.peek() === ")") {
      c.next();
      return { list, params: parseParameters(c) };
    }
    list.push(parseItem(c));
    const after = c.peek();
    if (after !== " " && after !== ")") c.fail("expected a space or `)` in an inner list");
  }
}

function parseItem(c: Cursor): SfItem {
  const item = parseBareItem(c);
  return { item, params: parseParameters(c) };
}

function parseParameters(c: Cursor): Map<string, SfBareItem> {
  const params = new Map<string, SfBareItem>();
  while (c.peek() === ";") {
    c.next();
    c.skipSp();
    const key = parseKey(c);
    let value: SfBareItem = { type: "boolean", value: true };
    if (c.peek() === "=") {
      c.next();
      value = parseBareItem(c);
    }
    params.delete(key);
    params.set(key, value);
  }
  return params;
}

function parseBareItem(c: Cursor): SfBareItem {
  const first = c.peek();
  if (first === "-" || DIGIT.test(first)) return parseNumber(c);
  if (first === '"') return { type: "string", value: parseString(c) };
  if (ALPHA.test(first) || first === "*") return { type: "token", value: parseToken(c) };
  if (first === ":") return { type: "bytes", value: parseBytes(c) };
  if (first === "?") return { type: "boolean", value: parseBoolean(c) };
  if (first === "@") {
    c.next();
    const n = parseNumber(c);
    if (n.type !== "integer") c.fail("a date must be an integer");
    return { type: "date", value: n.value };
  }
  if (first === "%") return { type: "display", value: parseDisplayString(c) };
  return c.fail("expected a bare item");
}

function parseNumber(c: Cursor): SfBareItem {
  let sign = 1;
  if (c.peek() === "-") {
    c.next();
    sign = -1;
  }
  if (!DIGIT.test(c.peek())) c.fail("expected a digit");
  let digits = "";
  let decimal = false;
  for (;;) {
    const ch = c.peek();
    if (DIGIT.test(ch)) {
      digits += c.next();
    } else if (ch === "." && !decimal) {
      if (digits.length > 12) c.fail("too many integer digits in a decimal");
      digits += c.next();
      decimal = true;
    } else {
      break;
    }
    if (!decimal && digits.length > 15) c.fail("an integer has at most 15 digits");
    if (decimal && digits.length > 16) c.fail("a decimal has at most 16 characters");
  }
  if (!decimal) return { type: "integer", value: sign * Number.parseInt(digits, 10) };
  if (digits.endsWith(".")) c.fail("a decimal needs a fraction");
  const fraction = digits.length - digits.indexOf(".") - 1;
  if (fraction > 3) c.fail("a decimal has at most 3 fraction digits");
  return { type: "decimal", value: sign * Number.parseFloat(digits) };
}

function parseString(c: Cursor): string {
  c.next();
  let out = "";
  for (;;) {
    if (c.atEnd()) c.fail("unclosed string");
    const ch = c.next();
    if (ch === "\\") {
      const escaped = c.next();
      if (escaped !== '"' && escaped !== "\\") c.fail("bad escape in a string");
      out += escaped;
    } else if (ch === '"') {
      return out;
    } else {
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) c.fail("a string holds only printable ASCII");
      out += ch;
    }
  }
}

function parseToken(c: Cursor): string {
  let out = c.next();
  while (TCHAR.test(c.peek())) out += c.next();
  return out;
}

function parseBytes(c: Cursor): Uint8Array {
  c.next();
  let text = "";
  for (;;) {
    if (c.atEnd()) c.fail("unclosed byte sequence");
    const ch = c.next();
    if (ch === ":") break;
    if (!BASE64_CHAR.test(ch)) c.fail("bad character in a byte sequence");
    text += ch;
  }
  const bytes = base64Decode(text.replace(/=+$/, ""), STANDARD);
  if (bytes === null) return c.fail("bad base64 in a byte sequence");
  return bytes;
}

function parseBoolean(c: Cursor): boolean {
  c.next();
  const ch = c.next();
  if (ch === "1") return true;
  if (ch === "0") return false;
  return c.fail("a boolean is `?1` or `?0`");
}

function parseDisplayString(c: Cursor): string {
  c.next();
  if (c.next() !== '"') c.fail("expected `\"` after `%`");
  const bytes: number[] = [];
  for (;;) {
    if (c.atEnd()) c.fail("unclosed display string");
    const ch = c.next();
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) c.fail("a display string holds only printable ASCII");
    if (ch === "%") {
      const hex = c.next() + c.next();
      if (!LCHEX.test(hex)) c.fail("expected two lowercase hex digits after `%`");
      bytes.push(Number.parseInt(hex, 16));
    } else if (ch === '"') {
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
      } catch {
        return c.fail("a display string must be UTF-8");
      }
    } else {
      bytes.push(code);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The verdict.

function member(dict: Map<string, SfMember>, key: string): SfBareItem | SfItem[] | undefined {
  const m = dict.get(key);
  if (m === undefined) return undefined;
  return "list" in m ? m.list : m.item;
}

function textMember(dict: Map<string, SfMember>, key: string): string | undefined {
  const m = member(dict, key);
  if (m === undefined || Array.isArray(m)) return undefined;
  return m.type === "string" || m.type === "display" ? m.value : undefined;
}

/**
 * Reads a `Charter-Verdict` header value. Throws `VerdictError("missing")` when there is none
 * and `VerdictError("malformed")` when it is not an RFC 9651 dictionary with a boolean `allow`
 * and string `decider`, `rule_id` and `reason` (or when an optional member has the wrong type).
 * Unknown members are ignored.
 */
export function parseVerdict(header: string | null): Verdict {
  if (header === null) throw new VerdictError("missing", `no ${VERDICT_HEADER} header`);
  let dict: Map<string, SfMember>;
  try {
    dict = parseSfDictionary(header);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new VerdictError("malformed", `${VERDICT_HEADER} is not a structured-field dictionary: ${why}`);
  }
  const malformed = (what: string): VerdictError =>
    new VerdictError("malformed", `${VERDICT_HEADER}: ${what}`);
  const allow = member(dict, "allow");
  if (allow === undefined || Array.isArray(allow) || allow.type !== "boolean") {
    throw malformed("`allow` must be a boolean");
  }
  const decider = textMember(dict, "decider");
  const ruleId = textMember(dict, "rule_id");
  const reason = textMember(dict, "reason");
  if (decider === undefined) throw malformed("`decider` must be a string");
  if (ruleId === undefined) throw malformed("`rule_id` must be a string");
  if (reason === undefined) throw malformed("`reason` must be a string");
  const verdict: Verdict = { allow: allow.value, decider, ruleId, reason };
  if (dict.has("policy_version")) {
    const policy = textMember(dict, "policy_version");
    if (policy === undefined) throw malformed("`policy_version` must be a string");
    verdict.policy = policy;
  }
  const confidence = member(dict, "confidence");
  if (confidence !== undefined) {
    if (Array.isArray(confidence) || (confidence.type !== "decimal" && confidence.type !== "integer")) {
      throw malformed("`confidence` must be a number");
    }
    verdict.confidence = confidence.value;
  }
  const canary = member(dict, "canary");
  if (canary !== undefined) {
    if (!Array.isArray(canary)) throw malformed("`canary` must be an inner list of strings");
    const names: string[] = [];
    for (const { item } of canary) {
      if (item.type !== "string" && item.type !== "display") {
        throw malformed("`canary` must be an inner list of strings");
      }
      names.push(item.value);
    }
    verdict.canary = names;
  }
  return verdict;
}

// ---------------------------------------------------------------------------------------------
// Signed verdicts (docs/sdk.md, "Signed verdicts").

/** A verification key: its JWS `kid` and its public JWK (EC P-256). */
export interface VerdictKey {
  kid: string;
  jwk: JsonWebKey;
}

/** The request a verdict answers, as the client sent it. */
export interface RequestBinding {
  /** The method, upper case as sent (`GET`). */
  method: string;
  /** The request target's path and query as sent (`/v1/datasets/7?limit=10`), no fragment. */
  path: string;
  /** The 32 lowercase hex digits of the trace id of the request's `traceparent`. */
  traceId: string;
  /** The request body's bytes, when there is one (an empty body counts as none). */
  body?: Uint8Array;
}

const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 without padding in `alphabet`. */
function base64Encode(bytes: Uint8Array, alphabet: string): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k += 1) out += alphabet.charAt((n >> (18 - 6 * k)) & 63);
  }
  return out;
}

/** The bytes of unpadded base64 text in `alphabet`, or null when it is not that. */
function base64Decode(text: string, alphabet: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (const ch of text) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j] = (acc >> bits) & 0xff;
      j += 1;
    }
  }
  return out;
}

/** Base64url without padding (RFC 7515 §2). */
export function base64url(bytes: Uint8Array): string {
  return base64Encode(bytes, URL_SAFE);
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new Error("WebCrypto (globalThis.crypto.subtle) is not available");
  return s;
}

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const ES256 = { name: "ECDSA", hash: "SHA-256" } as const;

/**
 * The signed payload for `verdictHeader` answering `binding`: RFC 8785 (JCS) JSON, members
 * sorted, `body_sha256` (base64url SHA-256 of the body) only when there is a body.
 */
export async function verdictPayload(verdictHeader: string, binding: RequestBinding): Promise<string> {
  const payload: Record<string, string> = {};
  const body = binding.body;
  if (body !== undefined && body.length > 0) {
    const digest = await subtle().digest("SHA-256", new Uint8Array(body));
    payload["body_sha256"] = base64url(new Uint8Array(digest));
  }
  payload["method"] = binding.method;
  payload["path"] = binding.path;
  payload["trace_id"] = binding.traceId;
  payload["verdict"] = verdictHeader;
  return JSON.stringify(payload);
}

/**
 * The `Charter-Verdict-Signature` value for `verdictHeader` answering `binding`: a compact JWS
 * (ES256) whose protected header is `{"alg":"ES256","kid":KID,"typ":"charter-verdict+jws"}`.
 * For the service or gateway that sets the verdict header.
 */
export async function signVerdict(
  verdictHeader: string,
  binding: RequestBinding,
  key: { kid: string; privateKey: CryptoKey },
): Promise<string> {
  const encoder = new TextEncoder();
  const header = JSON.stringify({ alg: SIGNATURE_ALGORITHM, kid: key.kid, typ: SIGNATURE_TYPE });
  const payload = await verdictPayload(verdictHeader, binding);
  const input = `${base64url(encoder.encode(header))}.${base64url(encoder.encode(payload))}`;
  const signature = await subtle().sign(ES256, key.privateKey, encoder.encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

function decodeJson(part: string, what: string): unknown {
  const bytes = BASE64URL_TEXT.test(part) ? base64Decode(part, URL_SAFE) : null;
  if (bytes === null) throw new VerdictError("bad-signature", `the signature's ${what} is not base64url`);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new VerdictError("bad-signature", `the signature's ${what} is not JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const PAYLOAD_MEMBERS = new Set(["body_sha256", "method", "path", "trace_id", "verdict"]);

/**
 * Checks that `signatureHeader` is a valid signature, by one of `keys`, of `verdictHeader`
 * answering `binding`. Throws `VerdictError`: `unsigned` (no signature), `unknown-key` (its
 * `kid` is not among `keys`), `bad-signature` (malformed, wrong algorithm, not this key's
 * signature, or a signature of another verdict), `wrong-request` (a valid signature of this
 * verdict for another request: a replay).
 */
export async function verifyVerdict(
  verdictHeader: string,
  signatureHeader: string | null,
  binding: RequestBinding,
  keys: readonly VerdictKey[],
): Promise<void> {
  const bad = (what: string): VerdictError => new VerdictError("bad-signature", `${SIGNATURE_HEADER}: ${what}`);
  if (signatureHeader === null || signatureHeader.trim() === "") {
    throw new VerdictError("unsigned", `the verdict has no ${SIGNATURE_HEADER} header`);
  }
  const parts = signatureHeader.trim().split(".");
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || headerPart === undefined || payloadPart === undefined || signaturePart === undefined) {
    throw bad("not a compact JWS (three base64url parts)");
  }
  const header = decodeJson(headerPart, "header");
  if (!isObject(header)) throw bad("the protected header is not a JSON object");
  if (header["alg"] !== SIGNATURE_ALGORITHM) throw bad(`the algorithm must be ${SIGNATURE_ALGORITHM}`);
  if (header["typ"] !== SIGNATURE_TYPE) throw bad(`the type must be ${SIGNATURE_TYPE}`);
  if ("crit" in header) throw bad("critical header parameters are not supported");
  const kid = header["kid"];
  if (typeof kid !== "string") throw bad("no key id (`kid`)");
  const key = keys.find((k) => k.kid === kid);
  if (key === undefined) throw new VerdictError("unknown-key", `the verdict is signed by an unknown key \`${kid}\``);
  let publicKey: CryptoKey;
  try {
    publicKey = await subtle().importKey("jwk", key.jwk, EC, false, ["verify"]);
  } catch {
    throw new VerdictError("unknown-key", `the key \`${kid}\` is not an EC P-256 public key`);
  }
  const signature = BASE64URL_TEXT.test(signaturePart) ? base64Decode(signaturePart, URL_SAFE) : null;
  if (signature === null || signature.length !== 64) throw bad("the signature is not 64 base64url bytes");
  const input = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await subtle().verify(ES256, publicKey, signature, input))) {
    throw bad(`not a signature by the key \`${kid}\``);
  }
  const payload = decodeJson(payloadPart, "payload");
  if (!isObject(payload)) throw bad("the payload is not a JSON object");
  for (const [name, value] of Object.entries(payload)) {
    if (!PAYLOAD_MEMBERS.has(name) || typeof value !== "string") {
      throw bad(`unexpected payload member \`${name}\``);
    }
  }
  if (payload["verdict"] !== verdictHeader) throw bad("the signature covers another verdict");
  const expected = JSON.parse(await verdictPayload(verdictHeader, binding)) as Record<string, string>;
  for (const name of ["method", "path", "trace_id", "body_sha256"]) {
    if (payload[name] !== expected[name]) {
      throw new VerdictError("wrong-request", `the verdict was signed for another request (its \`${name}\` differs)`);
    }
  }
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a W3C `traceparent` value, or undefined when it is not one. */
export function traceIdOf(traceparent: string | null): string | undefined {
  return traceparent === null ? undefined : TRACEPARENT.exec(traceparent.trim())?.[1];
}

/**
 * The binding of a request as a server (or gateway) received it, from a fetch `Request`: its
 * method, path and query, `traceparent` trace id and body (read from a clone). Undefined when
 * the request has no valid `traceparent`: there is nothing to bind the verdict to.
 */
export async function requestBinding(request: Request): Promise<RequestBinding | undefined> {
  const traceId = traceIdOf(request.headers.get("traceparent"));
  if (traceId === undefined) return undefined;
  const url = new URL(request.url);
  const binding: RequestBinding = { method: request.method, path: `${url.pathname}${url.search}`, traceId };
  const body = new Uint8Array(await request.clone().arrayBuffer());
  if (body.length > 0) binding.body = body;
  return binding;
}

/**
 * Both response headers for a verdict answering `binding`: `Charter-Verdict` and its
 * `Charter-Verdict-Signature` by `key`. For the service or gateway that got the verdict.
 */
export async function signedVerdictHeaders(
  verdictHeader: string,
  binding: RequestBinding,
  key: { kid: string; privateKey: CryptoKey },
): Promise<Record<string, string>> {
  return {
    [VERDICT_HEADER]: verdictHeader,
    [SIGNATURE_HEADER]: await signVerdict(verdictHeader, binding, key),
  };
}
