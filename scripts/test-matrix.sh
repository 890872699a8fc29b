#!/usr/bin/env bash
# Runs the test suite on the other supported Pythons that are present, each in its own venv (.venv-3.X) built from
# the same hashed lock. A version that is not installed is skipped with a line saying so, except in CI (CI set, as
# .ci/run sets it), where it fails the run; a failure on any version present fails the whole run.
# Usage: scripts/test-matrix.sh [3.12 3.13 ...]   (default: 3.12 3.13; the default Python is `make test`'s)
set -euo pipefail
cd "$(dirname "$0")/.."

versions=("$@")
if [[ ${#versions[@]} -eq 0 ]]; then
    versions=(3.12 3.13)
fi
UV=${UV:-.venv/bin/uv}

# shellcheck source=scripts/find-python.sh
source scripts/find-python.sh

failed=()
for version in "${versions[@]}"; do
    python=$(find_python "$version")
    if [[ -z "$python" ]]; then
        missing_python test-matrix "$version" || failed+=("$version (not installed)")
        continue
    fi
    venv=".venv-$version"
    stamp="$venv/.installed"
    if [[ ! -f "$stamp" || requirements.lock -nt "$stamp" || pyproject.toml -nt "$stamp" ]]; then
        echo "test-matrix: building $venv with $python"
        test -x "$venv/bin/python" || "$UV" venv -q --python "$python" "$venv"
        "$UV" pip install --python "$venv/bin/python" -q --require-hashes -r requirements.lock
        "$UV" pip install --python "$venv/bin/python" -q --no-deps -e .
        "$venv/bin/python" -m sidecar_stt.engines.weights --prepare
        touch "$stamp"
    fi
    echo "test-matrix: pytest on $("$venv/bin/python" --version)"
    started=$SECONDS
    if "$venv/bin/pytest" -q -p no:cacheprovider; then
        echo "test-matrix: Python $version passed in $((SECONDS - started)) s"
    else
        echo "test-matrix: Python $version FAILED after $((SECONDS - started)) s"
        failed+=("$version")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "test-matrix: failed on Python ${failed[*]}"
    exit 1
fi
