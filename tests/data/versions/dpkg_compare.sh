#!/bin/sh
# Reference oracle for the dpkg scheme tests: reads "A<TAB>B" lines on stdin and prints one line
# per pair: "<", "=", ">" as dpkg --compare-versions orders them, or "E" when dpkg refuses either.
while IFS='	' read -r a b; do
  dpkg --compare-versions "$a" lt "$b" 2>/dev/null
  rc=$?
  if [ $rc -eq 0 ]; then echo '<'; continue; fi
  if [ $rc -ne 1 ]; then echo 'E'; continue; fi
  if dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo '='; else echo '>'; fi
done
