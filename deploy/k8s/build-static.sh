#!/bin/sh
# build-static.sh OUTDIR: the loadgen and chaos binaries as the container
# image ships them (deploy/k8s/Dockerfile), built the one way both the
# Dockerfile and .ci/run use: no cgo, so the binaries are static and run on
# an empty base image; -trimpath, so they hold no path of the machine that
# built them.
set -eu
out=${1:?usage: build-static.sh OUTDIR}
cd "$(dirname "$0")/../.."
for cmd in loadgen chaos; do
	CGO_ENABLED=0 go build -trimpath -o "$out/$cmd" "./cmd/$cmd"
done
