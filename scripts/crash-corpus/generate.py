#!/usr/bin/env python3
"""Regenerate the labelled crash corpus in test/fixtures/crash-corpus/.

Run by hand (not by CI), as root or as a user allowed to write core files:

    scripts/crash-corpus/generate.sh          # == python3 scripts/crash-corpus/generate.py

What it does:
  * builds the C simulator programs in scripts/crash-corpus/c/ in several ways
    (-O0 -g, -O1 -g, -O2 -g, -O2 -g -fno-omit-frame-pointer, "shifted" builds with
    extra code and a different link order, a stripped -O2 build),
  * runs every deliberate bug for real, lets the kernel write a core file
    (or, if core_pattern pipes to a collector, lets gdb write one with `gcore`),
  * unwinds each core with `eu-stack` (elfutils) and converts the crash thread to
    satyr `core_backtrace` JSON,
  * installs the Python package in scripts/crash-corpus/py/ under two prefixes
    (a /usr-like prefix and a real venv), plus line-shifted copies, runs every
    Python bug for real and stores the traceback text,
  * writes manifest.json and README.md.

It never changes /proc/sys/kernel/core_pattern.
"""
import datetime
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "test", "fixtures", "crash-corpus")
CSRC = os.path.join(HERE, "c")
PYSRC = os.path.join(HERE, "py")
WORK = os.environ.get("CRASH_CORPUS_WORK", "/tmp/crash-corpus-work")
PYROOT = os.environ.get("CRASH_CORPUS_PYROOT", "/tmp/corpus")
MAX_FRAMES = 256  # same cap satyr applies to core stacks

# --------------------------------------------------------------------------
# C programs and bugs
# --------------------------------------------------------------------------
PROGRAMS = {
    "vzctl-sim": {"install": "/usr/sbin/vzctl-sim", "component": "vzctl-sim"},
    "vzquota-sim": {"install": "/usr/sbin/vzquota-sim", "component": "vzquota-sim"},
    "ploop-sim": {"install": "/usr/sbin/ploop-sim", "component": "ploop-sim"},
}

# (program, mode, bug label, expected signal, own function that must appear, description)
C_BUGS = [
    ("vzctl-sim", "set-config", "vzctl/parse_entry-null-param", 11, "parse_entry",
     "NULL deref in parse_entry(): unknown config key, find_param() result not checked"),
    ("vzctl-sim", "set-hostname", "vzctl/set_hostname-strlen-null", 11, "set_hostname",
     "strlen(NULL) in fmt_env_field() called from set_hostname() (near miss of print_status bug)"),
    ("vzctl-sim", "status", "vzctl/print_status-strlen-null", 11, "print_status",
     "strlen(NULL) in fmt_env_field() called from print_status() (near miss of set_hostname bug)"),
    ("vzctl-sim", "start", "vzctl/start_service-assert-veid", 6, "start_service",
     "assert(env->veid > 0) fails in start_service() -> abort()"),
    ("vzctl-sim", "destroy", "vzctl/destroy_env-double-free", 6, "destroy_env",
     "double free of env->root in destroy_env() -> glibc 'double free detected' abort"),
    ("vzquota-sim", "stat", "vzquota/calc_quota_ratio-div-zero", 8, "calc_quota_ratio",
     "integer division by zero (inode limit 0) in calc_quota_ratio() -> SIGFPE"),
    ("vzquota-sim", "load", "vzquota/quota_copy_limits-bad-offset", 11, "quota_copy_limits",
     "memcpy into image + corrupted header offset in quota_copy_limits() -> SIGSEGV in libc memmove"),
    ("ploop-sim", "mount", "ploop/find_delta-use-after-free", 11, "ploop_mount",
     "walks a freed delta list (find_delta(), inlined into ploop_mount() at -O1/-O2) -> garbage next pointer"),
    ("ploop-sim", "check", "ploop/resolve_image_chain-recursion", 11, "resolve_image_chain",
     "self-referencing parent chain -> unbounded recursion in resolve_image_chain() -> stack overflow"),
]

# build variants: name -> (gcc flags, shifted?, strip?, description)
BUILDS = {
    "O0": (["-O0", "-g"], False, False, "gcc -O0 -g"),
    "O1": (["-O1", "-g"], False, False, "gcc -O1 -g"),
    "O2": (["-O2", "-g"], False, False, "gcc -O2 -g"),
    "O2-fp": (["-O2", "-g", "-fno-omit-frame-pointer"], False, False,
              "gcc -O2 -g -fno-omit-frame-pointer"),
    "O0-shifted": (["-O0", "-g", "-DCORPUS_SHIFT"], True, False,
                   "gcc -O0 -g -DCORPUS_SHIFT, extra unused code, common.c linked first"),
    "O2-shifted": (["-O2", "-g", "-DCORPUS_SHIFT"], True, False,
                   "gcc -O2 -g -DCORPUS_SHIFT, extra unused code, common.c linked first"),
    "O2-stripped": (["-O2", "-g"], False, True,
                    "the O2 binary after `strip` (same build-id, no symbols for own frames)"),
}
# run variants: (variant label, build name, description)
RUNS = [
    ("O0", "O0", ""),
    ("O0-rerun", "O0", "second run of the same -O0 binary (different ASLR addresses)"),
    ("O1", "O1", ""),
    ("O2", "O2", ""),
    ("O2-fp", "O2-fp", ""),
    ("O0-shifted", "O0-shifted", ""),
    ("O2-shifted", "O2-shifted", ""),
    ("O2-stripped", "O2-stripped", ""),
]

# --------------------------------------------------------------------------
# Python bugs
# --------------------------------------------------------------------------
# (command, bug label, expected last-line prefix, description)
PY_BUGS = [
    ("config", "py/config.load_config-keyerror-root", "KeyError: 'root'",
     "KeyError in config.load_config(): storage.root missing"),
    ("list", "py/fmt.format_size-typeerror-str", "TypeError:",
     "TypeError in fmt.format_size(): disk size arrives as str"),
    ("stats", "py/stats.mean-zerodivision-empty", "ZeroDivisionError:",
     "ZeroDivisionError in stats.mean() called from cluster_average() with no samples"),
    ("net", "py/net.describe_network-attributeerror-none", "AttributeError:",
     "AttributeError on None in net.describe_network(): primary_iface() returned None"),
    ("users", "py/users.load_users-require_field-keyerror-uid", "KeyError: 'uid'",
     "KeyError in util.require_field() called from users.load_users() (near miss of quota bug)"),
    ("quota", "py/quota.load_quotas-require_field-keyerror-uid", "KeyError: 'uid'",
     "KeyError in util.require_field() called from quota.load_quotas() (near miss of users bug)"),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


def tool_version(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "unknown"


# --------------------------------------------------------------------------
# building and crashing
# --------------------------------------------------------------------------
def build_all():
    bdir = os.path.join(WORK, "build")
    for bname, (flags, shifted, strip, _desc) in BUILDS.items():
        for prog, info in PROGRAMS.items():
            dest = os.path.join(bdir, bname, info["install"].lstrip("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            srcs = [os.path.join(CSRC, prog + ".c"), os.path.join(CSRC, "common.c")]
            if shifted:
                srcs.reverse()
            if strip:
                src_bin = os.path.join(bdir, "O2", info["install"].lstrip("/"))
                run(["strip", "-o", dest, src_bin])
            else:
                run(["gcc", *flags, "-Wall", "-I", CSRC, "-o", dest, *srcs])
    return bdir


def kernel_core_usable():
    try:
        with open("/proc/sys/kernel/core_pattern") as f:
            pattern = f.read().strip()
    except OSError:
        return False, "unknown"
    return (pattern == "core"), pattern


def _core_limit():
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def crash(exe, mode, rundir, use_kernel_core):
    """Run exe mode for real; return (signal, core path, method)."""
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(rundir)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    if use_kernel_core:
        p = subprocess.run([exe, mode], cwd=rundir, env=env, preexec_fn=_core_limit,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode >= 0:
            raise RuntimeError("%s %s did not crash (rc=%d)" % (exe, mode, p.returncode))
        cores = [f for f in os.listdir(rundir) if f.startswith("core")]
        if cores:
            return -p.returncode, os.path.join(rundir, cores[0]), "kernel core"
        log("  no kernel core for %s %s, falling back to gdb gcore" % (exe, mode))
    p = subprocess.run(["gdb", "-batch", "-nx", "-ex", "set disable-randomization off",
                        "-ex", "run", "-ex", "gcore core.gdb", "--args", exe, mode],
                       cwd=rundir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    m = re.search(r"Program received signal (SIG\w+)", p.stdout)
    core = os.path.join(rundir, "core.gdb")
    if not m or not os.path.exists(core):
        raise RuntimeError("gdb fallback failed for %s %s:\n%s" % (exe, mode, p.stdout))
    import signal as _signal
    return int(getattr(_signal, m.group(1))), core, "gdb gcore"


FRAME_RE = re.compile(r"^#(\d+)\s+0x([0-9a-f]+)(\s+- 1)?\s*(.*)$")
BID_RE = re.compile(r"^\s+\[([0-9a-f]*)\]@0x([0-9a-f]+)\+0x([0-9a-f]+)")


def module_paths(core, exe):
    out = subprocess.run(["eu-stack", "-l", "--core=" + core, "--executable=" + exe],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout
    paths, lines = {}, out.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^0x[0-9a-f]+-0x[0-9a-f]+\s+(\S+)$", line)
        if m and i + 2 < len(lines):
            paths[m.group(1)] = lines[i + 2].strip()
    return paths


def unwind(core, exe, install_path):
    """Unwind the crash thread like satyr does (symbol-table names, no inlined frames)."""
    p = subprocess.run(["eu-stack", "-n", str(MAX_FRAMES), "-b", "-m",
                        "--core=" + core, "--executable=" + exe],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    raw = subprocess.run(["eu-stack", "-n", str(MAX_FRAMES), "-b", "-m", "-i", "-s",
                          "--core=" + core, "--executable=" + exe],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout
    if p.returncode not in (0, 1) or not p.stdout.strip():
        raise RuntimeError("eu-stack failed (rc=%d): %s" % (p.returncode, p.stderr))
    return frames_from_eu_stack(p.stdout, exe, install_path, module_paths(core, exe)), p.stdout, raw


def frames_from_eu_stack(text, exe, install_path, paths, installed=None):
    """eu-stack -b -m output -> satyr frames; `installed` maps other module names to their install paths."""
    exe_mod = os.path.basename(exe)
    frames, cur = [], None
    for line in text.splitlines():
        m = FRAME_RE.match(line)
        if m:
            pc = int(m.group(2), 16)
            rest = m.group(4)
            func, _, mod = rest.rpartition(" - ") if " - " in rest else ("", "", rest)
            if rest.startswith("- "):
                func, mod = "", rest[2:]
            cur = {"address": pc, "func": func.strip(), "mod": mod.strip()}
            frames.append(cur)
            continue
        m = BID_RE.match(line)
        if m and cur is not None:
            cur["build_id"] = m.group(1)
            cur["base"] = int(m.group(2), 16)
    out = []
    for f in frames:
        fr = {"address": f["address"]}
        if f.get("build_id"):
            fr["build_id"] = f["build_id"]
        if "base" in f:
            # satyr: build_id_offset = ip - module start (ip not adjusted by -1)
            fr["build_id_offset"] = f["address"] - f["base"]
        if f["func"]:
            fr["function_name"] = f["func"]
        mod = f["mod"]
        if mod == exe_mod:
            fr["file_name"] = install_path
        elif mod in (installed or {}):
            fr["file_name"] = installed[mod]
        else:
            path = paths.get(mod, "-")
            fr["file_name"] = path if path not in ("-", "") else mod
        out.append(fr)
    return out


def generate_core_samples(bdir):
    use_kernel, pattern = kernel_core_usable()
    log("core_pattern=%r -> %s" % (pattern, "kernel cores" if use_kernel else "gdb gcore fallback"))
    cdir = os.path.join(OUT, "core")
    os.makedirs(cdir, exist_ok=True)
    entries, methods = [], set()
    for prog, mode, bug, exp_sig, own_fn, desc in C_BUGS:
        info = PROGRAMS[prog]
        for variant, bname, vdesc in RUNS:
            exe = os.path.join(bdir, bname, info["install"].lstrip("/"))
            sid = "%s.%s.%s" % (prog, mode, variant)
            rundir = os.path.join(WORK, "run", sid)
            sig, core, method = crash(exe, mode, rundir, use_kernel)
            methods.add(method)
            if sig != exp_sig:
                raise RuntimeError("%s: expected signal %d, got %d" % (sid, exp_sig, sig))
            frames, _plain, raw = unwind(core, exe, info["install"])
            names = [f.get("function_name", "") for f in frames]
            stripped = BUILDS[bname][2]
            if not stripped and not any(n.split(".")[0] == own_fn for n in names):
                raise RuntimeError("%s: own function %s missing from %s" % (sid, own_fn, names))
            doc = {
                "signal": sig,
                "executable": info["install"],
                "only_crash_thread": True,
                "stacktrace": [{"crash_thread": True, "frames": frames}],
            }
            rel = os.path.join("core", sid + ".core_backtrace.json")
            with open(os.path.join(OUT, rel), "w") as f:
                json.dump(doc, f, indent=2)
                f.write("\n")
            with open(os.path.join(cdir, sid + ".eu-stack.txt"), "w") as f:
                f.write("# eu-stack -n %d -b -m -i -s (inlined frames + source; %s)\n"
                        % (MAX_FRAMES, method))
                f.write(raw.replace(os.path.dirname(exe) + "/", info["install"].rsplit("/", 1)[0] + "/"))
            own = [n for n in names if n and not n.startswith("__") and n not in
                   ("raise", "abort", "free", "_start", "_int_free", "malloc_printerr")]
            note = "%s; build: %s%s; %d frames; top own frames: %s" % (
                desc, BUILDS[bname][3], ("; " + vdesc) if vdesc else "", len(frames),
                ", ".join(own[:4]) if own else "(none: stripped, no symbols)")
            entries.append({
                "id": sid,
                "file": rel,
                "kind": "core_backtrace",
                "component": info["component"],
                "bug": bug,
                "variant": variant,
                "note": note,
            })
            shutil.rmtree(rundir, ignore_errors=True)
            log("  %-40s sig=%-2d frames=%-3d %s" % (sid, sig, len(frames), " > ".join(names[:5])))
    return entries, methods


# --------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------
SHIFT_BLOCK = '''# --- vzpanel compatibility shims (added in a later release) ---
#
# The helpers below are not used yet; they only move the code further down.


def _compat_unused_{mod}(value=None):
    """Unused helper (shifts line numbers)."""
    if value is None:
        return {{}}
    return dict(value)
''' + "\n" * 1


def install_pkg(site, shifted):
    dest = os.path.join(site, "vzpanel")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(PYSRC, "vzpanel"), dest,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if shifted:
        for i, name in enumerate(sorted(os.listdir(dest))):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dest, name)
            with open(path) as f:
                lines = f.read().splitlines(True)
            block = SHIFT_BLOCK.format(mod=name[:-3]) + "\n" * (i % 3)
            # keep the one-line module docstring first
            with open(path, "w") as f:
                f.write(lines[0] + "\n" + block + "".join(lines[1:]))


def install_launcher(bindir, shebang):
    os.makedirs(bindir, exist_ok=True)
    with open(os.path.join(PYSRC, "bin", "vzpanel")) as f:
        text = f.read().split("\n", 1)[1]
    path = os.path.join(bindir, "vzpanel")
    with open(path, "w") as f:
        f.write("#!" + shebang + "\n" + text)
    os.chmod(path, 0o755)
    return path


def generate_python_samples():
    pyver = "python%d.%d" % sys.version_info[:2]
    shutil.rmtree(PYROOT, ignore_errors=True)
    usr_site = os.path.join(PYROOT, "usr", "lib", pyver, "site-packages")
    venv = os.path.join(PYROOT, "opt", "venv")
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    venv_py = os.path.join(venv, "bin", "python3")
    venv_site = run([venv_py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                    ).stdout.strip()
    prefixes = {
        "prefix-usr": (usr_site, os.path.join(PYROOT, "usr", "bin"), sys.executable,
                       {"PYTHONPATH": usr_site}),
        "prefix-venv": (venv_site, os.path.join(venv, "bin"), venv_py, {}),
    }
    pdir = os.path.join(OUT, "python")
    os.makedirs(pdir, exist_ok=True)
    entries = []
    for shifted in (False, True):
        for pname, (site, bindir, python, extra_env) in prefixes.items():
            install_pkg(site, shifted)
            launcher = install_launcher(bindir, python)
            variant = pname + ("-shifted" if shifted else "")
            for cmd, bug, expect, desc in PY_BUGS:
                env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8",
                       "PYTHONDONTWRITEBYTECODE": "1", **extra_env}
                p = subprocess.run([python, launcher, cmd], env=env, cwd="/",
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                tb = p.stderr
                last = tb.rstrip("\n").splitlines()[-1] if tb.strip() else ""
                if p.returncode != 1 or "Traceback (most recent call last):" not in tb \
                        or not last.startswith(expect):
                    raise RuntimeError("python %s/%s: unexpected result rc=%d\n%s"
                                       % (variant, cmd, p.returncode, tb))
                sid = "vzpanel.%s.%s" % (cmd, variant)
                rel = os.path.join("python", sid + ".traceback.txt")
                with open(os.path.join(OUT, rel), "w") as f:
                    f.write(tb)
                vdesc = {
                    "prefix-usr": "installed under %s (PYTHONPATH), run with %s" % (usr_site, python),
                    "prefix-venv": "installed in venv %s, run with its python3" % venv,
                }[pname]
                if shifted:
                    vdesc += "; line numbers shifted (comment lines + unused helper inserted at top of every module)"
                entries.append({
                    "id": sid,
                    "file": rel,
                    "kind": "python_traceback",
                    "component": "vzpanel",
                    "bug": bug,
                    "variant": variant,
                    "note": "%s; %s; last line: %s" % (desc, vdesc, last),
                })
                log("  %-45s %s" % (sid, last))
    return entries


# --------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------
def write_readme(entries, methods, core_pattern):
    n_core = sum(e["kind"] == "core_backtrace" for e in entries)
    n_py = len(entries) - n_core
    c_bugs = sorted({e["bug"] for e in entries if e["kind"] == "core_backtrace"})
    py_bugs = sorted({e["bug"] for e in entries if e["kind"] == "python_traceback"})
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    glibc = tool_version(["ldd", "--version"])
    text = f"""# Labelled crash corpus

Real crashes, produced on a real machine, labelled with the bug that caused them.
Used to measure crash-grouping precision/recall (same `bug` label = same bug = should be
grouped together; different label = must stay apart).

**Everything here was crashed for real on the generating machine** — the C programs were
built, run and killed by the kernel (SIGSEGV/SIGABRT/SIGFPE), the core files were unwound
with elfutils; the Python tracebacks are the real stderr of real `python3` runs. Nothing
was hand-written or edited afterwards (except replacing the build directory of our own
executables by a fixed install path, see below).

Generated: {now} by `scripts/crash-corpus/generate.sh`.

| | |
|---|---|
| host | {platform.system()} {platform.release()} {platform.machine()} |
| compiler | {tool_version(["gcc", "--version"])} |
| C library | {glibc} |
| unwinder | {tool_version(["eu-stack", "--version"])} |
| python | {platform.python_implementation()} {platform.python_version()} |
| core capture | {", ".join(sorted(methods))} (core_pattern was `{core_pattern}`, not modified) |

## Contents

* `manifest.json` — one entry per sample:
  `{{id, file, kind: "core_backtrace"|"python_traceback", component, bug, variant, note}}`.
  **{n_core} core samples ({len(c_bugs)} C bugs), {n_py} Python samples ({len(py_bugs)} Python bugs).**
* `core/<id>.core_backtrace.json` — satyr `core_backtrace` JSON of the crash thread
  (`signal`, `executable`, `only_crash_thread`, `stacktrace[0].frames`, innermost first;
  frame = `address`, `build_id`, `build_id_offset`, `function_name`, `file_name`).
* `core/<id>.eu-stack.txt` — the raw `eu-stack -b -m -i -s` output for the same core,
  *with* DWARF inlined frames and source lines, for humans (not referenced by the manifest).
* `python/<id>.traceback.txt` — plain Python 3 traceback text (stderr).

### C programs (`scripts/crash-corpus/c/`)

| component / executable | command | bug label |
|---|---|---|
""" + "".join(f"| {PROGRAMS[p]['component']} `{PROGRAMS[p]['install']}` | `{m}` | `{b}` — {d} |\n"
              for p, m, b, _s, _f, d in C_BUGS) + f"""
Build/run variants per bug: {", ".join(f"`{v}`" for v, _b, _d in RUNS)}:

""" + "".join(f"* `{v}`: {BUILDS[b][3]}{('; ' + d) if d else ''}\n" for v, b, d in RUNS) + """
Near misses (must NOT be grouped): `vzctl/set_hostname-strlen-null` vs
`vzctl/print_status-strlen-null` — both crash in libc `__strlen_*` inside `fmt_env_field()`,
they differ only by the caller frame (`set_hostname` vs `print_status`) and what is below it.

How frames were produced (mimicking satyr's `sr_parse_coredump`):
* `eu-stack -n 256 -b -m --core=<core> --executable=<exe>`; `function_name` is the
  ELF symbol-table name (GCC clones such as `.constprop.0`, `.isra.0`, `.part.0`, `.cold`
  and versioned names like `__libc_start_main@@GLIBC_2.34` are kept as-is; libc names such
  as `__strlen_evex` / `__memmove_avx512_unaligned_erms` come from the installed libc
  debug symbols and are **not normalized** — the hub does that).
* `address` = the unwound PC (return address for non-innermost frames, not adjusted by -1),
  `build_id_offset = address - module load address`, `build_id` = GNU build-id of the module.
* No inlined frames (satyr does not emit them) — compare with the `.eu-stack.txt` side files
  to see what -O1/-O2 inlined or tail-called away.
* Frames below `main` (`__libc_start_call_main`, `__libc_start_main@@GLIBC_2.34`, `_start`)
  are kept (satyr only stops at an exact `__libc_start_main`, which does not match here).
* Stacks are capped at 256 frames (the stack-overflow samples are truncated there, like satyr).
* `file_name` of our own executable is the fake install path (`/usr/sbin/<name>`), the real
  binaries lived under a temporary build directory; library paths are real.
* `O2-stripped` samples have no `function_name` for the program's own frames (same build-id
  as `O2`), like a package installed without debuginfo/symbols.

### Python (`scripts/crash-corpus/py/`)

Package `vzpanel` (component `vzpanel`), launcher `bin/vzpanel`, commands:

""" + "".join(f"* `{c}` → `{b}` — {d}\n" for c, b, _e, d in PY_BUGS) + f"""
Variants: `prefix-usr` (package copied to `{PYROOT}/usr/lib/pythonX.Y/site-packages`, run with the
system `python3` and `PYTHONPATH`), `prefix-venv` (copied into a real venv created with
`python3 -m venv {PYROOT}/opt/venv`, run with the venv's python), and `-shifted` versions of
both (comment lines and an unused function inserted at the top of every module, so every
line number in the traceback moves).
Near misses: `users` vs `quota` — same `KeyError: 'uid'` raised in the same helper
`util.require_field()`, different caller (`users.load_users` vs `quota.load_quotas`).

## Regenerating

```sh
scripts/crash-corpus/generate.sh        # needs gcc, binutils (strip), elfutils (eu-stack), gdb, python3
```

Run by hand, not by CI. It rebuilds everything in `{WORK}` and `{PYROOT}`, replaces the
`core/`, `python/`, `manifest.json` and this README. Addresses change on every run (ASLR);
build-ids/offsets change with the compiler version. Core files are written by the kernel
to the run directory when `core_pattern` is the plain `core`; otherwise (e.g. piped to
systemd-coredump/abrt) it runs each program under gdb and writes the core with `gcore`.
`core_pattern` is never modified.
"""
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(text)


def main():
    for tool in ("gcc", "strip", "eu-stack", "gdb"):
        if shutil.which(tool) is None:
            sys.exit("missing tool: %s (apt-get install -y gcc binutils elfutils gdb)" % tool)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    for sub in ("core", "python"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    log("building C programs ...")
    bdir = build_all()
    log("crashing C programs ...")
    core_entries, methods = generate_core_samples(bdir)
    log("running Python bugs ...")
    py_entries = generate_python_samples()
    entries = core_entries + py_entries
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    write_readme(entries, methods, kernel_core_usable()[1])
    log("done: %d core samples, %d python samples -> %s"
        % (len(core_entries), len(py_entries), OUT))


if __name__ == "__main__":
    main()
