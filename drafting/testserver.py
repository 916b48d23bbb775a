"""An OpenAI-compatible HTTP server on loopback that answers from a script (tests, demos, the eval).

It answers POST /v1/chat/completions with the next scripted reply and GET /v1/models with the
model's name. A script is a list of replies (a JSONL file has one JSON object per line), each of:

    {"content": "..." | {...}}        the answer (an object is sent as its JSON text)
    {"status": 429, "error": "...", "headers": {"retry-after": "7"}}   an HTTP error instead
    "delay": 2.5                       seconds to wait before answering (a slow server, timeouts)
    "finish_reason": "content_filter"  default "stop"; "length" for a cut-off answer
    "refusal": "I can't help"          the model refuses
    "model": "name"                    the model that answers (default the server's --model)
    "usage": {"prompt_tokens": 10, "completion_tokens": 5}    default: estimated from the text
    "chunks": 5, "chunk_delay": 0.2    when the client streams: in how many parts, how far apart
    "reject_response_format": true     answer 400 to a request with response_format (a server
                                       without structured output); the reply then waits for the
                                       client's next request

Replies are used in order; when the script is used up the server answers 503 (or starts over with
--loop). Every request body can be recorded, one JSON line each, to a file (--record).
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that gave up (its timeout) closes the connection before the slow answer: expected.
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def load_script(path: str | Path) -> list[dict]:
    replies = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            reply = json.loads(line)
        except ValueError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error})") from None
        if not isinstance(reply, dict):
            raise ValueError(f"{path}:{number}: each line must be a JSON object")
        replies.append(reply)
    return replies


class ScriptedAIServer:
    """The server; `start()` runs it in a daemon thread, `url` is the base URL for OPENAI_BASE_URL."""

    def __init__(
        self, script=(), *, host="127.0.0.1", port=0, model="scripted-model", record=None, loop=False
    ):
        self.model = model
        self.loop = loop
        self.record_path = Path(record) if record else None
        self.requests: list[dict] = []
        self._script: list[dict] = list(script)
        self._position = 0
        self._lock = threading.Lock()
        self._httpd = _QuietServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- control -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def set_script(self, replies) -> None:
        with self._lock:
            self._script = list(replies)
            self._position = 0

    def queue(self, *replies: dict) -> None:
        with self._lock:
            self._script.extend(replies)

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._script) - self._position

    def start(self) -> "ScriptedAIServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="ai-test-server", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- internals -----------------------------------------------------------------------------
    def _next_reply(self, body: dict) -> dict | None:
        with self._lock:
            if self._position >= len(self._script):
                if not (self.loop and self._script):
                    return None
                self._position = 0
            reply = self._script[self._position]
            if reply.get("reject_response_format") and body.get("response_format"):
                return {"status": 400, "error": "response_format is not supported by this server"}
            self._position += 1
            return reply

    def _record(self, body: dict) -> None:
        with self._lock:
            self.requests.append(body)
            if self.record_path:
                with self.record_path.open("a", encoding="utf-8") as file:
                    file.write(json.dumps(body, ensure_ascii=False) + "\n")

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet: tests and the eval print their own output
                pass

            def _send_json(self, status: int, payload: dict, headers: dict | None = None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, str(value))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._send_json(
                        200,
                        {
                            "object": "list",
                            "data": [{"id": server.model, "object": "model", "owned_by": "test"}],
                        },
                    )
                else:
                    self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._send_json(
                        400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}}
                    )
                    return
                server._record(body)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                reply = server._next_reply(body)
                if reply is None:
                    self._send_json(
                        503, {"error": {"message": "the script is used up", "type": "server_error"}}
                    )
                    return
                if reply.get("delay"):
                    time.sleep(float(reply["delay"]))
                if reply.get("status"):
                    status = int(reply["status"])
                    self._send_json(
                        status,
                        {
                            "error": {
                                "message": reply.get("error", f"scripted error {status}"),
                                "type": "scripted",
                            }
                        },
                        reply.get("headers"),
                    )
                    return
                if body.get("stream"):
                    self._stream(body, reply)
                else:
                    self._send_json(200, server._completion(body, reply), reply.get("headers"))

            def _stream(self, body: dict, reply: dict):
                content = _content(reply)
                chunks = max(int(reply.get("chunks", 4)), 1)
                size = max(len(content) // chunks + 1, 1)
                completion_id = f"chatcmpl-{uuid.uuid4().hex[:12]}"
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()

                def event(delta: dict, finish=None, usage=None):
                    chunk = {
                        "id": completion_id,
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": reply.get("model", server.model),
                        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
                        if usage is None
                        else [],
                    }
                    if usage is not None:
                        chunk["usage"] = usage
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()

                event({"role": "assistant", "content": ""})
                if reply.get("refusal"):
                    event({"refusal": reply["refusal"]})
                for start in range(0, len(content), size):
                    if reply.get("chunk_delay") and start:
                        time.sleep(float(reply["chunk_delay"]))
                    event({"content": content[start : start + size]})
                event({}, finish=reply.get("finish_reason", "stop"))
                if (body.get("stream_options") or {}).get("include_usage"):
                    event({}, usage=server._usage(body, reply))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler

    def _usage(self, body: dict, reply: dict) -> dict:
        usage = reply.get("usage")
        if usage:
            prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
        else:
            prompt = len(json.dumps(body.get("messages", []), ensure_ascii=False)) // 4
            completion = len(_content(reply)) // 4
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _completion(self, body: dict, reply: dict) -> dict:
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": reply.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": None if reply.get("refusal") else _content(reply),
                        "refusal": reply.get("refusal"),
                    },
                    "finish_reason": reply.get("finish_reason", "stop"),
                }
            ],
            "usage": self._usage(body, reply),
        }


def _content(reply: dict) -> str:
    content = reply.get("content", "")
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
