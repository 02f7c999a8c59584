"""Mints a Huddle01-style access token with PyJWT, for huddle-auth to verify.

usage: pyjwt_mint.py --kid KID --secret-env VAR --room ROOM [--role ROLE] [--ttl SECONDS]
       pyjwt_mint.py --huddle01 PEM --room ROOM [--role ROLE] [--ttl SECONDS]
Prints the token. Permissions are the SDK's defaults, metadata a JSON string.
With --huddle01, a token shaped like those Huddle01's infra issues: RS256
with the private key in PEM, header {"alg":"RS256"} (no kid, no typ),
iss "Huddle01", no projectId, nbf or jti, and canProduce false with every
source still on (the SDK's default for a custom role).
"""

import argparse
import json
import os
import sys
import time
import uuid

import jwt


def main() -> int:
    parser = argparse.ArgumentParser()
    signer = parser.add_mutually_exclusive_group(required=True)
    signer.add_argument("--huddle01", metavar="PEM", help="RSA private key to sign as Huddle01")
    signer.add_argument("--secret-env", help="environment variable holding the HS256 secret")
    parser.add_argument("--kid")
    parser.add_argument("--room", required=True)
    parser.add_argument("--role")
    parser.add_argument("--ttl", type=int, default=3600)
    args = parser.parse_args()

    now = int(time.time())
    claims = {
        "roomId": args.room,
        "peerId": "peer_" + uuid.uuid4().hex,
        "projectId": args.kid,
        "permissions": {
            "admin": False,
            "canConsume": True,
            "canProduce": True,
            "canProduceSources": {"cam": True, "mic": True, "screen": True},
            "canSendData": True,
            "canRecvData": True,
            "canUpdateMetadata": True,
        },
        "metadata": json.dumps({"walletAddress": "mizanxali.eth"}),
        "iat": now,
        "nbf": now,
        "exp": now + args.ttl,
        "jti": uuid.uuid4().hex,
    }
    if args.role:
        claims["role"] = args.role
    if args.huddle01:
        for member in ("projectId", "nbf", "jti", "metadata"):
            del claims[member]
        claims["iss"] = "Huddle01"
        claims["permissions"]["canProduce"] = False
        with open(args.huddle01, encoding="utf-8") as f:
            key = f.read()
        token = jwt.encode(claims, key, algorithm="RS256", headers={"typ": None})
    elif not args.kid:
        parser.error("--secret-env needs --kid")
    else:
        token = jwt.encode(
            claims, os.environ[args.secret_env], algorithm="HS256", headers={"kid": args.kid}
        )
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
