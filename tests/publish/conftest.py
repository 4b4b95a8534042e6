"""Publish tests use the fake Hub fixtures."""

from tests.fakes.hub_fixtures import built_dataset, hub, hub_settings  # noqa: F401
