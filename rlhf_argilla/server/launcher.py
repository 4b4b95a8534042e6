"""Entry point run by the *server's* virtualenv Python, never imported by rlhf_argilla itself.

osmem (the in-memory OpenSearch stand-in) rejects painless-script updates, which argilla-server
uses to add, replace and remove one response or suggestion inside a record document. Every
response submitted from the web UI would fail with HTTP 500. This launcher registers, under the
``opensearch`` engine name, a subclass that does those three updates as read-modify-write of the
whole document (and accepts responses without values, e.g. discards), then hands over to
argilla-server's own CLI (``start``, ``worker``, ``database``…).

Usage: ``<server-venv>/bin/python launcher.py start --host 127.0.0.1 --port 6900``
"""

from __future__ import annotations

import sys

from argilla_server.constants import SEARCH_ENGINE_OPENSEARCH
from argilla_server.search_engine.base import SearchEngine
from argilla_server.search_engine.commons import es_index_name_for_dataset, es_path_for_question_response
from argilla_server.search_engine.opensearch import OpenSearchEngine


@SearchEngine.register(engine_name=SEARCH_ENGINE_OPENSEARCH)
class ScriptlessOpenSearchEngine(OpenSearchEngine):
    """OpenSearch engine whose per-record updates need no scripting support."""

    @staticmethod
    def _map_record_response_to_es(response) -> dict:
        # as upstream, but a response without values (a discard from the UI or the API) is valid:
        # upstream calls `None.items()` there and the request fails with HTTP 500
        return {
            "id": response.id,
            "status": response.status,
            "user_id": response.user_id,
            **{
                es_path_for_question_response(question): value.get("value")
                for question, value in (response.values or {}).items()
            },
        }

    async def _rewrite(self, index_name: str, record_id: str, change) -> None:
        found = await self.client.get(index=index_name, id=record_id)
        document = found["_source"]
        change(document)
        await self.client.index(index=index_name, id=record_id, body=document, refresh=True)

    async def update_record_response(self, response) -> None:
        record = response.record
        new = self._map_record_response_to_es(response)
        same = str(response.id)

        def change(document: dict) -> None:
            kept = [item for item in document.get("responses") or [] if str(item.get("id")) != same]
            document["responses"] = [*kept, new]

        await self._rewrite(es_index_name_for_dataset(record.dataset), str(record.id), change)

    async def delete_record_response(self, response) -> None:
        record = response.record
        gone = str(response.id)

        def change(document: dict) -> None:
            document["responses"] = [
                item for item in document.get("responses") or [] if str(item.get("id")) != gone
            ]

        await self._rewrite(es_index_name_for_dataset(record.dataset), str(record.id), change)

    async def delete_record_suggestion(self, suggestion) -> None:
        name = suggestion.question.name

        def change(document: dict) -> None:
            (document.get("suggestions") or {}).pop(name, None)

        await self._rewrite(
            es_index_name_for_dataset(suggestion.record.dataset), str(suggestion.record_id), change
        )


def main() -> None:
    from argilla_server.cli import app

    sys.argv[0] = "argilla_server"
    app()


if __name__ == "__main__":
    main()
