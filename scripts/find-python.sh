# Shared by the scripts that run on every supported Python: source it, then call find_python 3.12.
# find_python prints the path of an installed interpreter of that version (on the PATH, else under pyenv), or
# nothing when the version is not installed here. missing_python reports a version that is not installed: in CI
# (CI set and not "false" or "0", as .ci/run and most CI services set it) that is an error, since the supported
# Pythons are what CI is there to prove; elsewhere a line saying it was skipped.

find_python() {
    local version=$1 candidate
    if candidate=$(command -v "python$version" 2>/dev/null) && "$candidate" --version >/dev/null 2>&1; then
        echo "$candidate"
        return
    fi
    local root
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    for candidate in "$root"/versions/"$version".*/bin/"python$version"; do
        if [[ -x "$candidate" ]]; then
            echo "$candidate"
            return
        fi
    done
}

# missing_python SCRIPT VERSION: prints the line; returns 1 in CI (the caller counts it as a failure), else 0.
missing_python() {
    local script=$1 version=$2
    case "${CI:-}" in
        "" | false | 0)
            echo "$script: Python $version is not installed here; skipped"
            return 0
            ;;
        *)
            echo "$script: Python $version is not installed here, and CI must run every supported Python"
            return 1
            ;;
    esac
}
