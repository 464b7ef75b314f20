"""Plays a gRPC client built on gRPC core (Python grpcio, the library Pulumi's Python SDK uses) against an analyzer.

Usage: client.py PLAN.json. The plan names the port and the calls, each a method path and the request's serialized
bytes (base64); the calls go out one after another on one channel, then `concurrent.count` copies of call
`concurrent.index` at once. Prints JSON: for every call its gRPC status code, details and response bytes (base64).
Messages stay bytes: no stubs are generated, so the Swift test decodes and compares them.
"""
import base64
import json
import sys

import grpc


def answer(call):
    try:
        response = call()
        return {"code": 0, "details": "", "response": base64.b64encode(response).decode()}
    except grpc.RpcError as error:
        return {"code": error.code().value[0], "details": error.details() or "", "response": None}


def main():
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    # Small receive windows that stay small (no bandwidth probing): the analyzer's large responses must wait for
    # gRPC core's WINDOW_UPDATE frames.
    options = [("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 64 << 20),
               ("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 16384)]
    with grpc.insecure_channel(f"127.0.0.1:{plan['port']}", options=options) as channel:
        grpc.channel_ready_future(channel).result(timeout=20)
        methods = {}
        def method(path):
            return methods.setdefault(path, channel.unary_unary(path))
        answers = []
        for call in plan["calls"]:
            request = base64.b64decode(call["request"])
            answers.append(answer(lambda: method(call["path"])(request, timeout=60)))
        concurrent = []
        if plan.get("concurrent"):
            call = plan["calls"][plan["concurrent"]["index"]]
            request = base64.b64decode(call["request"])
            futures = [method(call["path"]).future(request, timeout=60) for _ in range(plan["concurrent"]["count"])]
            concurrent = [answer(future.result) for future in futures]
    json.dump({"answers": answers, "concurrent": concurrent}, sys.stdout)


if __name__ == "__main__":
    main()
