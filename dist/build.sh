#!/usr/bin/env bash
# Release archives for people without Rust, built on Linux:
#   target/dist/rapor-<version>-x86_64-pc-windows-gnu.zip      (rapor.exe)
#   target/dist/rapor-<version>-x86_64-unknown-linux-musl.tar.gz (static rapor)
# each holding the binary, BACA-SAYA.txt / README.txt and the licence.
# Same bytes on every run from the same commit: fixed paths in the binary,
# fixed times (SOURCE_DATE_EPOCH, default: the last commit's), sorted entries.
#
# Usage: dist/build.sh [windows] [linux]   (default: both)
# Needs: rustup targets x86_64-pc-windows-gnu and x86_64-unknown-linux-musl,
# Debian's gcc-mingw-w64-x86-64 (the Windows linker), zip.
# DIST_DIR (default target/dist) and CARGO_TARGET_DIR (default target/release-dist)
# say where archives and builds go.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(windows linux)

version=$(sed -n '/^version = "/{s/^version = "\(.*\)"$/\1/p;q}' Cargo.toml)
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}"
export SOURCE_DATE_EPOCH
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/release-dist}
dist=${DIST_DIR:-$root/target/dist}
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)
cargo_home=${CARGO_HOME:-$HOME/.cargo}

# No build paths in the binary (panic messages name source files), no debug
# info, stripped: the bytes depend on the sources only.
export CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true
remap="--remap-path-prefix=$root=rapor --remap-path-prefix=$cargo_home=cargo"

# Text files for the archive, with CRLF line ends for Windows' Notepad.
texts() { # <folder> <crlf: yes|no>
  local dir=$1 crlf=$2 f
  cp dist/BACA-SAYA.txt dist/README.txt "$dir/"
  cp LICENSE "$dir/LICENSE.txt"
  if [ "$crlf" = yes ]; then
    for f in "$dir"/*.txt; do sed -i 's/\r$//; s/$/\r/' "$f"; done
  fi
}

# Fixed modes and times, so the archive's bytes depend on the contents only.
settle() { # <folder>
  find "$1" -type d -exec chmod 755 {} +
  find "$1" -type f -exec chmod 644 {} +
  [ ! -e "$1/rapor" ] || chmod 755 "$1/rapor"
  [ ! -e "$1/rapor.exe" ] || chmod 755 "$1/rapor.exe"
  find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for t in "${targets[@]}"; do
  case $t in
    windows)
      triple=x86_64-pc-windows-gnu
      # ld stamps the build time into a PE header unless told not to.
      RUSTFLAGS="$remap -C link-arg=-Wl,--no-insert-timestamp" \
        cargo build --release --locked --target $triple
      name=rapor-$version-$triple
      # Flat: Windows' "Extract All" already makes a folder named after the zip.
      mkdir "$stage/$name"
      cp "$CARGO_TARGET_DIR/$triple/release/rapor.exe" "$stage/$name/"
      texts "$stage/$name" yes
      settle "$stage/$name"
      rm -f "$dist/$name.zip"
      # -X: no extra (uid, unix time) fields; -D: no folder entries. zip
      # stores local time: UTC makes it the same everywhere.
      (cd "$stage/$name" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
        TZ=UTC zip -X -D -9 -q "$dist/$name.zip" -@)
      echo "$dist/$name.zip"
      ;;
    linux)
      triple=x86_64-unknown-linux-musl
      RUSTFLAGS="$remap -C target-feature=+crt-static" \
        cargo build --release --locked --target $triple
      name=rapor-$version-$triple
      mkdir "$stage/$name"
      cp "$CARGO_TARGET_DIR/$triple/release/rapor" "$stage/$name/"
      texts "$stage/$name" no
      settle "$stage/$name"
      (cd "$stage" && tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
        --mtime="@$SOURCE_DATE_EPOCH" -cf - "$name" | gzip -n -9 > "$dist/$name.tar.gz")
      echo "$dist/$name.tar.gz"
      ;;
    *)
      echo "dist/build.sh: unknown target '$t' (give windows, linux or nothing for both)" >&2
      exit 2
      ;;
  esac
done
