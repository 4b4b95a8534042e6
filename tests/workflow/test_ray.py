"""Scale-out path: the generation pipeline runs on a Ray cluster (`pipeline.ray()`) started for the test.

The cluster is a real `ray start --head` bound to loopback; the pipeline connects to it by address,
exactly as it would to a remote head node (settings.ray_address / RLHF_ARGILLA_RAY_ADDRESS).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from rlhf_argilla.config import load_settings

pytestmark = pytest.mark.slow

RAY_PORT = 6989


@pytest.fixture(scope="module")
def ray_cluster():
    ray = Path(sys.executable).with_name("ray")
    if not ray.exists():
        pytest.skip("ray is not installed (pip install 'rlhf-argilla[ray]')")
    temp_dir = Path(f"/tmp/rlhf-ray-{uuid.uuid4().hex[:6]}")  # short: Ray's socket paths have a length limit
    ray_env = {
        "RAY_USAGE_STATS_ENABLED": "0",
        # keep every Ray address on loopback (by default Ray advertises the machine's public address)
        "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
        # a throwaway cluster: no token auth, whatever ~/.ray/auth_token holds
        "RAY_AUTH_MODE": "disabled",
    }
    env = {**os.environ, **ray_env}
    started = subprocess.run(
        [
            str(ray),
            "start",
            "--head",
            "--node-ip-address=127.0.0.1",
            f"--port={RAY_PORT}",
            "--num-cpus=2",
            "--include-dashboard=false",
            "--disable-usage-stats",
            f"--temp-dir={temp_dir}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    saved = {name: os.environ.get(name) for name in ray_env}
    os.environ.update(ray_env)  # the driver (this process) must agree
    try:
        yield f"127.0.0.1:{RAY_PORT}", temp_dir
    finally:
        import ray as ray_module

        if ray_module.is_initialized():
            ray_module.shutdown()
        subprocess.run([str(ray), "stop", "--force"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(temp_dir, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_prompt_pipeline_on_ray_has_the_shape_of_a_local_run(ray_cluster, tmp_path):
    import ray

    from rlhf_argilla.generation.prompts import generate_prompts

    address, temp_dir = ray_cluster
    # separate data dirs: each run has its own (empty) LLM response cache, so both really generate.
    # The local run goes first: distilabel's local runner forks, which must not happen once Ray runs in-process.
    local = generate_prompts(
        load_settings(data_dir=tmp_path / "local-data", backend="embedded"),
        6,
        tmp_path / "local",
        seed=5,
        use_ray=False,
    )
    try:
        on_ray = generate_prompts(
            load_settings(data_dir=tmp_path / "ray-data", backend="embedded", ray_address=address),
            6,
            tmp_path / "ray",
            seed=5,
            use_ray=True,
        )
    finally:
        ray.shutdown()

    slots = lambda rows: [(row.subtopic, row.persona, row.difficulty) for row in rows]  # noqa: E731
    assert len(on_ray.rows) == len(local.rows) == 6
    assert [sorted(row.model_dump()) for row in on_ray.rows] == [
        sorted(row.model_dump()) for row in local.rows
    ]
    assert slots(on_ray.rows) == slots(local.rows)
    assert all(
        row.prompt.strip() and row.generator.model == local.rows[0].generator.model for row in on_ray.rows
    )
    assert sum(line.new_calls for line in on_ray.usage if line.stage == "total") > 0
    # the steps ran as distilabel actors inside the cluster started above
    logs = "".join(path.read_text(errors="replace") for path in temp_dir.glob("session_*/logs/worker-*.out"))
    assert "_StepWrapperRay" in logs
