#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when missing and when we can.
# - fonts-wqy-microhei: a CJK TrueType font, used to render a seed report to PDF in
#   the ingestion tests (PDF text extraction needs a real embedded font).
# - chromium: headless browser for the evidence-viewer test.
# - antiword: reads Word 97-2003 (.doc) and Word-format .wps reports (extract/ingest/word.py).
# Without root or network the tests that need them skip with a visible reason.
set -u
need=()
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_sysdeps: cannot install ${need[*]} (not root or no apt-get); dependent tests will skip" >&2
  exit 0
fi
echo "ensure_sysdeps: installing ${need[*]}" >&2
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/tmp/jixiao-sysdeps.log 2>&1 \
  || echo "ensure_sysdeps: apt-get failed (see /tmp/jixiao-sysdeps.log); dependent tests will skip" >&2
exit 0
