# FunctionsPlatform python adapter: loads one function and serves the executor over a Unix socket, one call at a time.
# argv: <socket path> <entrypoint path>. Prints "FP-READY" once listening; exit code 3 = the code failed to load.
# Reply framing: user status and headers; body = logs bytes + errors bytes + user body, lengths in x-fp-* headers.
# Only cheap modules are imported up front: start-up time is the cold-start cost.
import json
import os
import socket
import sys
import traceback

CAP = 1 << 20
LOG_MARK = "\n[WARNING] Logs truncated. The output exceeded 1048576 bytes.\n"
REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


class Capture:
    """Per-call log buffer, capped; also stands in for sys.stdout/sys.stderr so print() is captured."""

    def __init__(self):
        self.parts = []
        self.size = 0
        self.truncated = False

    def write(self, text):
        if self.truncated:
            return len(text)
        data = text.encode("utf-8", "replace")
        if self.size + len(data) > CAP:
            self.parts.append(data[: CAP - self.size])
            self.parts.append(LOG_MARK.encode())
            self.truncated = True
        else:
            self.parts.append(data)
            self.size += len(data)
        return len(text)

    def flush(self):
        pass

    def getvalue(self):
        return b"".join(self.parts)


class _Sink:
    """Routes sys.stdout / sys.stderr to the current call's capture."""

    def __init__(self, pick):
        self.pick = pick

    def write(self, text):
        return self.pick().write(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _format(args):
    out = []
    for a in args:
        if isinstance(a, (dict, list)):
            try:
                out.append(json.dumps(a))
                continue
            except (TypeError, ValueError):
                pass
        out.append(str(a))
    return " ".join(out)


class Request:
    def __init__(self, method, target, headers, body):
        path, _, query_string = target.partition("?")
        self.method = method
        self.path = path
        self.query_string = self.queryString = query_string
        self.query = {}
        for pair in query_string.split("&"):
            if pair:
                k, _, v = pair.partition("=")
                self.query[k] = v
        self.headers = headers
        self.body_binary = self.bodyBinary = body
        self.body_text = self.bodyText = self.body_raw = self.bodyRaw = body.decode("utf-8", "replace")
        host = headers.get("host", "localhost")
        self.scheme = headers.get("x-forwarded-proto", "http")
        name, _, port = host.partition(":")
        self.host = name
        self.port = int(port) if port.isdigit() else (443 if self.scheme == "https" else 80)
        self.url = f"{self.scheme}://{host}{target}"

    @property
    def body_json(self):
        return json.loads(self.body_text)

    bodyJson = body_json

    @property
    def body(self):
        if "application/json" in self.headers.get("content-type", ""):
            return json.loads(self.body_text) if self.body_text else {}
        return self.body_text


class Response:
    def send(self, body, statusCode=200, headers=None, status_code=None):
        return {"body": "" if body is None else str(body), "statusCode": status_code or statusCode, "headers": headers or {}}

    text = send

    def binary(self, data, statusCode=200, headers=None, status_code=None):
        return {"body": bytes(data), "statusCode": status_code or statusCode, "headers": headers or {}}

    def json(self, obj, statusCode=200, headers=None, status_code=None):
        merged = {"content-type": "application/json"}
        merged.update(headers or {})
        return {"body": json.dumps(obj), "statusCode": status_code or statusCode, "headers": merged}

    def empty(self):
        return {"body": "", "statusCode": 204, "headers": {}}

    def redirect(self, url, statusCode=301, headers=None, status_code=None):
        merged = dict(headers or {})
        merged["location"] = url
        return {"body": "", "statusCode": status_code or statusCode, "headers": merged}


class Context:
    def __init__(self, req, logs, errors):
        self.req = req
        self.res = Response()
        self._logs = logs
        self._errors = errors

    def log(self, *args):
        self._logs.write(_format(args) + "\n")

    def error(self, *args):
        self._errors.write(_format(args) + "\n")


current = {"logs": Capture(), "errors": Capture()}


def load(entrypoint):
    import importlib.util

    sys.path.insert(0, os.path.dirname(entrypoint))
    spec = importlib.util.spec_from_file_location("main", entrypoint)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {entrypoint}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["main"] = module
    spec.loader.exec_module(module)
    handler = getattr(module, "main", None)
    if not callable(handler):
        raise AttributeError("The entrypoint has no main(context) function.")
    return handler


def invoke(handler, context):
    result = handler(context)
    if hasattr(result, "__await__"):
        import asyncio

        result = asyncio.run(_await(result))
    return result


async def _await(awaitable):
    return await awaitable


def respond(conn, status, headers, body):
    logs = current["logs"].getvalue()
    errors = current["errors"].getvalue()
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif body is None:
        body = b""
    out = {}
    for k, v in (headers or {}).items():
        name = str(k).lower()
        if not name.startswith("x-fp-") and name not in ("content-length", "transfer-encoding", "connection"):
            out[name] = str(v).replace("\r", " ").replace("\n", " ")
    out.setdefault("content-type", "text/plain")
    if len(body) > CAP:
        body = body[:CAP]
        out["x-fp-body-truncated"] = "1"
    out["x-fp-logs-length"] = str(len(logs))
    out["x-fp-errors-length"] = str(len(errors))
    out["content-length"] = str(len(logs) + len(errors) + len(body))
    head = f"HTTP/1.1 {int(status)} {REASONS.get(int(status), 'Status')}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in out.items()) + "\r\n"
    conn.sendall(head.encode("latin-1", "replace") + logs + errors + body)


def handle(conn, reader, handler):
    line = reader.readline(65537)
    if not line:
        return False
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers = {}
    while True:
        h = reader.readline(65537)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.decode("latin-1").partition(":")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    length = int(headers.get("content-length", "0") or 0)
    body = reader.read(length) if length else b""
    current["logs"] = Capture()
    current["errors"] = Capture()
    try:
        context = Context(Request(method, target, headers, body), current["logs"], current["errors"])
        result = invoke(handler, context)
        if not isinstance(result, dict) or "statusCode" not in result:
            current["errors"].write("Return statement missing. return context.res.empty() if no response is expected.\n")
            respond(conn, 500, {}, b"")
        else:
            respond(conn, result["statusCode"], result.get("headers"), result.get("body"))
    except Exception:  # user code failure: reported, never fatal to the adapter
        current["errors"].write(traceback.format_exc())
        respond(conn, 500, {}, b"")
    return True


def main():
    socket_path, entrypoint = sys.argv[1], sys.argv[2]
    real_stdout = sys.stdout
    sys.stdout = _Sink(lambda: current["logs"])
    sys.stderr = _Sink(lambda: current["errors"])
    try:
        handler = load(entrypoint)
    except BaseException:
        os.write(2, f"Failed to load {os.path.basename(entrypoint)}: {traceback.format_exc()}".encode())
        os._exit(3)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(4)
    real_stdout.write("FP-READY\n")
    real_stdout.flush()
    while True:
        conn, _ = server.accept()
        reader = conn.makefile("rb")
        try:
            while handle(conn, reader, handler):
                pass
        except (ConnectionError, OSError):
            pass
        finally:
            reader.close()
            conn.close()


main()
