"""A loopback stand-in for the Hugging Face Hub's write + read API, for offline publish tests.

Implements only what ``huggingface_hub`` 2.x (``HfApi.create_repo`` / ``upload_folder`` with
``HF_HUB_DISABLE_XET=1``) and ``datasets.load_dataset`` call: repo creation, preupload, the LFS
batch API and its PUT target, ndjson commits, repo info, tree / paths-info listings, YAML
validation and ``resolve`` downloads. State lives in memory; :meth:`FakeHub.files` returns a
repo's content for assertions. One write token is accepted; any other token gets 401.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["FakeHub", "VALID_TOKEN"]

VALID_TOKEN = "hf_fake_write_token_0123456789"
_ROUTE = re.compile(
    r"/(?:api/)?(?P<kind>datasets|models|spaces)/(?P<repo>[^/]+/[^/]+?)(?P<rest>(?:\.git)?/.*)?"
)


def _git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class _Repo:
    private: bool
    files: dict[str, bytes] = field(
        default_factory=lambda: {".gitattributes": b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"}
    )
    lfs: set[str] = field(default_factory=set)  # paths stored as LFS
    commits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sha(self) -> str:
        return self.commits[-1]["oid"] if self.commits else "0" * 40


class FakeHub:
    """Start with ``with FakeHub() as hub:``; ``hub.url`` is the endpoint to give ``HfApi``."""

    def __init__(self, token: str = VALID_TOKEN) -> None:
        self.token = token
        self.repos: dict[str, _Repo] = {}
        self.blobs: dict[str, bytes] = {}  # LFS objects by sha256
        self.requests: list[tuple[str, str]] = []
        self.seen_tokens: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def files(self, repo_id: str, kind: str = "datasets") -> dict[str, bytes]:
        """Content of a repo's main branch (path -> bytes)."""
        return dict(self.repos[f"{kind}/{repo_id}"].files)

    # ---- request handling ------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict[str, list[str]], headers, body: bytes):
        """Route a request; returns (status, headers, body bytes)."""
        self.requests.append((method, path))
        auth = headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        if token:
            self.seen_tokens.add(token)
            if token != self.token:
                return _json(401, {"error": "Invalid credentials in Authorization header"})
        if method == "POST" and path == "/api/validate-yaml":
            return _json(200, {"errors": [], "warnings": []})
        if method == "POST" and path == "/api/repos/create":
            return self._create(json.loads(body or b"{}"), token)
        if method == "PUT" and (match := re.fullmatch(r"/lfs-upload/(?P<oid>[0-9a-f]{64})", path)):
            if hashlib.sha256(body).hexdigest() != match["oid"]:
                return _json(400, {"error": "sha256 mismatch"})
            self.blobs[match["oid"]] = body
            return 200, {}, b""
        match = _ROUTE.fullmatch(path)
        if not match:
            return _json(404, {"error": "not found"})
        key = f"{match['kind']}/{match['repo']}"
        repo = self.repos.get(key)
        if repo is None or (repo.private and token is None):
            return _json(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
        rest = match["rest"] or ""
        api = path.startswith("/api/")
        if method == "POST" and rest == ".git/info/lfs/objects/batch":
            return self._lfs_batch(json.loads(body))
        if method in ("POST", "PUT") and token is None:
            return _json(401, {"error": "Authorization header is missing"})
        if api and method == "POST" and rest.startswith("/preupload/"):
            return self._preupload(repo, json.loads(body))
        if api and method == "POST" and rest.startswith("/commit/"):
            return self._commit(repo, key, body)
        if api and method == "POST" and rest.startswith("/paths-info/"):
            wanted = parse_qs(body.decode()).get("paths", [])
            return _json(200, [entry for entry in self._tree(repo, "", True) if entry["path"] in wanted])
        if api and method == "GET" and (rest == "" or rest.startswith("/revision/")):
            return _json(200, self._info(repo, match["repo"]))
        if api and method == "GET" and (tree := re.fullmatch(r"/tree/[^/]+(?:/(?P<sub>.*))?", rest)):
            entries = self._tree(
                repo, tree["sub"] or "", query.get("recursive", ["false"])[0] in ("true", "True", "1")
            )
            if tree["sub"] and not entries:
                return _json(404, {"error": "entry not found"}, {"X-Error-Code": "EntryNotFound"})
            return _json(200, entries)
        if (
            not api
            and method in ("GET", "HEAD")
            and (res := re.fullmatch(r"/resolve/[^/]+/(?P<file>.+)", rest))
        ):
            return self._resolve(repo, unquote(res["file"]), method)
        return _json(404, {"error": f"unsupported {method} {path}"})

    def _create(self, payload: dict[str, Any], token: str | None):
        if token is None:
            return _json(401, {"error": "You must be logged in to create a repo"})
        repo_id = f"{payload.get('organization')}/{payload['name']}"
        key = f"{payload.get('type') or 'model'}s/{repo_id}"
        url = f"{self.url}/{'datasets/' if key.startswith('datasets/') else ''}{repo_id}"
        with self._lock:
            if key in self.repos:
                return _json(409, {"error": "You already created this dataset repo", "url": url})
            self.repos[key] = _Repo(
                private=payload.get("visibility") == "private" or bool(payload.get("private"))
            )
        return _json(200, {"url": url, "name": repo_id})

    def _preupload(self, repo: _Repo, payload: dict[str, Any]):
        files = []
        for item in payload["files"]:
            lfs = not item["path"].endswith((".md", ".gitattributes", ".json", ".txt"))
            current = repo.files.get(item["path"])
            oid = (
                None
                if current is None
                else (hashlib.sha256(current).hexdigest() if lfs else _git_sha1(current))
            )
            files.append(
                {
                    "path": item["path"],
                    "uploadMode": "lfs" if lfs else "regular",
                    "shouldIgnore": False,
                    "oid": oid,
                }
            )
        return _json(200, {"files": files})

    def _lfs_batch(self, payload: dict[str, Any]):
        objects = []
        for item in payload["objects"]:
            entry = {"oid": item["oid"], "size": item["size"]}
            if item["oid"] not in self.blobs:
                entry["actions"] = {"upload": {"href": f"{self.url}/lfs-upload/{item['oid']}"}}
            objects.append(entry)
        return (
            200,
            {"Content-Type": "application/vnd.git-lfs+json"},
            json.dumps({"transfer": "basic", "objects": objects}).encode(),
        )

    def _commit(self, repo: _Repo, key: str, body: bytes):
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        header = next(line["value"] for line in lines if line["key"] == "header")
        with self._lock:
            for line in lines:
                value = line["value"]
                if line["key"] == "file":
                    repo.files[value["path"]] = base64.b64decode(value["content"])
                    repo.lfs.discard(value["path"])
                elif line["key"] == "lfsFile":
                    if value["oid"] not in self.blobs:
                        return _json(422, {"error": f"LFS object {value['oid']} was never uploaded"})
                    repo.files[value["path"]] = self.blobs[value["oid"]]
                    repo.lfs.add(value["path"])
                elif line["key"] in ("deletedFile", "deletedFolder"):
                    prefix = value["path"].rstrip("/")
                    for path in [p for p in repo.files if p == prefix or p.startswith(prefix + "/")]:
                        del repo.files[path]
            oid = hashlib.sha1(f"{key}:{len(repo.commits)}:{header['summary']}".encode()).hexdigest()
            repo.commits.append({"oid": oid, "summary": header["summary"]})
        kind, repo_id = key.split("/", 1)
        prefix = "" if kind == "models" else f"{kind}/"
        return _json(
            200,
            {
                "commitUrl": f"{self.url}/{prefix}{repo_id}/commit/{oid}",
                "commitOid": oid,
                "pullRequestUrl": None,
            },
        )

    def _info(self, repo: _Repo, repo_id: str) -> dict[str, Any]:
        return {
            "id": repo_id,
            "_id": repo_id,
            "sha": repo.sha,
            "private": repo.private,
            "disabled": False,
            "gated": False,
            "downloads": 0,
            "likes": 0,
            "tags": [],
            "cardData": {},
            "lastModified": "2026-01-01T00:00:00.000Z",
            "createdAt": "2026-01-01T00:00:00.000Z",
            "siblings": [{"rfilename": path} for path in sorted(repo.files)],
        }

    def _tree(self, repo: _Repo, sub: str, recursive: bool) -> list[dict[str, Any]]:
        prefix = f"{sub.strip('/')}/" if sub.strip("/") else ""
        entries: dict[str, dict[str, Any]] = {}
        for path, data in sorted(repo.files.items()):
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            for depth in range(1, len(parts)):
                folder = prefix + "/".join(parts[:depth])
                if recursive or depth == 1:
                    entries.setdefault(
                        folder, {"type": "directory", "oid": _git_sha1(folder.encode()), "path": folder}
                    )
                if not recursive:
                    break
            if recursive or len(parts) == 1:
                entries[path] = self._file_entry(repo, path, data)
        return list(entries.values())

    @staticmethod
    def _file_entry(repo: _Repo, path: str, data: bytes) -> dict[str, Any]:
        entry = {"type": "file", "oid": _git_sha1(data), "size": len(data), "path": path}
        if path in repo.lfs:
            entry["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
        return entry

    def _resolve(self, repo: _Repo, path: str, method: str):
        data = repo.files.get(path)
        if data is None:
            return _json(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
        etag = hashlib.sha256(data).hexdigest() if path in repo.lfs else _git_sha1(data)
        headers = {
            "X-Repo-Commit": repo.sha,
            "ETag": f'"{etag}"',
            "Content-Length": str(len(data)),
            "Content-Type": "application/octet-stream",
        }
        if path in repo.lfs:
            headers.update({"X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(data))})
        return 200, headers, b"" if method == "HEAD" else data


def _json(status: int, payload: Any, headers: dict[str, str] | None = None):
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            body = self._body()
            status, headers, payload = hub.handle(
                self.command, unquote(parts.path), parse_qs(parts.query), self.headers, body
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        do_GET = do_HEAD = do_POST = do_PUT = _serve

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

    return Handler
