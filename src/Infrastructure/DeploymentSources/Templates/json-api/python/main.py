import json
import os
import re

# A small JSON API: routes by method and path; every answer, errors included, is JSON.
ITEMS = [{"id": 1, "name": "first"}, {"id": 2, "name": "second"}]


def main(context):
    req, res = context.req, context.res
    if req.method == "GET" and req.path == "/items":
        return res.json({"total": len(ITEMS), "items": ITEMS})

    one = re.fullmatch(r"/items/(\d+)", req.path)
    if req.method == "GET" and one:
        item = next((i for i in ITEMS if i["id"] == int(one.group(1))), None)
        return res.json(item) if item else res.json({"error": "not_found"}, 404)

    if req.method == "POST" and req.path == "/echo":
        try:
            body = json.loads(req.body_text or "{}")
        except ValueError:
            return res.json({"error": "invalid_json"}, 400)
        return res.json({"echo": body, "prefix": os.environ.get("API_GREETING") or "echo"})

    return res.json({"error": "route_not_found", "method": req.method, "path": req.path}, 404)
