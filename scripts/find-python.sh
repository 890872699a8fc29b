# Shared by the scripts that run on every supported Python: source it, then call find_python 3.12.
# find_python prints the path of an installed interpreter of that version (on the PATH, else under pyenv), or
# nothing when the version is not installed here.

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
