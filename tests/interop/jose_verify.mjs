// Verifies a huddle-auth token with jose (the JWT library of the Huddle01
// Node SDK) and prints its payload as JSON.
//
// usage: node jose_verify.mjs TOKEN (--secret-env VAR | --jwks FILE | --huddle01-jwks FILE)
// Exit 0 on success, 1 when jose refuses the token. --huddle01-jwks checks a
// token as the Node SDK's TokenVerifier does Huddle01-issued ones: RS256,
// iss "Huddle01", the key picked by jose's kid-less lookup, no nbf.
import { readFileSync } from "node:fs";
import { createLocalJWKSet, jwtVerify } from "jose";

const [token, flag, value] = process.argv.slice(2);
if (!token || !value || !["--secret-env", "--jwks", "--huddle01-jwks"].includes(flag)) {
  console.error("usage: node jose_verify.mjs TOKEN (--secret-env VAR | --jwks FILE | --huddle01-jwks FILE)");
  process.exit(2);
}

try {
  let key;
  let options;
  if (flag === "--secret-env") {
    key = new TextEncoder().encode(process.env[value] ?? "");
    options = { algorithms: ["HS256"], requiredClaims: ["exp", "iat", "nbf"] };
  } else if (flag === "--jwks") {
    key = createLocalJWKSet(JSON.parse(readFileSync(value, "utf8")));
    options = { algorithms: ["EdDSA", "Ed25519", "ES256", "RS256"], requiredClaims: ["exp", "iat", "nbf"] };
  } else {
    key = createLocalJWKSet(JSON.parse(readFileSync(value, "utf8")));
    options = { algorithms: ["RS256"], issuer: "Huddle01", requiredClaims: ["exp", "iat"] };
  }
  const { payload } = await jwtVerify(token, key, options);
  console.log(JSON.stringify(payload));
} catch (error) {
  console.error(`jose refused the token: ${error.code ?? ""} ${error.message}`);
  process.exit(1);
}
