"""Mints a Huddle01-style access token with PyJWT, for huddle-auth to verify.

usage: pyjwt_mint.py --kid KID --secret-env VAR --room ROOM [--role ROLE] [--ttl SECONDS]
Prints the token. Permissions are the SDK's defaults, metadata a JSON string.
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
    parser.add_argument("--kid", required=True)
    parser.add_argument("--secret-env", required=True)
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
    token = jwt.encode(
        claims, os.environ[args.secret_env], algorithm="HS256", headers={"kid": args.kid}
    )
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
