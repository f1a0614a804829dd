#!/usr/bin/env bash
# Refreshes the GraphiQL explorer's vendored browser assets in assets/graphiql/ from the npm
# registry, so that the binary serves them itself and the explorer works on an air-gapped machine.
#
#   scripts/vendor-graphiql.sh            # re-fetch the pinned versions, verify, re-extract
#
# To move to another version: change it in PACKAGES below with `-` for its sha256, run this
# script (it writes nothing and prints the new sha256 to pin), put that sha256 in PACKAGES, run
# it again, and update the versioned paths in src/http/explorer.rs (`cargo test --test api
# explorer` checks that the page's assets, their licences and VERSIONS agree).
#
# Each tarball is fetched with `npm pack` (npm checks it against the registry's sha512
# integrity); this script then checks its sha256 against the one pinned here, extracts only the
# files the page loads plus the package's LICENSE into assets/graphiql/NAME@VERSION/, and writes
# assets/graphiql/VERSIONS. Needs npm, sha256sum and tar.
set -euo pipefail
cd "$(dirname "$0")/.."

# name version sha256-of-the-tarball files-to-extract (paths inside the tarball's package/)
PACKAGES=(
    # React 18 is the last line with UMD builds (React 19 dropped them); GraphiQL 3 takes 16-18.
    "react 18.3.1 8d9bed01a672e7eaf387942d781ad47c6a43089a30a0306060f9fd5ac7870347 umd/react.production.min.js"
    "react-dom 18.3.1 031d4427a99f2f3f6cac18bbbf308594a67e4f47d10f4896fdec446505b040e0 umd/react-dom.production.min.js"
    # 3.9.0: the last 3.x, and the first whose graphiql.min.js is really a minified production
    # build (3.0-3.8 ship a 3.5 MB unminified webpack development bundle under that name). It
    # bundles graphql, graphql-ws (for subscriptionUrl) and the React compiler runtime.
    "graphiql 3.9.0 d955c99ae100ed5facb45f4f94d1a8c0a156f81106434f0e35b0dcb0be574f27 graphiql.min.js graphiql.min.css"
)

out=assets/graphiql
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

versions="$work/VERSIONS"
{
    echo "# Vendored browser assets of the GraphiQL explorer, written by scripts/vendor-graphiql.sh."
    echo "# name@version  sha256 of the npm tarball  npm tarball (registry path)  sha512 integrity"
} >"$versions"

status=0
for entry in "${PACKAGES[@]}"; do
    read -r name version pinned files <<<"$entry"
    echo "fetching $name@$version" >&2
    (cd "$work" && npm pack --silent --json "$name@$version" >"$name.json")
    tarball=$(node -e 'console.log(require(process.argv[1])[0].filename)' "$work/$name.json")
    integrity=$(node -e 'console.log(require(process.argv[1])[0].integrity)' "$work/$name.json")
    sha256=$(sha256sum "$work/$tarball" | cut -d' ' -f1)
    if [ "$sha256" != "$pinned" ]; then
        echo "$name@$version: the tarball's sha256 is $sha256, but $pinned is pinned" >&2
        status=1
        continue
    fi
    dir="$work/$name@$version"
    mkdir -p "$dir/x"
    tar -xzf "$work/$tarball" -C "$dir/x"
    for file in $files LICENSE; do
        [ -s "$dir/x/package/$file" ] || { echo "$name@$version has no $file" >&2; exit 1; }
        cp "$dir/x/package/$file" "$dir/"
    done
    rm -rf "$dir/x"
    printf '%s@%s  %s  %s/-/%s  %s\n' "$name" "$version" "$sha256" "$name" "$tarball" \
        "$integrity" >>"$versions"
done
if [ "$status" != 0 ]; then
    echo "nothing written: pin the sha256 printed above in PACKAGES once you trust the new tarball" >&2
    exit 1
fi

# Replace the vendored directories (old versions go) but keep the explorer's own files.
find "$out" -mindepth 1 -maxdepth 1 -type d -name '*@*' -exec rm -rf {} +
for entry in "${PACKAGES[@]}"; do
    read -r name version _ <<<"$entry"
    mv "$work/$name@$version" "$out/"
done
mv "$versions" "$out/VERSIONS"
echo "wrote $out:" >&2
(cd "$out" && find . -type f -path './*@*' | sort | xargs ls -l | awk '{print "  " $5 "\t" $9}') >&2
