#!/usr/bin/env bash
# Builds a local Docker image without any registry: no base image is pulled (none can be
# here). The rootfs holds the machine's own node binary, the shared libraries ldd lists for it,
# the app and its production node_modules copied from this checkout; it is loaded with
# `docker import`. Idempotent: a digest of the rootfs is kept in the image's environment, and
# an image with the same digest is not imported again.
#
#   scripts/build-image.sh [name:tag]             the reference DPE Server (default dpe-reference:local)
#   scripts/build-image.sh --harness [name:tag]   the dpe-conformance CLI, the packed package as
#                                                 installed (default dpe-conformance:local):
#       docker run --rm --network host --user "$(id -u):$(id -g)" -v "$PWD/reports:/work/reports" dpe-conformance:local run --target http://127.0.0.1:7700
# Prints the image name.
set -euo pipefail
cd "$(dirname "$0")/.."

kind=reference
if [ "${1:-}" = "--harness" ]; then kind=harness; shift; fi
if [ "$kind" = harness ]; then image="${1:-${DPE_HARNESS_IMAGE:-dpe-conformance:local}}"; else image="${1:-${DPE_IMAGE:-dpe-reference:local}}"; fi
work="dist/image-$kind"
rootfs="$work/rootfs"
log() { echo "build-image: $*" >&2; }

# The package folders of the named dependencies and of everything they depend on, resolved as
# node does (nearest node_modules first).
dep_closure() {
  node -e '
    const fs = require("fs"), path = require("path"), seen = new Set();
    const visit = (name, from) => {
      for (let d = from; ; d = path.dirname(d)) {
        const p = path.join(d, "node_modules", name);
        if (fs.existsSync(path.join(p, "package.json"))) {
          if (seen.has(p)) return;
          seen.add(p);
          const deps = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8")).dependencies || {};
          for (const n of Object.keys(deps)) visit(n, p);
          return;
        }
        if (path.dirname(d) === d) throw new Error("missing dependency " + name + " (run npm ci)");
      }
    };
    for (const n of process.argv.slice(1)) visit(n, process.cwd());
    console.log([...seen].join("\n"));
  ' "$@"
}

command -v docker >/dev/null || { log "no docker client (install docker.io; see scripts/ci-docker.sh)"; exit 2; }
docker info >/dev/null 2>&1 || { log "no Docker engine answers (start dockerd; see scripts/ci-docker.sh)"; exit 2; }

# one build at a time: test files run in parallel and may all ask for an image (test/integration/package.test.ts
# also holds this lock while npm pack rebuilds dist/)
mkdir -p dist
exec 9>dist/.build-image.lock
flock -w 300 9 || { log "another build-image.sh held the lock for 300 s"; exit 2; }

rm -rf "$work"
mkdir -p "$rootfs"/{app,tmp,etc,usr/local/bin}
chmod 1777 "$rootfs/tmp"

if [ "$kind" = reference ]; then
  # 1. the server, compiled from its entry point's import closure only
  log "compiling src/server/main.ts"
  npx tsc -p tsconfig.server.json --outDir "$rootfs/app"
  test -f "$rootfs/app/src/server/main.js" || { log "tsc did not emit src/server/main.js"; exit 1; }
  printf '{ "name": "dpe-reference-server", "private": true }\n' >"$rootfs/app/package.json"
  # 2. its production dependencies only — the bare modules the compiled server requires, and
  #    what they need — with their layout (read from the output, so a new import is never missed)
  imports="$(grep -rhoE "require\\(\"[^\".][^\"]*\"\\)" "$rootfs/app" | sed -E 's/require\("([^"]*)"\)/\1/' | grep -v '^node:' | sed -E 's#^(@[^/]+/[^/]+|[^@/][^/]*).*#\1#' | sort -u | while read -r m; do node -e 'process.exit(require("module").builtinModules.includes(process.argv[1]) ? 1 : 0)' "$m" && echo "$m"; done)"
  log "the server requires: $(echo $imports)"
  deps="$(dep_closure $imports)"
  entrypoint='["/usr/local/bin/node", "/app/src/server/main.js"]'
  workdir=/app
  what="reference server"
else
  # 1. the package exactly as npm pack ships it (prepack compiles dist/)
  log "packing the dpe-conformance package"
  tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
  tar -xzf "$work/$tarball" -C "$rootfs/app" --strip-components=1
  test -f "$rootfs/app/dist/src/cli/main.js" || { log "the package has no dist/src/cli/main.js"; exit 1; }
  # 2. every production dependency, as npm install --omit=dev would lay them out
  deps="$(npm ls --omit=dev --parseable --all 2>/dev/null | grep '/node_modules/' || true)"
  # reports land in /work/reports: mount a host folder there
  mkdir -p "$rootfs/work"
  chmod 1777 "$rootfs/work"
  entrypoint='["/usr/local/bin/node", "/app/bin/dpe-conformance.js"]'
  workdir=/work
  what="dpe-conformance harness $(node -p 'require("./package.json").version')"
fi
for dir in $deps; do
  rel="${dir#"$PWD"/}"
  mkdir -p "$rootfs/app/$(dirname "$rel")"
  cp -a "$dir" "$rootfs/app/$rel"
done
test -d "$rootfs/app/node_modules/commander" || { log "production node_modules missing (run npm ci)"; exit 1; }

# 3. node and the shared libraries it links, including the dynamic loader
node_bin="$(readlink -f "$(command -v node)")"
cp "$node_bin" "$rootfs/usr/local/bin/node"
ldd "$node_bin" | grep -o '/[^ ]*' | while read -r lib; do
  cp -L --parents "$lib" "$rootfs/"
done

# 4. the minimum a process expects to find
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

# a reproducible tar (fixed order, times and owners), so equal inputs give an equal digest
pack() { tar -C "$rootfs" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c .; }
digest="$(pack | sha256sum | cut -c1-64)"
current="$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$image" 2>/dev/null | sed -n 's/^DPE_ROOTFS_DIGEST=//p' || true)"
if [ "$current" = "$digest" ]; then
  log "$image is up to date (rootfs $digest)"
else
  log "importing $image (rootfs $digest)"
  previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  pack | docker import \
    -c "ENTRYPOINT $entrypoint" \
    -c "WORKDIR $workdir" \
    -c 'USER 65534:65534' \
    -c "ENV DPE_ROOTFS_DIGEST=$digest" \
    -c 'ENV NODE_ENV=production' \
    -m "dpe-conformance $what, node $(node --version)" \
    - "$image" >/dev/null
  # the image it replaces would stay behind untagged (~100 MB each); a container may still use it
  [ -z "$previous" ] || docker image rm "$previous" >/dev/null 2>&1 || true
fi
echo "$image"
