#!/usr/bin/env python3
"""Adds lock entries for other platforms' optional native packages that this machine's registry hides.

The registry reachable here answers 404 for packages built for other platforms (darwin, win32, ...), so
`npm install` leaves them out of package-lock.json and `npm ci` then calls the lock out of sync. Each
such package is an optional dependency pinned to an exact version by its parent, restricted by os/cpu,
so an entry naming its version, platform and tarball lets `npm ci` skip it here and fetch it elsewhere.
Run after changing dependencies: python3 scripts/lock-platforms.py
"""
import json
import re
import sys

OS_NAMES = {"darwin": "darwin", "win32": "win32", "linux": "linux", "freebsd": "freebsd", "android": "android",
            "openharmony": "openharmony", "netbsd": "netbsd", "openbsd": "openbsd", "sunos": "sunos", "aix": "aix", "wasm32": None}
CPUS = ["arm64", "x64", "arm", "ia32", "loong64", "ppc64", "riscv64", "s390x", "wasm32", "mips64el"]

def platform_of(name):
    base = name.split("/")[-1]
    parts = re.split(r"[-_]", base)
    os_ = next((OS_NAMES[p] for p in parts if p in OS_NAMES and OS_NAMES[p]), None)
    cpu = next((p for p in parts if p in CPUS), None)
    if cpu is None and "ppc64" in base:
        cpu = "ppc64"
    libc = "musl" if "musl" in parts or "musleabihf" in parts else ("glibc" if "gnu" in parts or "gnueabihf" in parts else None)
    return os_, cpu, libc

def main(path="package-lock.json"):
    lock = json.load(open(path))
    pkgs = lock["packages"]
    added = []
    for where, meta in list(pkgs.items()):
        for dep, spec in (meta.get("optionalDependencies") or {}).items():
            # npm resolves a dependency in the nearest node_modules up the tree; hoisted to the top here.
            if f"node_modules/{dep}" in pkgs or (where and f"{where}/node_modules/{dep}" in pkgs):
                continue
            if not re.fullmatch(r"\d+\.\d+\.\d+(-[\w.]+)?", spec):
                continue
            os_, cpu, libc = platform_of(dep)
            if os_ is None and cpu is None:
                continue
            entry = {
                "version": spec,
                "resolved": f"https://registry.npmjs.org/{dep}/-/{dep.split('/')[-1]}-{spec}.tgz",
                "optional": True,
            }
            if meta.get("dev"):
                entry["dev"] = True
            if cpu:
                entry["cpu"] = [cpu]
            if libc:
                entry["libc"] = [libc]
            if os_:
                entry["os"] = [os_]
            pkgs[f"node_modules/{dep}"] = entry
            added.append(dep)
    lock["packages"] = dict(sorted(pkgs.items(), key=lambda kv: (kv[0] != "", kv[0])))
    json.dump(lock, open(path, "w"), indent=2)
    open(path, "a").write("\n")
    print(f"added {len(added)} platform entries" + (": " + ", ".join(sorted(added)) if added else ""))

if __name__ == "__main__":
    main(*sys.argv[1:])
