// The oracle of tests/tests/webhook_interop.rs: V8 and @huddle01/server-sdk
// 2.6.2 on a corpus of webhook bodies, in one process.
//
// usage: node webhook_v8.mjs FILE
// FILE holds {"apiKey", "t", "cases": [{"body", "header"}]}, `header` being
// what huddle-auth's WebhookSigner wrote for the body (or null). Prints one
// JSON array, per case:
//   parsed     whether JSON.parse accepts the body
//   canonical  JSON.stringify(JSON.parse(body)), or null when not parsed
//   lone       whether the parsed body holds a lone surrogate
//   header256, header512
//              the huddle01-signature Huddle01 would send: node:crypto's
//              HMAC over `${data.id}.${t}.${canonical}` keyed with the API key
//              (null when data.id is falsy, which the SDK refuses, or has no text)
//   sdk        whether the SDK's WebhookReceiver accepts `header` (null without one)
import { readFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { WebhookReceiver } from "@huddle01/server-sdk/webhooks";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node webhook_v8.mjs FILE");
  process.exit(2);
}
const { apiKey, t, cases } = JSON.parse(readFileSync(file, "utf8"));
const receiver = new WebhookReceiver({ apiKey });
const sign = (alg, text) => `t=${t},${alg}=${createHmac(alg, apiKey).update(text, "utf8").digest("hex")}`;

const results = [];
for (const { body, header } of cases) {
  let data;
  let parsed = true;
  try {
    data = JSON.parse(body);
  } catch {
    parsed = false;
  }
  const canonical = parsed ? JSON.stringify(data) : null;
  // JSON.stringify writes a lone surrogate, and only that, as a \udxxx escape.
  const lone = parsed && /(^|[^\\])(\\\\)*\\ud[89a-f][0-9a-f]{2}/.test(canonical);
  let header256 = null;
  let header512 = null;
  if (parsed && data !== null && data.id) {
    try {
      // Throws for an object id with its own "toString" key, as the SDK does.
      const text = `${data.id}.${t}.${canonical}`;
      header256 = sign("sha256", text);
      header512 = sign("sha512", text);
    } catch {}
  }
  let sdk = null;
  if (header !== null) {
    try {
      await receiver.receive(body, header);
      sdk = true;
    } catch {
      sdk = false;
    }
  }
  results.push({ parsed, canonical, lone, header256, header512, sdk });
}
process.stdout.write(JSON.stringify(results));
