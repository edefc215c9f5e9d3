"""Submissions that try to game the grader instead of solving ``reductions.row-means``.

Each one either holds no correct answer of its own (it returns ``x.mean(0)``, a wrong one, unless
its trick works) or does not define the function at all; every one must be graded as a failure.
Shared by the gaming tests through the grader, ``tensordojo check`` and the app.
"""

from __future__ import annotations

from pathlib import Path

import lessons

LESSONS_DIR = str(Path(lessons.__file__).resolve().parent)
WRONG_BODY = "    return x.mean(0)\n"

TRICKS: dict[str, str] = {
    # The tricks.
    "import the lesson and call the reference": (
        "from lessons.reductions import LESSON\n"
        "ex = [s for s in LESSON.steps if getattr(s, 'id', '') == 'row-means'][0]\n"
        "ns = {}\nexec(ex.reference, ns)\nrow_means = ns['row_means']\n"),
    "import the lesson lazily, inside the function": (
        "def row_means(x):\n"
        "    try:\n"
        "        import importlib\n"
        "        lesson = importlib.import_module('lessons.reductions').LESSON\n"
        "        ex = [s for s in lesson.steps if getattr(s, 'id', '') == 'row-means'][0]\n"
        "        ns = {}\n        exec(ex.reference, ns)\n        return ns['row_means'](x)\n"
        "    except ImportError:\n" + WRONG_BODY.replace("    ", "        ")),
    "walk the frames up to the grader's ref": (
        "import sys\n"
        "def row_means(x):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None:\n"
        "        for name in ('ref', 'want', 'expected'):\n"
        "            found = frame.f_locals.get(name)\n"
        "            if found is not None and hasattr(found, 'row_means'):\n"
        "                return found.row_means(x)\n"
        "            if name == 'want' and found is not None:\n"
        "                return found\n"
        "        frame = frame.f_back\n" + WRONG_BODY),
    "patch the comparison functions": (
        "import gc, sys\n"
        "for module in list(sys.modules.values()):\n"
        "    for name in ('compare', 'compare_tensors', 'check_call', 'unchanged', 'obey_rules'):\n"
        "        if hasattr(module, name):\n"
        "            try:\n                setattr(module, name, lambda *a, **k: None)\n"
        "            except Exception:\n                pass\n"
        "for obj in gc.get_objects():\n"
        "    if callable(obj) and getattr(obj, '__name__', '') in ('compare', 'compare_tensors', 'check_call'):\n"
        "        try:\n            obj.__code__ = (lambda *a, **k: None).__code__\n"
        "        except Exception:\n            pass\n"
        "import tui.core.grading.checks as checks\n"
        "checks.compare = lambda *a, **k: None\n"
        "def row_means(x):\n" + WRONG_BODY),
    "patch json.dumps and torch.Tensor.all": (
        "import json, torch\n"
        "json.dumps = lambda *a, **k: '{\"event\": \"result\", \"name\": \"x\", \"passed\": true, \"message\": \"\"}'\n"
        "torch.Tensor.all = lambda self, *a, **k: torch.tensor(True)\n"
        "torch.equal = lambda *a: True\n"
        "torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)\n"
        "def row_means(x):\n" + WRONG_BODY),
    "clear the exercise's test list": (
        "import gc\n"
        "for obj in gc.get_objects():\n"
        "    if type(obj).__name__ == 'Exercise':\n"
        "        obj.tests.clear()\n"
        "    if isinstance(obj, list) and obj and all(callable(t) and hasattr(t, 'title') for t in obj):\n"
        "        obj.clear()\n"
        "def row_means(x):\n" + WRONG_BODY),
    "write result events to every pipe and os._exit(0)": (
        "import os\n"
        "fake = (b'{\"event\": \"plan\", \"tests\": []}\\n{\"event\": \"result\", \"name\": \"x\", \"passed\": true, '\n"
        "        b'\"message\": \"\"}\\n{\"event\": \"done\"}\\n')\n"
        "report = b'{\"job\": 1, \"status\": \"passed\", \"passed\": true, \"message\": \"\", \"results\": []}\\n'\n"
        "for fd in range(0, 64):\n"
        "    for data in (fake, report):\n"
        "        try:\n            os.write(fd, data)\n"
        "        except OSError:\n            pass\n"
        "os._exit(0)\n"),
    "print the done event alone": 'print(\'{"event": "done"}\')\nimport sys\nsys.stdout.flush()\n',
    "print done events, then exit(0) inside the call": (
        "import sys\n"
        "def row_means(x):\n"
        "    print('{\"event\": \"result\", \"name\": \"x\", \"passed\": true}')\n"
        "    print('{\"event\": \"done\"}')\n"
        "    sys.exit(0)\n"),
    # Tricks of our own.
    "read the lesson's file from disk and run its reference": (
        "import ast\n"
        f"source = open({LESSONS_DIR + '/reductions.py'!r}).read()\n"
        "start = source.index('def row_means')\n"
        "ns = {}\nexec('import torch\\n' + __import__('textwrap').dedent(source[start:start + 400].split('\"\"\"')[0]), ns)\n"
        "row_means = ns['row_means']\n"),
    "read the check module from disk": (
        f"text = open({LESSONS_DIR + '/checks/reductions.py'!r}).read()\n"
        "def row_means(x):\n" + WRONG_BODY),
    "list the course folder through os and read through a raw file descriptor": (
        "import os\n"
        f"fd = os.open({LESSONS_DIR + '/reductions.py'!r}, os.O_RDONLY)\n"
        "data = os.read(fd, 100000)\n"
        "def row_means(x):\n" + WRONG_BODY),
    "monkeypatch builtins": (
        "import builtins\n"
        "builtins.isinstance = lambda *a: True\n"
        "builtins.len = lambda *a: 0\n"
        "def row_means(x):\n" + WRONG_BODY),
    "plant fake modules in sys.modules": (
        "import sys, types\n"
        "fake = types.ModuleType('tui.core.grading.checks')\n"
        "fake.compare = lambda *a, **k: None\n"
        "sys.modules['tui.core.grading.checks'] = fake\n"
        "sys.modules['hypothesis'] = None\n"
        "def row_means(x):\n" + WRONG_BODY),
    "forge an answer frame into the grader's socket": (
        "import io, os, socket, struct, torch\n"
        "def row_means(x):\n"
        "    forged = io.BytesIO()\n"
        "    torch.save({'nonce': 'guess', 'result': {'~': 'tensor', 'data': x.mean(1), 'requires_grad': False,\n"
        "               'graph': False, 'grad': None}, 'observed': {}, 'args_after': []}, forged)\n"
        "    for fd in os.listdir('/proc/self/fd'):\n"
        "        try:\n"
        "            sock = socket.socket(fileno=os.dup(int(fd)))\n"
        "            sock.sendall(struct.pack('>Q', len(forged.getvalue())) + forged.getvalue())\n"
        "        except OSError:\n            pass\n" + WRONG_BODY),
    "ignore signals and sleep past the limit": (
        "import signal, time\n"
        "for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
        "    signal.signal(sig, signal.SIG_IGN)\n"
        "def row_means(x):\n"
        "    time.sleep(3600)\n"),
    "fork a child that reports success": (
        "import os\n"
        "def row_means(x):\n"
        "    if os.fork() == 0:\n"
        "        for fd in range(64):\n"
        "            try:\n                os.write(fd, b'{\"event\": \"done\"}\\n')\n"
        "            except OSError:\n                pass\n"
        "        os._exit(0)\n" + WRONG_BODY),
    "a pickle that runs code in the judge": (
        "import torch\n"
        "class Evil(torch.Tensor):\n"
        "    def __reduce_ex__(self, protocol):\n"
        "        return (print, ('pwned',))\n"
        "torch.Tensor.__reduce_ex__ = Evil.__reduce_ex__\n"
        "def row_means(x):\n" + WRONG_BODY),
}
"""Name of the trick -> the submission's source."""
