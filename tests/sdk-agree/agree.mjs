// What the TypeScript drivers of the agreement test share (driver.mjs, wire.mjs): the command
// line, the canonical JSON of a line, and the loop that prints one line per case.

import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/** JSON with object keys sorted at every depth. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The command line `RESPONSES_JSON BASE_URL SDK_ENTRY`: the cases, the base URL, the SDK. */
export async function setup() {
  const [responses, base, entry] = process.argv.slice(2);
  const table = JSON.parse(fs.readFileSync(responses, 'utf8'));
  const sdk = await import(pathToFileURL(entry).href);
  return { cases: table.cases, base, sdk };
}

/** Prints `run(case)` for every case, as canonical JSON, one line each. */
export async function drive(cases, run) {
  for (const c of cases) console.log(canonical(await run(c)));
}
