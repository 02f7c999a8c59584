"""Verifies a huddle-auth token with PyJWT and prints its payload as JSON.

usage: pyjwt_verify.py TOKEN (--secret-env VAR | --jwks FILE | --huddle01-jwks FILE)
Exit 0 on success, 1 when PyJWT refuses the token. --huddle01-jwks checks a
token as Huddle01's infra issues them: no kid (each RSA key of the set is
tried), RS256, iss "Huddle01", no nbf.
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
    source.add_argument("--huddle01-jwks", help="JWKS file for a kid-less Huddle01 token")
    args = parser.parse_args()

    options = {"require": ["exp", "iat", "nbf"]}
    try:
        if args.secret_env:
            payload = jwt.decode(
                args.token, os.environ[args.secret_env], algorithms=["HS256"], options=options
            )
        elif args.huddle01_jwks:
            payload = huddle01(args.token, args.huddle01_jwks)
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


def huddle01(token: str, jwks_file: str) -> dict:
    """PyJWT has no kid-less lookup: try each RSA key of the set in turn."""
    with open(jwks_file, encoding="utf-8") as f:
        jwks = jwt.PyJWKSet.from_dict(json.load(f))
    options = {"require": ["exp", "iat", "iss"]}
    error: jwt.PyJWTError = jwt.InvalidKeyError("no RSA key in the set")
    for key in (k for k in jwks.keys if k.key_type == "RSA"):
        try:
            return jwt.decode(
                token, key.key, algorithms=["RS256"], issuer="Huddle01", options=options
            )
        except jwt.InvalidSignatureError as refused:
            error = refused
    raise error


if __name__ == "__main__":
    sys.exit(main())
