#!/usr/bin/env bash
# Sourced by ./test.sh, ./demo.sh and ./bench.sh: make JAVA_HOME point at a JDK 21 or newer.
# Keeps a JAVA_HOME that is already new enough, else looks under /usr/lib/jvm (and macOS's
# /Library/Java/JavaVirtualMachines), newest first. Fails with a clear message when none is found.

memsync_java_major() {
  # prints the feature version of the java at $1/bin/java, or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$v" in 1.*) v=${v#1.}; v=${v%%.*} ;; esac
  printf '%s' "$v"
}

memsync_pick_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(memsync_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(memsync_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(memsync_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  cat >&2 <<MSG
memsync needs a JDK 21 or newer (Helidon 4), and none was found:
  JAVA_HOME=${JAVA_HOME:-<unset>}, nothing suitable under /usr/lib/jvm.
Install one, e.g. 'apt-get install openjdk-21-jdk-headless' (Debian/Ubuntu) or Temurin 21/25,
or point JAVA_HOME at an existing JDK 21+.
MSG
  return 1
}

memsync_pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
