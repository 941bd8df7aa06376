#!/usr/bin/env python3
"""Regenerate the extended labelled corpus in test/fixtures/crash-corpus/ext/ (run by generate.sh).

Real crashes made here, with the build and install variety grouping must see through:
  * gcc and clang at -O0..-O3, LTO, PIE and no-PIE, stripped builds (same build id as a
    symbolised sibling, and one stripped build with no symbolised sibling at all);
  * every build's debuginfo (`objcopy --only-keep-debug`, zlib-compressed) under
    debuginfo/.build-id/, for retracing: the stripped-only build's too, as a vendor's debuginfo package;
  * a C++ program (methods, templates, uncaught exceptions from two paths), a multithreaded
    crash, mutual recursion overflowing the stack under several stack limits, a crash inside
    a shared library, and two near misses in the same libc function (strcmp);
  * the same C++ crash as a satyr core_backtrace (demangled names with parameters), as a
    uReport (raw mangled names, `eu-stack -r`) and as gdb `thread apply all bt` text;
  * a Python package with chained exceptions, a frame inside a frozen stdlib module
    (`<frozen posixpath>`, and `posixpath.py` with -X frozen_modules=off), installed under
    several prefixes (Debian dist-packages + /usr/bin, /usr/local + /usr/local/bin,
    /opt/vz/lib + /opt/vz/bin, a venv) and run by every python3 interpreter found.

It reuses generate.py's crash capture and unwinding rules; it never changes core_pattern.
Python installs live under a scratch root; that root is cut from the traceback paths, so they
read like the real install paths (as generate.py does with its build directory).
"""
import json
import os
import re
import resource
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as base  # noqa: E402

EXT = os.path.join(base.HERE, "ext")
OUT = os.path.join(base.OUT, "ext")
WORK = os.path.join(base.WORK, "ext")
PYROOT = os.environ.get("CRASH_CORPUS_EXT_PYROOT", "/tmp/corpus-ext")

PROGRAMS = {
    "vzmgr-sim": {"install": "/usr/sbin/vzmgr-sim", "sources": ["vzmgr-sim.cpp"], "cxx": True},
    "vzuser-sim": {"install": "/usr/sbin/vzuser-sim", "sources": ["vzuser-sim.c"], "cxx": False,
                   "libs": ["-pthread", "-lvzutil"]},
}
SHLIB = {"name": "libvzutil.so", "install": "/usr/lib64/libvzutil.so", "source": "libvzutil.c"}

# (program, mode, bug label, expected signal, description)
BUGS = [
    ("vzmgr-sim", "start", "vzmgr/Config::lookup-null-param", 11,
     "NULL Param* from vz::Config::lookup() dereferenced in vz::Manager::start()"),
    ("vzmgr-sim", "load", "vzmgr/Parser::parse-uncaught-runtime_error", 6,
     "std::runtime_error thrown by vz::Parser::parse() via Manager::load(), uncaught -> std::terminate"),
    ("vzmgr-sim", "restore", "vzmgr/Store::open-uncaught-invalid_argument", 6,
     "std::invalid_argument thrown by vz::Store::open() via Manager::restore(), uncaught (other path)"),
    ("vzmgr-sim", "pick", "vzmgr/Registry::at_unchecked-out-of-bounds", 11,
     "unchecked index in template vz::Registry<std::string>::at_unchecked() -> SIGSEGV"),
    ("vzuser-sim", "user", "vzuser/check_user-strcmp-null", 11,
     "strcmp(NULL) in check_user() (near miss of check_group, same libc function)"),
    ("vzuser-sim", "group", "vzuser/check_group-strcmp-null", 11,
     "strcmp(NULL) in check_group() (near miss of check_user, same libc function)"),
    ("vzuser-sim", "walk", "vzuser/walk-visit-stack-overflow", 11,
     "mutual recursion walk()/visit() over a cyclic tree -> stack overflow"),
    ("vzuser-sim", "threads", "vzuser/process_job-thread-null-owner", 11,
     "job without owner -> strlen(NULL) in process_job() inside a worker thread"),
    ("vzuser-sim", "quota", "vzuser/vzu_parse_quota-shlib-null-sep", 11,
     "strchr() result unchecked in vzu_parse_quota() inside libvzutil.so"),
]

# build name -> (compiler family, flags, strip?, description)
BUILDS = {
    "gcc-O0": ("gcc", ["-O0", "-g"], False, "gcc -O0 -g (PIE, Debian default)"),
    "gcc-O1": ("gcc", ["-O1", "-g"], False, "gcc -O1 -g"),
    "gcc-O2": ("gcc", ["-O2", "-g"], False, "gcc -O2 -g"),
    "gcc-O3": ("gcc", ["-O3", "-g"], False, "gcc -O3 -g"),
    "gcc-O2-nopie": ("gcc", ["-O2", "-g", "-fno-pie", "-no-pie"], False, "gcc -O2 -g -no-pie"),
    "gcc-O2-lto": ("gcc", ["-O2", "-g", "-flto"], False, "gcc -O2 -g -flto"),
    "clang-O0": ("clang", ["-O0", "-g"], False, "clang -O0 -g"),
    "clang-O2": ("clang", ["-O2", "-g"], False, "clang -O2 -g"),
    "clang-O3-lto": ("clang", ["-O3", "-g", "-flto", "-fuse-ld=gold"], False, "clang -O3 -g -flto (gold)"),
    "gcc-O2-stripped": ("gcc", None, True, "the gcc-O2 binary after `strip` (same build id)"),
    "clang-O2-stripped-only": ("clang", ["-O2", "-g", "-fno-omit-frame-pointer"], True,
                               "clang -O2 build (its own build id) stripped, no symbolised sibling"),
}
# stack limits (KiB) for the overflow: the recursion dies at different depths
STACK_LIMITS = {"walk": [2048, 8192]}
# uReport/gdb doors: (program, mode, build)
DOORS = [("vzmgr-sim", "load", "gcc-O0"), ("vzmgr-sim", "start", "clang-O0"), ("vzuser-sim", "user", "gcc-O1")]


def compilers(family, cxx):
    if family == "gcc":
        return "g++" if cxx else "gcc"
    return "clang++" if cxx else "clang"


def build_all():
    bdir = os.path.join(WORK, "build")
    for bname, (family, flags, strip, _desc) in BUILDS.items():
        libdir = os.path.join(bdir, bname, "lib")
        os.makedirs(libdir, exist_ok=True)
        for prog, info in PROGRAMS.items():
            dest = os.path.join(bdir, bname, info["install"].lstrip("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if strip and flags is None:
                src_bin = os.path.join(bdir, "gcc-O2", info["install"].lstrip("/"))
                base.run(["strip", "-o", dest, src_bin])
                shutil.copy(os.path.join(bdir, "gcc-O2", "lib", SHLIB["name"]), libdir)
                continue
            cc = compilers(family, False)
            if not os.path.exists(os.path.join(libdir, SHLIB["name"])):
                base.run([cc, *[f for f in flags if f not in ("-no-pie", "-fno-pie")], "-fPIC", "-shared",
                          "-o", os.path.join(libdir, SHLIB["name"]), os.path.join(EXT, SHLIB["source"])])
            srcs = [os.path.join(EXT, s) for s in info["sources"]]
            link = ["-L", libdir, "-Wl,-rpath," + libdir, *info.get("libs", [])]
            base.run([compilers(family, info["cxx"]), *flags, "-Wall", "-o", dest, *srcs, *link])
            # Before stripping: a vendor ships the stripped binary and its debuginfo package.
            export_debuginfo(dest)
            if strip:
                base.run(["strip", dest])
        export_debuginfo(os.path.join(libdir, SHLIB["name"]))
    return bdir


def build_id(path):
    notes = base.run(["readelf", "-n", path]).stdout
    m = re.search(r"Build ID: ([0-9a-f]+)", notes)
    if not m:
        raise RuntimeError("%s has no build id" % path)
    return m.group(1)


def export_debuginfo(path):
    """The debug file as a debuginfo package installs it: <tree>/.build-id/ab/cdef....debug (zlib to stay small)."""
    bid = build_id(path)
    dest = os.path.join(OUT, "debuginfo", ".build-id", bid[:2], bid[2:] + ".debug")
    if os.path.exists(dest):
        return
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    base.run(["objcopy", "--only-keep-debug", "--compress-debug-sections=zlib", path, dest])


def crash(exe, args, rundir, stack_kib=None):
    """Run for real with a core limit (and a stack limit for the overflow); fall back to gcore."""
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(rundir)

    def limits():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        if stack_kib:
            resource.setrlimit(resource.RLIMIT_STACK, (stack_kib * 1024, stack_kib * 1024))

    p = subprocess.run([exe, *args], cwd=rundir, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
                       preexec_fn=limits, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode >= 0:
        raise RuntimeError("%s %s did not crash (rc=%d)" % (exe, args, p.returncode))
    cores = [f for f in os.listdir(rundir) if f.startswith("core")]
    if cores:
        return -p.returncode, os.path.join(rundir, cores[0])
    sig, core, _method = base.crash(exe, args[0], rundir, False)
    return sig, core


def crash_thread_only(stdout):
    """eu-stack prints every thread of a core; the kernel writes the crashing thread first."""
    out, seen = [], 0
    for line in stdout.splitlines():
        if line.startswith("TID "):
            seen += 1
            if seen > 1:
                break
        out.append(line)
    return "\n".join(out) + "\n"


def unwind(core, exe, install, raw_names=False):
    cmd = ["eu-stack", "-n", str(base.MAX_FRAMES), "-b", "-m", *(["-r"] if raw_names else []),
           "--core=" + core, "--executable=" + exe]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        raise RuntimeError("eu-stack failed (rc=%d): %s" % (p.returncode, p.stderr))
    return base.frames_from_eu_stack(crash_thread_only(p.stdout), exe, install, base.module_paths(core, exe),
                                     {SHLIB["name"]: SHLIB["install"]})


def gdb_backtrace(core, exe, install, build_dir):
    p = subprocess.run(["gdb", "-batch", "-nx", "-ex", "thread apply all bt", exe, core],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.stdout.replace(exe, install).replace(build_dir + "/", "/usr/")


def core_doc(sig, install, frames):
    return {"signal": sig, "executable": install, "only_crash_thread": True,
            "stacktrace": [{"crash_thread": True, "frames": frames}]}


def write(rel, content):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content, indent=2) + "\n")


def generate_core_samples(bdir):
    entries, doors = [], []
    for prog, mode, bug, exp_sig, desc in BUGS:
        info = PROGRAMS[prog]
        for bname, (_family, _flags, _strip, bdesc) in BUILDS.items():
            for stack in STACK_LIMITS.get(mode, [None]):
                exe = os.path.join(bdir, bname, info["install"].lstrip("/"))
                variant = bname + ("-stack%dk" % stack if stack else "")
                sid = "%s.%s.%s" % (prog, mode, variant)
                sig, core = crash(exe, [mode], os.path.join(WORK, "run", sid), stack)
                if sig != exp_sig:
                    raise RuntimeError("%s: expected signal %d, got %d" % (sid, exp_sig, sig))
                frames = unwind(core, exe, info["install"])
                rel = os.path.join("core", sid + ".core_backtrace.json")
                write(rel, core_doc(sig, info["install"], frames))
                entries.append({"id": sid, "file": rel, "kind": "core_backtrace", "component": prog, "bug": bug,
                                "variant": variant, "note": "%s; build: %s%s; %d frames" % (
                                    desc, bdesc, "; stack limit %d KiB" % stack if stack else "", len(frames))})
                if (prog, mode, bname) in DOORS:
                    raw = unwind(core, exe, info["install"], raw_names=True)
                    write(os.path.join("doors", sid + ".ureport-frames.json"), core_doc(sig, info["install"], raw))
                    write(os.path.join("doors", sid + ".gdb-backtrace.txt"),
                          gdb_backtrace(core, exe, info["install"], os.path.join(bdir, bname)))
                    doors.append({"id": sid, "component": prog, "bug": bug, "executable": info["install"],
                                  "core_backtrace": rel,
                                  "ureport_frames": os.path.join("doors", sid + ".ureport-frames.json"),
                                  "gdb_backtrace": os.path.join("doors", sid + ".gdb-backtrace.txt")})
    return entries, doors


PY_BUGS = [
    ("backup", "py/vzbackup.run_backup-chained-from-keyerror", "vzbackup.backup.BackupError",
     "KeyError in manifest.read_manifest() re-raised as BackupError from run_backup() (explicit chaining)"),
    ("restore", "py/vzbackup.cleanup-attributeerror-during-oserror", "AttributeError",
     "OSError handler calls cleanup(), which raises AttributeError (implicit chaining)"),
    ("path", "py/vzbackup.archive_path-join-none", "TypeError",
     "os.path.join(None, ...) in paths.archive_path() raises inside posixpath (frozen in 3.11+)"),
]


def interpreters():
    found = {}
    for cand in ["/usr/bin/python3", shutil.which("python3") or ""]:
        if not cand or not os.path.exists(cand):
            continue
        real = os.path.realpath(cand)
        version = subprocess.run([cand, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                                 stdout=subprocess.PIPE, text=True).stdout.strip()
        found.setdefault(real, (cand, version))
    return list(found.values())


def install_tree(site, bindir, python):
    os.makedirs(site, exist_ok=True)
    shutil.copytree(os.path.join(EXT, "py", "vzbackup"), os.path.join(site, "vzbackup"), dirs_exist_ok=True)
    os.makedirs(bindir, exist_ok=True)
    launcher = os.path.join(bindir, "vzbackup")
    with open(os.path.join(EXT, "py", "bin", "vzbackup")) as f:
        body = f.read().split("\n", 1)[1]
    with open(launcher, "w") as f:
        f.write("#!%s\n%s" % (python, body))
    os.chmod(launcher, 0o755)
    return launcher


def generate_python_samples():
    shutil.rmtree(PYROOT, ignore_errors=True)
    entries = []
    for n, (python, version) in enumerate(interpreters()):
        root = os.path.join(PYROOT, "py%d" % n)
        short = ".".join(version.split(".")[:2])
        venv = os.path.join(root, "opt", "venv-vzbackup")
        base.run([python, "-m", "venv", "--without-pip", venv])
        venv_site = base.run([os.path.join(venv, "bin", "python3"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
        prefixes = {
            "debian": (os.path.join(root, "usr", "lib", "python3", "dist-packages"), os.path.join(root, "usr", "bin"), python),
            "usr-local": (os.path.join(root, "usr", "local", "lib", "python%s" % short, "dist-packages"),
                          os.path.join(root, "usr", "local", "bin"), python),
            "opt-vz": (os.path.join(root, "opt", "vz", "lib"), os.path.join(root, "opt", "vz", "bin"), python),
            "venv": (venv_site, os.path.join(venv, "bin"), os.path.join(venv, "bin", "python3")),
        }
        for pname, (site, bindir, py) in prefixes.items():
            launcher = install_tree(site, bindir, py)
            for cmd, bug, exc, desc in PY_BUGS:
                for frozen in ([True, False] if cmd == "path" else [True]):
                    flags = [] if frozen else ["-X", "frozen_modules=off"]
                    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
                    if pname != "venv":
                        env["PYTHONPATH"] = site
                    p = subprocess.run([py, *flags, launcher, cmd], env=env, cwd="/",
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    last = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
                    if p.returncode == 0 or not last.startswith(exc):
                        raise RuntimeError("python %s %s: unexpected end %r" % (pname, cmd, last))
                    variant = "py%s-%s%s" % (version, pname, "" if frozen else "-unfrozen")
                    sid = "vzbackup.%s.%s" % (cmd, variant)
                    rel = os.path.join("python", sid + ".traceback.txt")
                    write(rel, p.stderr.replace(root, ""))
                    entries.append({"id": sid, "file": rel, "kind": "python_traceback", "component": "vzbackup",
                                    "bug": bug, "variant": variant,
                                    "note": "%s; CPython %s, installed %s (%s)" % (desc, version, pname, site.replace(root, ""))})
    return entries


def write_readme(cores, pys, doors):
    versions = [(label, base.tool_version(cmd)) for label, cmd in [
        ("gcc", ["gcc", "--version"]), ("clang", ["clang", "--version"]), ("unwinder", ["eu-stack", "--version"]),
        ("gdb", ["gdb", "--version"]), ("debuginfo", ["objcopy", "--version"])]]
    pythons = ", ".join("CPython %s (%s)" % (v, p) for p, v in interpreters())
    bugs = "\n".join("| `%s` | %s |" % (b[2], b[4]) for b in BUGS) + "\n" + "\n".join("| `%s` | %s |" % (b[1], b[3]) for b in PY_BUGS)
    builds = "\n".join("* `%s`: %s" % (k, v[3]) for k, v in BUILDS.items())
    write("README.md", """# Extended labelled crash corpus

Real crashes made on the generating machine by `scripts/crash-corpus/generate_ext.py` (run by `generate.sh`),
in the same way as the corpus one level up (see its README): programs built here, crashed for real, cores
unwound with elfutils into satyr `core_backtrace` JSON; Python tracebacks are the real stderr of real runs.
Only the scratch install root of the Python packages is cut from their paths, and build directories are
replaced by install paths.

| tool | version |
|---|---|
%s
| python | %s |

%d core samples, %d Python samples, %d door sets (`doors.json`: the same crash as a core_backtrace, as
uReport frames with raw mangled names from `eu-stack -r`, and as gdb `thread apply all bt` text).

## Bugs

| label | what |
|---|---|
%s

## Builds (each C/C++ bug in each)

%s

Stack overflows run under 2 MiB and 8 MiB stack limits. Python variants: every interpreter above x install
prefix (Debian dist-packages + /usr/bin, /usr/local + /usr/local/bin, /opt/vz/lib + /opt/vz/bin, a venv), and
the posixpath bug also with `-X frozen_modules=off` (`posixpath.py` instead of `<frozen posixpath>`).

## Debuginfo

`debuginfo/` is a debuginfo tree as debuginfo packages install it under `/usr/lib/debug`:
`.build-id/ab/cdef….debug`, one file per build id (%d: every program and `libvzutil.so` build, made with
`objcopy --only-keep-debug --compress-debug-sections=zlib` before stripping, so the stripped-only build has
one too, as a vendor shipping stripped binaries with debuginfo packages would). The core_backtrace files do
not use it: like satyr, they carry symbol-table names and no inlined frames. The hub retraces with it when
`DEBUGINFO_DIRS` points here.

Known ambiguity: gcc -O2 -flto tail-merges `check_user()` and `check_group()` into one call of strcmp in `main`,
so those two crashes are the same instruction and cannot be told apart, not even with debuginfo (the line
table names one inline chain for that instruction: `check_group`). Clang -O3 -flto keeps no inline scope for
the throw paths of `Parser::parse()` and `Store::open()` inlined into `main` (the line table points into them,
the scope says `main`), so with debuginfo those two crashes are still `__cxa_throw | main`.
""" % ("\n".join("| %s | %s |" % kv for kv in versions), pythons, len(cores), len(pys), len(doors), bugs, builds,
       debuginfo_count()))


def debuginfo_count():
    return sum(len(files) for _dir, _subdirs, files in os.walk(os.path.join(OUT, "debuginfo")))


def main():
    for tool in ("gcc", "g++", "clang", "clang++", "strip", "objcopy", "readelf", "eu-stack", "gdb"):
        if not shutil.which(tool):
            sys.exit("missing tool: %s (apt-get install -y gcc g++ clang binutils elfutils gdb)" % tool)
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(OUT)
    bdir = build_all()
    cores, doors = generate_core_samples(bdir)
    pys = generate_python_samples()
    write("manifest.json", cores + pys)
    write("doors.json", doors)
    write_readme(cores, pys, doors)
    base.log("extended corpus: %d core samples, %d python samples, %d door sets" % (len(cores), len(pys), len(doors)))


if __name__ == "__main__":
    main()
