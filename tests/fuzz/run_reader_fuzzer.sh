#!/usr/bin/env bash
# Fuzzes medclick::readImage (core/io) with libFuzzer for a bounded time. Not run in CI.
#
#   tests/fuzz/run_reader_fuzzer.sh [SECONDS]        (default 300; 0: no fuzzing, triage again
#                                                     every artifact already in build-fuzz/findings/)
#
# 1. installs what is missing (Debian 12: clang-14, libclang-rt-14-dev with the libFuzzer runtime,
#    cmake, ITK 5, spdlog, zlib), 2. configures and builds build-fuzz/ from tests/fuzz/ (a standalone
#    CMake project, no LibTorch), 3. writes the seeds (tests/fuzz/make_seeds.py, plus the earlier
#    findings), 4. fuzzes for SECONDS, with -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048,
#    keeping going after a crash (-fork), artifacts in build-fuzz/findings/, 5. replays each artifact
#    for its report, and copies one per distinct crash into tests/fuzz/findings/ as a real file with
#    the right extension (finding-<sha1 prefix><ext>, the selector byte stripped), listed in
#    tests/fuzz/findings/index.tsv, 6. prints executions, coverage and the number of findings.
#
# Environment (all optional):
#   MEDCLICK_FUZZ_BUILD        build folder (default: build-fuzz in the repository root)
#   MEDCLICK_FUZZ_BUILD_JOBS   parallel compile jobs (default 2)
#   MEDCLICK_FUZZ_FORKS        fuzzing processes (default 1)
#   MEDCLICK_FUZZ_MAX_LEN      largest input in bytes (default 8192)
#   MEDCLICK_FUZZ_EXTRA_SEEDS  a folder of image files to add as seeds (e.g. the hostile-file corpus)
#   MEDCLICK_FUZZ_DETECT_LEAKS 1 (default) or 0: report memory leaks as findings
#   MEDCLICK_FUZZ_NO_INSTALL   1: never call apt-get
#   CXX / CC                   the clang to build with (default clang++-14 / clang-14, else clang++ / clang)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUZZ_SRC="$ROOT/tests/fuzz"
BUILD=${MEDCLICK_FUZZ_BUILD:-$ROOT/build-fuzz}
SECONDS_TO_RUN=${1:-300}
BUILD_JOBS=${MEDCLICK_FUZZ_BUILD_JOBS:-2}
FORKS=${MEDCLICK_FUZZ_FORKS:-1}
MAX_LEN=${MEDCLICK_FUZZ_MAX_LEN:-8192}
DETECT_LEAKS=${MEDCLICK_FUZZ_DETECT_LEAKS:-1}
FINDINGS_OUT="$FUZZ_SRC/findings"
# Must match kExtensions in image_reader_fuzzer.cpp: the first input byte modulo 11 picks one.
EXTENSIONS=(.png .jpg .bmp .tif .nii .nii.gz .nrrd .nhdr .mha .mhd .dcm)

case "$SECONDS_TO_RUN" in '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac

say() { printf '== %s\n' "$*"; }

# ---------------------------------------------------------------- 1. tools and libraries
pick_compiler() {
  if [[ -z "${CXX:-}" ]]; then
    if command -v clang++-14 >/dev/null; then CXX=clang++-14; elif command -v clang++ >/dev/null; then CXX=clang++; fi
  fi
  if [[ -z "${CC:-}" ]]; then
    if command -v clang-14 >/dev/null; then CC=clang-14; elif command -v clang >/dev/null; then CC=clang; fi
  fi
}

fuzzer_runtime_present() {
  [[ -n "${CXX:-}" ]] && command -v "$CXX" >/dev/null || return 1
  local dir
  dir=$("$CXX" -print-resource-dir 2>/dev/null) || return 1
  [[ -f "$dir/lib/linux/libclang_rt.fuzzer-x86_64.a" || -f "$dir/lib/x86_64-unknown-linux-gnu/libclang_rt.fuzzer.a" ]]
}

missing=()
pick_compiler
command -v clang++-14 >/dev/null || [[ -n "${CXX:-}" && "$CXX" == *clang* ]] || missing+=(clang-14)
fuzzer_runtime_present || missing+=(libclang-rt-14-dev)
command -v cmake >/dev/null || missing+=(cmake)
command -v python3 >/dev/null || missing+=(python3)
ls /usr/lib/cmake/ITK-5*/ITKConfig.cmake >/dev/null 2>&1 || missing+=(libinsighttoolkit5-dev)
[[ -f /usr/include/spdlog/spdlog.h ]] || missing+=(libspdlog-dev)
[[ -f /usr/include/zlib.h ]] || missing+=(zlib1g-dev)
if ((${#missing[@]})); then
  if [[ "${MEDCLICK_FUZZ_NO_INSTALL:-0}" == 1 ]]; then
    echo "missing: ${missing[*]} (MEDCLICK_FUZZ_NO_INSTALL=1: not installing)" >&2; exit 1
  fi
  SUDO=()
  [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  say "installing ${missing[*]}"
  "${SUDO[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  pick_compiler
fi
fuzzer_runtime_present || { echo "no libFuzzer runtime for $CXX (libclang_rt.fuzzer); install libclang-rt-14-dev" >&2; exit 1; }
say "compiler: $CXX / $CC ($("$CXX" --version | head -n1))"

# ---------------------------------------------------------------- 2. build
GENERATOR=()
if [[ ! -f "$BUILD/CMakeCache.txt" ]] && command -v ninja >/dev/null; then GENERATOR=(-G Ninja); fi
say "configuring $BUILD"
mkdir -p "$BUILD"
cmake -S "$FUZZ_SRC" -B "$BUILD" "${GENERATOR[@]}" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_C_COMPILER="$CC" >"$BUILD/configure.log" 2>&1 ||
  { cat "$BUILD/configure.log" >&2; exit 1; }
say "building (-j$BUILD_JOBS)"
cmake --build "$BUILD" -j "$BUILD_JOBS"
FUZZER="$BUILD/image_reader_fuzzer"
[[ -x "$FUZZER" ]] || { echo "no $FUZZER after the build" >&2; exit 1; }

# ---------------------------------------------------------------- 3. seeds
SEEDS="$BUILD/seeds"
CORPUS="$BUILD/corpus" # kept between runs: what libFuzzer found interesting
ARTIFACTS="$BUILD/findings"
SCRATCH="$BUILD/scratch"
rm -rf "$SEEDS" "$SCRATCH"
mkdir -p "$CORPUS" "$ARTIFACTS" "$SCRATCH" "$FINDINGS_OUT"
seed_args=(--from "$FINDINGS_OUT")
[[ -n "${MEDCLICK_FUZZ_EXTRA_SEEDS:-}" ]] && seed_args+=(--from "$MEDCLICK_FUZZ_EXTRA_SEEDS")
# (tests/scripts/hostile_files_test.py --keep --workdir W leaves its generated corpus in
# W/medclick-hostile-*/corpus: MEDCLICK_FUZZ_EXTRA_SEEDS=that folder fuzzes on from those files.)
python3 "$FUZZ_SRC/make_seeds.py" "$SEEDS" "${seed_args[@]}"

export TMPDIR="$SCRATCH" # the fuzzer's per-process scratch folders (input.<ext>, data.raw)
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:report_error_type=1:silence_unsigned_overflow=1"
export ASAN_OPTIONS="abort_on_error=0:detect_odr_violation=0:symbolize=1"

# Which generated seeds the reader accepts (a seed it rejects only fuzzes the rejection).
say "checking the seeds"
seed_log="$BUILD/seed_check.log"
: >"$seed_log"
for seed in "$SEEDS"/seed-*; do
  MEDCLICK_FUZZ_VERBOSE=1 timeout 60 "$FUZZER" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -detect_leaks=0 "$seed" >>"$seed_log" 2>&1 ||
    echo "MEDCLICK_FUZZ seed $(basename "$seed") failed (exit $?): see the fuzzing findings" >>"$seed_log"
done
grep -E '^MEDCLICK_FUZZ (rejected|seed)' "$seed_log" | sed 's/^/   /' || true
read_ok=$(grep -c '^MEDCLICK_FUZZ read' "$seed_log" || true)
say "seeds read by readImage: $read_ok of $(find "$SEEDS" -name 'seed-*' | wc -l) generated ($(find "$SEEDS" -type f | wc -l) seeds in all)"

# ---------------------------------------------------------------- 4. fuzz
# Artifacts of earlier runs stay in build-fuzz/findings/; only this run's are triaged (SECONDS=0:
# no fuzzing, triage every artifact there again, e.g. after the readers changed).
shopt -s nullglob
artifact_list() { for f in "$ARTIFACTS"/crash-* "$ARTIFACTS"/timeout-* "$ARTIFACTS"/oom-* "$ARTIFACTS"/leak-*; do [[ "$f" == *.log ]] || echo "$f"; done; }
declare -A earlier_artifact=()
fuzz_log="$BUILD/fuzz.log"
fuzz_rc=0
if ((SECONDS_TO_RUN > 0)); then
  while read -r f; do earlier_artifact["$f"]=1; done < <(artifact_list)
  say "fuzzing for ${SECONDS_TO_RUN}s ($FORKS process(es)); log: $fuzz_log"
  set +e
  "$FUZZER" "$CORPUS" "$SEEDS" \
    -dict="$FUZZ_SRC/image_reader.dict" \
    -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -max_len="$MAX_LEN" -detect_leaks="$DETECT_LEAKS" \
    -fork="$FORKS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -close_fd_mask=3 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS/" >"$fuzz_log" 2>&1
  fuzz_rc=$?
  set -e
else
  say "SECONDS=0: no fuzzing, triaging every artifact in $ARTIFACTS"
fi

# ---------------------------------------------------------------- 5. findings
# A stack frame, short: "function file:line" or "function (library)".
short_frame() {
  sed -E 's/^ *#[0-9]+ 0x[0-9a-f]+ in //; s/ \(BuildId: [0-9a-f]+\)$//; s/ \((\/[^)+]*\/)?([^/)+]+)\+0x[0-9a-f]+\)$/ (\2)/' |
    sed -E "s#std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >#std::string#g; s#$ROOT/##g"
}
# The first frame outside the sanitizers, libFuzzer, libc's abort path and the C++ runtime.
stack_top() {
  { grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' "$1" |
    grep -vE ' in (__asan|__ubsan|__sanitizer|__interceptor|__lsan|__libc_|__assert|__pthread_kill|pthread_kill|_start|fuzzer::|LLVMFuzzerTestOneInput|malloc|calloc|realloc|free|operator new|operator delete|__cxa_|__gnu_cxx|std::__|std::terminate|abort|raise|gsignal)' |
    grep -vE 'compiler-rt|libclang_rt|/sanitizer_common/' |
    head -n 1 | short_frame; } || true
}
# The first frame in MedClick's own code (core/).
our_frame() {
  { grep -E "^ *#[0-9]+ 0x[0-9a-f]+ in .* $ROOT/core/" "$1" | head -n 1 | short_frame; } || true
}
# What went wrong, in one line: the sanitizer's SUMMARY kind, the values that differ from input to
# input (sizes, the number a cast overflowed on) left out.
crash_class() {
  local line
  line=$(grep -m1 -E '^SUMMARY: ' "$1" || true)
  if [[ -z "$line" ]]; then echo "not reproduced"; return; fi
  line=${line#SUMMARY: }
  case "$line" in
    AddressSanitizer:*byte*leaked*) echo "LeakSanitizer: detected memory leaks" ;;
    libFuzzer:*) sed -E 's/[0-9]+/N/g' <<<"$line" ;;
    *) awk '{print $1, $2}' <<<"$line" ;; # "AddressSanitizer: heap-buffer-overflow", "UndefinedBehaviorSanitizer: float-cast-overflow"
  esac
}

index="$FINDINGS_OUT/index.tsv"
[[ -f "$index" ]] || printf 'file\tkind\tformat\tclass\tstack top\tfirst frame in core/\tfound\n' >"$index"
declare -A seen_signature=()
while IFS=$'\t' read -r _ kind _ class top _; do
  [[ "$kind" == kind ]] && continue
  seen_signature["$kind|$class|$top"]=1
done <"$index"

new_artifacts=0
new_findings=0
report="$ARTIFACTS/summary.tsv"
printf 'artifact\tkind\tformat\tclass\tstack top\tfirst frame in core/\tcopied as\n' >"$report"
while read -r artifact; do
  [[ -z "${earlier_artifact[$artifact]:-}" ]] || continue
  new_artifacts=$((new_artifacts + 1))
  kind=$(basename "$artifact" | cut -d- -f1)
  if [[ -s "$artifact" ]]; then
    selector=$(head -c1 "$artifact" | od -An -tu1 | tr -d ' ')
  else
    selector=0
  fi
  ext=${EXTENSIONS[$((selector % ${#EXTENSIONS[@]}))]}
  # Replay it alone (no -fork, stderr kept) for the sanitizer's report.
  timeout 120 "$FUZZER" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -detect_leaks="$DETECT_LEAKS" \
    "$artifact" >"$artifact.log" 2>&1 || true
  class=$(crash_class "$artifact.log")
  top=$(stack_top "$artifact.log")
  [[ -n "$top" ]] || top="?"
  ours=$(our_frame "$artifact.log")
  [[ -n "$ours" ]] || ours="-"
  sha=$(tail -c +2 "$artifact" | sha1sum | cut -c1-12)
  name="finding-$sha$ext"
  signature="$kind|$class|$top"
  copied="-"
  if [[ -z "${seen_signature[$signature]:-}" && ! -e "$FINDINGS_OUT/$name" ]]; then
    tail -c +2 "$artifact" >"$FINDINGS_OUT/$name"
    # A detached header was fuzzed next to the harness's data.raw: the same file here, so that the
    # finding replays in place (hostile_files_test.py --extra-corpus runs the files where they are).
    if [[ ( "$ext" == .nhdr || "$ext" == .mhd ) && ! -e "$FINDINGS_OUT/data.raw" ]]; then
      python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes((7 * i) & 255 for i in range(4096)))' "$FINDINGS_OUT/data.raw"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$ext" "$class" "$top" "$ours" "$(date -u +%Y-%m-%d)" >>"$index"
    new_findings=$((new_findings + 1))
    copied=$name
  fi
  seen_signature["$signature"]=1 # further artifacts of the same bug: in build-fuzz/findings/ only
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$artifact")" "$kind" "$ext" "$class" "$top" "$ours" "$copied" >>"$report"
done < <(artifact_list)
rm -rf "$SCRATCH"

# ---------------------------------------------------------------- 6. summary
echo
if ((SECONDS_TO_RUN > 0)); then
  last=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$fuzz_log" | tail -n 1 || true)
  execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.*corp: ([0-9]+).*/\1/p' <<<"$last")
  elapsed=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
  [[ -n "$elapsed" ]] || elapsed=$SECONDS_TO_RUN
  counts=$(sed -nE 's/.*oom\/timeout\/crash: ([0-9]+\/[0-9]+\/[0-9]+).*/\1/p' <<<"$last")
  eps="?"
  [[ -n "$execs" ]] && ((elapsed > 0)) && eps=$((execs / elapsed))
  say "fuzzer exit status: $fuzz_rc (log: $fuzz_log)"
  say "last libFuzzer line: ${last:-none}"
  say "executions: ${execs:-?} in ${elapsed}s (${eps} exec/s on average)  cov: ${cov:-?}  ft: ${ft:-?}  corpus: ${corp:-?}${counts:+  oom/timeout/crash: $counts}"
fi
say "artifacts triaged: $new_artifacts (in $ARTIFACTS, each with its replay log; table: $report)"
if ((new_artifacts > 0)); then
  tail -n +2 "$report" | cut -f2-6 | sort | uniq -c | sort -rn | sed 's/^/   /'
fi
say "new distinct findings copied to tests/fuzz/findings/: $new_findings (all: $(($(wc -l <"$index") - 1)), listed in tests/fuzz/findings/index.tsv)"
