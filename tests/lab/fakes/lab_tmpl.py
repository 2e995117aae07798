"""lab_tmpl: builds the template /usr/local/bin and /usr/local/sbin of a
fresh node for an OS: symlinks to the fake dispatcher for the tools the OS
has before any package is installed."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labfakes  # noqa: E402


def main():
    lab, osname = sys.argv[1], sys.argv[2]
    for d, names in labfakes.base_tools(osname).items():
        dd = os.path.join(lab, "tmpl", d)
        os.makedirs(dd, exist_ok=True)
        for nm in names:
            p = os.path.join(dd, nm)
            if not os.path.lexists(p):
                os.symlink("/var/lib/kubewiz-lab/fakes/fake", p)


if __name__ == "__main__":
    main()
