// STAND-IN: this file only keeps the generated SDK compiling until the real runtime
// (RFC 9651 verdict parsing and ES256 signed-verdict verification) replaces it. It must never
// ship as if real: `verifyVerdict` and `signVerdict` always throw.

export interface Verdict {
  allow: boolean;
  decider: string;
  ruleId: string;
  reason: string;
  policy?: string;
  confidence?: number;
}

export type VerdictErrorKind =
  | "missing"
  | "malformed"
  | "unsigned"
  | "unknown-key"
  | "bad-signature"
  | "wrong-request";

export class VerdictError extends Error {
  readonly kind: VerdictErrorKind;
  constructor(kind: VerdictErrorKind, message: string) {
    super(message);
    this.name = "VerdictError";
    this.kind = kind;
  }
}

export function parseVerdict(header: string | null): Verdict {
  if (header === null) {
    throw new VerdictError("missing", "the response has no Charter-Verdict header");
  }
  throw new VerdictError("malformed", "stand-in runtime: verdict parsing is not available");
}

export interface VerdictKey {
  kid: string;
  jwk: JsonWebKey;
}

export interface RequestBinding {
  method: string;
  path: string;
  traceId: string;
  body?: Uint8Array;
}

export const SIGNATURE_HEADER: string = "Charter-Verdict-Signature";

export async function verifyVerdict(
  _verdictHeader: string,
  _signatureHeader: string | null,
  _binding: RequestBinding,
  _keys: readonly VerdictKey[],
): Promise<void> {
  throw new VerdictError("bad-signature", "stand-in runtime: verification is not available");
}

export async function signVerdict(
  _verdictHeader: string,
  _binding: RequestBinding,
  _key: { kid: string; privateKey: CryptoKey },
): Promise<string> {
  throw new VerdictError("bad-signature", "stand-in runtime: signing is not available");
}
