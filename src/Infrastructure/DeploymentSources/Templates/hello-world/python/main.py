import json


# Greets the caller: GET answers "Hello, world!", a JSON body with a name is greeted by that name.
def main(context):
    name = "world"
    if context.req.method != "GET" and context.req.body_text:
        name = json.loads(context.req.body_text).get("name") or "world"
    context.log(f"greeting {name}")
    return context.res.json({"message": f"Hello, {name}!", "runtime": "python"})
