#!/usr/bin/env bash
# Install the external tools the interop tests feed bibconv's output to:
# bibtex/pdflatex, biber, pandoc, rapper (raptor2), bibutils, and citeproc-js for Node.
# Needs root (apt-get). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

need=()
command -v pdflatex >/dev/null || need+=(texlive-latex-base)
kpsewhich acm.bst >/dev/null 2>&1 || need+=(texlive-bibtex-extra)
kpsewhich etoolbox.sty >/dev/null 2>&1 || need+=(texlive-latex-recommended)
command -v bibtex >/dev/null || need+=(texlive-binaries)
command -v biber >/dev/null || need+=(biber)
command -v pandoc >/dev/null || need+=(pandoc)
command -v rapper >/dev/null || need+=(raptor2-utils)
command -v bib2xml >/dev/null || need+=(bibutils)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# citeproc-js (npm package "citeproc") for the citation agreement tests.
if [ -f tests/citeprocjs/package.json ] && [ ! -d tests/citeprocjs/node_modules/citeproc ]; then
    (cd tests/citeprocjs && npm install --no-audit --no-fund --loglevel=error)
fi
