#!/bin/sh
# Builds a factbook site with a released binary and, if DEST is set, copies it there.
#
#   FACTBOOK_REPO=OWNER/factbook FACTBOOK_VERSION=v0.1.0 \
#   BASE_URL=https://example.org/docs/ DEST=user@host:/var/www/docs/ sh publish.sh
#
# FACTBOOK_REPO is the GitHub repository that publishes the factbook releases you trust (OWNER is
# a placeholder for its owner: your fork, or the project's home). Run it where book.toml is.
# Needs curl, tar, and sha256sum or shasum; DEST needs rsync. Any error stops it (exit non-zero):
# a download that fails, a checksum that does not match, a site with errors or warnings.
set -eu

: "${FACTBOOK_REPO:?set FACTBOOK_REPO to OWNER/factbook, the repository of the releases}"
: "${FACTBOOK_VERSION:?set FACTBOOK_VERSION to a release tag, e.g. v0.1.0}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) echo "publish.sh: no factbook release for $(uname -s) $(uname -m)" >&2; exit 2 ;;
esac

archive="factbook-$FACTBOOK_VERSION-$target.tar.gz"
# FACTBOOK_RELEASE_URL: a mirror of the release's files, if you keep one.
url="${FACTBOOK_RELEASE_URL:-https://github.com/$FACTBOOK_REPO/releases/download/$FACTBOOK_VERSION}"
tools="${FACTBOOK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/factbook/$FACTBOOK_VERSION}"
factbook="$tools/factbook"

if [ ! -x "$factbook" ]; then
  mkdir -p "$tools"
  (
    cd "$tools"
    curl --fail --silent --show-error --location --remote-name "$url/$archive" --remote-name "$url/SHA256SUMS"
    if command -v sha256sum >/dev/null 2>&1; then
      grep " $archive\$" SHA256SUMS | sha256sum -c -
    else
      grep " $archive\$" SHA256SUMS | shasum -a 256 -c -
    fi
    tar xzf "$archive" --strip-components=1
    rm -f "$archive" SHA256SUMS
  )
fi
"$factbook" --version

out="${OUTPUT:-public}"
if [ -n "${BASE_URL:-}" ]; then
  "$factbook" build --deny-warnings --output "$out" --base-url "$BASE_URL"
else
  "$factbook" build --deny-warnings --output "$out"
fi

if [ -n "${DEST:-}" ]; then
  rsync -a --delete "$out/" "$DEST"
  echo "published $out/ to $DEST"
fi
