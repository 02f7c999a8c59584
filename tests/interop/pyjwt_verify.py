"""Verifies a huddle-auth token with PyJWT and prints its payload as JSON.

usage: pyjwt_verify.py TOKEN (--secret-env VAR | --jwks FILE)
Exit 0 on success, 1 when PyJWT refuses the token.
"""

import argparse
import json
import os
import sys

import jwt


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("token")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--secret-env", help="environment variable holding the HS256 secret")
    source.add_argument("--jwks", help="JWKS file holding the public key")
    args = parser.parse_args()

    options = {"require": ["exp", "iat", "nbf"]}
    try:
        if args.secret_env:
            payload = jwt.decode(
                args.token, os.environ[args.secret_env], algorithms=["HS256"], options=options
            )
        else:
            with open(args.jwks, encoding="utf-8") as f:
                jwks = jwt.PyJWKSet.from_dict(json.load(f))
            kid = jwt.get_unverified_header(args.token)["kid"]
            key = jwks[kid]
            payload = jwt.decode(
                args.token, key.key, algorithms=[key.algorithm_name], options=options
            )
    except (jwt.PyJWTError, KeyError) as error:
        print(f"PyJWT refused the token: {error!r}", file=sys.stderr)
        return 1
    print(json.dumps(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main())
