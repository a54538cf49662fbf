# shellcheck shell=bash
# Sourced by kit's scripts (scripts/setup, scripts/demo, scripts/test) and usable from a shell:
#     source scripts/env.sh
# Puts the tools that scripts/setup installed into the repo (<repo>/.tools/bin: the terraform
# launcher, a moto_server link) first on PATH when that directory exists, adds the Swift toolchain at
# /opt/swift when no `swift` is on PATH, and turns off terraform's update check so that nothing here
# reaches for the network.

kit_env_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -d "$kit_env_repo/.tools/bin" ]; then
  case ":$PATH:" in
    *":$kit_env_repo/.tools/bin:"*) ;;
    *) PATH="$kit_env_repo/.tools/bin:$PATH" ;;
  esac
  export PATH
fi
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="$PATH:/opt/swift/usr/bin"
fi
export CHECKPOINT_DISABLE=1
unset kit_env_repo
