// Verifies a huddle-auth token with jose (the JWT library of the Huddle01
// Node SDK) and prints its payload as JSON.
//
// usage: node jose_verify.mjs TOKEN (--secret-env VAR | --jwks FILE)
// Exit 0 on success, 1 when jose refuses the token.
import { readFileSync } from "node:fs";
import { createLocalJWKSet, jwtVerify } from "jose";

const [token, flag, value] = process.argv.slice(2);
if (!token || !value || !["--secret-env", "--jwks"].includes(flag)) {
  console.error("usage: node jose_verify.mjs TOKEN (--secret-env VAR | --jwks FILE)");
  process.exit(2);
}

try {
  let key;
  let algorithms;
  if (flag === "--secret-env") {
    key = new TextEncoder().encode(process.env[value] ?? "");
    algorithms = ["HS256"];
  } else {
    key = createLocalJWKSet(JSON.parse(readFileSync(value, "utf8")));
    algorithms = ["EdDSA", "Ed25519", "ES256", "RS256"];
  }
  const { payload } = await jwtVerify(token, key, { algorithms, requiredClaims: ["exp", "iat", "nbf"] });
  console.log(JSON.stringify(payload));
} catch (error) {
  console.error(`jose refused the token: ${error.code ?? ""} ${error.message}`);
  process.exit(1);
}
