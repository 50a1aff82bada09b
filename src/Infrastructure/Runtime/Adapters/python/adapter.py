# FunctionsPlatform python adapter: loads one function and serves the executor over a Unix socket.
# argv: <socket path> <entrypoint path>. Prints "FP-READY" once listening; exit code 3 = the code failed to load.
# FP_CONCURRENCY (environment, removed before user code runs): requests served at once. 1 = one at a time on a plain
# blocking socket; more = an asyncio loop where async handlers interleave and sync ones run on worker threads.
# Framing (both ways): u32 BE head length, u32 BE payload length, head (UTF-8 fields joined by NUL), payload.
# Request head: request id, method, target, then header name/value pairs; payload = body.
# Reply head: request id, status, logs length, errors length, body-truncated flag, then header pairs; payload = logs + errors + body.
# Generic mode (argv: <socket path> only): listens with no function loaded; the first frame on the connection is the
# specialization: head "0", "FP-LOAD", entrypoint, concurrency, memory MB, then the environment as name/value pairs. The
# adapter replaces its whole environment with that one, lowers RLIMIT_AS to the memory limit, loads the entrypoint and
# answers id "0" with status 200, or 500 with the load error in the errors part (then exits 3). It is then that
# function's process for life.
# Start-up time is the cold-start cost: only modules the interpreter has already loaded are imported up front; the
# rest (json, traceback, importlib.util) when first needed. _socket, not socket: its enum set-up costs ~5 ms.
import _socket
import os
import sys
import time

CAP = 1 << 20
LOG_MARK = "\n[WARNING] Logs truncated. The output exceeded 1048576 bytes.\n"


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
    import json

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
        import json

        return json.loads(self.body_text)

    bodyJson = body_json

    @property
    def body(self):
        if "application/json" in self.headers.get("content-type", ""):
            import json

            return json.loads(self.body_text) if self.body_text else {}
        return self.body_text


class Response:
    def send(self, body, statusCode=200, headers=None, status_code=None):
        return {"body": "" if body is None else str(body), "statusCode": status_code or statusCode, "headers": headers or {}}

    text = send

    def binary(self, data, statusCode=200, headers=None, status_code=None):
        return {"body": bytes(data), "statusCode": status_code or statusCode, "headers": headers or {}}

    def json(self, obj, statusCode=200, headers=None, status_code=None):
        import json

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
# Concurrent mode: the capture of the request whose task or worker thread is running (a ContextVar), else `current`.
scoped = None


def _capture(kind):
    if scoped is not None:
        pair = scoped.get(None)
        if pair is not None:
            return pair[kind]
    return current[kind]


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


def _field(value):
    return str(value).replace("\0", " ")


_started = {}


def frame(request_id, logs_capture, errors_capture, status, headers, body):
    status = int(status)
    if not 100 <= status <= 999:
        raise ValueError(f"Invalid status code: {status}")
    logs = logs_capture.getvalue()
    errors = errors_capture.getvalue()
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif body is None:
        body = b""
    truncated = "0"
    if len(body) > CAP:
        body = body[:CAP]
        truncated = "1"
    # The run time (the request's start to its reply here) tells the executor fast functions from slow ones.
    started = _started.pop(request_id, None)
    run_us = 0 if started is None else int((time.perf_counter() - started) * 1e6)
    fields = [request_id, str(status), str(len(logs)), str(len(errors)), truncated, str(run_us)]
    content_type = False
    for k, v in (headers or {}).items():
        name = str(k).lower()
        if not name.startswith("x-fp-") and name not in ("content-length", "transfer-encoding", "connection"):
            content_type = content_type or name == "content-type"
            fields += (_field(name), _field(v))
    if not content_type:
        fields += ("content-type", "text/plain")
    head = "\0".join(fields).encode("utf-8", "replace")
    size = len(logs) + len(errors) + len(body)
    return len(head).to_bytes(4, "big") + size.to_bytes(4, "big") + head + logs + errors + body


def parse(head):
    fields = head.decode("utf-8", "replace").split("\0")
    headers = {}
    for i in range(3, len(fields) - 1, 2):
        key, value = fields[i], fields[i + 1]
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    _started[fields[0]] = time.perf_counter()
    return fields[0], fields[1], fields[2], headers


def answer(request_id, logs, errors, result):
    """The reply frame for a handler's result; a user-code mistake becomes a 500 with the reason in errors."""
    try:
        if not isinstance(result, dict) or "statusCode" not in result:
            errors.write("Return statement missing. return context.res.empty() if no response is expected.\n")
            return frame(request_id, logs, errors, 500, {}, b"")
        return frame(request_id, logs, errors, result["statusCode"], result.get("headers"), result.get("body"))
    except Exception:
        import traceback

        errors.write(traceback.format_exc())
        return frame(request_id, logs, errors, 500, {}, b"")


def _read_exactly(conn, size):
    parts = []
    while size > 0:
        chunk = conn.recv(min(size, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def handle(conn, handler):
    prefix = _read_exactly(conn, 8)
    if prefix is None:
        return False
    head = _read_exactly(conn, int.from_bytes(prefix[:4], "big"))
    body = _read_exactly(conn, int.from_bytes(prefix[4:], "big"))
    if head is None or body is None:
        return False
    request_id, method, target, headers = parse(head)
    logs = current["logs"] = Capture()
    errors = current["errors"] = Capture()
    # Appwrite's legacy per-call variable: the trigger of the call being served (last writer wins when calls share a process).
    os.environ["APPWRITE_FUNCTION_TRIGGER"] = headers.get("x-appwrite-trigger", "http")
    try:
        result = invoke(handler, Context(Request(method, target, headers, body), logs, errors))
    except Exception:  # user code failure: reported, never fatal to the adapter
        import traceback

        errors.write(traceback.format_exc())
        conn.sendall(frame(request_id, logs, errors, 500, {}, b""))
        return True
    conn.sendall(answer(request_id, logs, errors, result))
    return True


async def serve_concurrently(socket_path, handler, real_stdout, conn=None):
    import asyncio
    import contextvars
    import inspect

    global scoped
    scoped = contextvars.ContextVar("fp_capture")
    loop = asyncio.get_running_loop()
    running = set()

    async def run(writer, head, body):
        request_id, method, target, headers = parse(head)
        logs, errors = Capture(), Capture()
        scoped.set({"logs": logs, "errors": errors})
        context = Context(Request(method, target, headers, body), logs, errors)
        try:
            if inspect.iscoroutinefunction(handler):
                result = await handler(context)
            else:
                # A sync handler runs on a worker thread with this request's context, so print() lands in its capture.
                result = await loop.run_in_executor(None, contextvars.copy_context().run, handler, context)
                if hasattr(result, "__await__"):
                    result = await result
        except Exception:
            import traceback

            errors.write(traceback.format_exc())
            writer.write(frame(request_id, logs, errors, 500, {}, b""))
            return
        writer.write(answer(request_id, logs, errors, result))

    async def on_connection(reader, writer):
        try:
            while True:
                prefix = await reader.readexactly(8)
                head = await reader.readexactly(int.from_bytes(prefix[:4], "big"))
                body = await reader.readexactly(int.from_bytes(prefix[4:], "big"))
                task = asyncio.ensure_future(run(writer, head, body))  # a task runs in its own copy of the context
                running.add(task)
                task.add_done_callback(running.discard)
        except (asyncio.IncompleteReadError, OSError):
            writer.close()

    if conn is not None:
        # Specialized: the executor's connection is already open; serve it until it closes.
        import socket

        reader, writer = await asyncio.open_unix_connection(sock=socket.socket(fileno=conn.detach()), limit=1 << 22)
        await on_connection(reader, writer)
        return
    server = await asyncio.start_unix_server(on_connection, path=socket_path, limit=1 << 22)
    real_stdout.write("FP-READY\n")
    real_stdout.flush()
    async with server:
        await server.serve_forever()


def specialize(conn):
    """Generic mode: reads the one specialization frame, takes on the function's environment and limits, loads it."""
    prefix = _read_exactly(conn, 8)
    head = _read_exactly(conn, int.from_bytes(prefix[:4], "big")) if prefix is not None else None
    payload = _read_exactly(conn, int.from_bytes(prefix[4:], "big")) if head is not None else None
    fields = head.decode("utf-8", "replace").split("\0") if head is not None else []
    if payload is None or len(fields) < 5 or fields[0] != "0" or fields[1] != "FP-LOAD" or not fields[2] or (len(fields) - 5) % 2:
        os.write(2, b"The first frame of a generic process must be its one specialization.\n")
        os._exit(3)
    entrypoint, concurrency, memory_mb = fields[2], int(fields[3] or "1"), int(fields[4] or "0")
    # The boot environment (identical for every generic process) is replaced whole by the function's.
    os.environ.clear()
    for i in range(5, len(fields), 2):
        os.environ[fields[i]] = fields[i + 1]
    sys.argv.append(entrypoint)
    if memory_mb > 0:
        import resource

        limit = (memory_mb + 64) << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        handler = load(entrypoint)
    except BaseException:
        import traceback

        errors = Capture()
        errors.write(f"Failed to load {os.path.basename(entrypoint)}: {traceback.format_exc()}")
        conn.sendall(frame("0", Capture(), errors, 500, {}, b""))
        os._exit(3)
    conn.sendall(frame("0", Capture(), Capture(), 200, {}, b""))
    return handler, max(1, concurrency)


def main():
    socket_path = sys.argv[1]
    real_stdout = sys.stdout
    sys.stdout = _Sink(lambda: _capture("logs"))
    sys.stderr = _Sink(lambda: _capture("errors"))
    if len(sys.argv) == 2:
        # Booting is off the cold path here: import now what loading and the first call would import.
        import importlib.util  # noqa: F401
        import json  # noqa: F401
        import resource  # noqa: F401

        server = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        server.bind(socket_path)
        server.listen(1)
        real_stdout.write("FP-READY\n")
        real_stdout.flush()
        fd, _ = server._accept()
        server.close()
        conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM, 0, fd)
        handler, concurrency = specialize(conn)
        if concurrency > 1:
            import asyncio

            asyncio.run(serve_concurrently(socket_path, handler, real_stdout, conn))
            return
        try:
            while handle(conn, handler):
                pass
        except OSError:
            pass
        return
    entrypoint = sys.argv[2]
    concurrency = int(os.environ.pop("FP_CONCURRENCY", "1") or "1")
    try:
        handler = load(entrypoint)
    except BaseException:
        import traceback

        os.write(2, f"Failed to load {os.path.basename(entrypoint)}: {traceback.format_exc()}".encode())
        os._exit(3)
    if concurrency > 1:
        import asyncio

        asyncio.run(serve_concurrently(socket_path, handler, real_stdout))
        return
    server = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(4)
    real_stdout.write("FP-READY\n")
    real_stdout.flush()
    while True:
        fd, _ = server._accept()
        conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM, 0, fd)
        try:
            while handle(conn, handler):
                pass
        except OSError:
            pass
        finally:
            conn.close()


main()
