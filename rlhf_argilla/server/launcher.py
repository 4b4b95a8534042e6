"""Entry point run by the *server's* virtualenv Python, never imported by rlhf_argilla itself.

osmem (the in-memory OpenSearch stand-in) rejects painless-script updates, which argilla-server
uses to add, replace and remove one response or suggestion inside a record document. Every
response submitted from the web UI would fail with HTTP 500. This launcher registers, under the
``opensearch`` engine name, a subclass that does those three updates as read-modify-write of the
whole document (and accepts responses without values, e.g. discards), and answers vector
(k-nearest-neighbour) queries, which osmem rejects, by an exact cosine search over the vectors of the
records that pass the query's filters (``knn.py``, next to this file). It also makes the question
and metadata-property settings parse with one pydantic adapter per settings type instead of a new
one per call (:func:`reuse_settings_adapters`). Then it hands over to argilla-server's own CLI
(``start``, ``worker``, ``database``…).

Usage: ``<server-venv>/bin/python launcher.py start --host 127.0.0.1 --port 6900``
"""

from __future__ import annotations

import sys

from argilla_server.constants import SEARCH_ENGINE_OPENSEARCH
from argilla_server.search_engine.base import SearchEngine
from argilla_server.search_engine.commons import (
    es_bool_query,
    es_exists_field_query,
    es_field_for_vector_settings,
    es_ids_query,
    es_index_name_for_dataset,
    es_path_for_question_response,
)
from argilla_server.search_engine.opensearch import OpenSearchEngine
from knn import TopK  # type: ignore[import-not-found]  # sibling module: this file runs as a script

#: vectors read per request while searching for neighbours
KNN_PAGE_SIZE = 1000


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

    async def _request_similarity_search(
        self, index, vector_settings, value, k, excluded_id=None, query_filters=None
    ) -> dict:
        """The ``k`` records most similar to ``value`` among those passing ``query_filters``.

        Same answer shape as OpenSearch's ``knn`` query; unlike upstream's post-filter, the filters
        apply before the ``k`` are chosen, so a filtered search still returns up to ``k`` records.
        """
        field = es_field_for_vector_settings(vector_settings)
        must_not = [es_ids_query([str(excluded_id)])] if excluded_id else []
        query = es_bool_query(must=[es_exists_field_query(field), *(query_filters or [])], must_not=must_not)
        best = TopK(value, k)
        after = None
        while True:
            body = {"query": query, "_source": [field], "sort": [{"_id": "asc"}], "size": KNN_PAGE_SIZE}
            if after is not None:
                body["search_after"] = after
            hits = (await self.client.search(index=index, body=body))["hits"]["hits"]
            found = [(hit["_id"], _dig(hit["_source"], field)) for hit in hits]
            found = [(record_id, vector) for record_id, vector in found if vector]
            best.add([record_id for record_id, _ in found], [vector for _, vector in found])
            if len(hits) < KNN_PAGE_SIZE:
                break
            after = hits[-1]["sort"]
        items = [{"_id": record_id, "_score": score} for record_id, score in best.result()]
        return {"hits": {"hits": items, "total": {"value": len(items), "relation": "eq"}}}


def _dig(document: dict, dotted: str):
    value: object = document
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def reuse_settings_adapters() -> None:
    """Parse question and metadata-property settings with one ``TypeAdapter`` per settings type.

    Upstream's ``parsed_settings`` builds a new ``TypeAdapter`` (a pydantic core schema of the whole
    settings union) on every call, and record validation calls it once per question of every
    response and suggestion: about three quarters of the server's CPU time while records are logged
    with responses (py-spy, 1,000 records x 3 annotators). The same adapter, built once, validates
    the same settings into the same objects.
    """
    from argilla_server.models.database import (
        MetadataProperty,
        MetadataPropertySettings,
        Question,
        QuestionSettings,
    )
    from pydantic import TypeAdapter

    questions, properties = TypeAdapter(QuestionSettings), TypeAdapter(MetadataPropertySettings)
    Question.parsed_settings = property(lambda self: questions.validate_python(self.settings))
    MetadataProperty.parsed_settings = property(lambda self: properties.validate_python(self.settings))


#: secrets handed over in the environment (readable only by the user), never on a command line
SECRET_OPTIONS = {"--password": "RLHF_ARGILLA_SETUP_PASSWORD", "--api-key": "RLHF_ARGILLA_SETUP_API_KEY"}


def main() -> None:
    import os

    from argilla_server.cli import app

    reuse_settings_adapters()
    sys.argv[0] = "argilla_server"
    for option, variable in SECRET_OPTIONS.items():  # sys.argv changes; /proc/<pid>/cmdline does not
        if variable in os.environ:
            sys.argv += [option, os.environ.pop(variable)]
    app()


if __name__ == "__main__":
    main()
